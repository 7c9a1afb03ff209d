"""Labels of the movements audit events on the case timeline (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from .services import _common as c

ACTIONS = {
    c.BOOKING_CREATED: (_("Booking created"), "bi-airplane", "primary"),
    c.BOOKING_UPDATED: (_("Booking updated"), "bi-airplane", "secondary"),
    c.BOOKING_CONFIRMED: (_("Booking confirmed"), "bi-airplane", "success"),
    c.BOOKING_CANCELLED: (_("Booking cancelled"), "bi-x-circle", "warning"),
    c.BOOKING_NO_SHOW: (_("No-show"), "bi-person-x", "warning"),
    c.BOOKING_DEPARTED: (_("Departure confirmed"), "bi-airplane-engines", "success"),
    c.BOOKING_ARRIVED: (_("Arrival confirmed"), "bi-geo-alt", "success"),
    c.DEPARTURE_CREATED: (_("Departure planned"), "bi-calendar-plus", "primary"),
    c.DEPARTURE_UPDATED: (_("Departure updated"), "bi-calendar", "secondary"),
    c.DEPARTURE_CANCELLED: (_("Departure cancelled"), "bi-calendar-x", "warning"),
    c.ESCORT_ADDED: (_("Escort added"), "bi-person-plus", "secondary"),
    c.ESCORT_REMOVED: (_("Escort removed"), "bi-person-dash", "secondary"),
    c.POCKET_MONEY_PAID: (_("Pocket money paid"), "bi-cash-coin", "primary"),
    c.RECEIPT_ADDED: (_("Signed receipt uploaded"), "bi-file-earmark-check", "secondary"),
    c.RECEIPT_PRINTED: (_("Pocket money receipt printed"), "bi-printer", "secondary"),
    c.RECEIPT_DOWNLOADED: (_("Signed receipt downloaded"), "bi-download", "secondary"),
    c.MANIFEST_PRINTED: (_("Manifest printed"), "bi-printer", "secondary"),
}
