"""Every row of the transition table, allowed and refused.

For each Transition and each of its source statuses: every role in `t.roles` may make it (with
its inputs and gates satisfied), which moves the status and writes a CaseTransition row and one
`cases.case.transitioned` audit event. Refusals (wrong source status, missing input, each failing
gate, a role not in the row) raise the documented error and change nothing.

Cases are put directly into a status with a queryset update; the service under test is the real
`case_transition`. When a later issue adds a gate, add its `satisfy` and `break` recipes below
(`test_every_gate_has_recipes` fails until then).
"""

import datetime
from collections import deque

import pytest
from django.utils import timezone

from awda.accounts.choices import Role
from awda.audit.models import AuditEvent
from awda.cases import workflow
from awda.cases.choices import ClosureReason, Status
from awda.cases.models import Case, CaseTransition
from awda.cases.services import case_transition
from awda.core.errors import PermissionDenied, TransitionRefused, ValidationFailed
from awda.factories import (
    ProjectFactory,
    document_travellers,
    member_of,
    register_case,
    screen_travellers,
)
from awda.screening.models import VulnerabilityScreening

ALL_STATUSES = list(Status.values)
ROWS = [(t.name, source) for t in workflow.TRANSITIONS for source in t.sources]
KNOWN_INPUTS = {"comment", "reason", "project", "closure_reason"}


# ---- helpers ------------------------------------------------------------------------------------


def put_in_status(case: Case, status: str, **extra) -> Case:
    """Test helper: force a status (and other columns) without going through the workflow."""
    values = {"status": status, "status_before_hold": "", **extra}
    if status == Status.ON_HOLD and "status_before_hold" not in extra:
        values["status_before_hold"] = Status.COUNSELLING
    Case.objects.filter(pk=case.pk).update(**values)
    case.refresh_from_db()
    return case


def state(case: Case) -> dict:
    row = Case.objects.values(
        "status", "version", "status_before_hold", "project_id", "closure_reason"
    ).get(pk=case.pk)
    return {
        **row,
        "transitions": CaseTransition.objects.count(),
        "events": AuditEvent.objects.count(),
    }


@pytest.fixture
def role_users(rabat):
    """One user per role in the case's office (Rabat)."""
    return {role: member_of(rabat, role, f"{role}.matrix.rba") for role in Role.values}


@pytest.fixture
def project(morocco):
    return ProjectFactory(mission=morocco, eligible_nationalities=["GN"])


@pytest.fixture
def wf_case(caseworker, rabat):
    case = register_case(caseworker, rabat)
    Case.objects.filter(pk=case.pk).update(declaration_signed_on=case.registered_on)
    case.refresh_from_db()
    return case


# ---- gate recipes: how to satisfy and how to break each gate ------------------------------------
# Each recipe takes (case, inputs, ctx) and mutates the case row and/or the inputs dict.


def _sat_declaration(case, inputs, ctx):
    Case.objects.filter(pk=case.pk).update(declaration_signed_on=case.registered_on)


def _break_declaration(case, inputs, ctx):
    Case.objects.filter(pk=case.pk).update(declaration_signed_on=None)


def _sat_principal(case, inputs, ctx):
    Case.objects.filter(pk=case.pk).update(principal=case.members.get(is_principal=True).person)


def _break_principal(case, inputs, ctx):
    Case.objects.filter(pk=case.pk).update(principal=None)


def _sat_project(case, inputs, ctx):
    inputs["project"] = ctx["project"]


def _break_project_mission(case, inputs, ctx):
    # A valid, open project, but of another mission.
    inputs["project"] = ProjectFactory(mission=ctx["guinea"], code="AVRR-GN-OTHER")


def _break_project_rules(case, inputs, ctx):
    inputs["project"] = ProjectFactory(
        mission=case.mission, code="AVRR-MA-SN-ONLY", eligible_nationalities=["SN"]
    )


def _sat_case_project(case, inputs, ctx):
    Case.objects.filter(pk=case.pk).update(project=ctx["project"])


def _break_case_project(case, inputs, ctx):
    other = ProjectFactory(
        mission=case.mission, code="AVRR-MA-CI-ONLY", eligible_nationalities=["CI"]
    )
    Case.objects.filter(pk=case.pk).update(project=other)


def _sat_was_on_hold(case, inputs, ctx):
    Case.objects.filter(pk=case.pk).update(status_before_hold=Status.COUNSELLING)


def _break_was_on_hold(case, inputs, ctx):
    Case.objects.filter(pk=case.pk).update(status_before_hold="")


def _sat_safeguards(case, inputs, ctx):
    # Every traveller screened with no vulnerability factor (no further protection safeguard
    # applies), with a valid travel document and a granted exit authorisation.
    screen_travellers(case, ctx["caseworker"])
    document_travellers(case, ctx["caseworker"])


def _break_safeguards(case, inputs, ctx):
    VulnerabilityScreening.objects.filter(case=case).delete()


def _sat_resume_safeguards(case, inputs, ctx):
    Case.objects.filter(pk=case.pk).update(status_before_hold=Status.READY_TO_TRAVEL)
    screen_travellers(case, ctx["caseworker"])
    document_travellers(case, ctx["caseworker"])


def _break_resume_safeguards(case, inputs, ctx):
    Case.objects.filter(pk=case.pk).update(status_before_hold=Status.READY_TO_TRAVEL)
    VulnerabilityScreening.objects.filter(case=case).delete()


def _set_bookings(case, status):
    """Movements: one booking per traveller of the case, in `status` (replacing any)."""
    from awda.cases.readiness import travellers
    from awda.movements.models import Booking

    Booking.objects.filter(case=case).delete()
    for member in travellers(case):
        Booking.objects.create(
            case=case,
            person=member.person,
            status=status,
            travel_date=timezone.localdate(),
            created_by=case.created_by,
        )


def _sat_bookings(case, inputs, ctx):
    _set_bookings(case, "confirmed")


def _break_bookings(case, inputs, ctx):
    _set_bookings(case, "requested")


def _sat_departures(case, inputs, ctx):
    _set_bookings(case, "departed")


def _break_departures(case, inputs, ctx):
    _set_bookings(case, "confirmed")


def _sat_arrivals(case, inputs, ctx):
    _set_bookings(case, "arrived")


def _break_arrivals(case, inputs, ctx):
    _set_bookings(case, "departed")


def _sat_closed_after_return(case, inputs, ctx):
    from awda.cases.models import CaseTransition

    CaseTransition.objects.create(
        case=case,
        name="confirm_arrival",
        from_status=Status.DEPARTED,
        to_status=Status.ARRIVED,
        actor=ctx["caseworker"],
        office=case.office,
    )


def _break_closed_after_return(case, inputs, ctx):
    case.transitions.filter(to_status=Status.ARRIVED).delete()


def _sat_handover_accepted(case, inputs, ctx):
    from awda.factories import OfficeFactory
    from awda.reintegration.models import ReintegrationFile

    office = ctx["guinea"].offices.first() or OfficeFactory(mission=ctx["guinea"], code="CKY")
    ReintegrationFile.objects.get_or_create(
        case=case,
        defaults={
            "mission": ctx["guinea"],
            "office": office,
            "accepted_at": timezone.now(),
            "accepted_by": ctx["caseworker"],
        },
    )


def _break_handover_accepted(case, inputs, ctx):
    from awda.reintegration.models import ReintegrationFile

    ReintegrationFile.objects.filter(case=case).delete()


def _sat_plan_approved(case, inputs, ctx):
    from awda.reintegration.models import Plan

    Plan.objects.filter(case=case).delete()
    Plan.objects.create(
        case=case,
        status="approved",
        project=ctx["project"],
        currency="EUR",
        created_by=ctx["caseworker"],
    )


def _break_plan_approved(case, inputs, ctx):
    from awda.reintegration.models import Plan

    Plan.objects.filter(case=case).delete()


GATE_RECIPES = {
    "closed_after_return": (_sat_closed_after_return, _break_closed_after_return),
    "handover_accepted": (_sat_handover_accepted, _break_handover_accepted),
    "plan_approved": (_sat_plan_approved, _break_plan_approved),
    "bookings_confirmed": (_sat_bookings, _break_bookings),
    "departures_confirmed": (_sat_departures, _break_departures),
    "arrivals_confirmed": (_sat_arrivals, _break_arrivals),
    "declaration_signed": (_sat_declaration, _break_declaration),
    "has_principal": (_sat_principal, _break_principal),
    "project_of_mission": (_sat_project, _break_project_mission),
    "project_rules": (_sat_project, _break_project_rules),
    "was_on_hold": (_sat_was_on_hold, _break_was_on_hold),
    "still_meets_project_rules": (_sat_case_project, _break_case_project),
    "travel_safeguards": (_sat_safeguards, _break_safeguards),
    "travel_safeguards_on_resume": (_sat_resume_safeguards, _break_resume_safeguards),
}

GATE_ROWS = [(t.name, g.code) for t in workflow.TRANSITIONS for g in t.gates]


def good_inputs(t: workflow.Transition, project) -> dict:
    inputs = {}
    if "reason" in t.requires:
        inputs["reason"] = "Reason given by the test"
    if "comment" in t.requires:
        inputs["comment"] = "Comment given by the test"
    if "project" in t.requires:
        inputs["project"] = project
    if "closure_reason" in t.requires:
        inputs["closure_reason"] = ClosureReason.SUPPORT_COMPLETED
    return inputs


def prepare(case, t, source, ctx) -> dict:
    """Put the case in `source` with every gate of `t` satisfied; return the inputs to send."""
    put_in_status(case, source)
    inputs = good_inputs(t, ctx["project"])
    for gate in t.gates:
        GATE_RECIPES[gate.code][0](case, inputs, ctx)
    case.refresh_from_db()
    return inputs


@pytest.fixture
def ctx(project, guinea, caseworker):
    return {"project": project, "guinea": guinea, "caseworker": caseworker}


# ---- the table itself ---------------------------------------------------------------------------


def test_table_rows_are_well_formed():
    names = [t.name for t in workflow.TRANSITIONS]
    assert len(names) == len(set(names)), "transition names must be unique"
    for t in workflow.TRANSITIONS:
        assert t.sources, t.name
        assert set(t.sources) <= set(ALL_STATUSES), t.name
        assert t.target is None or t.target in ALL_STATUSES, t.name
        assert t.roles and t.roles <= set(Role.values), t.name
        assert Role.ME not in t.roles, f"{t.name}: M&E staff never move cases"
        assert t.requires <= KNOWN_INPUTS, t.name
        codes = [g.code for g in t.gates]
        assert len(codes) == len(set(codes)), t.name
        assert workflow.BY_NAME[t.name] is t


def test_every_gate_has_recipes():
    missing = {code for _name, code in GATE_ROWS} - set(GATE_RECIPES)
    assert not missing, f"add satisfy/break recipes for gates {sorted(missing)} to this module"


def _successors(status: str) -> set[str]:
    out = set()
    for t in workflow.transitions_from(status):
        # resume goes back to the status before the hold: any holdable status.
        out |= {t.target} if t.target else set(workflow.HOLDABLE)
    return out


def test_every_status_is_reachable_from_registered():
    seen, todo = {Status.REGISTERED}, deque([Status.REGISTERED])
    while todo:
        for nxt in _successors(todo.popleft()) - seen:
            seen.add(nxt)
            todo.append(nxt)
    assert seen == set(ALL_STATUSES)
    assert workflow.reachable_statuses() == set(ALL_STATUSES)


def test_every_non_closed_status_has_a_way_out_and_closed_only_reopens():
    for status in ALL_STATUSES:
        moves = workflow.transitions_from(status)
        if status == Status.CLOSED:
            # a returnee's case is reopened for reintegration (gate: it had arrived)
            assert [t.name for t in moves] == ["reopen"]
            assert [g.code for g in moves[0].gates] == ["closed_after_return"]
        else:
            assert moves, f"{status} is a dead end"


def test_every_open_status_can_reach_closed():
    for start in set(ALL_STATUSES) - {Status.CLOSED}:
        seen, todo = {start}, deque([start])
        while todo:
            for nxt in _successors(todo.popleft()) - seen:
                seen.add(nxt)
                todo.append(nxt)
        assert Status.CLOSED in seen, f"{start} can never be closed"


def test_withdrawal_is_possible_any_time_before_departure():
    withdraw = workflow.BY_NAME["withdraw"]
    for status in [
        Status.REGISTERED,
        Status.COUNSELLING,
        Status.SCREENING,
        Status.ELIGIBLE,
        Status.PRE_DEPARTURE,
        Status.READY_TO_TRAVEL,
        Status.BOOKED,
        Status.NO_SHOW,
        Status.ON_HOLD,
    ]:
        assert status in withdraw.sources
    for status in [Status.DEPARTED, Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING]:
        assert status not in withdraw.sources


# ---- allowed: every row, every role of the row --------------------------------------------------


@pytest.mark.parametrize(("name", "source"), ROWS, ids=[f"{n}:{s}" for n, s in ROWS])
def test_transition_allowed_for_each_role_of_the_row(name, source, wf_case, role_users, ctx):
    t = workflow.BY_NAME[name]
    for role in sorted(t.roles):
        user = role_users[role]
        inputs = prepare(wf_case, t, source, ctx)
        expected_target = t.target_for(wf_case)
        before = state(wf_case)
        case = case_transition(user, case=wf_case, name=name, comment="by the matrix", **inputs)
        assert case.status == expected_target, role
        assert case.version == before["version"] + 1
        record = CaseTransition.objects.order_by("-id").first()
        assert (record.case_id, record.name, record.from_status, record.to_status) == (
            case.pk,
            name,
            source,
            expected_target,
        )
        assert record.actor == user and record.office_id == case.office_id
        assert record.comment == "by the matrix"
        assert CaseTransition.objects.count() == before["transitions"] + 1
        assert AuditEvent.objects.count() == before["events"] + 1
        event = AuditEvent.objects.order_by("-id").first()
        assert event.action == "cases.case.transitioned"
        assert event.actor == user and event.case_id == case.pk
        assert event.changes["status"] == {"from": source, "to": expected_target}
        assert event.changes["transition"] == name
        assert event.changes["transition_id"] == record.pk


@pytest.mark.parametrize("held", workflow.HOLDABLE)
def test_resume_returns_to_the_status_before_the_hold(held, wf_case, caseworker):
    screen_travellers(wf_case, caseworker)  # back to "ready": the travellers must still be
    document_travellers(wf_case, caseworker)  # ready (screened, documented)
    put_in_status(wf_case, Status.ON_HOLD, status_before_hold=held)
    case = case_transition(caseworker, case=wf_case, name="resume")
    assert case.status == held and case.status_before_hold == ""


@pytest.mark.parametrize("held", workflow.HOLDABLE)
def test_put_on_hold_remembers_the_status(held, wf_case, caseworker):
    put_in_status(wf_case, held)
    case = case_transition(caseworker, case=wf_case, name="put_on_hold", reason="In hospital")
    assert case.status == Status.ON_HOLD and case.status_before_hold == held


def test_transition_side_effects(wf_case, manager, ctx):
    put_in_status(wf_case, Status.SCREENING)
    case = case_transition(
        manager, case=wf_case, name="approve_eligibility", project=ctx["project"]
    )
    assert case.project == ctx["project"]
    assert case.eligibility_decided_by == manager and case.eligibility_decided_at
    put_in_status(case, Status.BOOKED)
    case = screen_travellers(case, manager)
    case = document_travellers(case, manager)
    _set_bookings(case, "departed")  # movements: every traveller's departure confirmed
    case = case_transition(manager, case=case, name="confirm_departure")
    assert case.departed_on == timezone.localdate()
    _set_bookings(case, "arrived")
    case = case_transition(manager, case=case, name="confirm_arrival")
    case = case_transition(
        manager, case=case, name="close", closure_reason=ClosureReason.NO_REINTEGRATION
    )
    assert case.status == Status.CLOSED and case.closure_reason == ClosureReason.NO_REINTEGRATION
    assert CaseTransition.objects.filter(case=case, name="close").get().closure_reason == (
        ClosureReason.NO_REINTEGRATION
    )


# ---- refused: wrong source status ---------------------------------------------------------------


@pytest.mark.parametrize("name", list(workflow.BY_NAME))
def test_transition_refused_from_every_status_not_in_its_sources(name, wf_case, role_users, ctx):
    t = workflow.BY_NAME[name]
    user = role_users[sorted(t.roles)[0]]
    others = [s for s in ALL_STATUSES if s not in t.sources]
    assert others
    for status in others:
        put_in_status(wf_case, status)
        inputs = good_inputs(t, ctx["project"])
        before = state(wf_case)
        with pytest.raises(TransitionRefused) as err:
            case_transition(user, case=wf_case, name=name, **inputs)
        assert err.value.code == "invalid_source_status", status
        assert state(wf_case) == before, status


def test_unknown_transition_is_refused(wf_case, caseworker):
    before = state(wf_case)
    with pytest.raises(TransitionRefused) as err:
        case_transition(caseworker, case=wf_case, name="teleport")
    assert err.value.code == "unknown_transition"
    assert state(wf_case) == before


# ---- refused: missing input ---------------------------------------------------------------------

INPUT_ROWS = [(t.name, field) for t in workflow.TRANSITIONS for field in sorted(t.requires)]


@pytest.mark.parametrize(("name", "field"), INPUT_ROWS, ids=[f"{n}:{f}" for n, f in INPUT_ROWS])
def test_transition_refused_when_a_required_input_is_missing(name, field, wf_case, role_users, ctx):
    t = workflow.BY_NAME[name]
    user = role_users[sorted(t.roles)[0]]
    blanks = {"reason": "   ", "comment": "", "project": None, "closure_reason": ""}
    for source in t.sources:
        inputs = prepare(wf_case, t, source, ctx)
        inputs[field] = blanks[field]
        before = state(wf_case)
        with pytest.raises(ValidationFailed) as err:
            case_transition(user, case=wf_case, name=name, **inputs)
        assert err.value.code == "validation_error"
        assert field in err.value.fields, source
        assert state(wf_case) == before


def test_unknown_closure_reason_is_refused(wf_case, manager):
    put_in_status(wf_case, Status.ARRIVED)
    with pytest.raises(ValidationFailed) as err:
        case_transition(manager, case=wf_case, name="close", closure_reason="bored")
    assert "closure_reason" in err.value.fields


# ---- refused: each gate -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "gate"), GATE_ROWS, ids=[f"{n}:{g}" for n, g in GATE_ROWS])
def test_transition_refused_when_a_gate_fails(name, gate, wf_case, role_users, ctx):
    t = workflow.BY_NAME[name]
    user = role_users[sorted(t.roles)[0]]
    for source in t.sources:
        inputs = prepare(wf_case, t, source, ctx)
        GATE_RECIPES[gate][1](wf_case, inputs, ctx)
        wf_case.refresh_from_db()
        before = state(wf_case)
        with pytest.raises(TransitionRefused) as err:
            case_transition(user, case=wf_case, name=name, **inputs)
        assert err.value.code == "gate_failed"
        failed = err.value.details["failed_gates"]
        assert [f["gate"] for f in failed] == [gate]
        assert failed[0]["messages"] and failed[0]["label"]
        assert err.value.details["transition"] == name
        assert state(wf_case) == before


@pytest.mark.parametrize(
    "breaker",
    [
        {"is_active": False},
        {"end_date": datetime.date(2000, 12, 31), "start_date": datetime.date(2000, 1, 1)},
        {"eligible_nationalities": ["ML"]},
    ],
    ids=["inactive", "expired", "nationality"],
)
def test_project_rules_gate_reports_each_rule(breaker, wf_case, manager, morocco):
    project = ProjectFactory(mission=morocco, **breaker)
    put_in_status(wf_case, Status.SCREENING)
    with pytest.raises(TransitionRefused) as err:
        case_transition(manager, case=wf_case, name="approve_eligibility", project=project)
    assert [f["gate"] for f in err.value.details["failed_gates"]] == ["project_rules"]


def test_project_rules_gate_checks_the_office(wf_case, manager, morocco, oujda):
    project = ProjectFactory(mission=morocco)
    project.eligible_offices.add(oujda)
    put_in_status(wf_case, Status.SCREENING)
    with pytest.raises(TransitionRefused) as err:
        case_transition(manager, case=wf_case, name="approve_eligibility", project=project)
    assert [f["gate"] for f in err.value.details["failed_gates"]] == ["project_rules"]


def test_project_rules_gate_checks_every_travelling_member(caseworker, manager, rabat, morocco):
    from awda.factories import person_data

    case = register_case(
        caseworker,
        rabat,
        members=[{"relationship": "spouse", "person": person_data(nationality="ML")}],
    )
    put_in_status(case, Status.SCREENING)
    project = ProjectFactory(mission=morocco, eligible_nationalities=["GN"])
    with pytest.raises(TransitionRefused):
        case_transition(manager, case=case, name="approve_eligibility", project=project)
    case.members.filter(is_principal=False).update(travels=False)
    case = case_transition(manager, case=case, name="approve_eligibility", project=project)
    assert case.status == Status.ELIGIBLE


def test_all_failing_gates_are_reported_together(wf_case, caseworker):
    put_in_status(wf_case, Status.COUNSELLING, declaration_signed_on=None, principal=None)
    with pytest.raises(TransitionRefused) as err:
        case_transition(caseworker, case=wf_case, name="start_screening")
    assert {f["gate"] for f in err.value.details["failed_gates"]} == {
        "has_principal",
        "declaration_signed",
    }


# ---- refused: a role not in the row -------------------------------------------------------------


@pytest.mark.parametrize("name", list(workflow.BY_NAME))
def test_transition_refused_for_roles_not_in_the_row(name, wf_case, role_users, ctx):
    t = workflow.BY_NAME[name]
    source = t.sources[0]
    for role in sorted(set(Role.values) - t.roles):
        inputs = prepare(wf_case, t, source, ctx)
        before = state(wf_case)
        with pytest.raises(PermissionDenied):
            case_transition(role_users[role], case=wf_case, name=name, **inputs)
        assert state(wf_case) == before, role


def test_transition_refused_for_the_same_role_in_another_office(wf_case, oujda, ctx):
    for t in workflow.TRANSITIONS:
        for role in t.roles:
            user = member_of(oujda, role, f"{role}.matrix.ouj")
            inputs = prepare(wf_case, t, t.sources[0], ctx)
            before = state(wf_case)
            with pytest.raises(PermissionDenied):
                case_transition(user, case=wf_case, name=t.name, **inputs)
            assert state(wf_case) == before


def test_origin_mission_staff_cannot_make_host_side_moves_after_handover(
    caseworker, manager, rabat, conakry, guinea
):
    """After handover the origin mission confirms arrival and runs reintegration, but cannot
    approve eligibility, book or withdraw a case of the host office."""
    from django.utils import timezone as tz

    from awda.accounts.choices import Role as R2
    from awda.cases.models import Case as C2
    from awda.cases.policies import transition_roles
    from awda.factories import member_of, register_case

    origin_manager = member_of(conakry, R2.MANAGER, "manager.conakry.handover")
    case = register_case(caseworker, rabat)
    C2.objects.filter(pk=case.pk).update(receiving_mission=guinea, handed_over_at=tz.now())
    case.refresh_from_db()
    for t in workflow.TRANSITIONS:
        has = bool(transition_roles(origin_manager, case, t))
        assert has == (t.origin_may_act and R2.MANAGER in t.roles), t.name


def test_a_case_where_nobody_travels_is_not_eligible(wf_case, caseworker, manager, project):
    """The principal always counts as a traveller, so no member flag can empty the rule check."""
    from awda.cases.services import case_member_update

    principal = wf_case.members.get(is_principal=True)
    case_member_update(caseworker, case=wf_case, member=principal, travels=False)
    senegal_only = ProjectFactory(
        mission=wf_case.mission, code="AVRR-MA-SN-ONLY-2", eligible_nationalities=["SN"]
    )
    Case.objects.filter(pk=wf_case.pk).update(status=Status.SCREENING)
    wf_case.refresh_from_db()
    with pytest.raises(TransitionRefused) as err:
        case_transition(manager, case=wf_case, name="approve_eligibility", project=senegal_only)
    assert err.value.details["failed_gates"][0]["gate"] == "project_rules"


def test_a_member_added_after_approval_is_checked_before_travel(
    wf_case, caseworker, manager, project
):
    from awda.cases.services import case_member_add
    from awda.factories import person_data

    Case.objects.filter(pk=wf_case.pk).update(status=Status.SCREENING)
    wf_case.refresh_from_db()
    wf_case = case_transition(manager, case=wf_case, name="approve_eligibility", project=project)
    wf_case = case_transition(caseworker, case=wf_case, name="start_pre_departure")
    case_member_add(
        caseworker,
        case=wf_case,
        relationship="spouse",
        person=person_data(given_name="Awa", family_name="Koné", sex="female", nationality="CI"),
    )
    with pytest.raises(TransitionRefused) as err:
        case_transition(caseworker, case=wf_case, name="mark_ready")
    assert err.value.details["failed_gates"][0]["gate"] == "still_meets_project_rules"
