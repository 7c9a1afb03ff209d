"""Choices of the reintegration app (domain.md section 3 steps 9 to 11, section 8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentKind(models.TextChoices):
    VULNERABILITY = "vulnerability", _("Vulnerability re-assessment")
    RISK = "risk", _("Risk assessment")
    FAMILY = "family", _("Family assessment")
    SKILLS = "skills", _("Skills profile")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No formal education")
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    VOCATIONAL = "vocational", _("Vocational training")
    HIGHER = "higher", _("Higher education")
    KORANIC = "koranic", _("Koranic school")


class SurveyKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Dimension(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded by a revision")


# The plan being worked on (at most one per case); an approved plan is the one in force.
OPEN_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED)


class AssistanceCategory(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate assistance")
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")


class AssistanceType(models.TextChoices):
    """The assistance types of IOM's reintegration plan template, by category (CATEGORY_OF)."""

    # immediate
    CASH = "cash", _("Cash")
    BASIC_NEEDS = "basic_needs", _("Basic needs")
    ACCOMMODATION = "accommodation", _("Accommodation")
    IMMEDIATE_MEDICAL = "immediate_medical", _("Medical (immediate)")
    # economic
    MICRO_BUSINESS = "micro_business", _("Micro-business")
    INCOME_ACTIVITY = "income_activity", _("Income-generating activity")
    COLLECTIVE_PROJECT = "collective_project", _("Collective or community project")
    JOB_PLACEMENT = "job_placement", _("Job placement")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    # social
    HOUSING = "housing", _("Housing")
    MEDICAL = "medical", _("Medical")
    EDUCATION = "education", _("Education")
    LEGAL = "legal", _("Legal")
    DOCUMENTS = "documents", _("Documents")
    CHILDCARE = "childcare", _("Childcare")
    SECURITY = "security", _("Special security measures")
    # psychosocial
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")


_C = AssistanceCategory
_T = AssistanceType
CATEGORY_OF: dict[str, str] = {
    _T.CASH: _C.IMMEDIATE,
    _T.BASIC_NEEDS: _C.IMMEDIATE,
    _T.ACCOMMODATION: _C.IMMEDIATE,
    _T.IMMEDIATE_MEDICAL: _C.IMMEDIATE,
    _T.MICRO_BUSINESS: _C.ECONOMIC,
    _T.INCOME_ACTIVITY: _C.ECONOMIC,
    _T.COLLECTIVE_PROJECT: _C.ECONOMIC,
    _T.JOB_PLACEMENT: _C.ECONOMIC,
    _T.VOCATIONAL_TRAINING: _C.ECONOMIC,
    _T.HOUSING: _C.SOCIAL,
    _T.MEDICAL: _C.SOCIAL,
    _T.EDUCATION: _C.SOCIAL,
    _T.LEGAL: _C.SOCIAL,
    _T.DOCUMENTS: _C.SOCIAL,
    _T.CHILDCARE: _C.SOCIAL,
    _T.SECURITY: _C.SOCIAL,
    _T.PSYCHOSOCIAL: _C.PSYCHOSOCIAL,
}


class CapBasis(models.TextChoices):
    PERSON = "person", _("Per returnee")
    CASE = "case", _("Per case (household)")


class CollectiveKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective project (returnees together)")
    COMMUNITY = "community", _("Community project (returnees and community)")


class PurchaseStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class DeliveryDocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    RECEIPT = "receipt", _("Supplier's receipt")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement signed by the returnee")


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentChannel(models.TextChoices):
    CASH = "cash", _("Cash in hand")
    MOBILE_MONEY = "mobile_money", _("Mobile money")
    BANK = "bank", _("Bank transfer")
    MONEY_TRANSFER = "money_transfer", _("Money transfer operator")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACCEPTED = "accepted", _("Accepted by the service")
    COMPLETED = "completed", _("Service provided")
    DECLINED = "declined", _("Declined by the service")
    DROPPED = "dropped", _("Returnee did not attend")


class VisitMode(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Phone call")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    MISSED = "missed", _("Could not be reached")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started yet")
    RUNNING = "running", _("Running well")
    STRUGGLING = "struggling", _("Running with difficulties")
    STOPPED = "stopped", _("Stopped")
    NOT_APPLICABLE = "not_applicable", _("No business or activity")
