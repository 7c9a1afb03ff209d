"""Choices of the UASC procedure (unaccompanied or separated children)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBasis(models.TextChoices):
    DOCUMENT = "document", _("Identity document")
    DECLARED = "declared", _("Declared by the child")
    AGE_ASSESSMENT = "age_assessment", _("Age assessment")


class CareStatus(models.TextChoices):
    ACCOMPANIED = "accompanied", _("Accompanied (with a parent or legal/customary caregiver)")
    SEPARATED = "separated", _("Separated (from both parents, may be with other relatives)")
    UNACCOMPANIED = "unaccompanied", _("Unaccompanied (no adult responsible for the child)")


# The care statuses that make a child subject to the UASC procedure.
UASC_STATUSES = frozenset({CareStatus.SEPARATED, CareStatus.UNACCOMPANIED})


class Recommendation(models.TextChoices):
    RETURN = "return", _("Return to the country of origin")
    LOCAL_INTEGRATION = "local_integration", _("Local integration")
    THIRD_COUNTRY = "third_country", _("Resettlement to a third country")
    FURTHER_ASSESSMENT = "further_assessment", _("Further assessment needed")


class TracingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    IN_PROGRESS = "in_progress", _("In progress")
    LOCATED = "located", _("Family located")
    NOT_LOCATED = "not_located", _("Family not located")
    CLOSED = "closed", _("Closed")


# Statuses that are an outcome of the tracing: they need the date of the outcome.
TRACING_OUTCOMES = frozenset(
    {TracingStatus.LOCATED, TracingStatus.NOT_LOCATED, TracingStatus.CLOSED}
)


class CaregiverOutcome(models.TextChoices):
    SUITABLE = "suitable", _("Suitable")
    SUITABLE_WITH_SUPPORT = "suitable_with_support", _("Suitable with support")
    NOT_SUITABLE = "not_suitable", _("Not suitable")


CAREGIVER_POSITIVE = frozenset({CaregiverOutcome.SUITABLE, CaregiverOutcome.SUITABLE_WITH_SUPPORT})


class DeterminationOutcome(models.TextChoices):
    RETURN = "return", _("Return is in the child's best interests")
    NO_RETURN = "no_return", _("Return is not in the child's best interests")
    DEFERRED = "deferred", _("Decision deferred")


class EscortRole(models.TextChoices):
    IOM_STAFF = "iom_staff", _("IOM staff")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    FAMILY_MEMBER = "family_member", _("Family member")
    OTHER = "other", _("Other")


class Step(models.TextChoices):
    """The steps of the procedure, in order: the checklist of a child and the `step` of the audit
    events (a neutral name, never an outcome)."""

    IDENTIFICATION = "identification", _("Identification")
    ASSESSMENT = "assessment", _("Best-interests assessment")
    TRACING = "tracing", _("Family tracing")
    CAREGIVER = "caregiver", _("Family or caregiver assessment")
    DETERMINATION = "determination", _("Best-interests determination")
    GUARDIAN_CONSENT = "guardian_consent", _("Guardian consent")
    ESCORT = "escort", _("Escort plan with a trained escort")
    RECEPTION = "reception", _("Reception on arrival")
