"""Reads of the operations board of the movement officers (issue 4, section 5): who is ready to
travel, who waits for what (documents, fitness, protection, other), the upcoming departures with
their seats, escorts and special needs, and a month calendar of departures and individual
bookings. Everything is filterable by office, nationality and country of return.

Scope: the offices where the user holds "movement.record" (movement officers and managers), and
the departures organised by the missions of those offices. A fixed number of queries whatever
the number of cases: the "waiting" section reads the readiness checklist of a page of cases at
once (cases.readiness.readiness_for_cases, providers' collect_many; see
docs/decisions/0015-operations-board.md)."""

import calendar
import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Office
from awda.cases.choices import Status
from awda.cases.models import Case, CaseMember
from awda.cases.policies import offices_where
from awda.cases.readiness import readiness_for_cases
from awda.core.errors import PermissionDenied
from awda.screening.health.choices import SpecialNeed

from .choices import ACTIVE_BOOKING_STATUSES, BookingStatus, DepartureStatus
from .models import Booking, Departure, Escort

PAGE_SIZE = 25
READY_STATUSES = (Status.READY_TO_TRAVEL,)
WAITING_STATUSES = (Status.ELIGIBLE, Status.PRE_DEPARTURE)

# The groups of the "waiting" section, in display order.
DOCUMENTS = "documents"
FITNESS = "fitness"
PROTECTION = "protection"
OTHER = "other"
GROUPS = (
    (DOCUMENTS, _("Documents")),
    (FITNESS, _("Fitness to travel")),
    (PROTECTION, _("Protection")),
    (OTHER, _("Other")),
)
DOCUMENT_CODES = frozenset({"travel_document", "exit_authorisation"})
PROTECTION_PREFIXES = ("uasc.", "vot.")

# Short labels of the special needs the carrier is told about (IATA codes where they exist).
NEED_SHORT = {
    SpecialNeed.WHEELCHAIR_RAMP: "WCHR",
    SpecialNeed.WHEELCHAIR_STEPS: "WCHS",
    SpecialNeed.WHEELCHAIR_CABIN: "WCHC",
    SpecialNeed.STRETCHER: _("stretcher"),
    SpecialNeed.OXYGEN: _("oxygen"),
    SpecialNeed.OTHER: _("other"),
}


def group_of(code: str) -> str:
    """The group of the waiting section a readiness check belongs to (by its stable code).
    A restricted check, shown neutral to users without its permission, is "protection"."""
    if code in DOCUMENT_CODES:
        return DOCUMENTS
    if code.startswith("health."):
        return FITNESS
    if code == "restricted" or code.startswith(PROTECTION_PREFIXES):
        return PROTECTION
    return OTHER


# ---- scope and filters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardFilters:
    office: int | None = None
    nationality: str = ""
    destination: str = ""

    def as_query(self) -> dict:
        out = {}
        if self.office:
            out["office"] = self.office
        if self.nationality:
            out["nationality"] = self.nationality
        if self.destination:
            out["destination"] = self.destination
        return out


@dataclass(frozen=True)
class BoardScope:
    office_ids: frozenset[int]
    mission_ids: frozenset[int]


def board_scope(user) -> BoardScope:
    """The offices where `user` records movements and their missions; PermissionDenied for a
    user without any (one query at most, the user's memberships being cached)."""
    offices = frozenset(offices_where(user, "movement.record"))
    if not offices:
        raise PermissionDenied()
    missions = frozenset(Office.objects.filter(pk__in=offices).values_list("mission_id", flat=True))
    return BoardScope(offices, missions)


def board_offices(scope: BoardScope):
    return Office.objects.filter(pk__in=scope.office_ids).order_by("name")


def _cases(scope: BoardScope, filters: BoardFilters):
    qs = Case.objects.filter(office_id__in=scope.office_ids)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.nationality:
        qs = qs.filter(nationality=filters.nationality)
    if filters.destination:
        qs = qs.filter(country_of_return=filters.destination)
    return qs


def _case_rows(qs):
    return qs.select_related("principal", "office").order_by("-priority", "status_changed_at", "id")


def _page(qs, number):
    """A page of cases, each with `travellers` (members who travel) and `has_booking` (a seat
    requested or confirmed). Counted for the page's cases only, after the page is cut: counting
    in the page query would aggregate every case of the offices first (bench/README.md)."""
    page = Paginator(qs, PAGE_SIZE).get_page(number)
    cases = list(page.object_list)
    ids = [c.pk for c in cases]
    counts = dict(
        CaseMember.objects.filter(case_id__in=ids)
        .filter(Q(travels=True) | Q(is_principal=True))
        .values("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    booked = set(
        Booking.objects.filter(case_id__in=ids, status__in=ACTIVE_BOOKING_STATUSES).values_list(
            "case_id", flat=True
        )
    )
    for case in cases:
        case.travellers = counts.get(case.pk, 0)
        case.has_booking = case.pk in booked
    page.object_list = cases
    return page


# ---- (a) ready to travel -------------------------------------------------------------------------


def ready_cases(scope: BoardScope, filters: BoardFilters, *, page=1):
    """Cases ready to travel (highest priority and longest waiting first): a page of them, each
    with `travellers` and `has_booking` (a booking is requested or confirmed). Two queries."""
    return _page(_case_rows(_cases(scope, filters).filter(status__in=READY_STATUSES)), page)


# ---- (b) waiting ---------------------------------------------------------------------------------


@dataclass
class WaitingCase:
    case: Case
    groups: dict = field(default_factory=dict)  # group code -> ["Name: label (detail)", ...]

    @property
    def missing_count(self) -> int:
        return sum(len(v) for v in self.groups.values())

    @property
    def group_list(self) -> list:
        """[(code, label, items)] of the groups with something missing, in display order."""
        return [(code, label, self.groups[code]) for code, label in GROUPS if self.groups.get(code)]


def waiting_cases(user, scope: BoardScope, filters: BoardFilters, *, page=1, on_date=None):
    """Eligible and pre-departure cases, a page of them, each with what is still missing before
    travel grouped as documents / fitness / protection / other, as `user` may see it (restricted
    checks stay neutral). A fixed number of queries whatever the number of cases: the page, its
    count, the travellers of all its cases and each readiness provider's own fixed number."""
    page_obj = _page(_case_rows(_cases(scope, filters).filter(status__in=WAITING_STATUSES)), page)
    cases = list(page_obj.object_list)
    readiness = readiness_for_cases(user, cases, on_date=on_date)
    rows = []
    for case in cases:
        row = WaitingCase(case)
        for traveller in readiness.get(case.pk, []):
            for check in traveller.missing:
                text = f"{traveller.person.full_name}: {check.label}"
                if check.detail:
                    text += f" ({check.detail})"
                row.groups.setdefault(group_of(check.code), []).append(text)
        rows.append(row)
    page_obj.object_list = rows
    return page_obj


# ---- (c) upcoming departures ---------------------------------------------------------------------


def _departures(scope: BoardScope, filters: BoardFilters):
    qs = Departure.objects.filter(mission_id__in=scope.mission_ids)
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    case_q = Q()
    if filters.nationality:
        case_q &= Q(case__nationality=filters.nationality)
    if filters.destination:
        case_q &= Q(case__country_of_return=filters.destination)
    if filters.nationality or filters.destination:
        qs = qs.filter(
            Exists(
                Booking.objects.filter(case_q, departure=OuterRef("pk")).exclude(
                    status=BookingStatus.CANCELLED
                )
            )
        )
    return qs


def needs_summary(counter: Counter) -> str:
    """ "2 WCHR, 1 oxygen" from {need code: count}."""
    parts = []
    for code in SpecialNeed.values:
        if counter.get(code):
            parts.append(f"{counter[code]} {NEED_SHORT.get(code, code)}")
    parts += [
        f"{n} {code}" for code, n in sorted(counter.items()) if code not in SpecialNeed.values
    ]
    return ", ".join(parts)


def upcoming_departures(scope: BoardScope, filters: BoardFilters, *, today=None) -> list:
    """Planned departures from today on, in date order, each with `seats_used` (active
    bookings plus escort seats), `escort_count`, `no_shows`, `needs` ({code: n}) and
    `needs_text` ("2 WCHR, 1 oxygen"). Three queries."""
    today = today or timezone.localdate()
    departures = list(
        _departures(scope, filters)
        .filter(status=DepartureStatus.PLANNED, departure_date__gte=today)
        .select_related("office", "mission")
        .annotate(
            booked=Count(
                "bookings",
                filter=Q(bookings__status__in=ACTIVE_BOOKING_STATUSES),
                distinct=True,
            ),
            no_shows=Count(
                "bookings", filter=Q(bookings__status=BookingStatus.NO_SHOW), distinct=True
            ),
        )
        .order_by("departure_date", "departure_time", "id")
    )
    ids = [d.pk for d in departures]
    escorts = {
        row["departure_id"]: row
        for row in Escort.objects.filter(departure_id__in=ids)
        .values("departure_id")
        .annotate(n=Count("id"), seats=Sum("seats"))
        .order_by()
    }
    needs: dict[int, Counter] = {pk: Counter() for pk in ids}
    for departure_id, codes in Booking.objects.filter(
        departure_id__in=ids, status__in=ACTIVE_BOOKING_STATUSES
    ).values_list("departure_id", "special_needs"):
        needs[departure_id].update(codes or [])
    for d in departures:
        e = escorts.get(d.pk, {})
        d.escort_count = e.get("n", 0)
        d.seats_used = d.booked + (e.get("seats") or 0)
        d.seats_left = None if d.capacity is None else d.capacity - d.seats_used
        d.needs = dict(needs[d.pk])
        d.needs_text = needs_summary(needs[d.pk])
    return departures


# ---- (d) calendar --------------------------------------------------------------------------------


@dataclass
class CalendarItem:
    kind: str  # "departure" or "booking"
    day: datetime.date
    label: str
    departure: Departure | None = None
    case: Case | None = None
    travellers: int = 0
    status: str = ""


@dataclass
class CalendarDay:
    day: datetime.date
    in_month: bool
    items: list = field(default_factory=list)


@dataclass
class MonthCalendar:
    year: int
    month: int
    weeks: list  # [[CalendarDay x 7], ...], Monday first
    items: list  # every item of the month, in date order

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def previous(self) -> str:
        d = self.first - datetime.timedelta(days=1)
        return f"{d.year:04d}-{d.month:02d}"

    @property
    def next(self) -> str:
        d = self.first + datetime.timedelta(days=32)
        return f"{d.year:04d}-{d.month:02d}"

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(value, *, today=None) -> tuple[int, int]:
    """(year, month) from "YYYY-MM"; the current month when missing or invalid."""
    today = today or timezone.localdate()
    try:
        year, month = (int(x) for x in str(value or "").split("-"))
        datetime.date(year, month, 1)
        if not 1900 <= year <= 2999:
            raise ValueError
    except ValueError:
        return today.year, today.month
    return year, month


def month_calendar(scope: BoardScope, filters: BoardFilters, *, year: int, month: int):
    """The month's departures (not cancelled) and individual bookings (no departure, requested
    or confirmed; one item per case and day, with its number of travellers) placed on their
    days, in weeks from Monday. Two queries."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    items: list[CalendarItem] = []
    for d in (
        _departures(scope, filters)
        .filter(departure_date__range=(first, last))
        .exclude(status=DepartureStatus.CANCELLED)
        .select_related("office")
        .order_by("departure_date", "departure_time", "id")
    ):
        items.append(
            CalendarItem(
                kind="departure",
                day=d.departure_date,
                label=f"{d.reference} {d.from_airport}–{d.to_airport}",
                departure=d,
                status=d.status,
            )
        )
    bookings = (
        Booking.objects.filter(
            departure__isnull=True,
            status__in=ACTIVE_BOOKING_STATUSES,
            travel_date__range=(first, last),
            case__in=_cases(scope, filters),
        )
        .values("case_id", "travel_date")
        .annotate(n=Count("id"), confirmed=Count("id", filter=Q(status=BookingStatus.CONFIRMED)))
        .order_by("travel_date", "case_id")
    )
    rows = list(bookings)
    cases = (
        {
            c.pk: c
            for c in Case.objects.filter(pk__in={r["case_id"] for r in rows}).select_related(
                "principal"
            )
        }
        if rows
        else {}
    )
    for r in rows:
        case = cases[r["case_id"]]
        items.append(
            CalendarItem(
                kind="booking",
                day=r["travel_date"],
                label=case.number,
                case=case,
                travellers=r["n"],
                status=BookingStatus.CONFIRMED
                if r["confirmed"] == r["n"]
                else BookingStatus.REQUESTED,
            )
        )
    items.sort(key=lambda i: (i.day, i.kind != "departure", i.label))
    by_day: dict[datetime.date, list] = {}
    for item in items:
        by_day.setdefault(item.day, []).append(item)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([CalendarDay(day, day.month == month, by_day.get(day, [])) for day in week])
    return MonthCalendar(year, month, weeks, items)


# ---- the whole board -----------------------------------------------------------------------------


@dataclass
class Board:
    scope: BoardScope
    filters: BoardFilters
    ready: object  # Page of Case
    waiting: object  # Page of WaitingCase
    departures: list
    calendar: MonthCalendar


def operations_board(
    user, *, filters: BoardFilters, ready_page=1, waiting_page=1, month=None
) -> Board:
    """Every section of the board for `user` (PermissionDenied without "movement.record" in
    some office). An office filter outside the user's scope shows nothing."""
    scope = board_scope(user)
    seen = scope
    if filters.office and filters.office not in scope.office_ids:
        seen = BoardScope(frozenset(), frozenset())
    year, month_ = parse_month(month)
    return Board(
        scope=scope,
        filters=filters,
        ready=ready_cases(seen, filters, page=ready_page),
        waiting=waiting_cases(user, seen, filters, page=waiting_page),
        departures=upcoming_departures(seen, filters),
        calendar=month_calendar(seen, filters, year=year, month=month_),
    )
