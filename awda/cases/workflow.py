"""The case workflow: one declarative transition table.

Each Transition names its source statuses, its target, the roles that may make it, the inputs it
requires and its gates. `case_transition` (services.py) is the only code that moves a case; the
UI, the API, the docs diagram (`manage.py workflow_diagram`) and the test matrix all read this table.
Later issues add gates by appending to a transition's `gates`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from awda.accounts.choices import Role

from .choices import BEFORE_DEPARTURE, Status

S = Status
R = Role


@dataclass(frozen=True)
class GateContext:
    user: object
    inputs: dict


@dataclass(frozen=True)
class Gate:
    code: str
    label: str
    # check(case, ctx) -> list of failure messages ([] when the gate passes)
    check: Callable


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: back to the status the case had before it was put on hold
    roles: frozenset[str]
    requires: frozenset[str] = frozenset()  # among: comment, reason, project, closure_reason
    gates: list[Gate] = field(default_factory=list)
    style: str = "primary"  # button style in the UI
    # After handover, staff of the receiving (origin) mission may make this move with their roles
    # there; host-side moves (eligibility, booking, ...) only count roles in the case's own office.
    origin_may_act: bool = False

    def target_for(self, case) -> str:
        return self.target or case.status_before_hold


# ---- gates -------------------------------------------------------------------------------------


def _declaration_signed(case, ctx):
    if not case.declaration_signed_on:
        return [str(_("The declaration of voluntary return has not been signed."))]
    return []


def _has_principal(case, ctx):
    if not case.principal_id:
        return [str(_("The case has no principal applicant."))]
    return []


def project_rule_facts(case, project, *, members=None, check_age: bool = True) -> dict:
    """The facts of `case` that the project's vulnerability and age rules need, as keyword
    arguments of finance.selectors.project_rule_failures (read only when the project has such
    rules): the flags of the members' current screenings, and the principal applicant."""
    facts = {}
    ages = check_age and (project.min_age is not None or project.max_age is not None)
    if not (project.eligible_vulnerabilities or ages):
        return facts
    members = list(members if members is not None else case.members.select_related("person"))
    if project.eligible_vulnerabilities:
        from awda.screening.selectors import current_screenings

        ids = {m.person_id for m in members}
        flags: set[str] = set()
        for person_id, screening in current_screenings(case).items():
            if person_id in ids:
                flags.update(screening.flags or [])
        facts["flags"] = flags
    if ages:
        principal = next((m.person for m in members if m.is_principal), None)
        if principal is not None:
            facts["principal"] = principal
    return facts


def _rules_failures(case, project, *, on_date) -> list[str]:
    from awda.finance.selectors import project_rule_failures

    members = list(case.members.select_related("person"))
    travellers = [m for m in members if m.travels or m.is_principal]
    if not travellers:
        return [str(_("Nobody in the case travels."))]
    nationalities = sorted({m.person.nationality for m in travellers})
    return project_rule_failures(
        project,
        office_id=case.office_id,
        nationalities=nationalities,
        on_date=on_date,
        # the principal's age is checked on the day of the eligibility decision, not again
        # before travel (a returnee approved at 17 keeps the project at 18)
        **project_rule_facts(case, project, members=members, check_age=on_date is not None),
    )


def _project_rules(case, ctx):
    project = ctx.inputs.get("project")
    if project is None:
        return [str(_("Choose the funding project."))]
    from django.utils import timezone

    return _rules_failures(case, project, on_date=timezone.localdate())


def _still_meets_project_rules(case, ctx):
    """Re-checked before travel: members, nationalities or the project may have changed since the
    eligibility decision. (Whether the project's period still covers the travel is a budget
    question, handled with the project's budget lines.)"""
    if case.project_id is None:
        return [str(_("The case has no funding project."))]
    return _rules_failures(case, case.project, on_date=None)


def _project_of_mission(case, ctx):
    project = ctx.inputs.get("project")
    if project is not None and project.mission_id != case.mission_id:
        return [str(_("The project belongs to another mission."))]
    return []


def _travel_safeguards(case, ctx):
    """Every traveller's safeguards (screening, child protection, trafficking, health, and later
    travel documents), from the one readiness checklist the case page shows (readiness.py)."""
    from .readiness import missing_messages

    return missing_messages(case, ctx.user)


def _safeguards_when_resuming_to_travel(case, ctx):
    """A case put on hold once ready (or booked) goes back there only if its travellers are
    still ready: something may have changed during the hold."""
    if case.status_before_hold in (S.READY_TO_TRAVEL, S.BOOKED):
        return _travel_safeguards(case, ctx)
    return []


def _was_on_hold(case, ctx):
    if not case.status_before_hold:
        return [str(_("The status before the hold is unknown."))]
    return []


def _closed_after_return(case, ctx):
    """Reopening is for a returnee's reintegration (a withdrawn or not-eligible application is a
    new application, registered again)."""
    if not case.transitions.filter(to_status=S.ARRIVED).exists():
        return [str(_("Only a case closed after the return can be reopened."))]
    return []


DECLARATION_SIGNED = Gate(
    "declaration_signed", _("Declaration of voluntary return signed"), _declaration_signed
)
HAS_PRINCIPAL = Gate("has_principal", _("Principal applicant recorded"), _has_principal)
PROJECT_OF_MISSION = Gate(
    "project_of_mission", _("Project of the case's mission"), _project_of_mission
)
STILL_MEETS_PROJECT_RULES = Gate(
    "still_meets_project_rules",
    _("Case still meets its project's rules"),
    _still_meets_project_rules,
)
PROJECT_RULES = Gate(
    "project_rules", _("Case meets the project's eligibility rules"), _project_rules
)
TRAVEL_SAFEGUARDS = Gate(
    "travel_safeguards",
    _("Every traveller ready: safeguards in place"),
    _travel_safeguards,
)
RESUME_SAFEGUARDS = Gate(
    "travel_safeguards_on_resume",
    _("Back to ready or booked: every traveller still ready"),
    _safeguards_when_resuming_to_travel,
)
WAS_ON_HOLD = Gate("was_on_hold", _("Status before the hold known"), _was_on_hold)
CLOSED_AFTER_RETURN = Gate(
    "closed_after_return", _("Case closed after the return"), _closed_after_return
)

# ---- the table ---------------------------------------------------------------------------------

HOST_CASEWORK = frozenset({R.CASEWORKER, R.MANAGER})
HOLDABLE = (
    S.REGISTERED,
    S.COUNSELLING,
    S.SCREENING,
    S.ELIGIBLE,
    S.PRE_DEPARTURE,
    S.READY_TO_TRAVEL,
)

TRANSITIONS: list[Transition] = [
    Transition(
        "start_counselling", _("Start counselling"), (S.REGISTERED,), S.COUNSELLING, HOST_CASEWORK
    ),
    Transition(
        "start_screening",
        _("Start screening"),
        (S.COUNSELLING,),
        S.SCREENING,
        HOST_CASEWORK,
        gates=[HAS_PRINCIPAL, DECLARATION_SIGNED],
    ),
    Transition(
        "approve_eligibility",
        _("Approve eligibility"),
        (S.SCREENING,),
        S.ELIGIBLE,
        frozenset({R.MANAGER}),
        requires=frozenset({"project"}),
        gates=[PROJECT_OF_MISSION, PROJECT_RULES],
        style="success",
    ),
    Transition(
        "reject_eligibility",
        _("Not eligible"),
        (S.SCREENING,),
        S.NOT_ELIGIBLE,
        frozenset({R.MANAGER}),
        requires=frozenset({"reason"}),
        style="danger",
    ),
    Transition(
        "start_pre_departure",
        _("Start pre-departure assistance"),
        (S.ELIGIBLE,),
        S.PRE_DEPARTURE,
        HOST_CASEWORK,
    ),
    Transition(
        "mark_ready",
        _("Ready to travel"),
        (S.PRE_DEPARTURE,),
        S.READY_TO_TRAVEL,
        frozenset({R.CASEWORKER, R.MANAGER, R.MOVEMENT}),
        gates=[STILL_MEETS_PROJECT_RULES, TRAVEL_SAFEGUARDS],
    ),
    Transition(
        "book",
        _("Booked"),
        (S.READY_TO_TRAVEL,),
        S.BOOKED,
        frozenset({R.MOVEMENT, R.MANAGER}),
        gates=[STILL_MEETS_PROJECT_RULES, TRAVEL_SAFEGUARDS],
    ),
    Transition(
        # A seat of a booked case was cancelled (flight changed, traveller removed from a
        # departure): the case waits for a new confirmed booking (awda.movements books it again).
        "unbook",
        _("Booking cancelled"),
        (S.BOOKED,),
        S.READY_TO_TRAVEL,
        frozenset({R.MOVEMENT, R.MANAGER}),
        requires=frozenset({"reason"}),
        style="outline-warning",
    ),
    Transition(
        "no_show",
        _("No-show"),
        (S.BOOKED,),
        S.NO_SHOW,
        frozenset({R.MOVEMENT, R.MANAGER}),
        requires=frozenset({"reason"}),
        style="warning",
    ),
    Transition(
        "rebook",
        _("Back to pre-departure"),
        (S.NO_SHOW,),
        S.PRE_DEPARTURE,
        frozenset({R.MOVEMENT, R.MANAGER, R.CASEWORKER}),
    ),
    Transition(
        "confirm_departure",
        _("Departure confirmed"),
        (S.BOOKED,),
        S.DEPARTED,
        frozenset({R.MOVEMENT, R.MANAGER}),
        # checked again on the day: a determination reopened, a new flag or an expired fitness
        # decision since the booking stops the departure
        gates=[TRAVEL_SAFEGUARDS],
    ),
    Transition(
        "confirm_arrival",
        _("Arrival confirmed"),
        (S.DEPARTED,),
        S.ARRIVED,
        frozenset({R.MOVEMENT, R.MANAGER, R.REINTEGRATION}),
        origin_may_act=True,
    ),
    Transition(
        "start_reintegration",
        _("Start reintegration"),
        (S.ARRIVED,),
        S.REINTEGRATION,
        frozenset({R.REINTEGRATION, R.MANAGER}),
        origin_may_act=True,
    ),
    Transition(
        "start_monitoring",
        _("Start monitoring"),
        (S.REINTEGRATION,),
        S.MONITORING,
        frozenset({R.REINTEGRATION, R.MANAGER}),
        origin_may_act=True,
    ),
    Transition(
        "close",
        _("Close"),
        (S.ARRIVED, S.REINTEGRATION, S.MONITORING, S.NOT_ELIGIBLE, S.WITHDRAWN),
        S.CLOSED,
        frozenset({R.MANAGER, R.REINTEGRATION, R.CASEWORKER}),
        requires=frozenset({"closure_reason"}),
        style="secondary",
        origin_may_act=True,
    ),
    Transition(
        # e.g. a returnee who stopped comes back for support, or a closure made by mistake
        "reopen",
        _("Reopen"),
        (S.CLOSED,),
        S.REINTEGRATION,
        frozenset({R.REINTEGRATION, R.MANAGER}),
        requires=frozenset({"reason"}),
        gates=[CLOSED_AFTER_RETURN],
        style="outline-primary",
        origin_may_act=True,
    ),
    Transition(
        "withdraw",
        _("Withdraw"),
        tuple(BEFORE_DEPARTURE) + (S.ON_HOLD,),
        S.WITHDRAWN,
        frozenset({R.CASEWORKER, R.MANAGER, R.MOVEMENT}),
        requires=frozenset({"reason"}),
        style="outline-danger",
    ),
    Transition(
        "put_on_hold",
        _("Put on hold"),
        HOLDABLE,
        S.ON_HOLD,
        HOST_CASEWORK,
        requires=frozenset({"reason"}),
        style="outline-secondary",
    ),
    Transition(
        "resume",
        _("Resume"),
        (S.ON_HOLD,),
        None,
        HOST_CASEWORK,
        gates=[WAS_ON_HOLD, RESUME_SAFEGUARDS],
        style="outline-primary",
    ),
]

BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def add_gate(transition_name: str, gate: Gate) -> None:
    """Append a gate to a transition (apps that build on cases call this from AppConfig.ready,
    e.g. movements adds "every traveller's booking confirmed" to `book`). Idempotent."""
    gates = BY_NAME[transition_name].gates
    if all(g.code != gate.code for g in gates):
        gates.append(gate)


# Effects other apps need in the same transaction as a move (e.g. movements releases the seats
# of a case that is withdrawn). effect(user, case, name, from_status, to_status) is called by
# case_transition after the case is saved, inside its atomic block: an exception rolls back the
# move. Explicit registrations from AppConfig.ready, not signals, so the flow stays readable.
EFFECTS: list[Callable] = []


def register_effect(effect: Callable) -> None:
    if effect not in EFFECTS:
        EFFECTS.append(effect)


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources]


def reachable_statuses() -> set[str]:
    out = {S.REGISTERED}
    for t in TRANSITIONS:
        out |= set(t.sources)
        out |= {t.target} if t.target else set(HOLDABLE)
    return out
