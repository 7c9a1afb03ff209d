from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartureKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled flight")
    CHARTER = "charter", _("Charter flight")


class DepartureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DEPARTED = "departed", _("Departed")
    CANCELLED = "cancelled", _("Cancelled")


class BookingStatus(models.TextChoices):
    """A traveller's seat. requested -> confirmed -> departed -> arrived; confirmed -> no_show;
    requested/confirmed -> cancelled (rebooked elsewhere, withdrawn, departure cancelled)."""

    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


# Bookings that hold a seat and a travel date.
ACTIVE_BOOKING_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
# Bookings that count on a manifest (people expected at, or who went through, the airport).
MANIFEST_STATUSES = (
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.DEPARTED,
    BookingStatus.ARRIVED,
    BookingStatus.NO_SHOW,
)


class EscortKind(models.TextChoices):
    MEDICAL = "medical", _("Medical escort")
    OPERATIONAL = "operational", _("Operational escort")
    CHILD = "child", _("Child escort")


class NoShowReason(models.TextChoices):
    DID_NOT_COME = "did_not_come", _("Did not come to the airport")
    CHANGED_MIND = "changed_mind", _("Changed their mind")
    ILL = "ill", _("Ill on the day")
    REFUSED_BOARDING = "refused_boarding", _("Refused boarding")
    DOCUMENTS = "documents", _("Document problem at the airport")
    OTHER = "other", _("Other (see details)")
