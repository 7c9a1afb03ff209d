"""transition_options: the buttons a user sees are exactly the moves their role allows from the
current status, each with what blocks it; and what it offers agrees with case_transition."""

import pytest
from django.db import transaction
from django.utils import timezone

from awda.accounts.choices import Role
from awda.cases import workflow
from awda.cases.choices import ClosureReason, Status
from awda.cases.models import Case
from awda.cases.selectors import transition_options
from awda.cases.services import case_transition
from awda.core.errors import PermissionDenied, TransitionRefused
from awda.factories import ProjectFactory, member_of


def put_in_status(case, status, **extra):
    Case.objects.filter(pk=case.pk).update(status=status, **extra)
    case.refresh_from_db()
    return case


def offered(user, case):
    return {o["transition"].name: o for o in transition_options(user, case)}


def test_caseworker_on_a_registered_case(case, caseworker):
    options = offered(caseworker, case)
    assert set(options) == {"start_counselling", "withdraw", "put_on_hold"}
    assert all(o["allowed"] and o["blockers"] == [] for o in options.values())


def test_blocked_move_lists_its_blockers(case, caseworker):
    put_in_status(case, Status.COUNSELLING)
    options = offered(caseworker, case)
    screening = options["start_screening"]
    assert screening["allowed"] is False
    assert len(screening["blockers"]) == 1 and "declaration" in screening["blockers"][0]
    assert options["withdraw"]["allowed"] is True


def test_manager_only_moves_are_hidden_from_caseworkers(case, caseworker, manager):
    put_in_status(case, Status.SCREENING, declaration_signed_on=case.registered_on)
    assert "approve_eligibility" not in offered(caseworker, case)
    assert "reject_eligibility" not in offered(caseworker, case)
    options = offered(manager, case)
    # The project gates depend on the project chosen in the form: checked on submit.
    assert options["approve_eligibility"]["allowed"] is True
    assert options["reject_eligibility"]["allowed"] is True


def test_resume_without_a_known_previous_status_is_blocked(case, caseworker):
    put_in_status(case, Status.ON_HOLD, status_before_hold="")
    options = offered(caseworker, case)
    assert options["resume"]["allowed"] is False and options["resume"]["blockers"]


@pytest.mark.parametrize("persona", ["auditor", "other_office_user", "medical_officer"])
def test_users_without_a_move_see_no_buttons(case, persona, request):
    user = request.getfixturevalue(persona)
    assert transition_options(user, case) == []


def test_closed_application_can_only_be_reopened_after_a_return(case, manager):
    put_in_status(case, Status.CLOSED, closure_reason=ClosureReason.WITHDRAWN)
    options = offered(manager, case)
    assert set(options) == {"reopen"}
    assert options["reopen"]["allowed"] is False
    assert "closed after the return" in " ".join(map(str, options["reopen"]["blockers"]))


def test_origin_officer_gets_buttons_only_after_handover(case, origin_officer, guinea):
    put_in_status(case, Status.ARRIVED, receiving_mission=guinea)
    assert transition_options(origin_officer, case) == []
    put_in_status(case, Status.ARRIVED, handed_over_at=timezone.now())
    assert set(offered(origin_officer, case)) == {"start_reintegration", "close"}


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER, Role.MOVEMENT, Role.REINTEGRATION])
def test_options_agree_with_the_service(role, case, rabat, morocco):
    """From every status: an offered, allowed move succeeds; an offered, blocked one fails on a gate;
    a move not offered is refused (role or source)."""
    user = member_of(rabat, role, f"{role}.options")
    project = ProjectFactory(mission=morocco)
    inputs = {
        "reason": "because",
        "closure_reason": ClosureReason.SUPPORT_COMPLETED,
        "project": project,
    }
    for status in Status.values:
        put_in_status(
            case,
            status,
            status_before_hold=Status.COUNSELLING if status == Status.ON_HOLD else "",
            declaration_signed_on=None,
        )
        options = offered(user, case)
        for t in workflow.TRANSITIONS:
            sid = transaction.savepoint()
            try:
                case_transition(user, case=case, name=t.name, **inputs)
                outcome = "ok"
            except PermissionDenied:
                outcome = "role"
            except TransitionRefused as err:
                outcome = err.code
            finally:
                transaction.savepoint_rollback(sid)
                case.refresh_from_db()
            if t.name not in options:
                assert outcome in ("role", "invalid_source_status"), (status, t.name, outcome)
            elif options[t.name]["allowed"]:
                assert outcome == "ok", (status, t.name, outcome)
            else:
                assert outcome == "gate_failed", (status, t.name, outcome)
