"""The closed lists of the health records and of the fitness-to-travel decision."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedCategory(models.TextChoices):
    CHRONIC_CONDITION = "chronic_condition", _("Chronic condition")
    ACUTE_CONDITION = "acute_condition", _("Acute condition")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    PREGNANCY = "pregnancy", _("Pregnancy")
    DISABILITY = "disability", _("Disability")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    STABILISED = "stabilised", _("Stabilised")
    RESOLVED = "resolved", _("Resolved")


# A need not resolved yet (open or only stabilised) still calls for a fitness-to-travel decision.
UNRESOLVED_NEED_STATUSES = (NeedStatus.OPEN, NeedStatus.STABILISED)


class ReferralPurpose(models.TextChoices):
    TREATMENT = "treatment", _("Treatment")
    STABILISATION = "stabilisation", _("Stabilisation")
    ASSESSMENT = "assessment", _("Assessment")
    FOLLOW_UP = "follow_up", _("Follow-up")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    SEEN = "seen", _("Seen")
    TREATED = "treated", _("Treated")
    CLOSED = "closed", _("Closed")


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Medical report")
    PRESCRIPTION = "prescription", _("Prescription")
    FITNESS_CERTIFICATE = "fitness_certificate", _("Fitness-to-travel certificate")
    OTHER = "other", _("Other")


class FitnessOutcome(models.TextChoices):
    FIT = "fit", _("Fit to travel")
    FIT_WITH_ESCORT = "fit_with_escort", _("Fit to travel with escort")
    UNFIT = "unfit", _("Unfit to travel")
    PENDING = "pending", _("Pending")


# The outcomes that allow travel (within the decision's validity).
FIT_OUTCOMES = frozenset({FitnessOutcome.FIT, FitnessOutcome.FIT_WITH_ESCORT})


class Escort(models.TextChoices):
    NONE = "none", _("No escort")
    MEDICAL = "medical", _("Medical escort")
    NON_MEDICAL = "non_medical", _("Non-medical escort")


class SpecialNeed(models.TextChoices):
    """Assistance the movement team books with the carrier (IATA special service codes)."""

    WHEELCHAIR_RAMP = "wheelchair_ramp", _("Wheelchair to the aircraft door (WCHR)")
    WHEELCHAIR_STEPS = "wheelchair_steps", _("Wheelchair, cannot climb steps (WCHS)")
    WHEELCHAIR_CABIN = "wheelchair_cabin", _("Wheelchair to the seat, immobile (WCHC)")
    STRETCHER = "stretcher", _("Stretcher")
    OXYGEN = "oxygen", _("Oxygen")
    OTHER = "other", _("Other (see remarks)")


# Kinds of partner organisation that can receive a medical referral.
PROVIDER_KINDS = ("hospital", "ngo", "un_agency", "other")
