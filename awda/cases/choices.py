from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    COUNSELLING = "counselling", _("Counselling")
    SCREENING = "screening", _("Screening")
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    PRE_DEPARTURE = "pre_departure", _("Pre-departure")
    READY_TO_TRAVEL = "ready_to_travel", _("Ready to travel")
    BOOKED = "booked", _("Booked")
    NO_SHOW = "no_show", _("No-show")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    REINTEGRATION = "reintegration", _("Reintegration")
    MONITORING = "monitoring", _("Monitoring")
    ON_HOLD = "on_hold", _("On hold")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [s for s in Status.values if s not in (Status.CLOSED,)]
BEFORE_DEPARTURE = [
    Status.REGISTERED,
    Status.COUNSELLING,
    Status.SCREENING,
    Status.ELIGIBLE,
    Status.PRE_DEPARTURE,
    Status.READY_TO_TRAVEL,
    Status.BOOKED,
    Status.NO_SHOW,
]
RETURNED_STATUSES = [Status.DEPARTED, Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING]


class ReferralSource(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    UNHCR = "unhcr", _("UNHCR referral")
    NGO = "ngo", _("NGO referral")
    HOSPITAL = "hospital", _("Hospital referral")
    AUTHORITIES = "authorities", _("Authorities")
    OTHER = "other", _("Other")


class Priority(models.IntegerChoices):
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    URGENT = 3, _("Urgent")


class Relationship(models.TextChoices):
    PRINCIPAL = "principal", _("Principal applicant")
    SPOUSE = "spouse", _("Spouse / partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    NON_RELATIVE = "non_relative", _("Not related (travel companion)")


class ClosureReason(models.TextChoices):
    SUPPORT_COMPLETED = "support_completed", _("Support completed")
    NO_LONGER_MEETS_CRITERIA = "no_longer_meets_criteria", _("No longer meets the criteria")
    RETURNEE_STOPPED = "returnee_stopped", _("Returnee chose to stop")
    LEFT_AREA = "left_area", _("Left the area")
    DIED = "died", _("Died")
    RE_MIGRATED = "re_migrated", _("Re-migrated")
    FUNDING_ENDED = "funding_ended", _("Funding ended")
    # abrupt exits during reintegration
    NO_LONGER_WANTS_HELP = "no_longer_wants_help", _("No longer wants assistance")
    UNREACHABLE = "unreachable", _("Cannot be reached")
    WITHDRAWN = "withdrawn", _("Application withdrawn")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NO_REINTEGRATION = "no_reintegration", _("Return without reintegration assistance")
    OTHER = "other", _("Other")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class AttachmentKind(models.TextChoices):
    DECLARATION = "declaration", _("Declaration of voluntary return")
    IDENTITY = "identity", _("Identity document copy")
    REFERRAL = "referral", _("Referral letter")
    PHOTO = "photo", _("Photo")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", _("Other")
