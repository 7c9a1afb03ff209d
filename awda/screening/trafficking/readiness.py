"""The trafficking part of the readiness checklist (cases.readiness), the gate of "ready to
travel" and "book".

Who it applies to, and what it requires, are pure functions of a traveller's state (unit-tested);
`collect` reads that state for every traveller with a fixed number of queries. Every check
carries action="trafficking.view": users without it see "Restricted protection safeguard" and no
detail, in the checklist and in the gate's refusal."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from awda.cases.readiness import Check
from awda.screening.models import VulnerabilityScreening

from .choices import AssessmentStatus, Outcome
from .models import (
    OriginAcceptance,
    ReturnRiskAssessment,
    TraffickingDetermination,
    TraffickingInterview,
)

ACTION = "trafficking.view"


@dataclass(frozen=True)
class TravellerState:
    flagged: bool = False  # current rapid screening has trafficking indicators
    interviewed: bool = False  # any screening interview in the case
    outcome: str | None = None  # the current (newest) determination's outcome
    risk_completed: bool = False  # a completed return-risk assessment
    risk_draft: bool = False  # a risk assessment being prepared
    accepted: bool | None = None  # the current acceptance: True, False (refused) or None


def applies(state: TravellerState) -> bool:
    """The trafficking safeguards apply to a traveller flagged by their current rapid screening
    or who has an interview or a determination (once recorded, a later screening without the
    indicator does not drop them)."""
    return state.flagged or state.interviewed or state.outcome is not None


def checks(state: TravellerState) -> list[Check]:
    """What must be in place before travel: the interview and a determination; unless the
    person was determined not to be a victim, a completed return-risk assessment and the origin
    mission's acceptance."""
    out = [
        Check(
            "vot.interview",
            _("Trafficking screening interview"),
            state.interviewed,
            "" if state.interviewed else _("not recorded yet"),
            ACTION,
        ),
        Check(
            "vot.determination",
            _("Trafficking determination"),
            state.outcome is not None,
            str(Outcome(state.outcome).label) if state.outcome else _("not made yet"),
            ACTION,
        ),
    ]
    if state.outcome == Outcome.NOT_VICTIM:
        return out
    if state.risk_completed:
        risk_detail = ""
    elif state.risk_draft:
        risk_detail = _("draft, not completed yet")
    else:
        risk_detail = _("not started yet")
    if state.accepted is True:
        acceptance_detail = ""
    elif state.accepted is False:
        acceptance_detail = _("refused by the origin mission")
    else:
        acceptance_detail = _("not received yet")
    out += [
        Check(
            "vot.risk_assessment",
            _("Return-risk assessment with the origin mission"),
            state.risk_completed,
            risk_detail,
            ACTION,
        ),
        Check(
            "vot.acceptance",
            _("Origin mission's acceptance"),
            state.accepted is True,
            acceptance_detail,
            ACTION,
        ),
    ]
    return out


def _newest(rows) -> dict:
    """person id -> value of the first row per person of (person id, value) rows, newest
    first."""
    out = {}
    for person_id, value in rows:
        out.setdefault(person_id, value)
    return out


def traveller_states(case, person_ids) -> dict[int, TravellerState]:
    """person id -> TravellerState (six queries whatever the number of persons).

    The interview and the determination are about the person: those of an earlier case count
    (a person identified as a victim who comes back in a new case is still one). The return-risk
    assessment and the acceptance are about this return: only this case's count."""
    person_ids = list(person_ids)
    states = traveller_states_many([(case, person_ids)])
    return {pid: states[(case.pk, pid)] for pid in person_ids}


def traveller_states_many(pairs) -> dict[tuple[int, int], TravellerState]:
    """(case id, person id) -> TravellerState for many (case, person ids) pairs at once (six
    queries whatever the number of cases and persons); see traveller_states."""
    pairs = [(case, list(pids)) for case, pids in pairs]
    cases = [case for case, _pids in pairs]
    person_ids = {pid for _case, pids in pairs for pid in pids}
    # the current screening of each person in each case (newest first)
    screenings: dict = {}
    for case_id, pid, flagged in (
        VulnerabilityScreening.objects.filter(case__in=cases)
        .order_by("-created_at", "-id")
        .values_list("case_id", "person_id", "trafficking_indicators")
    ):
        screenings.setdefault((case_id, pid), flagged)
    # a person whose newest screening in ANY case found indicators (another office may have
    # screened them since this case's screening) is flagged here too
    flagged_elsewhere = {
        pid
        for pid, flagged in _newest(
            VulnerabilityScreening.objects.filter(person_id__in=person_ids)
            .order_by("-created_at", "-id")
            .values_list("person_id", "trafficking_indicators")
        ).items()
        if flagged
    }
    interviewed = set(
        TraffickingInterview.objects.filter(person_id__in=person_ids).values_list(
            "person_id", flat=True
        )
    )
    outcomes = _newest(
        TraffickingDetermination.objects.filter(person_id__in=person_ids)
        .order_by("-created_at", "-id")
        .values_list("person_id", "outcome")
    )
    completed, drafts = set(), set()
    for case_id, person_id, status in ReturnRiskAssessment.objects.filter(
        case__in=cases, person_id__in=person_ids
    ).values_list("case_id", "person_id", "status"):
        (completed if status == AssessmentStatus.COMPLETED else drafts).add((case_id, person_id))
    accepted: dict = {}
    for case_id, person_id, value in (
        OriginAcceptance.objects.filter(case__in=cases, person_id__in=person_ids)
        .order_by("-created_at", "-id")
        .values_list("case_id", "person_id", "accepted")
    ):
        accepted.setdefault((case_id, person_id), value)
    return {
        (case.pk, pid): TravellerState(
            flagged=bool(screenings.get((case.pk, pid))) or pid in flagged_elsewhere,
            interviewed=pid in interviewed,
            outcome=outcomes.get(pid),
            risk_completed=(case.pk, pid) in completed,
            risk_draft=(case.pk, pid) in drafts,
            accepted=accepted.get((case.pk, pid)),
        )
        for case, pids in pairs
        for pid in pids
    }


def collect(case, travellers, on_date):
    states = traveller_states(case, [m.person_id for m in travellers])
    return {m.pk: checks(states[m.person_id]) for m in travellers if applies(states[m.person_id])}


def collect_many(items, on_date):
    """`collect` for many (case, travellers) pairs at once (six queries)."""
    states = traveller_states_many(
        [(case, [m.person_id for m in members]) for case, members in items]
    )
    out = {}
    for case, members in items:
        for m in members:
            state = states[(case.pk, m.person_id)]
            if applies(state):
                out[m.pk] = checks(state)
    return out
