import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.factories import bring_case_to
from awda.movements.traveldocs import selectors, services
from awda.movements.traveldocs.models import DocumentBatch, TravelDocument
from awda.screening.consent.choices import Purpose
from awda.screening.consent.models import DataTransfer

from ..helpers import IN_A_YEAR, TODAY, consent, fresh, persons, principal


def url(case, resource, suffix=""):
    return f"/api/v1/cases/{case.pk}/{resource}/{suffix}"


def test_record_list_update_and_cancel_a_passport(caseworker, movement_officer, case):
    body = {
        "person": principal(case).pk,
        "kind": "passport",
        "number": "P42",
        "issuing_country": "GIN",
        "expires_on": IN_A_YEAR.isoformat(),
    }
    created = api_client(caseworker).post(url(case, "travel-documents"), body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["status"], data["issuing_country"], data["version"]) == ("issued", "GN", 1)
    listed = api_client(movement_officer).get(url(case, "travel-documents"))
    assert [r["id"] for r in listed.json()["results"]] == [data["id"]]
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=movement_officer, changes__part="travel_documents"
    ).exists()
    patched = api_client(caseworker).patch(
        url(case, "travel-documents", f"{data['id']}/"),
        {"number": "P43", "version": 1},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["number"] == "P43"
    stale = api_client(caseworker).patch(
        url(case, "travel-documents", f"{data['id']}/"),
        {"status": "cancelled", "version": 1},
        format="json",
    )
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_edit"
    missing_version = api_client(caseworker).patch(
        url(case, "travel-documents", f"{data['id']}/"), {"number": "P9"}, format="json"
    )
    assert missing_version.status_code == 400


def test_request_and_answer_a_laissez_passer(caseworker, case, consulate):
    created = api_client(caseworker).post(
        url(case, "travel-documents"),
        {
            "person": principal(case).pk,
            "kind": "laissez_passer",
            "status": "requested",
            "consulate": consulate.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    doc_id = created.json()["id"]
    answered = api_client(caseworker).post(
        url(case, "travel-documents", f"{doc_id}/answer/"),
        {"outcome": "issued", "number": "LP-1", "expires_on": IN_A_YEAR.isoformat(), "version": 1},
        format="json",
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "issued" and answered.json()["number"] == "LP-1"


def test_exit_authorisation_request_answer_and_update(caseworker, case, authority):
    created = api_client(caseworker).post(
        url(case, "exit-authorisations"),
        {"person": principal(case).pk, "authority": authority.pk},
        format="json",
    )
    assert created.status_code == 201, created.json()
    auth_id = created.json()["id"]
    answered = api_client(caseworker).post(
        url(case, "exit-authorisations", f"{auth_id}/answer/"),
        {"outcome": "granted", "reference": "AS-9", "version": 1},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "granted"
    patched = api_client(caseworker).patch(
        url(case, "exit-authorisations", f"{auth_id}/"),
        {"notes": "seen", "version": 2},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["notes"] == "seen"
    listed = api_client(caseworker).get(url(case, "exit-authorisations"))
    assert listed.json()["results"][0]["reference"] == "AS-9"


def test_denials_and_scope(finance_officer, other_office_user, case):
    body = {"person": principal(case).pk, "number": "P1", "expires_on": IN_A_YEAR.isoformat()}
    denied = api_client(finance_officer).post(url(case, "travel-documents"), body, format="json")
    assert denied.status_code == 403
    assert api_client(finance_officer).get(url(case, "travel-documents")).status_code == 403
    hidden = api_client(other_office_user).get(url(case, "travel-documents"))
    assert hidden.status_code == 404
    assert not TravelDocument.objects.exists()


@pytest.fixture
def eligible(caseworker, manager, family, case):
    for c in (family, case):
        bring_case_to(c, "eligible", caseworker=caseworker, manager=manager)
    return fresh(family), fresh(case)


def test_batch_create_send_answer_and_print(
    caseworker, other_office_user, eligible, consulate, rabat
):
    family, case = eligible
    members = [
        m.pk for m in selectors.batch_candidates(caseworker, kind="consulate", office_id=rabat.pk)
    ]
    client = api_client(caseworker)
    created = client.post(
        "/api/v1/travel-document-batches/",
        {"kind": "consulate", "recipient": consulate.pk, "office": rabat.pk, "members": members},
        format="json",
    )
    assert created.status_code == 201, created.json()
    batch = created.json()
    assert batch["status"] == "draft" and len(batch["items"]) == 4
    send_url = f"/api/v1/travel-document-batches/{batch['id']}/send/"
    refused = client.post(send_url, {"version": 1}, format="json")
    assert refused.status_code == 400
    error = error_of(refused)
    assert error["code"] == "consent_missing" and "Ousmane DIALLO" in error["message"]
    assert not DataTransfer.objects.exists()
    for c in (family, case):
        for p in persons(c):
            consent(caseworker, c, p, Purpose.CONSULATE)
    sent = client.post(send_url, {"version": 1, "sent_on": TODAY.isoformat()}, format="json")
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "sent" and DataTransfer.objects.count() == 2
    item = sent.json()["items"][0]
    answered = client.post(
        f"/api/v1/travel-document-batches/{batch['id']}/items/{item['id']}/answer/",
        {
            "outcome": "refused",
            "reason": "Not known",
            "version": item["travel_document"]["version"],
        },
        format="json",
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["answered"] is True
    pdf = client.get(f"/api/v1/travel-document-batches/{batch['id']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Ousmane DIALLO" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    xlsx = client.get(f"/api/v1/travel-document-batches/{batch['id']}/xlsx/")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3 + 4
    assert AuditEvent.objects.filter(action="travel_documents.batch.printed").count() == 4
    listed = client.get("/api/v1/travel-document-batches/")
    assert [b["id"] for b in listed.json()["results"]] == [batch["id"]]
    other = api_client(other_office_user)
    assert other.get(f"/api/v1/travel-document-batches/{batch['id']}/").status_code == 404
    assert other.get("/api/v1/travel-document-batches/").json()["results"] == []
    assert DocumentBatch.objects.get().status == "sent"


def test_ids_too_large_for_the_database_are_field_errors(caseworker, eligible, authority, rabat):
    family, case = eligible
    huge = 10**20
    client = api_client(caseworker)
    for resource, body in [
        ("travel-documents", {"person": huge, "number": "P1", "expires_on": str(IN_A_YEAR)}),
        ("exit-authorisations", {"person": huge, "authority": authority.pk}),
    ]:
        response = client.post(url(case, resource), body, format="json")
        assert response.status_code == 400 and "person" in error_of(response)["fields"]
    response = client.post(
        "/api/v1/travel-document-batches/",
        {"kind": "authority", "recipient": authority.pk, "office": rabat.pk, "members": [huge]},
        format="json",
    )
    assert response.status_code == 400 and "members.0" in error_of(response)["fields"]
    assert not TravelDocument.objects.exists() and not DocumentBatch.objects.exists()


def test_batch_detail_queries_do_not_grow_with_the_persons(
    caseworker, eligible, consulate, rabat, django_assert_max_num_queries
):
    family, case = eligible
    batch = services.batch_create(
        caseworker,
        kind="consulate",
        recipient=consulate,
        office=rabat,
        members=list(selectors.batch_candidates(caseworker, kind="consulate", office_id=rabat.pk)),
    )
    for c in (family, case):
        for p in persons(c):
            consent(caseworker, c, p, Purpose.CONSULATE)
    services.batch_send(caseworker, batch=batch, expected_version=batch.version)
    client = api_client(caseworker)
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/travel-document-batches/{batch.pk}/")
    items = response.json()["items"]
    assert len(items) == 4
    assert {i["travel_document"]["consulate"]["id"] for i in items} == {consulate.pk}


def test_discard_a_draft_through_the_api(caseworker, other_office_user, eligible, consulate, rabat):
    members = list(selectors.batch_candidates(caseworker, kind="consulate", office_id=rabat.pk))
    batch = services.batch_create(
        caseworker, kind="consulate", recipient=consulate, office=rabat, members=members
    )
    url_ = f"/api/v1/travel-document-batches/{batch.pk}/"
    assert api_client(other_office_user).delete(f"{url_}?version=1").status_code == 404
    missing = api_client(caseworker).delete(url_)
    assert missing.status_code == 400 and "version" in error_of(missing)["fields"]
    assert api_client(caseworker).delete(f"{url_}?version=2").status_code == 409
    assert api_client(caseworker).delete(f"{url_}?version=1").status_code == 204
    assert not DocumentBatch.objects.exists()
