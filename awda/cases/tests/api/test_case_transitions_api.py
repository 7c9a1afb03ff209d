from awda.audit.models import AuditEvent
from awda.cases.models import Case, CaseTransition
from awda.cases.services import case_declaration_record, case_transition
from awda.core.api.testing import api_client, error_of
from awda.factories import ProjectFactory, bring_case_to


def url(case):
    return f"/api/v1/cases/{case.pk}/transitions/"


def test_lists_history_and_available_moves_with_blockers(caseworker, case):
    case = case_transition(caseworker, case=case, name="start_counselling")
    body = api_client(caseworker).get(url(case)).json()
    assert body["status"] == "counselling" and body["version"] == case.version
    assert [h["to_status"] for h in body["history"]] == ["counselling"]
    moves = {m["transition"]: m for m in body["available"]}
    assert "approve_eligibility" not in moves  # not a caseworker's move
    screening = moves["start_screening"]
    assert not screening["allowed"] and screening["blockers"]
    assert moves["withdraw"]["requires"] == ["reason"]


def test_refused_transition_is_409_with_the_failed_gate(caseworker, case):
    case = case_transition(caseworker, case=case, name="start_counselling")
    response = api_client(caseworker).post(
        url(case), {"transition": "start_screening", "version": case.version}, format="json"
    )
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "gate_failed"
    assert [g["gate"] for g in error["details"]["failed_gates"]] == ["declaration_signed"]
    case.refresh_from_db()
    assert case.status == "counselling"
    assert CaseTransition.objects.filter(case=case).count() == 1


def test_move_from_the_wrong_status_is_409(caseworker, case):
    response = api_client(caseworker).post(
        url(case), {"transition": "resume", "version": case.version}, format="json"
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "invalid_source_status"


def test_missing_reason_is_a_validation_error(caseworker, case):
    response = api_client(caseworker).post(
        url(case), {"transition": "withdraw", "version": case.version}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in error_of(response)["fields"]
    case.refresh_from_db()
    assert case.status == "registered"


def test_caseworker_cannot_approve_eligibility(caseworker, manager, case, project):
    case = bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    client = api_client(caseworker)  # logging in is itself audited
    before = AuditEvent.objects.count()
    response = client.post(
        url(case),
        {"transition": "approve_eligibility", "project": project.pk, "version": case.version},
        format="json",
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "screening" and case.project is None
    assert AuditEvent.objects.count() == before


def test_stale_version_is_409(caseworker, case):
    stale = case.version
    case_declaration_record(caseworker, case=case, signed_on=case.registered_on)
    response = api_client(caseworker).post(
        url(case), {"transition": "start_counselling", "version": stale}, format="json"
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "stale_edit"


def test_project_of_another_mission_is_unknown(caseworker, manager, case, guinea):
    case = bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    foreign = ProjectFactory(mission=guinea, code="GN-ONLY")
    response = api_client(manager).post(
        url(case),
        {"transition": "approve_eligibility", "project": foreign.pk, "version": case.version},
        format="json",
    )
    assert response.status_code == 400
    assert "project" in error_of(response)["fields"]


def test_ousmane_is_taken_to_eligible_through_the_api(caseworker, manager, ousmane, project):
    cw, mgr = api_client(caseworker), api_client(manager)
    case = cw.post("/api/v1/cases/", ousmane, format="json").json()
    pk = case["id"]
    turl = f"/api/v1/cases/{pk}/transitions/"

    case = cw.post(turl, {"transition": "start_counselling", "version": case["version"]}).json()
    assert case["status"] == "counselling"
    case = cw.post(
        f"/api/v1/cases/{pk}/declaration/",
        {"signed_on": case["registered_on"], "version": case["version"]},
    ).json()
    case = cw.post(turl, {"transition": "start_screening", "version": case["version"]}).json()
    assert case["status"] == "screening"
    response = mgr.post(
        turl,
        {
            "transition": "approve_eligibility",
            "project": project.pk,
            "comment": "Meets SEM rules",
            "version": case["version"],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "eligible"
    assert response.json()["project"]["code"] == "AVRR-MA-SEM-2026"
    assert Case.objects.get(pk=pk).eligibility_decided_by == manager
    history = cw.get(turl).json()["history"]
    assert [h["to_status"] for h in history] == ["counselling", "screening", "eligible"]
    assert history[-1]["actor"]["username"] == "manager.rabat"
