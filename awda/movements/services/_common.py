"""Helpers shared by the movements services: policy checks, validation of legs and money,
the seat arithmetic of a departure, audit events."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.cases.policies import can
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.finance.models import CURRENCIES
from awda.screening.health.choices import SpecialNeed

from ..choices import BookingStatus

# Audit actions (the case timeline labels them, see apps.py).
BOOKING_CREATED = "movements.booking.created"
BOOKING_UPDATED = "movements.booking.updated"
BOOKING_CONFIRMED = "movements.booking.confirmed"
BOOKING_CANCELLED = "movements.booking.cancelled"
BOOKING_NO_SHOW = "movements.booking.no_show"
BOOKING_DEPARTED = "movements.booking.departed"
BOOKING_ARRIVED = "movements.booking.arrived"
DEPARTURE_CREATED = "movements.departure.created"
DEPARTURE_UPDATED = "movements.departure.updated"
DEPARTURE_CANCELLED = "movements.departure.cancelled"
ESCORT_ADDED = "movements.escort.added"
ESCORT_REMOVED = "movements.escort.removed"
POCKET_MONEY_PAID = "movements.pocket_money.paid"
RECEIPT_ADDED = "movements.pocket_money.receipt_added"
RECEIPT_PRINTED = "movements.pocket_money.receipt_printed"
RECEIPT_DOWNLOADED = "movements.pocket_money.receipt_downloaded"
MANIFEST_PRINTED = "movements.manifest.printed"

# Bookings that take a seat on a departure (a no-show's or a cancelled seat is free again).
SEAT_STATUSES = (
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.DEPARTED,
    BookingStatus.ARRIVED,
)
IATA = re.compile(r"^[A-Z]{3}$")
# The most seats a departure or an escort counts (the largest airliners carry about 850; the
# columns are small integers).
MAX_SEATS = 999
CURRENCY_CODES = {c for c, _label in CURRENCIES}


def require(user, action: str, case=None) -> None:
    if not can(user, action, case):
        raise PermissionDenied()


def require_departure_access(user, departure) -> None:
    """Departures are mission-level operations: movement officers and managers of an office of
    the departure's mission organise them."""
    from ..selectors import departure_mission_ids

    if departure.mission_id not in departure_mission_ids(user):
        raise PermissionDenied()


def check_version(row, expected_version) -> None:
    if expected_version is None or int(expected_version) != row.version:
        raise StaleEdit()


def text(value) -> str:
    return (value or "").strip()


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


def airport(errors: dict, name: str, value) -> str:
    code = text(value).upper()
    if not IATA.match(code):
        errors[name] = [_("Enter a three-letter IATA airport code (e.g. RBA, CKY).")]
    return code


def clean_money(errors: dict, *, amount, currency, project, mission_id, prefix="") -> tuple:
    """(amount, currency, project) checked: an amount is not negative and has a currency, the
    project is one of the case's mission."""
    if amount not in (None, ""):
        try:
            amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors[f"{prefix}amount"] = [_("Enter a number.")]
            amount = None
        else:
            if amount < 0:
                errors[f"{prefix}amount"] = [_("The amount cannot be negative.")]
    else:
        amount = None
    currency = text(currency).upper()
    if currency and currency not in CURRENCY_CODES:
        errors["currency"] = [_("Choose a valid currency.")]
    if amount is not None and not currency:
        errors["currency"] = [_("Choose the currency of the amount.")]
    if project is not None and project.mission_id != mission_id:
        errors["project"] = [_("The project belongs to another mission.")]
    return amount, currency, project


def clean_special_needs(errors: dict, values, name: str = "special_needs") -> list[str]:
    values = list(values or [])
    bad = [v for v in values if v not in SpecialNeed.values]
    if bad:
        errors[name] = [_("Unknown special need: %(codes)s.") % {"codes": ", ".join(bad)}]
    # keep the order of the choices, without duplicates
    return [v for v in SpecialNeed.values if v in values]


def clean_legs(errors: dict, legs) -> list[dict]:
    """Validate flight legs: at least one; airports as IATA codes; times in order."""
    out = []
    if not legs:
        errors["legs"] = [_("Add at least one flight leg.")]
        return out
    previous = None
    for i, leg in enumerate(legs, start=1):
        leg_errors: dict = {}
        departs_at = leg.get("departs_at")
        arrives_at = leg.get("arrives_at")
        row = {
            "order": i,
            "carrier": text(leg.get("carrier")),
            "flight_number": text(leg.get("flight_number")).upper().replace(" ", ""),
            "from_airport": airport(leg_errors, "from_airport", leg.get("from_airport")),
            "to_airport": airport(leg_errors, "to_airport", leg.get("to_airport")),
            "departs_at": departs_at,
            "arrives_at": arrives_at,
        }
        if not isinstance(departs_at, datetime.datetime):
            leg_errors["departs_at"] = [_("Enter the departure date and time.")]
        elif arrives_at is not None and arrives_at <= departs_at:
            leg_errors["arrives_at"] = [_("The arrival must be after the departure.")]
        if not leg_errors and row["from_airport"] == row["to_airport"]:
            leg_errors["to_airport"] = [_("The leg must go to another airport.")]
        if not leg_errors and previous is not None:
            if departs_at <= (previous["arrives_at"] or previous["departs_at"]):
                leg_errors["departs_at"] = [_("A leg must depart after the previous one.")]
            elif row["from_airport"] != previous["to_airport"]:
                leg_errors["from_airport"] = [
                    _("A leg must depart from where the previous one arrived.")
                ]
        for key, messages in leg_errors.items():
            errors[f"legs.{i}.{key}"] = messages
        out.append(row)
        previous = row
    return out


def pocket_money_default() -> tuple[Decimal, str]:
    """settings.AWDA_POCKET_MONEY_DEFAULT, e.g. "30.00 EUR" (amount and currency)."""
    raw = str(getattr(settings, "AWDA_POCKET_MONEY_DEFAULT", "") or "").split()
    try:
        amount = Decimal(raw[0]).quantize(Decimal("0.01"))
        currency = raw[1].upper()
    except (IndexError, InvalidOperation):
        return Decimal("0.00"), ""
    return amount, currency


def seats_used(departure) -> int:
    """Seats taken on a departure: its bookings that hold a seat plus the escorts' seats."""
    from ..models import Booking, Escort

    bookings = Booking.objects.filter(departure=departure, status__in=SEAT_STATUSES).count()
    escorts = Escort.objects.filter(departure=departure).aggregate(n=Sum("seats"))["n"] or 0
    return bookings + escorts


def check_capacity(departure, extra: int) -> None:
    if departure.capacity is None or extra <= 0:
        return
    used = seats_used(departure)
    if used + extra > departure.capacity:
        raise ValidationFailed(
            _(
                "Not enough seats: %(used)s of %(capacity)s taken, %(extra)s more asked for "
                "(%(free)s free)."
            )
            % {
                "used": used,
                "capacity": departure.capacity,
                "extra": extra,
                "free": max(departure.capacity - used, 0),
            },
            code="capacity_exceeded",
            details={"used": used, "capacity": departure.capacity, "requested": extra},
        )


def audit_booking(user, action: str, booking, case, **changes) -> None:
    audit_record(
        user,
        action=action,
        obj=booking,
        case_id=case.pk,
        person_id=booking.person_id,
        office_id=case.office_id,
        changes={"booking": booking.pk, "person": booking.person_id, **changes},
    )


def audit_departure(user, action: str, departure, **changes) -> None:
    audit_record(
        user,
        action=action,
        obj=departure,
        office_id=departure.office_id,
        changes={"departure": departure.pk, **changes},
    )


def now():
    return timezone.now()
