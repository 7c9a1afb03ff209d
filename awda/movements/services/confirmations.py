"""Departure and arrival confirmed, per traveller or in bulk (from the manifest, from the
expected arrivals). All or nothing per call.

Departure: movement officers and managers of the case's office, on the day of the flight or
after; when every traveller of a case has departed, the case moves to departed
("confirm_departure", whose gates check the safeguards again on the day) and a departure whose
seats are all departed, no-shows or cancelled is marked departed.

Arrival: `arrival.confirm` on the case; after the handover the roles of the receiving (origin)
mission count (cases.policies.can). When every traveller has arrived, the case moves to arrived
("confirm_arrival", which the origin mission may make).
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import lock_case
from awda.core.errors import ValidationFailed

from ..choices import ACTIVE_BOOKING_STATUSES, BookingStatus, DepartureStatus
from ..gates import GONE_STATUSES, travellers_without
from ..models import Booking, Departure
from . import _common as c
from .bookings import _save, move_case


def _lock_all(bookings) -> tuple[dict, list]:
    """Lock the cases (in id order) then the bookings; ({case id: case}, bookings)."""
    ids = sorted({b.pk for b in bookings})
    if not ids:
        raise ValidationFailed(fields={"bookings": [_("Choose at least one traveller.")]})
    case_ids = sorted({b.case_id for b in bookings})
    cases = {pk: lock_case(Case(pk=pk), None) for pk in case_ids}
    rows = list(
        Booking.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("person")
        .order_by("case_id", "id")
    )
    return cases, rows


def _name(row) -> str:
    return row.person.full_name


def booking_confirm_departure(user, *, bookings) -> list[Booking]:
    """The travellers of these confirmed seats boarded (the flight's day has come)."""
    bookings = list(bookings)
    for b in bookings:
        c.require(user, "movement.record", b.case)
    today = timezone.localdate()
    with transaction.atomic():
        cases, rows = _lock_all(bookings)
        errors = []
        for row in rows:
            if row.status != BookingStatus.CONFIRMED:
                errors.append(
                    _("%(name)s: the booking is %(status)s.")
                    % {"name": _name(row), "status": BookingStatus(row.status).label.lower()}
                )
            elif row.travel_date > today:
                errors.append(
                    _("%(name)s: the flight is on %(date)s.")
                    % {"name": _name(row), "date": row.travel_date.isoformat()}
                )
            elif cases[row.case_id].status != Status.BOOKED:
                errors.append(
                    _("%(name)s: the case is not booked (status “%(status)s”).")
                    % {"name": _name(row), "status": Status(cases[row.case_id].status).label}
                )
        if errors:
            raise ValidationFailed(" ".join(errors), code="departure_not_confirmable")
        now = c.now()
        for row in rows:
            row.status = BookingStatus.DEPARTED
            row.departed_at = now
            row.departure_confirmed_by = user
            _save(row, ["status", "departed_at", "departure_confirmed_by"])
            c.audit_booking(user, c.BOOKING_DEPARTED, row, cases[row.case_id])
        for case in cases.values():
            if not travellers_without(case, GONE_STATUSES):
                move_case(user, case, "confirm_departure")
        for departure_id in sorted({r.departure_id for r in rows if r.departure_id}):
            _close_departure_if_done(user, departure_id)
    return rows


def _close_departure_if_done(user, departure_id) -> None:
    open_seats = Booking.objects.filter(
        departure_id=departure_id, status__in=ACTIVE_BOOKING_STATUSES
    ).exists()
    if open_seats:
        return
    closed = Departure.objects.filter(pk=departure_id, status=DepartureStatus.PLANNED).update(
        status=DepartureStatus.DEPARTED, updated_at=timezone.now(), version=F("version") + 1
    )
    if closed:  # audited like every status change
        departure = Departure.objects.get(pk=departure_id)
        c.audit_departure(
            user,
            c.DEPARTURE_UPDATED,
            departure,
            status={"from": DepartureStatus.PLANNED, "to": DepartureStatus.DEPARTED},
        )


def close_departure_if_done(user, departure) -> None:
    """Mark a planned departure departed once no seat on it is still waiting (requested or
    confirmed) and the day has come: someone departed or was a no-show at the airport (called
    after no-shows too; a flight whose every traveller failed to show still left)."""
    gone = (BookingStatus.DEPARTED, BookingStatus.NO_SHOW)
    if Booking.objects.filter(departure=departure, status__in=gone).exists():
        _close_departure_if_done(user, departure.pk)


def booking_confirm_arrival(user, *, bookings) -> list[Booking]:
    """The travellers of these seats arrived (confirmed by the receiving mission after the
    handover, or by the host office)."""
    bookings = list(bookings)
    for b in bookings:
        c.require(user, "arrival.confirm", b.case)
    with transaction.atomic():
        cases, rows = _lock_all(bookings)
        errors = []
        for row in rows:
            if row.status != BookingStatus.DEPARTED:
                errors.append(
                    _("%(name)s: the booking is %(status)s, not departed.")
                    % {"name": _name(row), "status": BookingStatus(row.status).label.lower()}
                )
        if errors:
            raise ValidationFailed(" ".join(errors), code="arrival_not_confirmable")
        now = c.now()
        for row in rows:
            row.status = BookingStatus.ARRIVED
            row.arrived_at = now
            row.arrival_confirmed_by = user
            _save(row, ["status", "arrived_at", "arrival_confirmed_by"])
            c.audit_booking(user, c.BOOKING_ARRIVED, row, cases[row.case_id])
        for case in cases.values():
            if case.status == Status.DEPARTED and not travellers_without(
                case, (BookingStatus.ARRIVED,)
            ):
                move_case(user, case, "confirm_arrival")
    return rows
