import pytest

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.api.testing import api_client, error_of


def url(case):
    return f"/api/v1/cases/{case.pk}/"


def test_retrieve_returns_the_case_and_records_the_view(caseworker, case):
    response = api_client(caseworker).get(url(case))
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == case.number and body["version"] == case.version
    assert body["members"][0]["is_principal"]
    assert body["office"]["code"] == "RBA" and body["mission"]["code"] == "MA"
    viewed = AuditEvent.objects.filter(action="cases.case.viewed", case_id=case.pk)
    assert viewed.count() == 1 and viewed.get().channel == "api"


def test_case_of_another_office_is_a_404_like_a_missing_one(other_office_user, case):
    client = api_client(other_office_user)
    other = client.get(url(case))
    missing = client.get("/api/v1/cases/999999/")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert error_of(other)["code"] == "not_found"
    assert not AuditEvent.objects.filter(action="cases.case.viewed").exists()


@pytest.mark.parametrize(
    "suffix", ["", "members/", "notes/", "tasks/", "transitions/", "timeline/"]
)
def test_me_officer_gets_404_on_case_details(auditor, case, suffix):
    assert api_client(auditor).get(url(case) + suffix).status_code == 404


def test_patch_with_current_version_updates_and_bumps_it(caseworker, case):
    response = api_client(caseworker).patch(
        url(case),
        {"version": case.version, "priority": 3, "destination_area": "Labé"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["priority"] == 3 and body["destination_area"] == "Labé"
    assert body["version"] == case.version + 1
    assert AuditEvent.objects.filter(action="cases.case.updated", case_id=case.pk).exists()


def test_patch_with_stale_version_is_409_and_changes_nothing(caseworker, colleague, case):
    stale = case.version
    api_client(colleague).patch(url(case), {"version": stale, "priority": 2}, format="json")
    response = api_client(caseworker).patch(
        url(case), {"version": stale, "priority": 3}, format="json"
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "stale_edit"
    case.refresh_from_db()
    assert case.priority == 2 and case.version == stale + 1


def test_patch_without_version_is_refused(caseworker, case):
    response = api_client(caseworker).patch(url(case), {"priority": 3}, format="json")
    assert response.status_code == 400
    assert "version" in error_of(response)["fields"]
    case.refresh_from_db()
    assert case.priority == 1


def test_patch_denied_by_policy_is_403_and_changes_nothing(medical_officer, case):
    client = api_client(medical_officer)  # logging in is itself audited
    before = AuditEvent.objects.count()
    response = client.patch(url(case), {"version": case.version, "priority": 3}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.priority, fresh.version) == (case.priority, case.version)
    assert AuditEvent.objects.count() == before


def test_caseworker_cannot_reassign_but_manager_can(caseworker, colleague, manager, case):
    body = {"version": case.version, "assigned_to": colleague.pk}
    assert api_client(caseworker).patch(url(case), body, format="json").status_code == 403
    response = api_client(manager).patch(url(case), body, format="json")
    assert response.status_code == 200
    assert response.json()["assigned_to"]["username"] == "caseworker2.rabat"


def test_declaration_is_recorded(caseworker, case):
    response = api_client(caseworker).post(
        url(case) + "declaration/",
        {"signed_on": case.registered_on.isoformat(), "version": case.version},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["declaration_signed_on"] == case.registered_on.isoformat()


def test_declaration_in_the_future_is_a_validation_error(caseworker, case):
    response = api_client(caseworker).post(
        url(case) + "declaration/",
        {"signed_on": "2999-01-01", "version": case.version},
        format="json",
    )
    assert response.status_code == 400
    assert "signed_on" in error_of(response)["fields"]
