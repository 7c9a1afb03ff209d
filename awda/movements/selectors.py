"""Scoped reads of movements.

- Departures are mission-level operations whose manifest mixes people of several offices: they
  are seen by users holding `movement.record` (movement officers, managers) in an office of the
  departure's mission (`departure_mission_ids`), and are a 404 for anyone else.
- A case's bookings are read through the case (resolved by the scoped case selector, policy
  `movement.view`).
- Expected arrivals: the departed (and recently arrived) seats of cases handed over to a mission
  where the user may confirm arrivals, through the case scoping (before the handover: nothing).
"""

import datetime
from collections.abc import Iterable

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from awda.accounts.models import Office
from awda.accounts.selectors import user_scope
from awda.cases.choices import Status
from awda.cases.policies import PERMISSIONS
from awda.cases.selectors import case_queryset_for
from awda.core.errors import NotFound
from awda.registry.choices import DocumentType
from awda.registry.models import IdentityDocument

from .choices import MANIFEST_STATUSES, BookingStatus, DepartureStatus
from .models import Booking, BookingLeg, Departure, Escort
from .services._common import SEAT_STATUSES

ARRIVED_SHOWN_DAYS = 30


def departure_mission_ids(user) -> set[int]:
    """The missions whose departures the user organises (movement.record in one of its offices)."""
    return user_scope(user).missions_with(*PERMISSIONS["movement.record"])


def departure_office_ids(user) -> set[int]:
    """The offices where the user may organise a departure."""
    return user_scope(user).offices_with(*PERMISSIONS["movement.record"])


def departure_offices(user):
    return Office.objects.filter(pk__in=departure_office_ids(user), is_active=True).select_related(
        "mission"
    )


def may_organise_departures(user) -> bool:
    return bool(departure_mission_ids(user))


def _with_seats(qs):
    booked = (
        Booking.objects.filter(departure=OuterRef("pk"), status__in=SEAT_STATUSES)
        .order_by()
        .values("departure")
        .annotate(n=Count("pk"))
        .values("n")
    )
    escort_seats = (
        Escort.objects.filter(departure=OuterRef("pk"))
        .order_by()
        .values("departure")
        .annotate(n=Sum("seats"))
        .values("n")
    )
    return qs.annotate(
        traveller_seats=Coalesce(Subquery(booked, output_field=IntegerField()), Value(0)),
        escort_seats=Coalesce(Subquery(escort_seats, output_field=IntegerField()), Value(0)),
    )


def departure_queryset_for(user):
    missions = departure_mission_ids(user)
    if not missions:
        return Departure.objects.none()
    return Departure.objects.filter(mission_id__in=missions)


def departure_list_for(
    user,
    *,
    status: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    office: int | None = None,
    to_airport: str | None = None,
    query: str | None = None,
    upcoming: bool = True,
):
    """The departures the user organises, with their seat counts (traveller_seats,
    escort_seats). Upcoming first (from today, soonest first); with `upcoming=False` the past
    ones, most recent first. One query."""
    qs = departure_queryset_for(user)
    today = timezone.localdate()
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(departure_date__gte=date_from)
    if date_to:
        qs = qs.filter(departure_date__lte=date_to)
    if office:
        qs = qs.filter(office_id=office)
    if to_airport:
        qs = qs.filter(to_airport=to_airport.upper())
    if query:
        q = query.strip()
        qs = qs.filter(Q(reference__icontains=q) | Q(flight_number__icontains=q))
    if upcoming:
        qs = qs.filter(departure_date__gte=today).order_by("departure_date", "departure_time", "id")
    else:
        qs = qs.filter(departure_date__lt=today).order_by("-departure_date", "-id")
    return _with_seats(qs.select_related("office", "mission", "project"))


def departure_get_for(user, pk) -> Departure:
    try:
        return _with_seats(
            departure_queryset_for(user).select_related("office", "mission", "project")
        ).get(pk=pk)
    except (Departure.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def seats_free(departure) -> int | None:
    if departure.capacity is None:
        return None
    used = getattr(departure, "traveller_seats", 0) + getattr(departure, "escort_seats", 0)
    return max(departure.capacity - used, 0)


def escorts_of(departure):
    return departure.escorts.select_related("user", "organisation")


def manifest(departure):
    """The travellers of a departure (seats requested, confirmed, departed, arrived or
    no-show), by case then principal first, with what the manifest shows. Fixed queries."""
    return (
        Booking.objects.filter(departure=departure, status__in=MANIFEST_STATUSES)
        .select_related("person", "case", "case__principal", "case__office", "escort")
        .select_related("pocket_money")
        .order_by("case__number", "id")
    )


def _fallback_documents(person_ids, on_date) -> dict:
    """{person id: IdentityDocument|None}: a laissez-passer, else a passport, valid on the
    date, from the identity documents of the registry (one query)."""
    out: dict = {pid: None for pid in person_ids}
    rank = {DocumentType.LAISSEZ_PASSER: 0, DocumentType.PASSPORT: 1}
    rows = IdentityDocument.objects.filter(
        person_id__in=list(person_ids), doc_type__in=list(rank)
    ).filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=on_date))
    best: dict = {}
    for d in rows:
        key = (rank[d.doc_type], -(d.expiry_date or datetime.date.max).toordinal())
        if d.person_id not in best or key < best[d.person_id][0]:
            best[d.person_id] = (key, d)
    for pid, (_key, d) in best.items():
        out[pid] = d
    return out


def travel_documents(person_ids: Iterable[int], on_date: datetime.date) -> dict:
    """{person id: (document type label, number, expiry date) or None}: the travel document each
    traveller uses on `on_date`. From the travel documents app
    (traveldocs.selectors.document_for_travel) when it is installed, else the registry's
    identity documents. A fixed number of queries."""
    person_ids = list(person_ids)
    try:
        from awda.movements.traveldocs.selectors import document_for_travel
    except ImportError:
        document_for_travel = None
    docs = (
        document_for_travel(person_ids, on_date)
        if document_for_travel
        else _fallback_documents(person_ids, on_date)
    )
    out = {}
    for pid in person_ids:
        d = docs.get(pid)
        if d is None:
            out[pid] = None
            continue
        kind = d.get_doc_type_display() if hasattr(d, "get_doc_type_display") else ""
        if not kind and hasattr(d, "get_kind_display"):
            kind = d.get_kind_display()
        expiry = getattr(d, "expires_on", None) or getattr(d, "expiry_date", None)
        out[pid] = (str(kind), getattr(d, "number", ""), expiry)
    return out


def case_bookings(case):
    """Every booking of the case, newest journey first, with legs and pocket money."""
    return (
        Booking.objects.filter(case=case)
        .select_related("person", "departure", "escort", "pocket_money", "project")
        .prefetch_related(
            Prefetch("legs", queryset=BookingLeg.objects.order_by("order", "id")),
            "departure__escorts",
        )
        .order_by("-travel_date", "person_id", "-id")
    )


def booking_of_case(case, pk) -> Booking:
    booking = case_bookings(case).filter(pk=pk).first()
    if booking is None:
        raise NotFound()
    booking.case = case
    return booking


def bookings_for_user(user, pks, *, statuses=None):
    """Bookings by id among the cases the user sees (404 for anything else)."""
    pks = sorted({int(p) for p in pks})
    qs = Booking.objects.filter(pk__in=pks, case__in=case_queryset_for(user)).select_related(
        "case", "person"
    )
    if statuses:
        qs = qs.filter(status__in=statuses)
    rows = list(qs)
    if len(rows) != len(pks):
        raise NotFound()
    return rows


def ready_cases(user, departure, *, office=None, nationality=None, country=None):
    """Cases ready to travel in the offices of the departure's mission where the user records
    movements, with no active seat yet, to add to the departure (filters: office, nationality,
    country of return)."""
    offices = [
        o for o in departure_office_ids(user) if o in _mission_office_ids(departure.mission_id)
    ]
    active = Booking.objects.filter(
        case=OuterRef("pk"), status__in=(BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
    )

    qs = (
        case_queryset_for(user)
        .filter(status=Status.READY_TO_TRAVEL, office_id__in=offices)
        .annotate(has_seat=Exists(active))
        .filter(has_seat=False)
    )
    if office:
        qs = qs.filter(office_id=office)
    if nationality:
        qs = qs.filter(nationality=nationality)
    if country:
        qs = qs.filter(country_of_return=country)
    return qs.select_related("principal", "office").order_by("registered_on", "id")


def _mission_office_ids(mission_id) -> set[int]:
    return set(Office.objects.filter(mission_id=mission_id).values_list("pk", flat=True))


def arrival_mission_ids(user) -> set[int]:
    """Origin missions where the user may confirm arrivals."""
    scope = user_scope(user)
    return scope.missions_with(*PERMISSIONS["arrival.confirm"]) & scope.origin_mission_ids


def may_confirm_arrivals(user) -> bool:
    return bool(arrival_mission_ids(user))


def expected_arrivals(user, *, include_arrived: bool = True, departure=None):
    """Seats of cases handed over to the user's origin missions that have departed (awaiting
    arrival) and, with `include_arrived`, those that arrived in the last 30 days; soonest
    first, grouped by departure by the caller. One query."""
    missions = arrival_mission_ids(user)
    if not missions:
        return Booking.objects.none()
    q = Q(status=BookingStatus.DEPARTED)
    if include_arrived:
        since = timezone.now() - datetime.timedelta(days=ARRIVED_SHOWN_DAYS)
        q |= Q(status=BookingStatus.ARRIVED, arrived_at__gte=since)
    # The roles that confirm arrivals are case viewers, so "handed over to one of my missions" is
    # the case scope for these seats (cases.selectors._visible_case_q): written once, as a join,
    # the planner starts from the few seats in the air (booking_status_date_idx,
    # booking_arrived_idx) instead of every case ever handed over (bench/README.md).
    qs = Booking.objects.filter(
        q, case__receiving_mission_id__in=missions, case__handed_over_at__isnull=False
    )
    if departure is not None:
        qs = qs.filter(departure=departure)
    return qs.select_related("person", "case", "case__principal", "departure").order_by(
        "travel_date", "departure_id", "case__number", "id"
    )


def open_departures_for_case(user, case):
    """Planned departures of the case's mission, from today, for a rebooking."""
    return departure_queryset_for(user).filter(
        mission_id=case.mission_id,
        status=DepartureStatus.PLANNED,
        departure_date__gte=timezone.localdate(),
    )
