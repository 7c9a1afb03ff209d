import pytest

from awda.audit.models import AuditEvent
from awda.cases.services import case_declaration_record, case_transition
from awda.core.errors import PermissionDenied, StaleEdit, TransitionRefused
from awda.factories import ProjectFactory, bring_case_to


def test_screening_needs_signed_declaration(case, caseworker):
    case = case_transition(caseworker, case=case, name="start_counselling")
    with pytest.raises(TransitionRefused) as err:
        case_transition(caseworker, case=case, name="start_screening")
    assert err.value.code == "gate_failed"
    assert err.value.details["failed_gates"][0]["gate"] == "declaration_signed"
    case.refresh_from_db()
    assert case.status == "counselling"


def test_manager_approves_eligibility_with_project(case, caseworker, manager, morocco):
    case = bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    project = ProjectFactory(mission=morocco, eligible_nationalities=["GN", "CI"])
    case = case_transition(manager, case=case, name="approve_eligibility", project=project)
    assert case.status == "eligible" and case.project == project
    assert AuditEvent.objects.filter(action="cases.case.transitioned", case_id=case.pk).count() == 3


def test_eligibility_refused_when_nationality_not_funded(case, caseworker, manager, morocco):
    case = bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    project = ProjectFactory(mission=morocco, eligible_nationalities=["SN"])
    with pytest.raises(TransitionRefused) as err:
        case_transition(manager, case=case, name="approve_eligibility", project=project)
    assert err.value.details["failed_gates"][0]["gate"] == "project_rules"


def test_caseworker_cannot_approve_eligibility(case, caseworker, manager, morocco):
    case = bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    with pytest.raises(PermissionDenied):
        case_transition(
            caseworker,
            case=case,
            name="approve_eligibility",
            project=ProjectFactory(mission=morocco),
        )


def test_stale_version_is_refused(case, caseworker):
    stale = case.version
    case_declaration_record(caseworker, case=case, signed_on=case.registered_on)
    with pytest.raises(StaleEdit):
        case_transition(caseworker, case=case, name="start_counselling", expected_version=stale)


def test_hold_and_resume_returns_to_previous_status(case, caseworker):
    case = case_transition(caseworker, case=case, name="start_counselling")
    case = case_transition(caseworker, case=case, name="put_on_hold", reason="Hospitalised")
    assert case.status == "on_hold"
    case = case_transition(caseworker, case=case, name="resume")
    assert case.status == "counselling"


def test_returned_case_matches_the_database_after_a_transition(case, caseworker, manager, morocco):
    from awda.cases.models import Case

    case = bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    project = ProjectFactory(mission=morocco)
    returned = case_transition(manager, case=case, name="approve_eligibility", project=project)
    stored = Case.objects.get(pk=case.pk)
    for f in Case._meta.concrete_fields:
        assert getattr(returned, f.attname) == getattr(stored, f.attname), f.name
    assert returned.project == project
