import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.reintegration.delivery import services
from awda.reintegration.models import CashTranche, DeliveryDocument, Purchase, Referral

from ..helpers import PDF, fresh, order, pdf_text, principal, tranche

TODAY = datetime.date.today().isoformat()


def body(supplier, **overrides):
    data = {
        "supplier": supplier.pk,
        "invoice_number": "F-99",
        "lines": [
            {"description": "Underwear", "quantity": "40", "unit": "piece", "unit_price": "1.35"},
            {"description": "Cooler", "quantity": 3, "unit": "piece", "unit_price": "33.335"},
        ],
    }
    data.update(overrides)
    return data


def test_create_list_and_read_a_purchase(
    origin_officer, finance_officer, reint_case, plan, supplier
):
    client = api_client(origin_officer)
    url = f"/api/v1/cases/{reint_case.pk}/purchases/"
    refused = client.post(url, body(supplier), format="json")
    assert refused.status_code == 400
    assert set(error_of(refused)["fields"]) == {"lines[1].unit_price"}
    lines = body(supplier)["lines"]
    lines[1]["unit_price"] = "33.33"
    created = client.post(url, body(supplier, lines=lines), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    # 40 x 1.35 = 54.00; 3 x 33.33 = 99.99
    assert [ln["total"] for ln in data["lines"]] == ["54.00", "99.99"]
    assert data["total"] == "153.99" and data["currency"] == "EUR" and data["status"] == "ordered"
    assert data["project"]["code"] == "AVRR-MA-SEM" and data["version"] == 1
    listed = api_client(finance_officer).get(url)
    assert listed.status_code == 200 and [r["id"] for r in listed.json()["results"]] == [data["id"]]
    detail = api_client(finance_officer).get(f"/api/v1/reintegration/purchases/{data['id']}/")
    assert detail.status_code == 200 and detail.json()["supplier"]["id"] == supplier.pk
    assert (
        AuditEvent.objects.filter(
            action="cases.case.viewed", actor=finance_officer, changes__part="delivery"
        ).count()
        == 2
    )


def test_deliver_acknowledge_cancel_and_stale_versions(origin_officer, reint_case, plan, supplier):
    client = api_client(origin_officer)
    purchase = order(origin_officer, reint_case, supplier)
    url = f"/api/v1/reintegration/purchases/{purchase.pk}/"
    stale = client.post(url + "deliver/", {"delivered_on": TODAY, "version": 4}, format="json")
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_edit"
    done = client.post(url + "deliver/", {"delivered_on": TODAY, "version": 1}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "delivered"
    ack = client.post(url + "acknowledge/", {"acknowledged_on": TODAY, "version": 2}, format="json")
    assert ack.status_code == 200 and ack.json()["acknowledged_on"] == TODAY
    cancel = client.post(url + "cancel/", {"reason": "x", "version": 3}, format="json")
    assert cancel.status_code == 400 and error_of(cancel)["code"] == "purchase_status"
    other = order(origin_officer, reint_case, supplier)
    cancel = client.post(
        f"/api/v1/reintegration/purchases/{other.pk}/cancel/",
        {"reason": "Out of stock", "version": 1},
        format="json",
    )
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    assert cancel.json()["acknowledgement_pdf_url"] is None


def test_documents_upload_download_and_pdf(origin_officer, caseworker, reint_case, plan, supplier):
    client = api_client(origin_officer)
    purchase = order(origin_officer, reint_case, supplier)
    url = f"/api/v1/reintegration/purchases/{purchase.pk}/documents/"
    bad = client.post(url, {"kind": "invoice", "file": SimpleUploadedFile("a.pdf", b"not a pdf")})
    assert bad.status_code == 400 and "file" in error_of(bad)["fields"]
    denied = api_client(caseworker).post(
        url, {"kind": "invoice", "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert denied.status_code == 403 and not DeliveryDocument.objects.exists()
    done = client.post(url, {"kind": "invoice", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert done.status_code == 201, done.json()
    download = api_client(caseworker).get(done.json()["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action=services.DOCUMENT_DOWNLOADED, actor=caseworker).exists()
    pdf = client.get(f"/api/v1/reintegration/purchases/{purchase.pk}/acknowledgement/")
    assert pdf.status_code == 200 and "Boutique Kaloum" in pdf_text(pdf.content)


@pytest.mark.parametrize("persona", ["caseworker", "finance_officer", "manager"])
def test_host_staff_may_view_not_record(
    request, persona, origin_officer, reint_case, plan, supplier, clinic
):
    purchase = order(origin_officer, reint_case, supplier)
    row = tranche(origin_officer, reint_case)
    client = api_client(request.getfixturevalue(persona))
    version = fresh(reint_case).version
    assert client.get(f"/api/v1/cases/{reint_case.pk}/purchases/").status_code == 200
    assert client.get(f"/api/v1/cases/{reint_case.pk}/tranches/").status_code == 200
    writes = [
        (f"/api/v1/cases/{reint_case.pk}/purchases/", body(supplier)),
        (
            f"/api/v1/reintegration/purchases/{purchase.pk}/deliver/",
            {"delivered_on": TODAY, "version": 1},
        ),
        (f"/api/v1/reintegration/purchases/{purchase.pk}/cancel/", {"reason": "x", "version": 1}),
        (
            f"/api/v1/cases/{reint_case.pk}/tranches/",
            {"person": principal(reint_case).pk, "amount": "5", "channel": "cash"},
        ),
        (f"/api/v1/reintegration/tranches/{row.pk}/pay/", {"paid_on": TODAY, "version": 1}),
        (
            f"/api/v1/cases/{reint_case.pk}/referrals/",
            {
                "person": principal(reint_case).pk,
                "organisation": clinic.pk,
                "kind": "medical",
                "service": "X",
            },
        ),
    ]
    for url, data in writes:
        response = client.post(url, data, format="json")
        assert response.status_code == 403, url
    purchase.refresh_from_db()
    row.refresh_from_db()
    assert purchase.status == "ordered" and purchase.version == 1 and Purchase.objects.count() == 1
    assert row.status == "planned" and CashTranche.objects.count() == 1
    assert not Referral.objects.exists() and fresh(reint_case).version == version


def test_other_mission_gets_404_everywhere(
    senegal_officer, origin_officer, reint_case, plan, supplier
):
    purchase = order(origin_officer, reint_case, supplier)
    row = tranche(origin_officer, reint_case)
    client = api_client(senegal_officer)
    assert client.get(f"/api/v1/cases/{reint_case.pk}/purchases/").status_code == 404
    assert client.get(f"/api/v1/reintegration/purchases/{purchase.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/reintegration/purchases/{purchase.pk}/deliver/",
        {"delivered_on": TODAY, "version": 1},
        format="json",
    )
    assert response.status_code == 404
    response = client.post(
        f"/api/v1/reintegration/tranches/{row.pk}/pay/",
        {"paid_on": TODAY, "version": 1},
        format="json",
    )
    assert response.status_code == 404
    purchase.refresh_from_db()
    row.refresh_from_db()
    assert purchase.status == "ordered" and row.status == "planned"


def test_tranches_referrals_and_totals(origin_officer, reint_case, plan, clinic):
    client = api_client(origin_officer)
    person = principal(reint_case).pk
    created = client.post(
        f"/api/v1/cases/{reint_case.pk}/tranches/",
        {"person": person, "amount": "242.55", "channel": "mobile_money"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    tid = created.json()["id"]
    paid = client.post(
        f"/api/v1/reintegration/tranches/{tid}/pay/",
        {"paid_on": TODAY, "reference": "OM-1", "version": 1},
        format="json",
    )
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    second = client.post(
        f"/api/v1/cases/{reint_case.pk}/tranches/",
        {"person": person, "amount": "10.01", "channel": "cash"},
        format="json",
    ).json()
    cancelled = client.post(
        f"/api/v1/reintegration/tranches/{second['id']}/cancel/",
        {"reason": "Duplicate", "version": 1},
        format="json",
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    referral = client.post(
        f"/api/v1/cases/{reint_case.pk}/referrals/",
        {
            "person": person,
            "organisation": clinic.pk,
            "kind": "medical",
            "service": "Consultation",
            "cost": "12.34",
        },
        format="json",
    )
    assert referral.status_code == 201, referral.json()
    rid = referral.json()["id"]
    assert referral.json()["project"]["code"] == "AVRR-MA-SEM"
    stale = client.patch(
        f"/api/v1/reintegration/referrals/{rid}/",
        {"status": "accepted", "version": 3},
        format="json",
    )
    assert stale.status_code == 409
    no_version = client.patch(
        f"/api/v1/reintegration/referrals/{rid}/", {"status": "accepted"}, format="json"
    )
    assert no_version.status_code == 400
    updated = client.patch(
        f"/api/v1/reintegration/referrals/{rid}/",
        {"status": "completed", "outcome": "Seen", "version": 1},
        format="json",
    )
    assert updated.status_code == 200 and updated.json()["status"] == "completed"
    totals = client.get(f"/api/v1/cases/{reint_case.pk}/delivery/totals/").json()
    assert totals["currencies"] == [
        {"currency": "EUR", "committed": "0.00", "spent": "254.89", "total": "254.89"}
    ]
    assert totals["plan_total"] == "485.00" and totals["plan_remaining"] == "230.11"
    assert totals["over_plan"] is False
    bad_person = client.post(
        f"/api/v1/cases/{reint_case.pk}/tranches/",
        {"person": 999999, "amount": "1", "channel": "cash"},
        format="json",
    )
    assert bad_person.status_code == 400 and "person" in error_of(bad_person)["fields"]


def test_the_endpoints_are_in_the_schema(origin_officer):
    from openapi_spec_validator import validate

    schema = api_client(origin_officer).get("/api/schema/", {"format": "json"}).json()
    validate(schema)
    paths = schema["paths"]
    for path in (
        "/api/v1/cases/{case_pk}/purchases/",
        "/api/v1/cases/{case_pk}/tranches/",
        "/api/v1/cases/{case_pk}/referrals/",
        "/api/v1/cases/{case_pk}/delivery/totals/",
        "/api/v1/reintegration/purchases/{purchase_pk}/",
        "/api/v1/reintegration/purchases/{purchase_pk}/deliver/",
        "/api/v1/reintegration/purchases/{purchase_pk}/acknowledge/",
        "/api/v1/reintegration/purchases/{purchase_pk}/cancel/",
        "/api/v1/reintegration/purchases/{purchase_pk}/documents/",
        "/api/v1/reintegration/purchases/{purchase_pk}/documents/{document_pk}/",
        "/api/v1/reintegration/purchases/{purchase_pk}/acknowledgement/",
        "/api/v1/reintegration/tranches/{tranche_pk}/pay/",
        "/api/v1/reintegration/tranches/{tranche_pk}/cancel/",
        "/api/v1/reintegration/referrals/{referral_pk}/",
    ):
        assert path in paths, path
    assert "patch" in paths["/api/v1/reintegration/referrals/{referral_pk}/"]
