"""Reads of screenings, and what a given user may see of them (restricted factors).

The callers have resolved the case through cases.selectors.case_get_for (scoped: 404 otherwise)
and checked "screening.view"; the read itself is audited by the caller with
cases.services.case_viewed(part="screening")."""

from dataclasses import dataclass, field

from awda.accounts.choices import MissionKind
from awda.accounts.models import Mission
from awda.cases.policies import can

from .factors import (
    BY_CODE,
    FACTORS,
    REQUIREMENTS,
    RESTRICTED_FACTORS,
    RESTRICTED_FLAGS,
    Flag,
)
from .models import VulnerabilityScreening


def screening_history(case):
    """Every screening of the case's members, newest first (one query)."""
    return (
        VulnerabilityScreening.objects.filter(case=case)
        .select_related("person", "screened_by", "office")
        .order_by("-created_at", "-id")
    )


def current_by_person(screenings) -> dict:
    """person id -> their newest screening, from a newest-first history."""
    current = {}
    for s in screenings:
        current.setdefault(s.person_id, s)
    return current


def current_screenings(case) -> dict:
    return current_by_person(screening_history(case))


def unscreened_members(case):
    """Members of the case never screened in it (principal first)."""
    return (
        case.members.exclude(
            person_id__in=VulnerabilityScreening.objects.filter(case=case).values("person_id")
        )
        .select_related("person")
        .order_by("-is_principal", "id")
    )


def may_see_restricted(user, case) -> bool:
    return can(user, "screening.restricted", case)


@dataclass
class ScreeningView:
    """A screening as one user may see it: restricted factors and flags are replaced by a
    'protection referral' for users without the protection role."""

    screening: VulnerabilityScreening
    factors: list = field(default_factory=list)  # Factor objects the user may see
    flags: list = field(default_factory=list)  # flag codes the user may see
    requirements: list = field(default_factory=list)
    redacted: bool = False  # something was hidden from this user

    @property
    def flag_labels(self):
        return [(code, Flag(code).label) for code in self.flags]

    @property
    def requirement_labels(self):
        return [REQUIREMENTS[code].title for code in self.requirements]


def present(screening, *, restricted_ok: bool) -> ScreeningView:
    hidden = screening.has_restricted and not restricted_ok
    factors = [
        f
        for f in FACTORS
        if getattr(screening, f.code) and (restricted_ok or f.code not in RESTRICTED_FACTORS)
    ]
    flags = [c for c in screening.flags if restricted_ok or c not in RESTRICTED_FLAGS]
    if hidden:
        flags.append(Flag.PROTECTION_REFERRAL.value)
    requirements = [
        r for r in screening.requirements if restricted_ok or not REQUIREMENTS[r].restricted
    ]
    return ScreeningView(
        screening=screening,
        factors=factors,
        flags=flags,
        requirements=requirements,
        redacted=hidden,
    )


def factor_label(code: str) -> str:
    return str(BY_CODE[code].label)


# ---- origin missions: the recipients of a tracing request or a return-risk assessment ----------


def origin_missions():
    """The active missions of countries of origin, by name."""
    return Mission.objects.filter(is_active=True, kind=MissionKind.ORIGIN).order_by("name")


def is_origin_mission(mission) -> bool:
    return mission.kind == MissionKind.ORIGIN and mission.is_active


def default_origin_mission(case) -> Mission | None:
    """The mission of the country of return: the case's receiving mission, else the active
    origin mission of that country (missions are coded by ISO alpha-2)."""
    if case.receiving_mission_id:
        return case.receiving_mission
    return origin_missions().filter(code=case.country_of_return).order_by("pk").first()
