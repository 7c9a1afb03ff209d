from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awda.assistance.models import AssistanceLine, SignedReceipt
from awda.assistance.services import (
    RECEIPT_DOWNLOADED,
    RECEIPT_PRINTED,
    assistance_receipt_attach,
)
from awda.audit.models import AuditEvent
from awda.cases.models import Case

from ..helpers import PDF, fresh, pdf_text, persons, principal, record


def tab_url(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=assistance"


def body_of(client, case):
    response = client.get(tab_url(case))
    assert response.status_code == 200
    return response.content.decode()


def line_data(case, project, **overrides):
    data = {
        "line-person": principal(case).pk,
        "line-kind": "food",
        "line-start_date": "",
        "line-description": "Food basket",
        "line-quantity": "2",
        "line-unit": "",
        "line-unit_cost": "150.00",
        "line-currency": "MAD",
        "line-project": project.pk,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "persona", ["caseworker", "manager", "medical_officer", "movement_officer", "finance_officer"]
)
def test_the_tab_renders_for_case_roles_and_the_read_is_audited(
    request, client, persona, caseworker, funded_case
):
    record(caseworker, funded_case, description="Couscous and tea")
    user = request.getfixturevalue(persona)
    client.force_login(user)
    body = body_of(client, funded_case)
    assert 'data-testid="tab-assistance"' in body and 'data-testid="assistance-tab"' in body
    assert "Couscous and tea" in body and "300.00 MAD" in body
    may_record = persona in ("caseworker", "manager", "medical_officer")
    assert ('data-testid="line-form"' in body) is may_record
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=user, changes__part="assistance"
    ).exists()


def test_another_office_gets_404(client, other_office_user, funded_case):
    client.force_login(other_office_user)
    assert client.get(tab_url(funded_case)).status_code == 404
    url = reverse("assistance:line_record", args=[funded_case.pk])
    assert client.post(url, {}).status_code == 404


def test_the_tab_needs_a_fixed_number_of_queries(client, caseworker, family, hotel):
    def count():
        client.force_login(caseworker)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(tab_url(family)).status_code == 200
        return len(ctx.captured_queries)

    record(caseworker, family, provider=hotel)
    few = count()
    for person in persons(family):
        for _ in range(6):
            record(caseworker, family, person=person, provider=hotel)
    assert count() == few


def test_recording_a_line_from_the_tab(client, caseworker, funded_case, project):
    client.force_login(caseworker)
    url = reverse("assistance:line_record", args=[funded_case.pk])
    response = client.post(url, line_data(funded_case, project))
    assert response.status_code == 302 and response.url.endswith("?tab=assistance")
    line = AssistanceLine.objects.get()
    assert line.total == Decimal("300.00") and line.unit == "meal"


def test_errors_come_back_on_the_tab(client, caseworker, funded_case, foreign_project, project):
    client.force_login(caseworker)
    url = reverse("assistance:line_record", args=[funded_case.pk])
    response = client.post(url, line_data(funded_case, project, **{"line-description": ""}))
    assert response.status_code == 400
    assert "Describe what was given." in response.content.decode()
    assert not AssistanceLine.objects.exists()


def test_a_departed_case_shows_why_no_line_can_be_recorded(client, caseworker, funded_case):
    Case.objects.filter(pk=funded_case.pk).update(status="departed")
    client.force_login(caseworker)
    body = body_of(client, funded_case)
    assert 'data-testid="assistance-refused"' in body and 'data-testid="line-form"' not in body


def test_movement_officer_may_not_record(client, movement_officer, funded_case, project):
    client.force_login(movement_officer)
    url = reverse("assistance:line_record", args=[funded_case.pk])
    assert client.post(url, line_data(funded_case, project)).status_code == 403
    assert not AssistanceLine.objects.exists()


def test_cancel_from_the_tab(client, caseworker, funded_case):
    line = record(caseworker, funded_case)
    client.force_login(caseworker)
    url = reverse("assistance:line_cancel", args=[funded_case.pk, line.pk])
    stale = client.post(url, {f"cancel-{line.pk}-reason": "Twice", f"cancel-{line.pk}-version": 9})
    assert stale.status_code == 302
    line.refresh_from_db()
    assert line.status == "recorded"
    client.post(url, {f"cancel-{line.pk}-reason": "Twice", f"cancel-{line.pk}-version": 1})
    line.refresh_from_db()
    assert line.status == "cancelled"
    body = body_of(client, funded_case)
    assert 'data-status="cancelled"' in body and "Twice" in body


def test_receipt_pdf_of_a_line_and_of_a_person(client, caseworker, funded_case):
    a = record(caseworker, funded_case, description="Food basket")
    record(
        caseworker,
        funded_case,
        kind="psychosocial",
        description="Counselling",
        quantity=1,
        unit_cost="0",
    )
    client.force_login(caseworker)
    one = client.get(reverse("assistance:line_receipt", args=[funded_case.pk, a.pk]))
    assert one["Content-Type"] == "application/pdf"
    text = pdf_text(one.content)
    assert "Ousmane DIALLO" in text and "300.00 MAD" in text and "Counselling" not in text
    person = principal(funded_case)
    both = client.get(reverse("assistance:person_receipt", args=[funded_case.pk, person.pk]))
    assert "Counselling" in pdf_text(both.content)
    assert AuditEvent.objects.filter(action=RECEIPT_PRINTED, actor=caseworker).count() == 2


def test_upload_and_download_the_signed_copy(client, caseworker, other_office_user, funded_case):
    line = record(caseworker, funded_case)
    client.force_login(caseworker)
    url = reverse("assistance:line_receipt_upload", args=[funded_case.pk, line.pk])
    upload = SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"file": upload}).status_code == 302
    receipt = SignedReceipt.objects.get()
    download = reverse("assistance:receipt_download", args=[funded_case.pk, receipt.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action=RECEIPT_DOWNLOADED, case_id=funded_case.pk).exists()
    client.force_login(other_office_user)
    assert client.get(download).status_code == 404


def test_person_upload_covers_the_lines_not_signed_yet(client, caseworker, funded_case):
    signed = record(caseworker, funded_case)
    assistance_receipt_attach(
        caseworker, case=fresh(funded_case), lines=[signed], file=SimpleUploadedFile("a.pdf", PDF)
    )
    new = record(caseworker, funded_case)
    client.force_login(caseworker)
    person = principal(funded_case)
    url = reverse("assistance:person_receipt_upload", args=[funded_case.pk, person.pk])
    client.post(url, {"file": SimpleUploadedFile("b.pdf", PDF)})
    signed.refresh_from_db()
    new.refresh_from_db()
    assert new.receipt is not None and new.receipt != signed.receipt


def test_the_timeline_labels_the_ledger_events(client, caseworker, funded_case):
    record(caseworker, funded_case)
    client.force_login(caseworker)
    body = client.get(tab_url(funded_case).replace("assistance", "timeline")).content.decode()
    assert "Assistance recorded" in body and "300.00 MAD" in body and "Food" in body
