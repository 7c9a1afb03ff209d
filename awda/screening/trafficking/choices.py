"""Choices of the trafficking screening: the interview's indicators and forms of exploitation,
the determination's outcomes and the return-risk assessment's levels and statuses.

The indicator catalogue is the ONE place that lists the indicators: the model's boolean columns,
the form's checkboxes and the API's `indicators` object are all generated from it."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    help: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "deceptive_recruitment",
        _("Deceptive recruitment"),
        _("Recruited with false promises (job, studies, marriage, travel)."),
    ),
    Indicator(
        "deception_about_conditions",
        _("Deception about conditions"),
        _("The work, pay, living conditions or debt were not those promised."),
    ),
    Indicator(
        "documents_confiscated",
        _("Documents confiscated"),
        _("Identity or travel documents withheld by someone else."),
    ),
    Indicator(
        "debt_bondage",
        _("Debt bondage"),
        _("A debt (travel, lodging, fees) used to keep the person working."),
    ),
    Indicator(
        "movement_controlled",
        _("Movement controlled"),
        _("Not free to leave, to go out alone or to contact others."),
    ),
    Indicator(
        "threats_or_violence",
        _("Threats or violence"),
        _("Threats or violence against the person or their family."),
    ),
    Indicator(
        "isolation",
        _("Isolation"),
        _("Kept isolated: language, location, no contact with family or services."),
    ),
)
INDICATOR_CODES: tuple[str, ...] = tuple(i.code for i in INDICATORS)
INDICATOR_LABELS = {i.code: i.label for i in INDICATORS}


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    DOMESTIC_SERVITUDE = "domestic_servitude", _("Domestic servitude")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    VICTIM = "victim", _("Victim of trafficking")
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim of trafficking")
    NOT_VICTIM = "not_victim", _("Not a victim of trafficking")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


class RiskLevel(models.TextChoices):
    # a context of their own: "High" is also a task priority in the catalogue
    LOW = "low", pgettext_lazy("risk level", "Low")
    MEDIUM = "medium", pgettext_lazy("risk level", "Medium")
    HIGH = "high", pgettext_lazy("risk level", "High")
    EXTREME = "extreme", pgettext_lazy("risk level", "Extreme")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")


class Kind(models.TextChoices):
    """The kinds of trafficking record (URL segment of the record page, API `kind`)."""

    INTERVIEW = "interview", _("Screening interview")
    DETERMINATION = "determination", _("Determination")
    RISK_ASSESSMENT = "risk-assessment", _("Return-risk assessment")
    ACCEPTANCE = "acceptance", _("Origin mission's acceptance")
