"""A traveller's booking: create (individual itinerary), edit, confirm, cancel, no-show, rebook.

Every function: acting user first, keyword arguments; checks `movement.record` on the case
(host side only), locks the case row (bookings of a case change one at a time), writes, audits
`movements.booking.<verb>` and, when the booking completes a step of the case (the last
traveller's seat confirmed, a no-show), moves the case with cases.services.case_transition in
the same transaction: if the workflow refuses the move (the travel safeguards checked for the
flight's date, e.g. a travel document expiring before it), nothing is written.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases import readiness
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import case_transition, lock_case
from awda.core.errors import NotFound, TransitionRefused, ValidationFailed
from awda.screening.health.selectors import fitness_for

from ..charges import booking_charge
from ..choices import ACTIVE_BOOKING_STATUSES, BookingStatus, NoShowReason
from ..models import Booking, BookingLeg
from . import _common as c

# A case gets an individual booking from pre-departure (tickets are often requested before the
# last document arrives) until it is booked; afterwards a seat is changed by cancelling it.
BOOKABLE_STATUSES = (Status.PRE_DEPARTURE, Status.READY_TO_TRAVEL, Status.BOOKED)
EDITABLE_FIELDS = (
    "booking_reference",
    "ticket_number",
    "ticket_cost",
    "currency",
    "project",
    "special_needs",
    "escort",
    "airport_assistance",
    "remarks",
)


def _traveller(case, person):
    """The case's traveller row for `person` (400 if the person does not travel in the case)."""
    for member in readiness.travellers(case):
        if member.person_id == getattr(person, "pk", person):
            return member
    raise ValidationFailed(fields={"person": [_("This person does not travel in this case.")]})


def gone_person_ids(case) -> set[int]:
    """The travellers of the case who already departed (one query)."""
    from ..gates import GONE_STATUSES

    return set(
        Booking.objects.filter(case_id=case.pk, status__in=GONE_STATUSES).values_list(
            "person_id", flat=True
        )
    )


def travellers_to_seat(case) -> list:
    """The case's travellers who still need a seat: not those who already departed (a
    companion's flight changed after they left)."""
    gone = gone_person_ids(case)
    return [m for m in readiness.travellers(case) if m.person_id not in gone]


def _refuse_moved(exc: TransitionRefused, case, prefix: str = ""):
    """Re-raise a refused case move with the case named (bulk operations span cases)."""
    name = case.principal.full_name if case.principal_id else ""
    message = _("%(number)s (%(name)s): %(why)s") % {
        "number": case.number,
        "name": name,
        "why": exc.message,
    }
    details = {**exc.details, "case": case.pk, "case_number": case.number}
    raise TransitionRefused(f"{prefix}{message}", code=exc.code, details=details) from None


def move_case(user, case, name, *, reason: str = "") -> Case:
    try:
        return case_transition(user, case=case, name=name, reason=reason)
    except TransitionRefused as exc:
        _refuse_moved(exc, case)


def fitness_defaults(case, person_ids, on_date) -> dict:
    """{person id: FitnessStatus} of the travellers' current fitness decisions (one query): the
    special needs and escort a booking starts from."""
    return fitness_for(case, person_ids, on_date=on_date)


def create_booking(
    user,
    *,
    case,
    person_id: int,
    legs: list[dict],
    status: str,
    departure=None,
    booking_reference: str = "",
    ticket_number: str = "",
    ticket_cost=None,
    currency: str = "",
    project=None,
    special_needs=(),
    escort=None,
    airport_assistance: bool = False,
    remarks: str = "",
    rebooked_from=None,
) -> Booking:
    """Write a booking and its legs (validated by the caller), charge its ticket (charges.py:
    committed when requested, spent when confirmed) and audit it. Internal: the public services
    check the policy and the case first, and run it in their transaction (a refusal of the
    budget rolls everything back)."""
    first = legs[0]
    now = c.now()
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                case=case,
                person_id=person_id,
                departure=departure,
                status=status,
                travel_date=timezone.localdate(first["departs_at"]),
                destination_airport=legs[-1]["to_airport"],
                booking_reference=c.text(booking_reference).upper(),
                ticket_number=c.text(ticket_number),
                ticket_cost=ticket_cost,
                currency=currency or "",
                project=project,
                special_needs=list(special_needs or []),
                escort=escort,
                airport_assistance=bool(airport_assistance),
                remarks=c.text(remarks),
                confirmed_at=now if status == BookingStatus.CONFIRMED else None,
                rebooked_from=rebooked_from,
                created_by=user,
            )
    except IntegrityError:
        raise ValidationFailed(
            _("This traveller already holds a seat: cancel it before booking another."),
            code="already_booked",
        ) from None
    BookingLeg.objects.bulk_create([BookingLeg(booking=booking, **leg) for leg in legs])
    booking.charge_warning = ""
    if booking.ticket_cost is not None and booking.project_id is not None:
        charge = booking_charge(user, booking)
        booking.charge_warning = getattr(charge, "warning", "")
    c.audit_booking(
        user,
        c.BOOKING_CREATED,
        booking,
        case,
        status=status,
        departure=getattr(departure, "pk", None),
        travel_date=booking.travel_date,
        rebooked_from=getattr(rebooked_from, "pk", None),
    )
    return booking


def _refuse_active(case, person_ids) -> None:
    taken = list(
        Booking.objects.filter(
            case=case, person_id__in=list(person_ids), status__in=ACTIVE_BOOKING_STATUSES
        ).select_related("person")
    )
    if taken:
        raise ValidationFailed(
            _("Already holding a seat (cancel it first): %(names)s.")
            % {"names": ", ".join(sorted({b.person.full_name for b in taken}))},
            code="already_booked",
        )


def booking_create(
    user,
    *,
    case,
    person,
    legs: list[dict],
    booking_reference: str = "",
    ticket_number: str = "",
    ticket_cost=None,
    currency: str = "",
    project=None,
    special_needs=None,
    airport_assistance: bool = False,
    remarks: str = "",
) -> Booking:
    """Book a traveller of the case on an itinerary (one or more flight legs): status
    "requested" until the carrier confirms it (booking_confirm). Special needs default to the
    traveller's fitness-to-travel decision."""
    c.require(user, "movement.record", case)
    errors: dict = {}
    legs = c.clean_legs(errors, legs)
    ticket_cost, currency, project = c.clean_money(
        errors,
        amount=ticket_cost,
        currency=currency,
        project=project,
        mission_id=case.mission_id,
        prefix="ticket_",
    )
    if "ticket_amount" in errors:
        errors["ticket_cost"] = errors.pop("ticket_amount")
    if special_needs is not None:
        special_needs = c.clean_special_needs(errors, special_needs)
    c.raise_if(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        if locked.status not in BOOKABLE_STATUSES:
            raise ValidationFailed(
                _("A case in status “%(status)s” cannot be booked.")
                % {"status": Status(locked.status).label},
                code="case_not_bookable",
            )
        member = _traveller(locked, person)
        if member.person_id in gone_person_ids(locked):
            raise ValidationFailed(
                fields={"person": [_("This traveller already departed.")]}, code="already_departed"
            )
        if legs[0]["departs_at"] < c.now():
            raise ValidationFailed(fields={"legs.1.departs_at": [_("This flight has left.")]})
        _refuse_active(locked, [member.person_id])
        if special_needs is None:
            on = timezone.localdate(legs[0]["departs_at"])
            fit = fitness_defaults(locked, [member.person_id], on).get(member.person_id)
            special_needs = list(fit.special_needs) if fit else []
        return create_booking(
            user,
            case=locked,
            person_id=member.person_id,
            legs=legs,
            status=BookingStatus.REQUESTED,
            booking_reference=booking_reference,
            ticket_number=ticket_number,
            ticket_cost=ticket_cost,
            currency=currency,
            project=project,
            special_needs=special_needs,
            airport_assistance=airport_assistance,
            remarks=remarks,
        )


def _locked_booking(booking, expected_version=None) -> Booking:
    row = Booking.objects.select_for_update().filter(pk=booking.pk).first()
    if row is None:
        raise NotFound()
    if expected_version is not None:
        c.check_version(row, expected_version)
    return row


def _save(row, fields) -> None:
    row.version += 1
    row.save(update_fields=[*fields, "version", "updated_at"])


def book_case_if_complete(user, case) -> Case:
    """Move a ready-to-travel case to booked once every traveller holds a confirmed seat or has
    already left (the `book` gates then check the safeguards for the travel date)."""
    from ..gates import SEAT_HELD_STATUSES, travellers_without

    if case.status == Status.READY_TO_TRAVEL and not travellers_without(case, SEAT_HELD_STATUSES):
        return move_case(user, case, "book")
    return case


def _charge(user, row, case):
    """Post the ticket's charge of a booking row read under lock (its case given)."""
    row.case = case
    return booking_charge(user, row)


def booking_confirm(
    user, *, booking: Booking, booking_reference: str = "", expected_version: int
) -> Booking:
    """The carrier confirmed the booking (its reference, PNR, is required). When this was the
    last traveller of a ready-to-travel case without a confirmed seat, the case moves to booked
    in the same transaction; if the workflow refuses it (a safeguard missing for the flight's
    date) the confirmation is refused with that reason. The ticket's cost is spent from now
    on (charges.py; a refusal of the budget refuses the confirmation)."""
    case = booking.case
    c.require(user, "movement.record", case)
    with transaction.atomic():
        locked = lock_case(case, None)
        row = _locked_booking(booking, expected_version)
        if row.status != BookingStatus.REQUESTED:
            raise ValidationFailed(
                _("Only a requested booking can be confirmed."), code="invalid_booking_status"
            )
        reference = c.text(booking_reference).upper() or row.booking_reference
        if not reference:
            raise ValidationFailed(
                fields={"booking_reference": [_("Enter the booking reference (PNR).")]}
            )
        row.status = BookingStatus.CONFIRMED
        row.booking_reference = reference
        row.confirmed_at = c.now()
        _save(row, ["status", "booking_reference", "confirmed_at"])
        charge = _charge(user, row, locked)
        c.audit_booking(user, c.BOOKING_CONFIRMED, row, locked, booking_reference=reference)
        book_case_if_complete(user, locked)
    row.charge_warning = getattr(charge, "warning", "")
    return row


def booking_update(user, *, booking: Booking, expected_version: int, **changes) -> Booking:
    """Change what a booking carries (reference, ticket, cost, special needs, escort, airport
    assistance, remarks) with the version read; a stale one is refused (409). A new cost,
    currency or project updates the ticket's charge (a refusal of the budget refuses the
    change)."""
    case = booking.case
    c.require(user, "movement.record", case)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed(fields={k: [_("This field cannot be changed.")] for k in unknown})
    with transaction.atomic():
        locked = lock_case(case, None)
        row = _locked_booking(booking, expected_version)
        if row.status not in ACTIVE_BOOKING_STATUSES:
            raise ValidationFailed(
                _("Only a requested or confirmed booking can be changed."),
                code="invalid_booking_status",
            )
        values = {k: getattr(row, k) for k in EDITABLE_FIELDS}
        values.update(changes)
        errors: dict = {}
        if "special_needs" in changes:
            values["special_needs"] = c.clean_special_needs(errors, changes["special_needs"])
        amount, currency, project = c.clean_money(
            errors,
            amount=values["ticket_cost"],
            currency=values["currency"],
            project=values["project"],
            mission_id=locked.mission_id,
            prefix="ticket_",
        )
        if "ticket_amount" in errors:
            errors["ticket_cost"] = errors.pop("ticket_amount")
        values.update(ticket_cost=amount, currency=currency, project=project)
        escort = values["escort"]
        if escort is not None and (
            row.departure_id is None or escort.departure_id != row.departure_id
        ):
            errors["escort"] = [_("Choose an escort of this booking's departure.")]
        for key in ("booking_reference", "ticket_number", "remarks"):
            values[key] = c.text(values[key])
        values["booking_reference"] = values["booking_reference"].upper()
        values["airport_assistance"] = bool(values["airport_assistance"])
        if (
            row.status == BookingStatus.CONFIRMED
            and not values["booking_reference"]
            and (row.departure_id is None)
        ):
            errors["booking_reference"] = [_("A confirmed booking keeps its reference.")]
        c.raise_if(errors)
        changed = [k for k in EDITABLE_FIELDS if getattr(row, k) != values[k]]
        for k in changed:
            setattr(row, k, values[k])
        _save(row, changed)
        charge = None
        if {"ticket_cost", "currency", "project"} & set(changed):
            charge = _charge(user, row, locked)
        c.audit_booking(user, c.BOOKING_UPDATED, row, locked, fields=changed)
    row.charge_warning = getattr(charge, "warning", "")
    return row


def _cancel(user, row, case, reason: str) -> None:
    row.status = BookingStatus.CANCELLED
    row.cancelled_reason = reason
    _save(row, ["status", "cancelled_reason"])
    _charge(user, row, case)  # released if the ticket was not issued yet
    c.audit_booking(user, c.BOOKING_CANCELLED, row, case, reason=reason)


def booking_cancel(
    user, *, booking: Booking, reason: str, expected_version: int | None = None
) -> Booking:
    """Cancel a requested or confirmed seat (the flight changes, the traveller is taken off a
    departure). The seat is free again. A booked case goes back to ready to travel ("unbook",
    same transaction) and is booked again once the traveller holds a new confirmed seat; the
    other travellers keep theirs."""
    case = booking.case
    c.require(user, "movement.record", case)
    reason = c.text(reason)
    if not reason:
        raise ValidationFailed(fields={"reason": [_("A reason is required.")]})
    with transaction.atomic():
        locked = lock_case(case, None)
        row = _locked_booking(booking, expected_version)
        if row.status not in ACTIVE_BOOKING_STATUSES:
            raise ValidationFailed(
                _("Only a requested or confirmed booking can be cancelled."),
                code="invalid_booking_status",
            )
        _cancel(user, row, locked, reason)
        if locked.status == Status.BOOKED:
            move_case(user, locked, "unbook", reason=reason)
    return row


def release_case_seats(user, *, case, reason: str, exclude=()) -> int:
    """Cancel every active seat of the case (withdrawal, hold, no-show of a companion). Runs in
    the caller's transaction (the workflow effect, the no-show); no policy check of its own."""
    rows = list(
        Booking.objects.select_for_update()
        .filter(case_id=case.pk, status__in=ACTIVE_BOOKING_STATUSES)
        .exclude(pk__in=list(exclude))
    )
    for row in rows:
        _cancel(user, row, case, reason or _("Seat released"))
    return len(rows)


def _refuse_if_departed(case) -> None:
    gone = list(
        Booking.objects.filter(case_id=case.pk, status=BookingStatus.DEPARTED).select_related(
            "person"
        )
    )
    if gone:
        raise ValidationFailed(
            _(
                "%(names)s already departed: a case travels together, so the case cannot be a "
                "no-show. Record the departure of the others or correct the departure first."
            )
            % {"names": ", ".join(b.person.full_name for b in gone)},
            code="companion_departed",
        )


def mark_case_no_show(user, *, case, reason: str, details: str = "") -> int:
    """The case was recorded as a no-show from the case page: its active seats become no-shows.
    Runs in case_transition's transaction (workflow effect)."""
    rows = list(
        Booking.objects.select_for_update().filter(
            case_id=case.pk, status__in=ACTIVE_BOOKING_STATUSES
        )
    )
    if rows:
        _refuse_if_departed(case)
    for row in rows:
        _mark_no_show(user, row, case, reason, details)
    return len(rows)


def _mark_no_show(user, row, case, reason, details) -> None:
    row.status = BookingStatus.NO_SHOW
    row.no_show_reason = reason
    row.no_show_details = details
    _save(row, ["status", "no_show_reason", "no_show_details"])
    c.audit_booking(user, c.BOOKING_NO_SHOW, row, case, reason=reason, details=details)


def booking_no_show(
    user,
    *,
    booking: Booking,
    reason: str,
    details: str = "",
    expected_version: int | None = None,
) -> Booking:
    """The traveller did not travel (reason, details). The case travels together: its other
    active seats are released, and the case moves to no-show in the same transaction (then
    rebook it, booking_rebook, or withdraw it). Refused when a companion already departed."""
    case = booking.case
    c.require(user, "movement.record", case)
    details = c.text(details)
    errors: dict = {}
    if reason not in NoShowReason.values:
        errors["reason"] = [_("Choose the reason.")]
    elif reason == NoShowReason.OTHER and not details:
        errors["details"] = [_("Say what happened.")]
    c.raise_if(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        row = _locked_booking(booking, expected_version)
        if row.status != BookingStatus.CONFIRMED:
            raise ValidationFailed(
                _("Only a confirmed booking can be a no-show."), code="invalid_booking_status"
            )
        if locked.status != Status.BOOKED:
            raise ValidationFailed(
                _("The case is not booked (status “%(status)s”).")
                % {"status": Status(locked.status).label},
                code="case_not_booked",
            )
        _refuse_if_departed(locked)
        _mark_no_show(user, row, locked, reason, details)
        release_case_seats(
            user,
            case=locked,
            reason=_("No-show of %(name)s") % {"name": row.person.full_name},
        )
        label = NoShowReason(reason).label
        move_case(
            user,
            locked,
            "no_show",
            reason=f"{row.person.full_name}: {label}" + (f" ({details})" if details else ""),
        )
        if row.departure_id:
            from .confirmations import close_departure_if_done

            close_departure_if_done(user, row.departure)
    return row


def _previous_bookings(case, person_ids) -> dict:
    """{person id: their latest booking in the case}, for rebooked_from."""
    out = {}
    rows = Booking.objects.filter(case_id=case.pk, person_id__in=person_ids).order_by("-id")
    for b in rows.only("pk", "person_id"):
        out.setdefault(b.person_id, b)
    return out


def booking_rebook(
    user,
    *,
    case,
    departure=None,
    legs: list[dict] | None = None,
    booking_reference: str = "",
    ticket_cost=None,
    currency: str = "",
    project=None,
    special_needs: dict | None = None,
    escorts: dict | None = None,
    airport_assistance: bool = False,
    remarks: str = "",
) -> list[Booking]:
    """Book a no-show case again: on a group `departure` (planned, not left, of a mission where
    the user organises departures; its row locked, so its capacity holds under concurrency) or
    on an itinerary `legs` with its confirmed `booking_reference`, for every traveller; each new
    booking points to the one it replaces (rebooked_from). The case moves no_show ->
    pre_departure -> ready_to_travel -> booked in the same transaction, so the readiness gates
    are checked again for the new travel date; any refusal leaves everything as it was."""
    from .departures import add_case_to_departure, lock_open_departure

    c.require(user, "movement.record", case)
    if departure is not None:
        c.require_departure_access(user, departure)
    if (departure is None) == (not legs):
        raise ValidationFailed(
            _("Choose a departure or enter the new itinerary (one of the two)."),
            code="rebook_target",
        )
    errors: dict = {}
    if legs:
        legs = c.clean_legs(errors, legs)
        if not c.text(booking_reference):
            errors["booking_reference"] = [_("Enter the booking reference (PNR).")]
        ticket_cost, currency, project = c.clean_money(
            errors,
            amount=ticket_cost,
            currency=currency,
            project=project,
            mission_id=case.mission_id,
            prefix="ticket_",
        )
        if "ticket_amount" in errors:
            errors["ticket_cost"] = errors.pop("ticket_amount")
    c.raise_if(errors)
    with transaction.atomic():
        # the departure first, then the case: the order departure_add_cases locks them in
        if departure is not None:
            departure = lock_open_departure(departure)
        locked = lock_case(case, None)
        if locked.status != Status.NO_SHOW:
            raise ValidationFailed(_("Only a no-show case is rebooked."), code="case_not_no_show")
        members = readiness.travellers(locked)
        previous = _previous_bookings(locked, [m.person_id for m in members])
        locked = move_case(user, locked, "rebook")
        if departure is not None:
            bookings = add_case_to_departure(
                user,
                departure=departure,
                case=locked,
                special_needs=special_needs,
                escorts=escorts,
                rebooked_from=previous,
            )
        else:
            if legs[0]["departs_at"] < c.now():
                raise ValidationFailed(fields={"legs.1.departs_at": [_("This flight has left.")]})
            on = timezone.localdate(legs[0]["departs_at"])
            fitness = fitness_defaults(locked, [m.person_id for m in members], on)
            bookings = []
            for m in members:
                needs = (special_needs or {}).get(m.person_id)
                if needs is None:
                    fit = fitness.get(m.person_id)
                    needs = list(fit.special_needs) if fit else []
                bookings.append(
                    create_booking(
                        user,
                        case=locked,
                        person_id=m.person_id,
                        legs=legs,
                        status=BookingStatus.CONFIRMED,
                        booking_reference=booking_reference,
                        ticket_cost=ticket_cost,
                        currency=currency,
                        project=project or locked.project,
                        special_needs=needs,
                        airport_assistance=airport_assistance,
                        remarks=remarks,
                        rebooked_from=previous.get(m.person_id),
                    )
                )
        locked = move_case(user, locked, "mark_ready")
        move_case(user, locked, "book")
    return bookings


def leg_for_departure(departure) -> dict:
    """The one flight leg of a group departure's seat."""
    tz = timezone.get_current_timezone()
    departs = datetime.datetime.combine(
        departure.departure_date, departure.departure_time or datetime.time(0, 0)
    )
    return {
        "order": 1,
        "carrier": departure.carrier,
        "flight_number": departure.flight_number,
        "from_airport": departure.from_airport,
        "to_airport": departure.to_airport,
        "departs_at": timezone.make_aware(departs, tz),
        "arrives_at": None,
    }
