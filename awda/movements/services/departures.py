"""Group departures: create and edit (versioned), cancel, escorts, and the manifest's
travellers (add ready cases, take a case off).

A departure belongs to a mission and is organised by movement officers and managers of its
offices (selectors.departure_mission_ids); adding a case also needs `movement.record` on that
case. Adding cases is all-or-nothing per call: every traveller of every case gets a confirmed
seat and every case moves to booked (its gates checked for the departure's date), or nothing is
written and the error names the case and the reason.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.models import Mission
from awda.cases import readiness
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import lock_case
from awda.core.errors import PermissionDenied, ValidationFailed

from ..choices import (
    ACTIVE_BOOKING_STATUSES,
    BookingStatus,
    DepartureKind,
    DepartureStatus,
    EscortKind,
)
from ..models import Booking, Departure, Escort
from . import _common as c
from .bookings import (
    _cancel,
    _refuse_active,
    create_booking,
    fitness_defaults,
    leg_for_departure,
    move_case,
    travellers_to_seat,
)

DEPARTURE_FIELDS = (
    "kind",
    "departure_date",
    "departure_time",
    "from_airport",
    "to_airport",
    "carrier",
    "flight_number",
    "capacity",
    "project",
    "notes",
)


def _clean_departure(errors: dict, values: dict, *, mission_id: int, creating: bool) -> dict:
    if values.get("kind") not in DepartureKind.values:
        errors["kind"] = [_("Choose a valid option.")]
    day = values.get("departure_date")
    if not isinstance(day, datetime.date):
        errors["departure_date"] = [_("Enter the departure date.")]
    elif creating and day < timezone.localdate():
        errors["departure_date"] = [_("The departure date cannot be in the past.")]
    values["from_airport"] = c.airport(errors, "from_airport", values.get("from_airport"))
    values["to_airport"] = c.airport(errors, "to_airport", values.get("to_airport"))
    if "to_airport" not in errors and values["from_airport"] == values["to_airport"]:
        errors["to_airport"] = [_("The flight must go to another airport.")]
    values["carrier"] = c.text(values.get("carrier"))
    values["flight_number"] = c.text(values.get("flight_number")).upper().replace(" ", "")
    values["notes"] = c.text(values.get("notes"))
    capacity = values.get("capacity")
    if capacity in ("", 0):
        capacity = None
    if capacity is not None and not 1 <= int(capacity) <= c.MAX_SEATS:
        errors["capacity"] = [
            _("Enter a number of seats from 1 to %(max)s, or leave it empty.")
            % {"max": c.MAX_SEATS}
        ]
    values["capacity"] = int(capacity) if capacity is not None else None
    project = values.get("project")
    if project is not None and project.mission_id != mission_id:
        errors["project"] = [_("The project belongs to another mission.")]
    if values.get("kind") == DepartureKind.SCHEDULED and not values["flight_number"]:
        errors["flight_number"] = [_("Enter the flight number of a scheduled flight.")]
    return values


def _next_reference(mission: Mission, day: datetime.date) -> str:
    """MA-20260315-01: mission, date, sequence of the day (the mission row is locked)."""
    Mission.objects.select_for_update().filter(pk=mission.pk).first()
    prefix = f"{mission.code}-{day:%Y%m%d}-"
    n = Departure.objects.filter(reference__startswith=prefix).count() + 1
    while Departure.objects.filter(reference=f"{prefix}{n:02d}").exists():
        n += 1
    return f"{prefix}{n:02d}"


def departure_create(
    user,
    *,
    office,
    departure_date: datetime.date,
    from_airport: str,
    to_airport: str,
    kind: str = DepartureKind.SCHEDULED,
    departure_time: datetime.time | None = None,
    carrier: str = "",
    flight_number: str = "",
    capacity: int | None = None,
    project=None,
    notes: str = "",
) -> Departure:
    """Plan a group departure (scheduled flight or charter) organised by `office`, for the
    office's mission. Its reference is generated (mission, date, sequence)."""
    from ..selectors import departure_office_ids

    if office is None or office.pk not in departure_office_ids(user):
        raise PermissionDenied()
    errors: dict = {}
    values = _clean_departure(
        errors,
        {
            "kind": kind,
            "departure_date": departure_date,
            "departure_time": departure_time,
            "from_airport": from_airport,
            "to_airport": to_airport,
            "carrier": carrier,
            "flight_number": flight_number,
            "capacity": capacity,
            "project": project,
            "notes": notes,
        },
        mission_id=office.mission_id,
        creating=True,
    )
    c.raise_if(errors)
    with transaction.atomic():
        reference = _next_reference(office.mission, values["departure_date"])
        departure = Departure.objects.create(
            mission_id=office.mission_id,
            office=office,
            reference=reference,
            created_by=user,
            **values,
        )
        c.audit_departure(
            user,
            c.DEPARTURE_CREATED,
            departure,
            reference=reference,
            departure_date=departure.departure_date,
            flight=departure.flight_number,
            capacity=departure.capacity,
        )
    return departure


def _locked_departure(departure, expected_version=None) -> Departure:
    row = Departure.objects.select_for_update().get(pk=departure.pk)
    if expected_version is not None:
        c.check_version(row, expected_version)
    return row


def _require_planned(row: Departure) -> None:
    if row.status != DepartureStatus.PLANNED:
        raise ValidationFailed(
            _("The departure is %(status)s: it no longer changes.")
            % {"status": DepartureStatus(row.status).label.lower()},
            code="departure_closed",
        )


def lock_open_departure(departure) -> Departure:
    """The departure row locked (its seats are counted under the lock), refused unless it is
    planned and has not left yet: travellers are put on it only then."""
    row = _locked_departure(departure)
    _require_planned(row)
    if row.departure_date < timezone.localdate():
        raise ValidationFailed(_("This departure has left."), code="departure_past")
    return row


def departure_update(user, *, departure: Departure, expected_version: int, **changes) -> Departure:
    """Change a planned departure with the version read (409 when stale). A new date or time
    moves its seats (their travel date and leg) and is refused if a traveller on it would then
    miss a safeguard (a document or a fitness decision not valid on the new date); fewer seats
    than are taken is refused."""
    c.require_departure_access(user, departure)
    unknown = sorted(set(changes) - set(DEPARTURE_FIELDS))
    if unknown:
        raise ValidationFailed(fields={k: [_("This field cannot be changed.")] for k in unknown})
    with transaction.atomic():
        row = _locked_departure(departure, expected_version)
        _require_planned(row)
        values = {k: getattr(row, k) for k in DEPARTURE_FIELDS}
        values.update(changes)
        errors: dict = {}
        values = _clean_departure(errors, values, mission_id=row.mission_id, creating=False)
        moved = "departure_date" in changes and values["departure_date"] != row.departure_date
        if moved and values["departure_date"] < timezone.localdate():
            errors["departure_date"] = [_("The departure date cannot be in the past.")]
        c.raise_if(errors)
        changed = [k for k in DEPARTURE_FIELDS if getattr(row, k) != values[k]]
        if "capacity" in changed and values["capacity"] is not None:
            used = c.seats_used(row)
            if used > values["capacity"]:
                raise ValidationFailed(
                    fields={
                        "capacity": [
                            _("%(used)s seats are taken: the capacity cannot be lower.")
                            % {"used": used}
                        ]
                    }
                )
        for k in changed:
            setattr(row, k, values[k])
        row.version += 1
        row.save(update_fields=[*changed, "version", "updated_at"])
        flight_fields = {"departure_date", "departure_time", "from_airport", "to_airport"}
        flight_fields |= {"carrier", "flight_number"}
        if set(changed) & flight_fields:
            _move_seats(user, row)
        c.audit_departure(user, c.DEPARTURE_UPDATED, row, fields=changed)
    return row


def _move_seats(user, departure: Departure) -> None:
    """Apply the departure's flight to its active seats, then check every case on it is still
    ready for the (new) date."""
    leg = leg_for_departure(departure)
    seats = list(
        Booking.objects.filter(departure=departure, status__in=ACTIVE_BOOKING_STATUSES)
        .select_related("case", "case__principal")
        .prefetch_related("legs")
    )
    Booking.objects.filter(pk__in=[b.pk for b in seats]).update(
        travel_date=departure.departure_date,
        destination_airport=departure.to_airport,
        version=F("version") + 1,
    )
    for b in seats:
        b.legs.all().update(**{k: v for k, v in leg.items() if k not in ("order", "arrives_at")})
    refused = []
    for case in {b.case_id: b.case for b in seats}.values():
        missing = readiness.missing_messages(case, user, on_date=departure.departure_date)
        if missing:
            refused.append(f"{case.number}: {' '.join(missing)}")
    if refused:
        raise ValidationFailed(
            _("Travellers on this departure would not be ready on that date: %(why)s")
            % {"why": " ".join(refused)},
            code="travellers_not_ready",
        )


def departure_cancel(
    user, *, departure: Departure, reason: str, expected_version: int
) -> Departure:
    """Cancel a planned departure: its seats are released and the booked cases on it go back to
    ready to travel (to be booked on another flight)."""
    c.require_departure_access(user, departure)
    reason = c.text(reason)
    if not reason:
        raise ValidationFailed(fields={"reason": [_("A reason is required.")]})
    with transaction.atomic():
        row = _locked_departure(departure, expected_version)
        _require_planned(row)
        if Booking.objects.filter(departure=row, status=BookingStatus.DEPARTED).exists():
            raise ValidationFailed(
                _("Travellers of this departure have departed: it cannot be cancelled."),
                code="departure_departed",
            )
        case_ids = sorted(
            set(
                Booking.objects.filter(
                    departure=row, status__in=ACTIVE_BOOKING_STATUSES
                ).values_list("case_id", flat=True)
            )
        )
        for case in Case.objects.filter(pk__in=case_ids).order_by("pk"):
            _remove_case(user, row, case, reason)
        row.status = DepartureStatus.CANCELLED
        row.version += 1
        row.save(update_fields=["status", "version", "updated_at"])
        c.audit_departure(user, c.DEPARTURE_CANCELLED, row, reason=reason)
    return row


# ---- escorts -------------------------------------------------------------------------------------


def _is_mission_staff(staff, mission_id) -> bool:
    from awda.accounts.models import Membership

    return (
        staff.is_active
        and Membership.objects.filter(
            user=staff, office__mission_id=mission_id, is_active=True
        ).exists()
    )


def escort_add(
    user,
    *,
    departure: Departure,
    kind: str,
    name: str,
    staff=None,
    organisation=None,
    phone: str = "",
    seats: int = 1,
    notes: str = "",
) -> Escort:
    """Add an escort (medical, operational, child) to a departure: their seats count against
    its capacity."""
    c.require_departure_access(user, departure)
    errors: dict = {}
    if kind not in EscortKind.values:
        errors["kind"] = [_("Choose a valid option.")]
    if staff is not None and not _is_mission_staff(staff, departure.mission_id):
        errors["staff"] = [_("Choose a staff member of the departure's mission.")]
        staff = None
    if organisation is not None and not organisation.is_active:
        errors["organisation"] = [_("Choose an active partner organisation.")]
    name = c.text(name) or (staff.get_full_name() or staff.get_username() if staff else "")
    if not name:
        errors["name"] = [_("Enter the escort's name.")]
    if not isinstance(seats, int) or seats < 1:
        errors["seats"] = [_("At least one seat.")]
    elif seats > c.MAX_SEATS:
        errors["seats"] = [_("At most %(max)s seats.") % {"max": c.MAX_SEATS}]
    c.raise_if(errors)
    with transaction.atomic():
        row = _locked_departure(departure)
        _require_planned(row)
        c.check_capacity(row, seats)
        escort = Escort.objects.create(
            departure=row,
            kind=kind,
            name=name,
            user=staff,
            organisation=organisation,
            phone=c.text(phone),
            seats=seats,
            notes=c.text(notes),
        )
        c.audit_departure(
            user, c.ESCORT_ADDED, row, escort=escort.pk, kind=kind, name=name, seats=seats
        )
    return escort


def escort_remove(user, *, escort: Escort) -> None:
    """Take an escort off a planned departure (the travellers they escorted keep their seats,
    without an escort)."""
    departure = escort.departure
    c.require_departure_access(user, departure)
    with transaction.atomic():
        row = _locked_departure(departure)
        _require_planned(row)
        c.audit_departure(
            user, c.ESCORT_REMOVED, row, escort=escort.pk, kind=escort.kind, name=escort.name
        )
        Booking.objects.filter(escort=escort).update(escort=None, version=F("version") + 1)
        escort.delete()


# ---- travellers ----------------------------------------------------------------------------------


def add_case_to_departure(
    user,
    *,
    departure: Departure,
    case: Case,
    special_needs: dict | None = None,
    escorts: dict | None = None,
    airport_assistance: dict | None = None,
    rebooked_from: dict | None = None,
) -> list[Booking]:
    """Confirmed seats on the (locked, planned) departure for every traveller of the (locked)
    case who has not departed yet; capacity checked. Special needs default to the traveller's fitness decision and a
    traveller whose decision asks for a medical escort is linked to the departure's medical
    escort when there is one (for a non-medical escort, an operational or child escort, else the
    medical one). The caller moves the case."""
    if case.mission_id != departure.mission_id:
        raise ValidationFailed(
            _("%(number)s is a case of another mission.") % {"number": case.number},
            code="other_mission",
        )
    members = travellers_to_seat(case)
    if not members:
        raise ValidationFailed(
            _("%(number)s: every traveller already departed.") % {"number": case.number},
            code="nobody_to_seat",
        )
    person_ids = [m.person_id for m in members]
    _refuse_active(case, person_ids)
    c.check_capacity(departure, len(members))
    fitness = fitness_defaults(case, person_ids, departure.departure_date)
    departure_escorts = {e.pk: e for e in departure.escorts.all()}
    medical = next((e for e in departure_escorts.values() if e.kind == EscortKind.MEDICAL), None)
    non_medical = next(
        (
            e
            for kind in (EscortKind.OPERATIONAL, EscortKind.CHILD)
            for e in departure_escorts.values()
            if e.kind == kind
        ),
        None,
    )
    leg = leg_for_departure(departure)
    errors: dict = {}
    out = []
    for m in members:
        pid = m.person_id
        fit = fitness.get(pid)
        needs = (special_needs or {}).get(pid)
        needs = (
            c.clean_special_needs(errors, needs, f"special_needs.{pid}")
            if needs is not None
            else list(fit.special_needs if fit else [])
        )
        escort = None
        wanted = (escorts or {}).get(pid)
        if wanted:
            escort = departure_escorts.get(getattr(wanted, "pk", wanted))
            if escort is None:
                errors[f"escorts.{pid}"] = [_("Choose an escort of this departure.")]
        elif fit is not None and fit.escort == "medical":
            escort = medical
        elif fit is not None and fit.escort == "non_medical":
            escort = non_medical or medical
        c.raise_if(errors)
        out.append(
            create_booking(
                user,
                case=case,
                person_id=pid,
                legs=[dict(leg)],
                status=BookingStatus.CONFIRMED,
                departure=departure,
                booking_reference="",
                project=departure.project or case.project,
                special_needs=needs,
                escort=escort,
                airport_assistance=bool((airport_assistance or {}).get(pid, bool(needs))),
                rebooked_from=(rebooked_from or {}).get(pid),
            )
        )
    return out


def departure_add_cases(
    user,
    *,
    departure: Departure,
    cases,
    special_needs: dict | None = None,
    escorts: dict | None = None,
    airport_assistance: dict | None = None,
) -> list[Booking]:
    """Put ready-to-travel cases on a planned departure: a confirmed seat for every traveller,
    and each case moves to booked (cases.services.case_transition "book": its gates check the
    travel safeguards for the departure's date, e.g. documents valid after it, fitness valid on
    it). `special_needs` ({person id: [codes]}), `escorts` ({person id: escort or its id}) and
    `airport_assistance` ({person id: bool}; default: yes for a traveller with special needs)
    are optional. All or nothing: the error names the case and why."""
    c.require_departure_access(user, departure)
    cases = list(cases)
    if not cases:
        raise ValidationFailed(fields={"cases": [_("Choose at least one case.")]})
    for case in cases:
        c.require(user, "movement.record", case)
    with transaction.atomic():
        row = lock_open_departure(departure)
        # lock the cases in a fixed order (no deadlock between two officers)
        locked = {cs.pk: lock_case(cs, None) for cs in sorted(cases, key=lambda x: x.pk)}
        needed = sum(len(travellers_to_seat(cs)) for cs in locked.values())
        c.check_capacity(row, needed)
        bookings = []
        for case in cases:
            cs = locked[case.pk]
            if cs.status != Status.READY_TO_TRAVEL:
                raise ValidationFailed(
                    _("%(number)s is not ready to travel (status “%(status)s”).")
                    % {"number": cs.number, "status": Status(cs.status).label},
                    code="case_not_ready",
                    details={"case": cs.pk},
                )
            bookings += add_case_to_departure(
                user,
                departure=row,
                case=cs,
                special_needs=special_needs,
                escorts=escorts,
                airport_assistance=airport_assistance,
            )
            move_case(user, cs, "book")
            case.status, case.version = cs.status, cs.version
    return bookings


def _remove_case(user, departure, case, reason) -> int:
    locked = lock_case(case, None)
    rows = list(
        Booking.objects.select_for_update().filter(
            departure=departure, case_id=locked.pk, status__in=ACTIVE_BOOKING_STATUSES
        )
    )
    for b in rows:
        _cancel(user, b, locked, reason)
    if rows and locked.status == Status.BOOKED:
        move_case(user, locked, "unbook", reason=reason)
    return len(rows)


def departure_remove_case(user, *, departure: Departure, case: Case, reason: str) -> int:
    """Take a whole case off a planned departure before it leaves: its seats are cancelled
    (free again) and, if it was booked, the case goes back to ready to travel ("unbook"), to be
    put on another departure. Returns the number of seats released."""
    c.require_departure_access(user, departure)
    c.require(user, "movement.record", case)
    reason = c.text(reason)
    if not reason:
        raise ValidationFailed(fields={"reason": [_("A reason is required.")]})
    with transaction.atomic():
        row = _locked_departure(departure)
        _require_planned(row)
        n = _remove_case(user, row, case, reason)
        if not n:
            raise ValidationFailed(
                _("This case holds no seat on the departure."), code="not_on_departure"
            )
    return n


def manifest_printed(user, *, departure: Departure, fmt: str, travellers: int) -> None:
    """Audit a manifest served (the departure page, JSON, PDF or XLSX: `fmt`): it lists names,
    dates of birth and document numbers of people of several cases."""
    c.require_departure_access(user, departure)
    c.audit_departure(user, c.MANIFEST_PRINTED, departure, format=fmt, travellers=travellers)
