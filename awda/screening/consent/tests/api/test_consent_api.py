import datetime

from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.screening.consent import services
from awda.screening.consent.choices import Purpose
from awda.screening.consent.models import Consent, DataTransfer

from ..conftest import persons_of


def consents_url(case):
    return f"/api/v1/cases/{case.pk}/consents/"


def withdraw_url(case, consent):
    return f"/api/v1/cases/{case.pk}/consents/{consent.pk}/withdraw/"


def transfers_url(case):
    return f"/api/v1/cases/{case.pk}/transfers/"


def test_create_list_and_withdraw_a_consent(caseworker, case):
    person = persons_of(case)[0]
    client = api_client(caseworker)
    created = client.post(
        consents_url(case),
        {"person": person.pk, "purpose": "consulate", "language": "ff", "notes": "leaflet"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["person"] == {"id": person.pk, "full_name": person.full_name}
    assert data["purpose"] == "consulate" and data["given"] is True and data["valid"] is True
    assert data["given_on"] == timezone.localdate().isoformat()
    assert data["taken_by"]["username"] == caseworker.username
    assert data["withdrawn_on"] is None and data["withdrawn_by"] is None

    listed = client.get(consents_url(case))
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [data["id"]]
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", case_id=case.pk, changes__part="consent"
    ).exists()

    consent = Consent.objects.get()
    withdrawn = client.post(withdraw_url(case, consent), {"reason": "By phone"}, format="json")
    assert withdrawn.status_code == 200, withdrawn.json()
    assert withdrawn.json()["valid"] is False
    assert withdrawn.json()["withdrawn_by"]["username"] == caseworker.username
    again = client.post(withdraw_url(case, consent), {"reason": "again"}, format="json")
    assert again.status_code == 400 and error_of(again)["code"] == "already_withdrawn"


def test_minor_without_guardian_is_400_with_fields(caseworker, family):
    child = persons_of(family)[1]
    response = api_client(caseworker).post(
        consents_url(family),
        {"person": child.pk, "purpose": "avrr", "language": "fr"},
        format="json",
    )
    assert response.status_code == 400
    err = error_of(response)
    assert err["code"] == "validation_error"
    assert set(err["fields"]) == {"guardian_name", "guardian_relationship"}
    assert not Consent.objects.exists()


def test_invalid_bodies_are_400(caseworker, case, family):
    client = api_client(caseworker)
    person = persons_of(case)[0]
    response = client.post(consents_url(case), {"person": person.pk}, format="json")
    assert response.status_code == 400
    assert {"purpose", "language"} <= set(error_of(response)["fields"])
    outsider = persons_of(family)[0]
    response = client.post(
        consents_url(case),
        {"person": outsider.pk, "purpose": "avrr", "language": "fr"},
        format="json",
    )
    assert response.status_code == 400 and "person" in error_of(response)["fields"]
    response = client.post(
        consents_url(case),
        {
            "person": person.pk,
            "purpose": "avrr",
            "language": "fr",
            "given_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400 and "given_on" in error_of(response)["fields"]
    assert not Consent.objects.exists()


def test_withdrawing_a_consent_outside_the_case_is_404(caseworker, case, family, give):
    consent = give(caseworker, family, persons_of(family)[0])
    response = api_client(caseworker).post(withdraw_url(case, consent), {"reason": "r"})
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    response = api_client(caseworker).post(
        f"/api/v1/cases/{case.pk}/consents/999999/withdraw/", {"reason": "r"}
    )
    assert response.status_code == 404


def test_transfer_refused_without_consent_then_recorded(caseworker, family, give):
    mother, child = persons_of(family)
    give(caseworker, family, mother, purpose=Purpose.CONSULATE)
    client = api_client(caseworker)
    body = {
        "persons": [mother.pk, child.pk],
        "recipient": "Consulate of Guinea",
        "purpose": "consulate",
        "categories": ["identity", "documents"],
    }
    refused = client.post(transfers_url(family), body, format="json")
    assert refused.status_code == 400
    err = error_of(refused)
    assert err["code"] == "consent_missing"
    assert "Ibrahima CAMARA" in err["message"]
    assert err["details"] == {"missing": [{"person": child.pk, "purpose": "consulate"}]}
    assert not DataTransfer.objects.exists()
    assert not AuditEvent.objects.filter(action=services.TRANSFER_RECORDED).exists()

    consent = give(caseworker, family, child, purpose=Purpose.CONSULATE)
    created = client.post(transfers_url(family), body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert {p["id"] for p in data["persons"]} == {mother.pk, child.pk}
    assert consent.pk in data["consents"] and len(data["consents"]) == 2
    assert data["categories"] == ["identity", "documents"]

    listed = client.get(transfers_url(family))
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [data["id"]]
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", case_id=family.pk, changes__part="transfers"
    ).exists()


def test_transfer_bad_body_is_400(caseworker, case):
    response = api_client(caseworker).post(
        transfers_url(case),
        {"persons": [], "recipient": "", "purpose": "x", "categories": ["bank"]},
        format="json",
    )
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"persons", "recipient", "purpose", "categories.0"}


def test_permission_denials(
    caseworker, finance_officer, movement_officer, other_office_user, case, give
):
    person = persons_of(case)[0]
    consent = give(caseworker, case, person, purpose=Purpose.CONSULATE)
    consent_body = {"person": person.pk, "purpose": "avrr", "language": "fr"}
    transfer_body = {
        "persons": [person.pk],
        "recipient": "Consulate",
        "purpose": "consulate",
        "categories": ["identity"],
    }
    finance = api_client(finance_officer)
    assert finance.get(consents_url(case)).status_code == 403
    assert finance.get(transfers_url(case)).status_code == 403
    response = finance.post(consents_url(case), consent_body, format="json")
    assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"
    assert finance.post(transfers_url(case), transfer_body, format="json").status_code == 403
    assert finance.post(withdraw_url(case, consent), {"reason": "r"}).status_code == 403

    movement = api_client(movement_officer)
    assert movement.get(consents_url(case)).status_code == 200
    assert movement.get(transfers_url(case)).status_code == 403
    assert movement.post(consents_url(case), consent_body, format="json").status_code == 403
    assert movement.post(transfers_url(case), transfer_body, format="json").status_code == 201

    other = api_client(other_office_user)
    for response in (
        other.get(consents_url(case)),
        other.get(transfers_url(case)),
        other.post(consents_url(case), consent_body, format="json"),
        other.post(transfers_url(case), transfer_body, format="json"),
        other.post(withdraw_url(case, consent), {"reason": "r"}),
    ):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert Consent.objects.count() == 1
    assert Consent.objects.get().withdrawn_on is None
    assert DataTransfer.objects.count() == 1


def test_endpoints_are_in_the_schema(caseworker):
    response = api_client(caseworker).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    ops = {
        op["operationId"]
        for path in schema["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert {
        "cases_consents_list",
        "cases_consents_create",
        "cases_consents_withdraw",
        "cases_transfers_list",
        "cases_transfers_create",
    } <= ops
