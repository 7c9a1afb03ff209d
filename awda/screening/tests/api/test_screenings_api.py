from awda.audit.models import AuditEvent
from awda.cases.models import Case, Task
from awda.core.api.testing import api_client, error_of
from awda.screening.models import VulnerabilityScreening


def url(case):
    return f"/api/v1/cases/{case.pk}/screenings/"


def body(case, member=None, **factors):
    case = Case.objects.get(pk=case.pk)
    member = member or case.members.get(is_principal=True)
    return {"member": member.pk, "factors": factors, "notes": "", "version": case.version}


def test_record_and_list_screenings(caseworker, medical_officer, case):
    client = api_client(caseworker)
    created = client.post(url(case), body(case, disability=True), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["factors"] == ["disability"]
    assert data["flags"] == ["disability"]
    assert data["priority"] == 2 and data["requirements"] == ["medical_assessment"]
    assert data["redacted"] is False
    assert Task.objects.get(case=case).assignee == medical_officer
    assert Case.objects.get(pk=case.pk).priority == 2

    # the caseworker cannot clear a health factor; the medical officer can
    kept = client.post(url(case), body(case), format="json").json()
    assert kept["factors"] == ["disability"]
    api_client(medical_officer).post(url(case), body(case), format="json")
    listed = client.get(url(case))
    assert listed.status_code == 200
    results = listed.json()["results"]
    assert [r["factors"] for r in results] == [[], ["disability"], ["disability"]]
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", case_id=case.pk, changes__part="screening"
    ).exists()


def test_trafficking_answer_is_redacted_for_a_caseworker(caseworker, protection_officer, case):
    api_client(protection_officer).post(
        url(case), body(case, trafficking_indicators=True), format="json"
    )
    hidden = api_client(caseworker).get(url(case)).json()["results"][0]
    assert hidden["factors"] == [] and hidden["flags"] == ["protection_referral"]
    assert hidden["requirements"] == [] and hidden["redacted"] is True
    shown = api_client(protection_officer).get(url(case)).json()["results"][0]
    assert shown["factors"] == ["trafficking_indicators"] and shown["flags"] == ["vot"]
    assert shown["requirements"] == ["trafficking_interview"]


def test_stale_version_is_409(caseworker, case):
    stale = body(case, no_income=True)
    api_client(caseworker).post(url(case), body(case), format="json")
    response = api_client(caseworker).post(url(case), stale, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "stale_edit"
    assert VulnerabilityScreening.objects.count() == 1


def test_missing_version_and_unknown_member_are_refused(caseworker, case):
    client = api_client(caseworker)
    no_version = body(case)
    del no_version["version"]
    response = client.post(url(case), no_version, format="json")
    assert response.status_code == 400 and "version" in error_of(response)["fields"]
    response = client.post(url(case), {**body(case), "member": 999999}, format="json")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_policy_denials(movement_officer, finance_officer, other_office_user, case):
    response = api_client(movement_officer).post(url(case), body(case), format="json")
    assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"
    assert api_client(movement_officer).get(url(case)).status_code == 200
    assert api_client(finance_officer).get(url(case)).status_code == 403
    assert api_client(other_office_user).get(url(case)).status_code == 404
    assert (
        api_client(other_office_user).post(url(case), body(case), format="json").status_code == 404
    )
    assert not VulnerabilityScreening.objects.exists()
