import pytest
from django.db import connection

from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.screening.trafficking.models import (
    OriginAcceptance,
    ReturnRiskAssessment,
    TraffickingDetermination,
    TraffickingInterview,
)

from ..conftest import hand_over
from ..helpers import consent, flag, full_procedure, principal

REFUSED = "trafficking.access.refused"


def url(case, rest=""):
    return f"/api/v1/cases/{case.pk}/trafficking/{rest}"


def test_the_whole_procedure_through_the_api(caseworker, protection_officer, guinea, case):
    flag(caseworker, case)
    member = principal(case)
    client = api_client(protection_officer)
    r = client.post(
        url(case, "interviews/"),
        {
            "member": member.pk,
            "language": "ff",
            "interpreter_used": True,
            "indicators": {"documents_confiscated": True, "isolation": True},
            "exploitation_types": ["forced_labour"],
            "narrative": "Passport kept by the employer.",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["indicators"] == ["documents_confiscated", "isolation"]
    r = client.post(
        url(case, "determinations/"),
        {"member": member.pk, "outcome": "victim", "reasons": "Confirmed"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["outcome_label"] == "Victim of trafficking"

    r = client.post(url(case, "risk-assessments/"), {"member": member.pk}, format="json")
    assert r.status_code == 400 and error_of(r)["code"] == "consent_missing"
    consent(protection_officer, case)
    r = client.post(
        url(case, "risk-assessments/"),
        {"member": member.pk, "origin_focal_point": "Mme Soumah", "risk_level": "high"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    a = r.json()
    assert a["status"] == "draft" and a["version"] == 1 and a["origin_mission"]["code"] == "GN"

    detail = url(case, f"risk-assessments/{a['id']}/")
    r = client.patch(detail, {"mitigation": "Relocation"}, format="json")
    assert r.status_code == 400 and "version" in error_of(r)["fields"]
    r = client.patch(detail, {"mitigation": "Relocation", "version": 1}, format="json")
    assert r.status_code == 200 and r.json()["version"] == 2
    assert r.json()["risk_level"] == "high"  # fields not sent are kept
    r = client.patch(detail, {"security_plan": "Escort", "version": 1}, format="json")
    assert r.status_code == 409 and error_of(r)["code"] == "stale_edit"
    r = client.post(detail + "complete/", {"version": 2}, format="json")
    assert r.status_code == 400 and error_of(r)["code"] == "assessment_incomplete"
    assert set(error_of(r)["fields"]) == {"security_plan"}
    client.patch(detail, {"security_plan": "Escort", "version": 2}, format="json")
    r = client.post(detail + "complete/", {"version": 3}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "completed"
    assert r.json()["completed_by"]["username"] == protection_officer.username

    r = client.post(
        url(case, "acceptances/"),
        {"member": member.pk, "accepted": True, "decided_by_name": "M. Bah"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["origin_mission"]["code"] == "GN"

    r = client.get(url(case))
    assert r.status_code == 200
    (person,) = r.json()
    assert person["member"] == member.pk and person["flagged"] and person["applies"]
    assert [c["ok"] for c in person["checks"]] == [True, True, True, True]
    assert len(person["interviews"]) == len(person["determinations"]) == 1
    assert len(person["risk_assessments"]) == len(person["acceptances"]) == 1
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=protection_officer, changes__part="trafficking"
    ).exists()


def test_get_one_risk_assessment_is_audited(protection_officer, guinea, case):
    a = full_procedure(protection_officer, case)
    r = api_client(protection_officer).get(url(case, f"risk-assessments/{a.pk}/"))
    assert r.status_code == 200 and r.json()["status"] == "completed"
    assert AuditEvent.objects.get(
        action="cases.case.viewed", changes__part="trafficking"
    ).changes == {"part": "trafficking", "record": a.pk}


def test_unknown_member_and_invalid_input(protection_officer, case):
    client = api_client(protection_officer)
    r = client.post(url(case, "interviews/"), {"member": 999999}, format="json")
    assert r.status_code == 404 and error_of(r)["code"] == "not_found"
    r = client.post(
        url(case, "interviews/"),
        {"member": principal(case).pk, "exploitation_types": ["begging"]},
        format="json",
    )
    assert r.status_code == 400 and "exploitation_types.0" in error_of(r)["fields"]
    r = client.post(
        url(case, "determinations/"),
        {"member": principal(case).pk, "outcome": "victim", "reasons": "x"},
        format="json",
    )
    assert r.status_code == 400 and error_of(r)["code"] == "interview_missing"
    assert not TraffickingInterview.objects.exists()


@pytest.fixture
def recorded(protection_officer, guinea, case):
    full_procedure(protection_officer, case)
    return case


def _all_endpoints(case, member_pk, assessment_pk):
    return [
        ("get", url(case), None),
        ("post", url(case, "interviews/"), {"member": member_pk}),
        ("post", url(case, "determinations/"), {"member": member_pk}),
        ("post", url(case, "risk-assessments/"), {"member": member_pk}),
        ("get", url(case, f"risk-assessments/{assessment_pk}/"), None),
        ("patch", url(case, f"risk-assessments/{assessment_pk}/"), {"version": 1}),
        ("post", url(case, f"risk-assessments/{assessment_pk}/complete/"), {"version": 1}),
        ("post", url(case, "acceptances/"), {"member": member_pk}),
    ]


@pytest.mark.parametrize(
    "persona", ["caseworker", "manager", "medical_officer", "movement_officer"]
)
def test_non_protection_roles_get_404_and_the_attempt_is_audited(request, persona, recorded):
    """Done-when, API: a caseworker of the case's own office cannot read the trafficking
    screening: 404 like a missing record, and each attempt is audited."""
    user = request.getfixturevalue(persona)
    client = api_client(user)
    assessment = ReturnRiskAssessment.objects.get()
    counts = [
        m.objects.count()
        for m in (TraffickingInterview, TraffickingDetermination, OriginAcceptance)
    ]
    endpoints = _all_endpoints(recorded, principal(recorded).pk, assessment.pk)
    for method, path, body in endpoints:
        r = getattr(client, method)(path, body, format="json")
        assert r.status_code == 404, (method, path)
        assert error_of(r) == {"code": "not_found", "message": "Not found."}
    events = AuditEvent.objects.filter(action=REFUSED, actor=user)
    assert events.count() == len(endpoints)
    assert {e.channel for e in events} == {"api"}
    assert {e.case_id for e in events} == {recorded.pk}
    assert counts == [
        m.objects.count()
        for m in (TraffickingInterview, TraffickingDetermination, OriginAcceptance)
    ]
    assessment.refresh_from_db()
    assert assessment.version == 3  # unchanged (created, updated, completed)
    assert not AuditEvent.objects.filter(
        action="cases.case.viewed", actor=user, changes__part="trafficking"
    ).exists()


def test_the_api_refusal_stays_even_with_atomic_requests(caseworker, recorded, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    assert api_client(caseworker).get(url(recorded)).status_code == 404
    assert AuditEvent.objects.filter(action=REFUSED, actor=caseworker).count() == 1


def test_other_office_gets_404_without_a_refusal(other_office_user, recorded):
    assert api_client(other_office_user).get(url(recorded)).status_code == 404
    assert not AuditEvent.objects.filter(action=REFUSED).exists()


def test_receiving_mission_protection_officer_after_handover_only(
    origin_protection, guinea, recorded
):
    client = api_client(origin_protection)
    assert client.get(url(recorded)).status_code == 404
    assert not AuditEvent.objects.filter(action=REFUSED).exists()  # the case itself is not theirs
    hand_over(recorded, guinea)
    r = client.get(url(recorded))
    assert r.status_code == 200 and len(r.json()[0]["interviews"]) == 1


def test_endpoints_are_in_the_schema(protection_officer):
    response = api_client(protection_officer).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    base = "/api/v1/cases/{case_pk}/trafficking/"
    assert set(paths[base]) >= {"get"}
    for rest in ("interviews/", "determinations/", "risk-assessments/", "acceptances/"):
        assert "post" in paths[base + rest]
    assert {"get", "patch"} <= set(paths[base + "risk-assessments/{assessment_pk}/"])
    assert "post" in paths[base + "risk-assessments/{assessment_pk}/complete/"]
    assert "404" in paths[base]["get"]["responses"]
