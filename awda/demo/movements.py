"""Demo steps of the pre-departure and movement part of a case: the laissez-passer asked of the
consulate and issued, the exit authorisation, pre-departure assistance, the booking (its tickets
charged to the case's project), the handover to the origin mission, the pocket money and the
departure, a no-show, the arrival confirmed by the origin mission. Each
step calls the real services, as the caseworker, movement officer or origin-mission officer would.

After the stories are replayed, `plan_departures` puts some of the cases that are ready to travel
on upcoming group departures (a charter to Conakry, a scheduled flight to Abidjan), so that the
operations board and the manifests have something to show."""

import contextlib
import datetime
import random
import re
from decimal import Decimal

from django.utils import timezone, translation

from awda.accounts.choices import Role
from awda.assistance.choices import AssistanceKind
from awda.assistance.services import assistance_record
from awda.cases.models import Case
from awda.cases.readiness import travellers
from awda.core import countries
from awda.core.errors import ApplicationError
from awda.movements import services as mv
from awda.movements.choices import BookingStatus, EscortKind, NoShowReason
from awda.movements.handover import case_handover
from awda.movements.models import Booking
from awda.movements.traveldocs import services as td
from awda.movements.traveldocs.models import ExitAuthorisation, TravelDocument
from awda.registry.choices import OrganisationKind

from .reference import ORIGIN_MISSIONS

KINDS = frozenset(
    {"lp_request", "docs_ready", "assistance", "booking", "handover", "depart", "arrive", "no_show"}
)
# Airport of arrival by country of return (Royal Air Maroc from Casablanca).
AIRPORTS = {
    "GN": ("CKY", "AT517"),
    "CI": ("ABJ", "AT525"),
    "SN": ("DSS", "AT501"),
    "CM": ("DLA", "AT551"),
    "ML": ("BKO", "AT571"),
    "BF": ("OUA", "AT551"),
    "NG": ("LOS", "AT555"),
}
DEFAULT_AIRPORT = ("CKY", "AT517")
# Pocket money handed to each traveller at the airport (in dirhams, under the projects'
# per-person caps: finance.PERSON_CAPS).
POCKET_MONEY = Decimal("300.00")
ORIGIN_OFFICE = {mission_code: office_code for mission_code, _m, office_code, _n in ORIGIN_MISSIONS}
NO_SHOW_REASONS = (
    NoShowReason.DID_NOT_COME,
    NoShowReason.CHANGED_MIND,
    NoShowReason.ILL,
    NoShowReason.DID_NOT_COME,
)


class Context:
    """What the steps need besides the case: the organisations and users of the demo."""

    def __init__(self, organisations: dict, users: dict):
        self.organisations = organisations
        self.users = users

    def organisation(self, kind: str, *, country_name: str = "", index: int = 0):
        candidates = self.organisations.get(kind, [])
        word = re.compile(rf"\b{re.escape(country_name)}\b") if country_name else None
        named = [o for o in candidates if word and word.search(o.name)]
        pool = named or candidates
        return pool[index % len(pool)] if pool else None


def apply(
    kind: str, user, case: Case, *, day, index: int, days: int, text: str, ctx: Context
) -> Case:
    rng = random.Random(f"{index}-{kind}-{day.isoformat()}")
    STEPS[kind](user, case, day=day, index=index, days=days, text=text, ctx=ctx, rng=rng)
    case.refresh_from_db()
    return case


def _travellers(case):
    return [m.person for m in travellers(case)]


def _lp_request(user, case, *, day, index, ctx, **_kw):
    """The caseworker sends the laissez-passer request to the consulate of the country."""
    with translation.override("fr"):  # the consulates are named in French
        name = countries.name(case.country_of_return)
    consulate = ctx.organisation(OrganisationKind.CONSULATE, country_name=name, index=index)
    for person in _travellers(case):
        td.travel_document_record(
            user,
            case=case,
            person=person,
            kind="laissez_passer",
            status="requested",
            issuing_country=case.country_of_return,
            consulate=consulate,
            requested_on=day,
        )
        case.refresh_from_db()


def _docs_ready(user, case, *, day, index, rng, **_kw):
    """The consulate issued the laissez-passer (valid three months); the exit authorisation is
    asked of the authorities and granted."""
    authority = None
    requested = TravelDocument.objects.filter(case=case, status="requested")
    for row in requested:
        td.travel_document_answer(
            user,
            document=row,
            expected_version=row.version,
            outcome="issued",
            number=f"LP{case.country_of_return}{rng.randint(100000, 999999)}",
            issued_on=day,
            expires_on=day + datetime.timedelta(days=90),
        )
    asked = set(ExitAuthorisation.objects.filter(case=case).values_list("person_id", flat=True))
    for person in _travellers(case):
        if person.pk in asked:
            continue
        if authority is None:
            from awda.registry.models import Organisation

            authority = Organisation.objects.filter(kind=OrganisationKind.AUTHORITY).first()
        auth = td.exit_authorisation_request(
            user, case=case, person=person, authority=authority, requested_on=day
        )
        td.exit_authorisation_answer(
            user,
            authorisation=auth,
            expected_version=auth.version,
            outcome="granted",
            granted_on=day,
            reference=f"DGSN/{day.year}/{rng.randint(1000, 9999)}",
        )


def _assistance(user, case, *, day, index, ctx, rng, **_kw):
    """Pre-departure assistance on the ledger: food for everyone, medical care for those who
    need it, emergency accommodation for some. Optional: a line the project cannot take (its
    period ended) is left out rather than stopping the story."""
    people = _travellers(case)
    hospital = ctx.organisation(OrganisationKind.HOSPITAL, index=index)
    lines = [
        dict(
            kind=AssistanceKind.FOOD,
            quantity=Decimal(1),
            unit="kit",
            unit_cost=Decimal("350.00"),
            description="Kit alimentaire",
        )
    ]
    if rng.random() < 0.3:
        nights = rng.randint(5, 25)
        lines.append(
            dict(
                kind=AssistanceKind.ACCOMMODATION,
                nights=nights,
                quantity=Decimal(nights),
                unit="nuit",
                unit_cost=Decimal("120.00"),
                place="Centre d'hébergement partenaire",
                start_date=day,
                end_date=day + datetime.timedelta(days=nights),
                description="Hébergement d'urgence",
            )
        )
    if rng.random() < 0.4 and hospital is not None:
        lines.append(
            dict(
                kind=AssistanceKind.MEDICAL,
                quantity=Decimal(rng.randint(1, 3)),
                unit="consultation",
                unit_cost=Decimal(rng.choice(("150.00", "250.00", "400.00"))),
                provider=hospital,
                description="Consultation et médicaments",
            )
        )
    for person in people[:1] if len(people) > 3 else people:
        for line in lines:
            line = {"start_date": day, **line}
            try:
                assistance_record(user, case=case, person=person, currency="MAD", **line)
            except ApplicationError:
                return
            case.refresh_from_db()


def _booking(user, case, *, day, days, rng, **_kw):
    """An individual booking per traveller on the Royal Air Maroc flight `days` later,
    confirmed at once: the last confirmation moves the case to booked."""
    airport, flight = AIRPORTS.get(case.country_of_return, DEFAULT_AIRPORT)
    travel = day + datetime.timedelta(days=days)
    departs = datetime.datetime.combine(
        travel, datetime.time(23, 55), tzinfo=timezone.get_current_timezone()
    )
    pnr = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
    for person in _travellers(case):
        booking = mv.booking_create(
            user,
            case=case,
            person=person,
            legs=[
                {
                    "carrier": "Royal Air Maroc",
                    "flight_number": flight,
                    "from_airport": "CMN",
                    "to_airport": airport,
                    "departs_at": departs,
                }
            ],
            ticket_cost=Decimal(rng.randint(28, 61) * 100),
            currency="MAD",
            project=case.project,
        )
        mv.booking_confirm(user, booking=booking, booking_reference=pnr, expected_version=1)


def _handover(user, case, **_kw):
    """The case is handed over to the origin mission before the flight (consent was given at
    registration). Without consent it stays with the host mission, which confirms the arrival."""
    with contextlib.suppress(ApplicationError):
        case_handover(user, case=case)


def _depart(user, case, *, day, **_kw):
    """At the airport: each traveller's pocket money (charged to the seat's project), then the
    departure confirmed."""
    seats = list(
        Booking.objects.filter(case=case, status=BookingStatus.CONFIRMED).select_related("case")
    )
    for seat in seats:
        if seat.project_id and not hasattr(seat, "pocket_money"):
            mv.pocket_money_pay(
                user, booking=seat, amount=POCKET_MONEY, currency="MAD", paid_on=day
            )
    mv.booking_confirm_departure(user, bookings=seats)


def _arrive(user, case, *, ctx, **_kw):
    """The origin mission's reintegration officer confirms the arrival (the host movement
    officer does when the case was not handed over)."""
    if case.receiving_mission_id and case.handed_over_at:
        code = ORIGIN_OFFICE.get(case.receiving_mission.code)
        user = ctx.users.get((code, Role.REINTEGRATION), user)
    mv.booking_confirm_arrival(
        user,
        bookings=Booking.objects.filter(case=case, status=BookingStatus.DEPARTED).select_related(
            "case"
        ),
    )


def _no_show(user, case, *, rng, text, **_kw):
    booking = Booking.objects.filter(case=case, status=BookingStatus.CONFIRMED).first()
    mv.booking_no_show(user, booking=booking, reason=rng.choice(NO_SHOW_REASONS), details=text)


STEPS = {
    "lp_request": _lp_request,
    "docs_ready": _docs_ready,
    "assistance": _assistance,
    "booking": _booking,
    "handover": _handover,
    "depart": _depart,
    "arrive": _arrive,
    "no_show": _no_show,
}


def plan_departures(users: dict, offices: dict, *, reference_date: datetime.date, log) -> int:
    """Upcoming group departures with the cases ready to travel that can go on them: a charter
    in a week to the country most of them return to (with a medical and an operational escort),
    and a scheduled flight in ten days to the next country. A case that cannot go on that day
    (its fitness decision will have expired, say) stays ready, and so does the newest of each
    country."""
    from collections import defaultdict

    from awda.cases.choices import Status
    from awda.cases.readiness import case_readiness

    movement = users[("CAS", Role.MOVEMENT)]
    by_country = defaultdict(list)
    ready = Case.objects.filter(status=Status.READY_TO_TRAVEL, mission__code="MA")
    for case in ready.select_related("office").order_by("registered_on", "id"):
        by_country[case.country_of_return].append(case)
    countries_ = sorted(by_country, key=lambda c: (-len(by_country[c]), c))[:2]
    plans = [("charter", 7, 60), ("scheduled", 10, 25)]
    placed = 0
    for country, (kind, in_days, capacity) in zip(countries_, plans, strict=False):
        day = reference_date + datetime.timedelta(days=in_days)
        able = [
            case
            for case in by_country[country]
            if all(row.ready for row in case_readiness(case, on_date=day))
        ]
        able = able[:-1]  # the newest stays ready: the board shows who waits for a seat
        if not able:
            continue
        airport, flight = AIRPORTS.get(country, DEFAULT_AIRPORT)
        departure = mv.departure_create(
            movement,
            office=offices["CAS"],
            departure_date=day,
            departure_time=datetime.time(23, 55),
            from_airport="CMN",
            to_airport=airport,
            kind=kind,
            carrier="Royal Air Maroc",
            flight_number=flight,
            capacity=capacity,
            notes="Départ groupé organisé par l'unité des mouvements.",
        )
        if kind == "charter":
            for escort_kind, name in (
                (EscortKind.MEDICAL, "Dr Salma Bennani"),
                (EscortKind.OPERATIONAL, "Youssef El Amrani"),
            ):
                mv.escort_add(movement, departure=departure, kind=escort_kind, name=name)
        for case in able[:capacity]:
            try:  # the movement unit holds the movement role in every office
                mv.departure_add_cases(movement, departure=departure, cases=[case])
                placed += 1
            except ApplicationError as exc:
                log(f"  {case.number} stays ready: {exc}")
    return placed
