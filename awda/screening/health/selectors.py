"""Reads of health records and of fitness-to-travel decisions.

The callers have resolved the case through the scoped case selectors (404 otherwise) and checked
the policy (policies.py); restricted lists are narrowed to the persons the user may see with
`person_ids`. Reads of medical records are audited by the caller (cases.services.case_viewed,
part "health")."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from awda.registry.selectors import organisation_list

from .choices import FIT_OUTCOMES, PROVIDER_KINDS, UNRESOLVED_NEED_STATUSES
from .models import (
    FitnessToTravel,
    MedicalDocument,
    MedicalNeed,
    MedicalReferral,
    MissionHealthSettings,
    default_validity_days,
)


def _for_persons(qs, person_ids):
    return qs if person_ids is None else qs.filter(person_id__in=list(person_ids))


def medical_needs(case, person_ids: Iterable[int] | None = None):
    """The medical needs of the case's members (those of `person_ids` if given), newest first,
    with their persons and authors (one query)."""
    qs = MedicalNeed.objects.filter(case=case).select_related("person", "recorded_by")
    return _for_persons(qs, person_ids).order_by("-created_at", "-id")


def medical_referrals(case, person_ids: Iterable[int] | None = None):
    qs = MedicalReferral.objects.filter(case=case).select_related(
        "person", "recorded_by", "provider"
    )
    return _for_persons(qs, person_ids).order_by("-created_at", "-id")


def medical_documents(case, person_ids: Iterable[int] | None = None):
    qs = MedicalDocument.objects.filter(case=case).select_related("person", "recorded_by")
    return _for_persons(qs, person_ids).order_by("-created_at", "-id")


def fitness_history(case, person_ids: Iterable[int] | None = None):
    """Every fitness-to-travel decision of the case's members, newest first (one query); the
    newest of a person is their current decision."""
    qs = FitnessToTravel.objects.filter(case=case).select_related("person", "recorded_by")
    return _for_persons(qs, person_ids).order_by("-created_at", "-id")


def current_by_person(decisions) -> dict:
    """person id -> their newest decision, from a newest-first history."""
    current = {}
    for d in decisions:
        current.setdefault(d.person_id, d)
    return current


def unresolved_need_persons(case, person_ids: Iterable[int] | None = None) -> set[int]:
    """The persons with a medical need not resolved yet (one query)."""
    qs = MedicalNeed.objects.filter(case=case, status__in=UNRESOLVED_NEED_STATUSES)
    return set(_for_persons(qs, person_ids).values_list("person_id", flat=True))


def referral_providers():
    """The partner organisations a person can be referred to (active hospitals, NGOs, UN
    agencies and others), by name."""
    return organisation_list().filter(kind__in=PROVIDER_KINDS)


def fitness_validity_days(mission_id: int) -> int:
    """The validity of a fitness-to-travel decision in a mission: its MissionHealthSettings, else
    settings.AWDA_FITNESS_VALIDITY_DAYS, else 7 days (one query)."""
    days = (
        MissionHealthSettings.objects.filter(mission_id=mission_id)
        .values_list("fitness_validity_days", flat=True)
        .first()
    )
    return int(days) if days else default_validity_days()


# ---- the interface of the movement issue ---------------------------------------------------------


@dataclass(frozen=True)
class FitnessStatus:
    """A traveller's current fitness-to-travel decision, as the movement team needs it (no
    medical content)."""

    outcome: str  # choices.FitnessOutcome
    decided_on: datetime.date
    valid_until: datetime.date
    valid_on_date: bool  # decided_on <= on_date <= valid_until
    escort: str  # choices.Escort
    special_needs: tuple[str, ...] = field(default_factory=tuple)  # choices.SpecialNeed
    remarks: str = ""

    @property
    def allows_travel(self) -> bool:
        """Fit (with or without escort) and valid on the date asked for."""
        return self.outcome in FIT_OUTCOMES and self.valid_on_date

    @classmethod
    def of(cls, decision, on_date: datetime.date) -> "FitnessStatus":
        """The status of a FitnessToTravel decision, checked for `on_date`."""
        return cls(
            outcome=decision.outcome,
            decided_on=decision.decided_on,
            valid_until=decision.valid_until,
            valid_on_date=decision.valid_on(on_date),
            escort=decision.escort,
            special_needs=tuple(decision.special_needs or ()),
            remarks=decision.remarks,
        )


def fitness_for(
    case, person_ids: Iterable[int] | None = None, *, on_date: datetime.date
) -> dict[int, FitnessStatus]:
    """{person id: FitnessStatus} of the current (newest) fitness-to-travel decision of each
    member of `case` (of `person_ids` if given) that has one; persons without a decision are not
    keys. One query.

    This is what booking checks (the movement issue): a traveller may be booked on a flight of
    `on_date` only when `fitness_for(case, [pid], on_date=flight_date)[pid].allows_travel`
    where a decision is required (readiness.fitness_required), and the booking carries the
    escort and special needs (WCHR, WCHS, WCHC, stretcher, oxygen) to the carrier. The readiness
    checklist (readiness.collect, the `travel_safeguards` gate of mark_ready and book) reads the
    same selector."""
    rows = fitness_history(case, person_ids).select_related(None)
    return {pid: FitnessStatus.of(d, on_date) for pid, d in current_by_person(rows).items()}


def escorts_required(cases, person_ids) -> dict[tuple[int, int], str]:
    """{(case id, person id): escort} for the travellers whose current fitness decision asks for
    an escort (choices.Escort other than none), over many cases at once; one query. The movement
    team checks that they travel with one (movements.readiness)."""
    from .choices import Escort
    from .models import FitnessToTravel

    current: dict[tuple[int, int], str] = {}
    rows = (
        FitnessToTravel.objects.filter(case__in=cases, person_id__in=person_ids)
        .order_by("-created_at", "-id")
        .values_list("case_id", "person_id", "escort")
    )
    for case_id, person_id, escort in rows:
        current.setdefault((case_id, person_id), escort)
    return {key: escort for key, escort in current.items() if escort != Escort.NONE}
