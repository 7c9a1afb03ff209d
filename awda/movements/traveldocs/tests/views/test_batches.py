import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from awda.audit.models import AuditEvent
from awda.factories import bring_case_to
from awda.movements.traveldocs import selectors, services
from awda.movements.traveldocs.models import DocumentBatch, TravelDocument
from awda.screening.consent.choices import Purpose
from awda.screening.consent.models import DataTransfer

from ..helpers import IN_A_YEAR, consent, fresh, persons


@pytest.fixture
def eligible(caseworker, manager, family, case):
    for c in (family, case):
        bring_case_to(c, "eligible", caseworker=caseworker, manager=manager)
    return fresh(family), fresh(case)


@pytest.fixture
def batch(caseworker, eligible, consulate, rabat):
    members = list(selectors.batch_candidates(caseworker, kind="consulate", office_id=rabat.pk))
    return services.batch_create(
        caseworker, kind="consulate", recipient=consulate, office=rabat, members=members
    )


def test_new_consulate_list_page_lists_candidates_and_filters_by_nationality(
    client, caseworker, eligible, consulate, rabat
):
    client.force_login(caseworker)
    url = reverse("travel_documents:batch_new") + "?kind=consulate"
    body = client.get(url).content.decode()
    assert body.count('data-testid="candidate-row"') == 4
    assert consulate.name in body
    body = client.get(url + f"&office={rabat.pk}&nationality=SN").content.decode()
    assert 'data-testid="no-candidates"' in body


def test_draw_up_a_list_from_the_page(client, caseworker, eligible, consulate):
    family, case = eligible
    client.force_login(caseworker)
    chosen = [m.pk for m in family.members.all()]
    response = client.post(
        reverse("travel_documents:batch_new") + "?kind=consulate",
        {"recipient": consulate.pk, "members": chosen},
    )
    batch = DocumentBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("travel_documents:batch_detail", args=[batch.pk])
    assert batch.items.count() == 3


def test_list_and_detail_pages(client, caseworker, batch, django_assert_max_num_queries):
    client.force_login(caseworker)
    client.get(reverse("travel_documents:batch_list"))
    with django_assert_max_num_queries(20):
        body = client.get(reverse("travel_documents:batch_list")).content.decode()
    assert body.count('data-testid="batch-row"') == 1
    with django_assert_max_num_queries(25):
        body = client.get(
            reverse("travel_documents:batch_detail", args=[batch.pk])
        ).content.decode()
    assert body.count('data-testid="batch-item"') == 4
    assert 'data-testid="batch-send-form"' in body


def test_another_office_gets_404(client, other_office_user, batch):
    client.force_login(other_office_user)
    for name in ("batch_detail", "batch_pdf", "batch_xlsx"):
        assert client.get(reverse(f"travel_documents:{name}", args=[batch.pk])).status_code == 404
    response = client.post(reverse("travel_documents:batch_send", args=[batch.pk]), {"version": 1})
    assert response.status_code == 404


def test_mark_as_sent_shows_the_consent_error_naming_the_persons(
    client, caseworker, batch, eligible
):
    family, case = eligible
    for p in persons(family):
        consent(caseworker, family, p, Purpose.CONSULATE)
    client.force_login(caseworker)
    response = client.post(
        reverse("travel_documents:batch_send", args=[batch.pk]),
        {"sent_on": batch.created_at.date().isoformat(), "version": 1},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "no valid consent" in body and "Ousmane DIALLO" in body
    batch.refresh_from_db()
    assert batch.status == "draft" and not DataTransfer.objects.exists()
    consent(caseworker, case, persons(case)[0], Purpose.CONSULATE)
    response = client.post(
        reverse("travel_documents:batch_send", args=[batch.pk]),
        {"sent_on": batch.created_at.date().isoformat(), "version": 1},
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "sent" and DataTransfer.objects.count() == 2


def test_answer_a_person_from_the_batch_page(client, caseworker, batch, eligible):
    for c in eligible:
        for p in persons(c):
            consent(caseworker, c, p, Purpose.CONSULATE)
    services.batch_send(caseworker, batch=batch, expected_version=1)
    item = batch.items.select_related("travel_document").first()
    client.force_login(caseworker)
    body = client.get(reverse("travel_documents:batch_detail", args=[batch.pk])).content.decode()
    assert body.count('data-testid="item-answer-form"') == 4
    response = client.post(
        reverse("travel_documents:batch_answer", args=[batch.pk, item.pk]),
        {
            f"ans-{item.pk}-outcome": "issued",
            f"ans-{item.pk}-number": "LP-77",
            f"ans-{item.pk}-expires_on": IN_A_YEAR.isoformat(),
            f"ans-{item.pk}-version": item.travel_document.version,
        },
    )
    assert response.status_code == 302
    doc = TravelDocument.objects.get(pk=item.travel_document_id)
    assert doc.status == "issued" and doc.number == "LP-77"


def test_the_pdf_and_xlsx_list_the_persons_and_are_audited(client, caseworker, batch, eligible):
    family, case = eligible
    client.force_login(caseworker)
    response = client.get(reverse("travel_documents:batch_pdf", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Aminata CAMARA" in text and "Ousmane DIALLO" in text
    assert case.number in text and "Rabat" in text and "Guinea" in text
    response = client.get(reverse("travel_documents:batch_xlsx", args=[batch.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response))).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[2] == [
        "Name",
        "Sex",
        "Date of birth",
        "Place of birth",
        "Nationality",
        "Document held",
        "Case number",
        "Office",
    ]
    names = {r[0] for r in rows[3:]}
    assert names == {"Aminata CAMARA", "Son0 DIALLO", "Son1 DIALLO", "Ousmane DIALLO"}
    assert {r[6] for r in rows[3:]} == {family.number, case.number}
    printed = AuditEvent.objects.filter(action="travel_documents.batch.printed")
    assert printed.count() == 4  # two formats x two cases
    assert set(printed.values_list("case_id", flat=True)) == {family.pk, case.pk}
    assert {e.changes["format"] for e in printed} == {"pdf", "xlsx"}


def test_nav_link_for_those_who_record(client, caseworker, finance_officer):
    client.force_login(caseworker)
    assert (
        reverse("travel_documents:batch_list")
        in client.get(reverse("cases:dashboard")).content.decode()
    )
    client.force_login(finance_officer)
    assert (
        reverse("travel_documents:batch_list")
        not in client.get(reverse("cases:dashboard")).content.decode()
    )


def test_discard_a_draft_from_its_page(client, caseworker, batch):
    client.force_login(caseworker)
    page = client.get(reverse("travel_documents:batch_detail", args=[batch.pk]))
    assert 'data-testid="batch-discard-form"' in page.content.decode()
    stale = client.post(
        reverse("travel_documents:batch_discard", args=[batch.pk]), {"version": batch.version + 1}
    )
    assert stale.status_code == 409
    assert DocumentBatch.objects.filter(pk=batch.pk).exists()
    response = client.post(
        reverse("travel_documents:batch_discard", args=[batch.pk]), {"version": batch.version}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("travel_documents:batch_list")
    assert not DocumentBatch.objects.filter(pk=batch.pk).exists()
