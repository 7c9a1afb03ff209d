import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awda.assistance.models import AssistanceLine, Distribution
from awda.assistance.services import RECEIPT_PRINTED
from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of

from ..helpers import PDF, pdf_text, persons, principal, record


def url(case, suffix=""):
    return f"/api/v1/cases/{case.pk}/assistance/{suffix}"


def test_create_and_list_lines(caseworker, finance_officer, funded_case, hotel):
    body = {
        "person": principal(funded_case).pk,
        "kind": "accommodation",
        "place": "Hôtel Al Amal",
        "nights": 3,
        "provider": hotel.pk,
        "unit_cost": "120.00",
        "currency": "MAD",
    }
    created = api_client(caseworker).post(url(funded_case), body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["total"] == "360.00" and data["quantity"] == "3.00" and data["unit"] == "night"
    assert data["project"]["code"] == "AVRR-MA-SEM" and data["provider"]["id"] == hotel.pk
    listed = api_client(finance_officer).get(url(funded_case))
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [data["id"]]
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=finance_officer, changes__part="assistance"
    ).exists()


def test_create_errors_and_denials(caseworker, finance_officer, other_office_user, funded_case):
    body = {"person": principal(funded_case).pk, "kind": "food", "unit_cost": "1"}
    response = api_client(caseworker).post(url(funded_case), body, format="json")
    assert response.status_code == 400
    assert {"description", "quantity"} <= set(error_of(response)["fields"])
    full = body | {"description": "Bread", "quantity": "1"}
    response = api_client(finance_officer).post(url(funded_case), full, format="json")
    assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"
    assert api_client(other_office_user).get(url(funded_case)).status_code == 404
    assert not AssistanceLine.objects.exists()


def test_cancel_with_version(caseworker, funded_case):
    line = record(caseworker, funded_case)
    client = api_client(caseworker)
    stale = client.post(url(funded_case, f"{line.pk}/cancel/"), {"reason": "x", "version": 3})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_edit"
    done = client.post(url(funded_case, f"{line.pk}/cancel/"), {"reason": "Twice", "version": 1})
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "cancelled" and done.json()["receipt_pdf_url"] is None
    summary = client.get(url(funded_case, "summary/")).json()
    assert summary["line_count"] == 0 and summary["cancelled_count"] == 1


def test_summary_totals(caseworker, family):
    mother, child, _ = persons(family)
    record(caseworker, family, person=mother, unit_cost="10.10")
    record(
        caseworker,
        family,
        person=child,
        kind="cash",
        description="Pocket money",
        quantity=1,
        unit_cost="30",
        currency="EUR",
    )
    data = api_client(caseworker).get(url(family, "summary/")).json()
    assert data["totals"] == [
        {"currency": "EUR", "amount": "30.00"},
        {"currency": "MAD", "amount": "20.20"},
    ]
    assert {k["kind"]: k["persons"] for k in data["kinds"]} == {"cash": 1, "food": 1}
    assert data["persons"] == 2 and len(data["by_person"]) == 2


def test_receipt_pdf_and_signed_copy(caseworker, funded_case):
    line = record(caseworker, funded_case)
    client = api_client(caseworker)
    pdf = client.get(url(funded_case, f"{line.pk}/receipt/"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "300.00 MAD" in pdf_text(pdf.content)
    assert AuditEvent.objects.filter(action=RECEIPT_PRINTED).count() == 1
    person = client.get(url(funded_case, f"persons/{principal(funded_case).pk}/receipt/"))
    assert person.status_code == 200
    upload = SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")
    done = client.post(url(funded_case, f"{line.pk}/signed-receipt/"), {"file": upload})
    assert done.status_code == 201, done.json()
    download = done.json()["receipt"]["download_url"]
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_distribution_create_list_detail(caseworker, other_office_user, family, case, rabat):
    client = api_client(caseworker)
    body = {
        "office": rabat.pk,
        "kind": "food",
        "description": "Food basket",
        "quantity": "1",
        "unit_cost": "200",
        "currency": "MAD",
        "recipients": [{"case": family.pk, "person": p.pk} for p in persons(family)]
        + [{"case": case.pk, "person": principal(case).pk}],
    }
    refused = client.post("/api/v1/assistance/distributions/", body, format="json")
    assert refused.status_code == 400
    err = error_of(refused)
    assert "recipients.3.project" in err["fields"] and err["details"]["rows"][0]["row"] == 4
    assert not Distribution.objects.exists()

    body["recipients"] = body["recipients"][:3]
    created = client.post("/api/v1/assistance/distributions/", body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert len(data["lines"]) == 3 and data["recipient_count"] == 3
    assert client.get("/api/v1/assistance/distributions/").json()["results"][0]["id"] == data["id"]
    detail = client.get(f"/api/v1/assistance/distributions/{data['id']}/")
    assert detail.status_code == 200 and detail.json()["lines"][0]["case_number"] == family.number
    sheet = client.get(f"/api/v1/assistance/distributions/{data['id']}/sheet/")
    assert sheet.status_code == 200 and "Aminata CAMARA" in pdf_text(sheet.content)
    other = api_client(other_office_user)
    assert other.get(f"/api/v1/assistance/distributions/{data['id']}/").status_code == 404
    assert other.post("/api/v1/assistance/distributions/", body, format="json").status_code == 403


def test_the_endpoints_are_in_the_schema(caseworker):
    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/cases/{case_pk}/assistance/",
        "/api/v1/cases/{case_pk}/assistance/{line_pk}/cancel/",
        "/api/v1/cases/{case_pk}/assistance/{line_pk}/receipt/",
        "/api/v1/cases/{case_pk}/assistance/{line_pk}/signed-receipt/",
        "/api/v1/assistance/distributions/",
        "/api/v1/assistance/distributions/{distribution_pk}/",
        "/api/v1/assistance/distributions/{distribution_pk}/sheet/",
    ):
        assert path in paths, path
    assert "AssistanceKindEnum" in schema["components"]["schemas"]


def test_ids_too_large_for_the_database_are_field_errors(caseworker, funded_case, rabat):
    huge = 10**20
    line = {"person": huge, "kind": "food", "description": "Bread", "quantity": "1"}
    response = api_client(caseworker).post(url(funded_case), line | {"unit_cost": "1"})
    assert response.status_code == 400 and "person" in error_of(response)["fields"]
    body = {
        "office": rabat.pk,
        "kind": "food",
        "description": "Bread",
        "quantity": "1",
        "unit_cost": "1",
        "currency": "MAD",
        "recipients": [{"case": huge, "person": principal(funded_case).pk}],
    }
    response = api_client(caseworker).post("/api/v1/assistance/distributions/", body, format="json")
    assert response.status_code == 400 and "recipients.0.case" in error_of(response)["fields"]
    assert not Distribution.objects.exists() and not AssistanceLine.objects.exists()


@pytest.mark.parametrize("office", ["x", "²", "-1"])
def test_an_invalid_office_filter_is_a_field_error(caseworker, office):
    response = api_client(caseworker).get("/api/v1/assistance/distributions/", {"office": office})
    assert response.status_code == 400 and "office" in error_of(response)["fields"]
