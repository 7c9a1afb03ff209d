"""The vulnerability factor catalogue: the ONE declarative place that says which factors the rapid
screening records, at which of IOM's four levels, what flag each raises, how urgent it makes the
case and which specialised assessment (a task for a role of the case's office) it requires.

Adding a factor is adding a line here (and a migration: each factor is an explicit boolean column
of VulnerabilityScreening, so reports can filter on it). The derivation (derivation.py) reads only
this table; it holds no rule of its own about a particular factor."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.accounts.choices import Role
from awda.cases.choices import Priority


class Level(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    HOUSEHOLD = "household", _("Household")
    COMMUNITY = "community", _("Community")
    STRUCTURAL = "structural", _("Structural")


class Flag(models.TextChoices):
    UASC = "uasc", _("Unaccompanied or separated child")
    VOT = "vot", _("Trafficking indicators")
    HEALTH = "health", _("Health needs")
    DISABILITY = "disability", _("Disability")
    OTHER = "other", _("Other vulnerability")
    # What users without the protection role see instead of a restricted flag (VOT).
    PROTECTION_REFERRAL = "protection_referral", _("Protection referral (restricted)")


@dataclass(frozen=True)
class Requirement:
    """A specialised assessment a factor requires: created as a task on the case, assigned to a
    member of the case's office holding `role`, due `due_days` after the screening (overridable
    per requirement with settings.AWDA_SCREENING_DUE_DAYS = {"medical_assessment": 5, ...})."""

    code: str
    title: str
    role: str
    due_days: int
    restricted: bool = False


BIA = Requirement(
    "best_interests_assessment", _("Child best-interests assessment"), Role.PROTECTION, 3
)
# The title stays neutral: the tasks tab is seen by every role on the case.
TRAFFICKING_INTERVIEW = Requirement(
    "trafficking_interview",
    _("Protection interview (restricted)"),
    Role.PROTECTION,
    3,
    restricted=True,
)
MEDICAL = Requirement("medical_assessment", _("Medical assessment"), Role.MEDICAL, 7)
REQUIREMENTS = {r.code: r for r in (BIA, TRAFFICKING_INTERVIEW, MEDICAL)}


@dataclass(frozen=True)
class Factor:
    code: str
    level: str
    label: str
    help: str
    flag: str
    priority: int = Priority.HIGH
    requires: tuple[str, ...] = ()
    # Restricted factors are seen only by protection officers; others see PROTECTION_REFERRAL.
    restricted: bool = False
    # Once raised, only a user with this permission may clear it (a re-screening by anyone else
    # keeps it): the specialist who can tell it does not apply, not whoever screens next.
    cleared_by: str | None = None

    @property
    def level_label(self):
        return Level(self.level).label


L, F, P = Level, Flag, Priority

FACTORS: tuple[Factor, ...] = (
    # ---- individual
    Factor(
        "unaccompanied_child",
        L.INDIVIDUAL,
        _("Unaccompanied or separated child"),
        _("Under 18 and not travelling with a parent or the usual caregiver."),
        F.UASC,
        P.URGENT,
        (BIA.code,),
        cleared_by="child.record",
    ),
    Factor(
        "trafficking_indicators",
        L.INDIVIDUAL,
        _("Indicators of trafficking"),
        _(
            "Deceptive recruitment, confiscated documents, debt bondage, control of movement or "
            "exploitation. Only protection officers see this answer."
        ),
        F.VOT,
        P.URGENT,
        (TRAFFICKING_INTERVIEW.code,),
        restricted=True,
        cleared_by="screening.restricted",
    ),
    Factor(
        "health_needs",
        L.INDIVIDUAL,
        _("Health needs"),
        _("A serious or chronic condition that needs care or treatment before or after travel."),
        F.HEALTH,
        P.HIGH,
        (MEDICAL.code,),
        cleared_by="health.record",
    ),
    Factor(
        "disability",
        L.INDIVIDUAL,
        _("Disability"),
        _("Physical, sensory or mental impairment (e.g. reduced mobility, amputation)."),
        F.DISABILITY,
        P.HIGH,
        (MEDICAL.code,),
        cleared_by="health.record",
    ),
    Factor(
        "pregnancy",
        L.INDIVIDUAL,
        _("Pregnancy"),
        _("Pregnant (fitness to fly depends on the term)."),
        F.HEALTH,
        P.HIGH,
        (MEDICAL.code,),
        cleared_by="health.record",
    ),
    Factor(
        "older_person",
        L.INDIVIDUAL,
        _("Older person (60+)"),
        _("Aged 60 or over."),
        F.OTHER,
        P.HIGH,
    ),
    Factor(
        "survivor_of_violence",
        L.INDIVIDUAL,
        _("Survivor of violence"),
        _("Survivor of violence, including gender-based violence or torture."),
        F.OTHER,
        P.HIGH,
    ),
    # ---- household
    Factor(
        "single_parent",
        L.HOUSEHOLD,
        _("Single parent"),
        _("Caring alone for one or more children."),
        F.OTHER,
        P.HIGH,
    ),
    Factor(
        "dependants_without_support",
        L.HOUSEHOLD,
        _("Dependants without support"),
        _("Children or relatives depend on this person and have no one else to care for them."),
        F.OTHER,
        P.HIGH,
    ),
    Factor(
        "no_shelter",
        L.HOUSEHOLD,
        _("No shelter"),
        _("Living on the street or without safe accommodation."),
        F.OTHER,
        P.HIGH,
    ),
    Factor(
        "no_income",
        L.HOUSEHOLD,
        _("No income"),
        _("No work or other means to meet basic needs (food, rent)."),
        F.OTHER,
        P.NORMAL,
    ),
    # ---- community
    Factor(
        "discrimination_or_threats",
        L.COMMUNITY,
        _("Discrimination or threats in the community"),
        _("Harassment, threats, exclusion or violence from the community where the person lives."),
        F.OTHER,
        P.HIGH,
    ),
    Factor(
        "no_support_network",
        L.COMMUNITY,
        _("No support network"),
        _("No family, friends or community group to rely on in the host country."),
        F.OTHER,
        P.NORMAL,
    ),
    # ---- structural
    Factor(
        "no_access_to_services",
        L.STRUCTURAL,
        _("No access to services"),
        _("Cannot reach health care, education, justice or social services."),
        F.OTHER,
        P.NORMAL,
    ),
    Factor(
        "no_documents",
        L.STRUCTURAL,
        _("No access to documents"),
        _("No identity or travel document, and no way yet to obtain one."),
        F.OTHER,
        P.NORMAL,
    ),
    Factor(
        "detention_risk",
        L.STRUCTURAL,
        _("Risk of detention or forced removal"),
        _("Arrest, detention or forced removal is threatened or has happened."),
        F.OTHER,
        P.HIGH,
    ),
)

BY_CODE: dict[str, Factor] = {f.code: f for f in FACTORS}
FACTOR_CODES: tuple[str, ...] = tuple(f.code for f in FACTORS)
RESTRICTED_FACTORS = frozenset(f.code for f in FACTORS if f.restricted)
RESTRICTED_FLAGS = frozenset(f.flag for f in FACTORS if f.restricted)
STICKY_FACTORS = tuple(f for f in FACTORS if f.cleared_by)

# Accumulation: several factors together make a person more urgent than any one of them.
# (count of factors at or above `level`, priority it raises to); monotonic by construction.
ACCUMULATION: tuple[tuple[int, int, int], ...] = (
    (3, P.NORMAL, P.HIGH),  # three or more factors of any weight: at least high
    (3, P.HIGH, P.URGENT),  # three or more high factors: urgent
)


def by_level() -> list[tuple[str, str, list[Factor]]]:
    """(level code, level label, factors) in catalogue order, for forms and templates."""
    return [(lv.value, lv.label, [f for f in FACTORS if f.level == lv]) for lv in Level]
