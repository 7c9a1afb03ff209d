"""Fast, deterministic benchmark data: reference data and one showcase case through the factories
and services, then persons, identity documents, cases and case members written with PostgreSQL
COPY in chunks.

Rows are built from the models' own field list (so a column added later with a default still
gets its default), and each person's `search_text` is composed by
`awda.registry.services._refresh_search_text` itself, on an unsaved person (no pk, so it reads no
documents), with the document numbers appended exactly as that function does for a saved one;
`verify_search_text` checks the stored values against the real function afterwards.

Python builds the rows of chunk n+1 while a writer thread, on its own connection, COPYs chunk n
(PostgreSQL and Python then each keep one of the two cores busy).
"""

import datetime
import json
import queue
import random
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import psycopg
from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from awda.accounts.choices import MissionKind, Role
from awda.assistance.choices import AssistanceKind, LineStatus
from awda.assistance.models import AssistanceLine
from awda.assistance.services import assistance_record
from awda.cases import services as case_services
from awda.cases.choices import ClosureReason, Priority, ReferralSource, Relationship, Status
from awda.cases.models import Case, CaseMember, CaseSequence
from awda.core import countries
from awda.core.text import compact, digits
from awda.demo import names
from awda.factories import (
    MissionFactory,
    OfficeFactory,
    OrganisationFactory,
    ProjectFactory,
    bring_case_to,
    member_of,
    person_data,
    register_case,
)
from awda.movements import services as movement_services
from awda.movements.choices import BookingStatus, DepartureKind, DepartureStatus, EscortKind
from awda.movements.models import Booking, BookingLeg, Departure, Escort, Handover
from awda.movements.traveldocs.choices import DocumentKind, DocumentStatus, ExitStatus
from awda.movements.traveldocs.models import ExitAuthorisation, TravelDocument
from awda.registry.choices import DocumentType, OrganisationKind, Sex
from awda.registry.models import IdentityDocument, Person
from awda.registry.services import _refresh_search_text

OFFICES = (("RBA", "Rabat", 52), ("CAS", "Casablanca", 28), ("OUJ", "Oujda", 20))
CASEWORKERS_PER_OFFICE = 6
HISTORY_DAYS = 10 * 365
CHUNK = 20_000  # cases per COPY transaction

# The showcase case, registered through the services: the searches look for these.
TARGET_PHONE = "+212 661 90 90 91"
TARGET_DOCUMENT = "LP-2026-777111"  # generated numbers are 2 letters + 7 digits: never equal

S = Status
RECENT_STATUSES = (
    (S.REGISTERED, 10), (S.COUNSELLING, 10), (S.SCREENING, 10), (S.ELIGIBLE, 6),
    (S.NOT_ELIGIBLE, 4), (S.PRE_DEPARTURE, 12), (S.READY_TO_TRAVEL, 5), (S.BOOKED, 5),
    (S.NO_SHOW, 1), (S.DEPARTED, 2), (S.ARRIVED, 5), (S.REINTEGRATION, 10), (S.MONITORING, 8),
    (S.ON_HOLD, 4), (S.WITHDRAWN, 6), (S.CLOSED, 2),
)  # fmt: skip
OLD_STATUSES = (
    (S.CLOSED, 55), (S.WITHDRAWN, 15), (S.NOT_ELIGIBLE, 8), (S.MONITORING, 10),
    (S.REINTEGRATION, 7), (S.ON_HOLD, 2), (S.ARRIVED, 3),
)  # fmt: skip
DECLARED = {
    S.SCREENING, S.ELIGIBLE, S.NOT_ELIGIBLE, S.PRE_DEPARTURE, S.READY_TO_TRAVEL, S.BOOKED,
    S.NO_SHOW, S.DEPARTED, S.ARRIVED, S.REINTEGRATION, S.MONITORING, S.CLOSED,
}  # fmt: skip
FUNDED = DECLARED - {S.SCREENING, S.NOT_ELIGIBLE}
TRAVELLED = {S.DEPARTED, S.ARRIVED, S.REINTEGRATION, S.MONITORING}
REFERRALS = (
    (ReferralSource.WALK_IN, 45), (ReferralSource.UNHCR, 20), (ReferralSource.NGO, 20),
    (ReferralSource.HOSPITAL, 8), (ReferralSource.AUTHORITIES, 4), (ReferralSource.OTHER, 3),
)  # fmt: skip
DOC_TYPES = (
    (DocumentType.PASSPORT, 50), (DocumentType.NATIONAL_ID, 25),
    (DocumentType.CONSULAR_CARD, 15), (DocumentType.UNHCR_DOCUMENT, 10),
)  # fmt: skip
# Movements (issue 4). Arrival airport and Royal Air Maroc flight from Casablanca, by country.
AIRPORTS = {
    "GN": ("CKY", "AT517"), "CI": ("ABJ", "AT525"), "SN": ("DSS", "AT501"),
    "CM": ("DLA", "AT551"), "ML": ("BKO", "AT571"), "NG": ("LOS", "AT555"),
    "BF": ("OUA", "AT553"), "SL": ("FNA", "AT597"), "SD": ("KRT", "AT581"),
    "GM": ("BJL", "AT583"), "CD": ("FIH", "AT561"), "CG": ("BZV", "AT565"),
    "NE": ("NIM", "AT573"), "LR": ("ROB", "AT599"), "TD": ("NDJ", "AT585"),
}  # fmt: skip
CARRIER = "Royal Air Maroc"
GROUP_SHARE = 0.85  # travellers flown on a group departure (the others: individual bookings)
GROUP_SEATS = (30, 60)  # a departure closes once it holds this many seats (drawn per departure)
GROUP_MIN = 20  # fewer seats gathered within GROUP_WINDOW days: individual bookings instead
GROUP_WINDOW = 60  # days between the first and the last traveller of a departure
# Statuses whose travellers hold a booking, and the booking's status.
BOOKING_STATUS = {
    S.BOOKED: BookingStatus.CONFIRMED, S.NO_SHOW: BookingStatus.NO_SHOW,
    S.DEPARTED: BookingStatus.DEPARTED, S.ARRIVED: BookingStatus.ARRIVED,
    S.REINTEGRATION: BookingStatus.ARRIVED, S.MONITORING: BookingStatus.ARRIVED,
    S.CLOSED: BookingStatus.ARRIVED,  # closed after return only
}  # fmt: skip
# Travel documents from eligible on (eligible: laissez-passer requested; pre-departure: issued
# for most; from ready to travel on: issued, and the exit authorisation granted).
DOCUMENTED = FUNDED
ASSISTED = FUNDED - {S.ELIGIBLE}  # assistance lines from pre-departure on
ORIGIN_CODE = "GN"  # cases of Guinea that travelled are handed over to the Guinea mission
HANDOVER_CATEGORIES = ["case", "contact", "documents", "identity"]
# The showcase departure (through the services, identical at both scales): a charter to
# Conakry in three weeks, Rabat office. Families: 20 singles, 10 couples, 5 with 2 children.
SHOWCASE_FAMILIES = [0] * 20 + [1] * 10 + [3] * 5  # members besides the principal
SHOWCASE_IN_DAYS = 21
# Generated in the first phase only (identical at both scales): a flight to Conakry that left
# yesterday with this many Guinea cases, handed over, whose arrival is awaited.
INFLIGHT_CASES = 45

CLOSURES = [
    ClosureReason.SUPPORT_COMPLETED,
    ClosureReason.SUPPORT_COMPLETED,
    ClosureReason.SUPPORT_COMPLETED,
    ClosureReason.RETURNEE_STOPPED,
    ClosureReason.LEFT_AREA,
    ClosureReason.RE_MIGRATED,
    ClosureReason.FUNDING_ENDED,
]


def _weighted(pairs):
    values = [v for v, _w in pairs]
    weights = [w for _v, w in pairs]
    return values, weights


@dataclass
class Reference:
    mission: object
    offices: dict  # code -> Office
    office_weights: list
    caseworker: object  # the user whose pages are measured (caseworker.rabat)
    manager: object
    staff: dict  # office code -> [users]
    projects: list
    organisations: dict  # referral source -> [Organisation]
    target_case: object = None
    target_person: object = None
    movement: dict = field(default_factory=dict)  # office code -> movement officer
    origin_mission: object = None
    origin_user: object = None  # reintegration officer of the Guinea mission (arrivals)
    authority: object = None  # grants exit authorisations
    consulates: dict = field(default_factory=dict)  # nationality -> consulate
    showcase_departure: object = None
    travel_case: object = None  # a family on the showcase departure, with assistance lines


def setup_reference() -> Reference:
    """Missions, offices, users, projects and partners through the factories; the showcase case
    (Ousmane TRAORÉ, a passport-less returnee with a laissez-passer and his wife) through the
    services, taken to eligible with a manager."""
    morocco = MissionFactory(code="MA", name="Morocco", country_alpha3="MAR", kind=MissionKind.HOST)
    guinea = MissionFactory(code="GN", name="Guinea", country_alpha3="GIN", kind=MissionKind.ORIGIN)
    offices = {
        code: OfficeFactory(mission=morocco, code=code, name=name, city=name)
        for code, name, _w in OFFICES
    }
    caseworker = member_of(offices["RBA"], Role.CASEWORKER, "caseworker.rabat")
    manager = member_of(offices["RBA"], Role.MANAGER, "manager.rabat")
    staff = {}
    movement = {}
    for code, office in offices.items():
        users = [caseworker] if code == "RBA" else []
        while len(users) < CASEWORKERS_PER_OFFICE:
            users.append(
                member_of(office, Role.CASEWORKER, f"caseworker{len(users) + 1}.{code.lower()}")
            )
        staff[code] = users
        member_of(office, Role.MANAGER, f"manager.{code.lower()}")
        movement[code] = member_of(office, Role.MOVEMENT, f"movement.{code.lower()}")
    projects = [
        ProjectFactory(mission=morocco, code="AVRR-MA-SEM", name="AVRR Morocco - SEM"),
        ProjectFactory(mission=morocco, code="AVRR-MA-EU", name="AVRR Morocco - EU"),
    ]
    organisations = {
        ReferralSource.UNHCR: [
            OrganisationFactory(name="UNHCR Rabat", kind=OrganisationKind.UN_AGENCY)
        ],
        ReferralSource.NGO: [
            OrganisationFactory(name=f"Partner NGO {i}", kind=OrganisationKind.NGO)
            for i in range(1, 6)
        ],
        ReferralSource.HOSPITAL: [
            OrganisationFactory(name="Hôpital Ibn Sina (Avicenne)", kind=OrganisationKind.HOSPITAL)
        ],
    }
    conakry = OfficeFactory(mission=guinea, code="CKY", name="Conakry", city="Conakry")
    origin_user = member_of(conakry, Role.REINTEGRATION, "reintegration.conakry")
    authority = OrganisationFactory(
        name="Direction générale de la sûreté nationale", kind=OrganisationKind.AUTHORITY
    )
    consulates = {
        code: OrganisationFactory(
            name=f"Consulat général ({countries.name(code)})", kind=OrganisationKind.CONSULATE
        )
        for code in names.NATIONALITIES
    }
    ref = Reference(
        mission=morocco,
        offices=offices,
        office_weights=[w for _c, _n, w in OFFICES],
        caseworker=caseworker,
        manager=manager,
        staff=staff,
        projects=projects,
        organisations=organisations,
        movement=movement,
        origin_mission=guinea,
        origin_user=origin_user,
        authority=authority,
        consulates=consulates,
    )
    case = register_case(
        caseworker,
        offices["RBA"],
        principal=person_data(given_name="Ousmane", family_name="Traoré", phone=TARGET_PHONE),
        principal_documents=[
            {"doc_type": DocumentType.LAISSEZ_PASSER, "number": TARGET_DOCUMENT},
        ],
        members=[
            {
                "relationship": Relationship.SPOUSE,
                "person": person_data(
                    given_name="Mariama",
                    family_name="Traoré",
                    sex="female",
                    date_of_birth=datetime.date(1988, 6, 2),
                    phone="",
                ),
            }
        ],
        referral_source=ReferralSource.UNHCR,
    )
    case = bring_case_to(
        case, "eligible", caseworker=caseworker, manager=manager, project=projects[0]
    )
    case_services.note_add(caseworker, case=case, body="Counselling done with an interpreter.")
    case_services.task_create(caseworker, case=case, title="Request the laissez-passer")
    ref.target_case = case
    ref.target_person = case.principal
    setup_showcase_departure(ref)
    return ref


def setup_showcase_departure(ref: Reference) -> None:
    """A planned charter to Conakry in three weeks with ~60 travellers of 35 Guinea cases of
    Rabat, each taken to ready to travel with the services (screening, passport, exit
    authorisation), then put on the departure by the movement officer; a medical and an
    operational escort. One family also gets assistance lines. Identical at both scales."""
    rng = random.Random(4)
    pool = names.POOLS["GN"]
    office = ref.offices["RBA"]
    caseworker, manager = ref.caseworker, ref.manager
    officer = ref.movement["RBA"]
    cases = []
    for i, extra in enumerate(SHOWCASE_FAMILIES):
        family = rng.choice(pool.family)
        members = []
        for j in range(extra):
            adult = j == 0
            members.append(
                {
                    "relationship": Relationship.SPOUSE if adult else Relationship.CHILD,
                    "person": person_data(
                        given_name=rng.choice(pool.female if adult else pool.male),
                        family_name=family,
                        sex="female" if adult else "male",
                        date_of_birth=datetime.date(1990 if adult else 2015 + j, 1 + j, 1 + i % 28),
                        phone="",
                    ),
                }
            )
        case = register_case(
            caseworker,
            office,
            principal=person_data(
                given_name=rng.choice(pool.male),
                family_name=family,
                date_of_birth=datetime.date(1980 + i % 20, 1 + i % 12, 1 + i % 28),
                phone=f"+212 662 {i // 100:02d} {i % 100:02d} 00",
            ),
            members=members,
            referral_source=ReferralSource.WALK_IN,
        )
        cases.append(
            bring_case_to(
                case,
                "ready_to_travel",
                caseworker=caseworker,
                manager=manager,
                project=ref.projects[0],
            )
        )
    family = next(c for c in cases if c.member_count == 4)
    for member in family.members.select_related("person").order_by("-is_principal", "id")[:2]:
        for kind, extra in (
            (AssistanceKind.FOOD, {"description": "Kit alimentaire", "unit": "kit"}),
            (AssistanceKind.MEDICAL, {"description": "Consultation", "unit": "consultation"}),
        ):
            assistance_record(
                caseworker,
                case=family,
                person=member.person,
                kind=kind,
                quantity=1,
                unit_cost=350,
                currency="MAD",
                **extra,
            )
            family.refresh_from_db()
    departure = movement_services.departure_create(
        officer,
        office=office,
        departure_date=timezone.localdate() + datetime.timedelta(days=SHOWCASE_IN_DAYS),
        departure_time=datetime.time(23, 55),
        from_airport="CMN",
        to_airport="CKY",
        kind=DepartureKind.CHARTER,
        carrier=CARRIER,
        flight_number="AT517",
        capacity=80,
        project=ref.projects[0],
    )
    for kind, name in (
        (EscortKind.MEDICAL, "Dr Salma Bennani"),
        (EscortKind.OPERATIONAL, "Y. Amrani"),
    ):
        movement_services.escort_add(officer, departure=departure, kind=kind, name=name)
    movement_services.departure_add_cases(officer, departure=departure, cases=cases)
    ref.showcase_departure = departure
    ref.travel_case = Case.objects.get(pk=family.pk)


# ---- bulk rows --------------------------------------------------------------------------------


class _Table:
    """Column order, defaults and JSON columns of a model, for COPY."""

    def __init__(self, model):
        self.model = model
        fields = model._meta.concrete_fields
        self.name = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.defaults = {}
        for f in fields:
            if f.primary_key:
                continue
            self.defaults[f.attname] = f.get_default() if f.has_default() or not f.null else None
        self.json = {f.attname for f in fields if isinstance(f, models.JSONField)}
        self.rows: list[tuple] = []

    def add(self, values: dict) -> None:
        row = {**self.defaults, **values}
        for key in self.json:
            row[key] = json.dumps(row[key])
        self.rows.append(tuple(row[a] for a in self.attnames))

    def take(self) -> tuple[str, list[tuple]]:
        """The COPY statement and the rows built so far (the table starts empty again)."""
        cols = ", ".join(f'"{c}"' for c in self.columns)
        rows, self.rows = self.rows, []
        return f'COPY "{self.name}" ({cols}) FROM STDIN', rows


class _Writer(threading.Thread):
    """COPYs chunks on its own connection, one transaction per chunk, parents first (the foreign
    keys, deferred, are checked at each commit)."""

    def __init__(self):
        super().__init__(daemon=True)
        db = settings.DATABASES["default"]
        self.params = {
            "dbname": db["NAME"],
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
        }
        self.chunks: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None

    def run(self):
        try:
            with psycopg.connect(**{k: v for k, v in self.params.items() if v}) as conn:
                while (chunk := self.chunks.get()) is not None:
                    with conn.transaction(), conn.cursor() as cur:
                        cur.execute("SET LOCAL synchronous_commit = off")
                        for statement, rows in chunk:
                            with cur.copy(statement) as cp:
                                for row in rows:
                                    cp.write_row(row)
        except BaseException as exc:  # reported by the main thread
            self.error = exc
            while self.chunks.get() is not None:  # let the producer finish
                pass

    def put(self, chunk) -> None:
        if self.error:
            raise self.error
        self.chunks.put(chunk)

    def close(self) -> None:
        self.chunks.put(None)
        self.join()
        if self.error:
            raise self.error


@dataclass
class Counts:
    cases: int = 0
    persons: int = 0
    members: int = 0
    documents: int = 0
    seconds: float = 0.0
    by_table: dict = field(default_factory=dict)

    def add(self, other: "Counts") -> None:
        self.cases += other.cases
        self.persons += other.persons
        self.members += other.members
        self.documents += other.documents
        self.seconds += other.seconds


def _next_id(model) -> int:
    with connection.cursor() as c:
        c.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
        return c.fetchone()[0] + 1


def _reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as c:
        c.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
        )


class Generator:
    """Generates cases with their persons, in chunks, deterministically from the seed."""

    def __init__(self, ref: Reference, seed: int):
        self.ref = ref
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.nat_codes = names.NATIONALITIES
        self.nat_weights = names.NATIONALITY_WEIGHTS
        self.office_codes = list(ref.offices)
        self.status_recent = _weighted(RECENT_STATUSES)
        self.status_old = _weighted(OLD_STATUSES)
        self.referrals = _weighted(REFERRALS)
        self.doc_types = _weighted(DOC_TYPES)
        self.principals: list[tuple[int, str]] = []  # (person id, nationality) for returnees
        self.persons = _Table(Person)
        self.documents = _Table(IdentityDocument)
        self.cases = _Table(Case)
        self.members = _Table(CaseMember)
        self.departures = _Table(Departure)
        self.escorts = _Table(Escort)
        self.bookings = _Table(Booking)
        self.legs = _Table(BookingLeg)
        self.travel_docs = _Table(TravelDocument)
        self.exits = _Table(ExitAuthorisation)
        self.handovers = _Table(Handover)
        self.assistance = _Table(AssistanceLine)
        # COPY order: parents first
        self.tables = (
            self.persons, self.documents, self.cases, self.members, self.departures,
            self.escorts, self.bookings, self.legs, self.travel_docs, self.exits,
            self.handovers, self.assistance,
        )  # fmt: skip
        self.doc_serial = 0
        self.pending: list = []  # the chunk's cases: (values, person ids, trip); rows at its end
        self.office_code = {o.pk: code for code, o in ref.offices.items()}
        self.hospital = ref.organisations[ReferralSource.HOSPITAL][0]
        self.now = timezone.now()
        self.day_sequence: dict = {}  # departure reference prefix -> last sequence number
        self.lp_serial = 0
        self.inflight = INFLIGHT_CASES  # forced cases still to generate (first phase only)

    # -- one person ---------------------------------------------------------------------------

    def _person(self, pid, *, nat, office, sex, family_name=None, adult=True, user, created):
        rng = self.rng
        pool = names.POOLS[nat]
        given = rng.choice(pool.male if sex == Sex.MALE else pool.female)
        family = family_name or rng.choice(pool.family)
        other = ""
        if rng.random() < 0.1:
            other = f"{rng.choice(pool.male + pool.female)} {family}"
        arabic = ""
        if pool.arabic and given in pool.arabic:
            arabic = pool.arabic[given]
        age = rng.randint(18, 60) if adult else rng.randint(0, 17)
        dob = None
        birth_year = self.today.year - age
        estimated = True
        if rng.random() < 0.7:
            dob = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
            estimated = False
        phone = ""
        if adult and rng.random() < 0.75:
            phone = f"+212 6{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        city, area = rng.choice(names.NEIGHBOURHOODS.get(office.code, (("Rabat", "Akkari"),)))
        docs = []
        if rng.random() < (0.7 if adult else 0.3):
            self.doc_serial += 1
            # 2 letters + 7 digits, a different number for each document (7654321 is coprime to
            # 10**7), never equal to TARGET_DOCUMENT.
            number = f"{nat}{(self.doc_serial * 7_654_321) % 10_000_000:07d}"
            docs.append((rng.choices(*self.doc_types)[0], number))
        values = {
            "id": pid,
            "created_at": created,
            "updated_at": created,
            "given_name": given,
            "family_name": family,
            "other_names": other,
            "name_arabic": arabic,
            "sex": sex,
            "date_of_birth": dob,
            "birth_year": birth_year,
            "dob_estimated": estimated,
            "nationality": nat,
            "nationality_alpha3": countries.alpha3(nat),
            "languages": list(pool.languages[: rng.randint(1, 2)]),
            "phone": phone,
            "phone_digits": digits(phone),
            "address": area,
            "city": city,
            "registered_by_office_id": office.pk,
            "created_by_id": user.pk,
        }
        # search_text as the service composes it: the unsaved person (no pk: no document query)
        # gives names, aliases, Arabic name and phone; the document numbers come last.
        probe = SimpleNamespace(pk=None, **values)  # duck-typed: 10x cheaper than a Person()
        _refresh_search_text(probe)
        doc_numbers = " ".join(compact(n).lower() for _t, n in docs)
        values["search_text"] = " ".join(x for x in (probe.search_text, doc_numbers) if x)
        self.persons.add(values)
        for doc_type, number in docs:
            issue = self.today - datetime.timedelta(days=rng.randint(100, 3000))
            self.documents.add(
                {
                    "id": self.next_doc,
                    "created_at": created,
                    "updated_at": created,
                    "person_id": pid,
                    "doc_type": doc_type,
                    "number": number,
                    "number_compact": compact(number),
                    "issuing_country": nat,
                    "issue_date": issue,
                    "expiry_date": issue + datetime.timedelta(days=3652),
                }
            )
            self.next_doc += 1

    # -- one case -----------------------------------------------------------------------------

    def _case(self, sequences: dict) -> None:
        rng = self.rng
        office_code = rng.choices(self.office_codes, self.ref.office_weights)[0]
        days = int(HISTORY_DAYS * rng.random() ** 1.2)
        forced = self.inflight > 0  # a Guinea case on yesterday's flight (first phase only)
        if forced:
            self.inflight -= 1
            office_code, days = "RBA", rng.randint(30, 90)
        office = self.ref.offices[office_code]
        registered = self.today - datetime.timedelta(days=days)
        created = datetime.datetime.combine(
            registered, datetime.time(rng.randint(8, 16), rng.randint(0, 59)), self.tz
        )
        statuses = self.status_recent if days <= 365 else self.status_old
        status = S.DEPARTED if forced else rng.choices(*statuses)[0]
        assignee = rng.choice(self.ref.staff[office_code]) if rng.random() < 0.9 else None
        user = assignee or self.ref.staff[office_code][0]
        case_id = self.next_case
        self.next_case += 1

        # principal: a new person, or (2%) a returnee who already had a case
        if self.principals and rng.random() < 0.02 and not forced:
            principal_id, nat = rng.choice(self.principals)
        else:
            nat = ORIGIN_CODE if forced else rng.choices(self.nat_codes, self.nat_weights)[0]
            principal_id = self.next_person
            self.next_person += 1
            sex = Sex.MALE if rng.random() < 0.72 else Sex.FEMALE
            self._person(principal_id, nat=nat, office=office, sex=sex, user=user, created=created)
            self.principals.append((principal_id, nat))
        member_ids = [(principal_id, Relationship.PRINCIPAL)]
        if rng.random() < 0.15:  # a family
            pool = names.POOLS[nat]
            family = rng.choice(pool.family)
            extra = [(Relationship.SPOUSE, True)] if rng.random() < 0.7 else []
            extra += [(Relationship.CHILD, False)] * rng.randint(0 if extra else 1, 3)
            for relationship, adult in extra:
                pid = self.next_person
                self.next_person += 1
                sex = rng.choice((Sex.MALE, Sex.FEMALE))
                if relationship == Relationship.SPOUSE:
                    sex = Sex.FEMALE
                self._person(
                    pid,
                    nat=nat,
                    office=office,
                    sex=sex,
                    family_name=family,
                    adult=adult,
                    user=user,
                    created=created,
                )
                member_ids.append((pid, relationship))

        key = (office.pk, registered.year)
        sequences[key] = sequences.get(key, 0) + 1
        number = f"{self.ref.mission.code}-{office_code}-{registered.year}-{sequences[key]:05d}"
        source = rng.choices(*self.referrals)[0]
        orgs = self.ref.organisations.get(source)
        values = {
            "id": case_id,
            "created_at": created,
            "updated_at": created,
            "number": number,
            "mission_id": self.ref.mission.pk,
            "office_id": office.pk,
            "status": status,
            "status_changed_at": created + datetime.timedelta(days=min(days, 30)),
            "assigned_to_id": assignee.pk if assignee else None,
            "priority": rng.choices(Priority.values, (80, 15, 5))[0],
            "referral_source": source,
            "referral_organisation_id": rng.choice(orgs).pk if orgs else None,
            "registered_on": registered,
            "country_of_return": nat,
            "destination_area": rng.choice(names.POOLS[nat].areas),
            "principal_id": principal_id,
            "nationality": nat,
            "member_count": len(member_ids),
            "created_by_id": user.pk,
        }
        if status == S.ON_HOLD:
            values["status_before_hold"] = S.SCREENING
        if status in DECLARED:
            values["declaration_signed_on"] = registered + datetime.timedelta(days=3)
            values["declaration_recorded_by_id"] = user.pk
        closed_after_return = status == S.CLOSED and rng.random() < 0.8
        if status in FUNDED and (status != S.CLOSED or closed_after_return):
            values["project_id"] = rng.choice(self.ref.projects).pk
            values["eligibility_decided_at"] = created + datetime.timedelta(days=10)
            values["eligibility_decided_by_id"] = self.ref.manager.pk
        if status in TRAVELLED or closed_after_return:
            values["departed_on"] = min(
                registered + datetime.timedelta(days=rng.randint(14, 60)), self.today
            )
            if status == S.DEPARTED:  # still awaiting the arrival: left in the last week
                values["departed_on"] = max(
                    registered, self.today - datetime.timedelta(days=rng.randint(1, 7))
                )
            if forced:
                values["departed_on"] = self.today - datetime.timedelta(days=1)
        if status == S.CLOSED:
            values["closure_reason"] = (
                rng.choice(CLOSURES) if closed_after_return else ClosureReason.WITHDRAWN
            )
        trip = None
        if status in BOOKING_STATUS and (status != S.CLOSED or closed_after_return):
            if status == S.BOOKED:
                day = self.today + datetime.timedelta(days=rng.randint(2, 45))
            elif status == S.NO_SHOW:
                day = max(registered, self.today - datetime.timedelta(days=rng.randint(1, 20)))
            else:
                day = values["departed_on"]
            grouped = forced or (status != S.NO_SHOW and rng.random() < GROUP_SHARE)
            trip = {"day": day, "grouped": grouped, "forced": forced}
        self.pending.append((values, [pid for pid, _r in member_ids], trip))
        for pid, relationship in member_ids:
            self.members.add(
                {
                    "id": self.next_member,
                    "created_at": created,
                    "updated_at": created,
                    "case_id": case_id,
                    "person_id": pid,
                    "relationship": relationship,
                    "is_principal": relationship == Relationship.PRINCIPAL,
                    "travels": True,
                }
            )
            self.next_member += 1

    # -- movements of a chunk's cases ----------------------------------------------------------

    def _plan_chunk(self) -> None:
        """Group the chunk's grouped trips into departures (per destination: planned ones for
        booked cases, departed ones for the others; a departure closes at 30 to 60 seats or when
        its travellers span more than GROUP_WINDOW days; a smaller group flies individually),
        then write every case with its bookings, documents, handover and assistance."""
        rng = self.rng
        groups: dict = {}
        for item in self.pending:
            values, _pids, trip = item
            if trip and trip["grouped"]:
                dest = AIRPORTS[values["country_of_return"]][0]
                phase = "planned" if values["status"] == S.BOOKED else "past"
                groups.setdefault(("inflight" if trip["forced"] else phase, dest), []).append(item)
        for (phase, _dest), items in sorted(groups.items()):
            items.sort(key=lambda it: (it[2]["day"], it[0]["id"]))
            if phase == "inflight":
                self._departure(items)
                continue
            batches, current, seats, people = [], [], 0, set()
            target = rng.randint(*GROUP_SEATS)
            for item in items:
                first_day = current[0][2]["day"] if current else None
                if current and (
                    (item[2]["day"] - first_day).days > GROUP_WINDOW or people & set(item[1])
                ):
                    batches.append((current, seats))
                    current, seats, people = [], 0, set()
                current.append(item)
                seats += len(item[1])
                people |= set(item[1])
                if seats >= target:
                    batches.append((current, seats))
                    current, seats, people = [], 0, set()
                    target = rng.randint(*GROUP_SEATS)
            if current:
                batches.append((current, seats))
            for batch, n in batches:
                if n >= GROUP_MIN:
                    self._departure(batch)
        for values, pids, trip in self.pending:
            self._movements(values, pids, trip)
            self.cases.add(values)
        self.pending = []

    def _departure(self, batch) -> None:
        """One group departure for these trips, on the last traveller's day."""
        first = batch[0][0]
        day = max(it[2]["day"] for it in batch)
        seats = sum(len(it[1]) for it in batch)
        dest, flight = AIRPORTS[first["country_of_return"]]
        planned = first["status"] == S.BOOKED
        prefix = f"{self.ref.mission.code}-{day:%Y%m%d}-"
        self.day_sequence[prefix] = self.day_sequence.get(prefix, 0) + 1
        departure_id = self.next_departure
        self.next_departure += 1
        officer = self.ref.movement[self.office_code[first["office_id"]]]
        created = min(self.now, self._at(day - datetime.timedelta(days=21), 10))
        departs = self._at(day, 23, 55)
        kind = DepartureKind.CHARTER if seats >= 45 else DepartureKind.SCHEDULED
        self.departures.add(
            {
                "id": departure_id,
                "created_at": created,
                "updated_at": created if planned else min(self.now, departs),
                "mission_id": self.ref.mission.pk,
                "office_id": first["office_id"],
                "reference": f"{prefix}{self.day_sequence[prefix]:02d}",
                "kind": kind,
                "status": DepartureStatus.PLANNED if planned else DepartureStatus.DEPARTED,
                "departure_date": day,
                "departure_time": datetime.time(23, 55),
                "from_airport": "CMN",
                "to_airport": dest,
                "carrier": CARRIER,
                "flight_number": flight,
                "capacity": seats + 10,
                "project_id": first.get("project_id"),
                "created_by_id": officer.pk,
            }
        )
        if kind == DepartureKind.CHARTER:
            self.escorts.add(
                {
                    "id": self.next_escort,
                    "created_at": created,
                    "updated_at": created,
                    "departure_id": departure_id,
                    "kind": EscortKind.OPERATIONAL,
                    "name": f"{officer.first_name} {officer.last_name}".strip() or "Escort",
                    "seats": 1,
                }
            )
            self.next_escort += 1
        for _values, _pids, trip in batch:
            trip["day"] = day
            trip["departure"] = departure_id
            trip["flight"] = flight

    def _at(self, day, hour, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute), self.tz)

    def _movements(self, values: dict, pids: list, trip) -> None:
        """Bookings and legs, handover, travel documents, exit authorisations and assistance
        lines of one case (`values`, changed in place: departure date, handover)."""
        rng = self.rng
        status = values["status"]
        funded = values.get("project_id") is not None
        if not funded:
            return
        user_id = values["created_by_id"]
        officer = self.ref.movement[self.office_code[values["office_id"]]]
        nat = values["nationality"]
        registered = values["registered_on"]
        created = values["created_at"]
        day = trip["day"] if trip else None
        handed = False
        if trip:
            if trip.get("departure") and status != S.BOOKED:
                values["departed_on"] = day
            dest, flight = AIRPORTS[values["country_of_return"]]
            flight = trip.get("flight", flight)
            departs = self._at(day, 23, 55)
            b_status = BOOKING_STATUS[status]
            gone = b_status in (BookingStatus.DEPARTED, BookingStatus.ARRIVED)
            if gone and nat == ORIGIN_CODE and (trip["forced"] or rng.random() < 0.9):
                handed = True
                at = max(created, self._at(day - datetime.timedelta(days=3), 11))
                values["receiving_mission_id"] = self.ref.origin_mission.pk
                values["handed_over_at"] = at
                values["handover_categories"] = HANDOVER_CATEGORIES
                self.handovers.add(
                    {
                        "id": self.next_handover,
                        "created_at": at,
                        "updated_at": at,
                        "case_id": values["id"],
                        "mission_id": self.ref.origin_mission.pk,
                        "categories": HANDOVER_CATEGORIES,
                        "withheld": [],
                        "handed_over_by_id": user_id,
                    }
                )
                self.next_handover += 1
            booked = departs - datetime.timedelta(days=rng.randint(7, 20), hours=13)
            booked = max(created, min(booked, self.now - datetime.timedelta(hours=1)))
            individual = not trip.get("departure")
            pnr = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
            cost = Decimal(rng.randint(28, 61) * 100) if individual else None
            arrived = min(self.now, departs + datetime.timedelta(hours=6))
            updated = {
                BookingStatus.CONFIRMED: booked,
                BookingStatus.NO_SHOW: min(self.now, departs - datetime.timedelta(hours=2)),
                BookingStatus.DEPARTED: departs - datetime.timedelta(hours=1),
                BookingStatus.ARRIVED: arrived,
            }[b_status]
            for pid in pids:
                booking_id = self.next_booking
                self.next_booking += 1
                row = {
                    "id": booking_id,
                    "created_at": booked,
                    "updated_at": updated,
                    "case_id": values["id"],
                    "person_id": pid,
                    "departure_id": trip.get("departure"),
                    "status": b_status,
                    "travel_date": day,
                    "destination_airport": dest,
                    "booking_reference": pnr if individual else "",
                    "ticket_cost": cost,
                    "currency": "MAD" if cost else "",
                    "project_id": values["project_id"],
                    "confirmed_at": booked,
                    "created_by_id": officer.pk,
                }
                if gone:
                    row["departed_at"] = departs - datetime.timedelta(hours=1)
                    row["departure_confirmed_by_id"] = officer.pk
                if b_status == BookingStatus.ARRIVED:
                    row["arrived_at"] = arrived
                    row["arrival_confirmed_by_id"] = (
                        self.ref.origin_user.pk if handed else officer.pk
                    )
                if b_status == BookingStatus.NO_SHOW:
                    row["no_show_reason"] = "did_not_come"
                self.bookings.add(row)
                self.legs.add(
                    {
                        "id": self.next_leg,
                        "booking_id": booking_id,
                        "order": 1,
                        "carrier": CARRIER,
                        "flight_number": flight,
                        "from_airport": "CMN",
                        "to_airport": dest,
                        "departs_at": departs,
                        "arrives_at": departs + datetime.timedelta(hours=4, minutes=30),
                    }
                )
                self.next_leg += 1

        # travel documents and exit authorisations, from eligible on
        on = min(self.today, day or self.today)
        for pid in pids:
            requested = max(registered, on - datetime.timedelta(days=rng.randint(20, 45)))
            issued = status not in (S.ELIGIBLE, S.PRE_DEPARTURE) or (
                status == S.PRE_DEPARTURE and rng.random() < 0.6
            )
            doc = {
                "id": self.next_travel_doc,
                "created_at": max(created, self._at(requested, 9, 30)),
                "case_id": values["id"],
                "person_id": pid,
                "kind": DocumentKind.LAISSEZ_PASSER,
                "status": DocumentStatus.REQUESTED,
                "issuing_country": nat,
                "consulate_id": self.ref.consulates[nat].pk,
                "requested_on": requested,
                "recorded_by_id": user_id,
            }
            self.next_travel_doc += 1
            if issued:
                self.lp_serial += 1
                answered = min(self.today, requested + datetime.timedelta(days=rng.randint(5, 20)))
                doc.update(
                    status=DocumentStatus.ISSUED,
                    number=f"LP{nat}{self.lp_serial:07d}",
                    issued_on=answered,
                    answered_on=answered,
                    expires_on=answered + datetime.timedelta(days=90),
                )
                granted = min(self.today, answered + datetime.timedelta(days=rng.randint(1, 5)))
                exit_at = max(created, min(self.now, self._at(granted, 10)))
                self.exits.add(
                    {
                        "id": self.next_exit,
                        "created_at": max(created, self._at(answered, 9)),
                        "updated_at": exit_at,
                        "case_id": values["id"],
                        "person_id": pid,
                        "status": ExitStatus.GRANTED,
                        "authority_id": self.ref.authority.pk,
                        "requested_on": answered,
                        "reference": f"DGSN/{granted.year}/{self.lp_serial:07d}",
                        "granted_on": granted,
                        "valid_until": granted + datetime.timedelta(days=90),
                        "answered_on": granted,
                        "recorded_by_id": user_id,
                    }
                )
                self.next_exit += 1
            doc["updated_at"] = max(
                doc["created_at"], min(self.now, self._at(doc.get("answered_on") or requested, 9))
            )
            self.travel_docs.add(doc)

        # two assistance lines for the principal, from pre-departure on
        if status in ASSISTED:
            start = min(self.today, registered + datetime.timedelta(days=rng.randint(10, 13)))
            at = max(created, min(self.now, self._at(start, 11)))
            lines = [
                (
                    AssistanceKind.FOOD,
                    1,
                    "kit",
                    Decimal("350.00"),
                    {"description": "Kit alimentaire"},
                )
            ]
            if rng.random() < 0.5:
                nights = rng.randint(3, 10)
                lines.append(
                    (
                        AssistanceKind.ACCOMMODATION,
                        nights,
                        "night",
                        Decimal("120.00"),
                        {
                            "nights": nights,
                            "end_date": start + datetime.timedelta(days=nights),
                            "place": "Centre d'hébergement partenaire",
                            "description": "Hébergement d'urgence",
                        },
                    )
                )
            else:
                lines.append(
                    (
                        AssistanceKind.MEDICAL,
                        1,
                        "consultation",
                        Decimal("250.00"),
                        {"provider_id": self.hospital.pk, "description": "Consultation"},
                    )
                )
            for kind, quantity, unit, unit_cost, extra in lines:
                self.assistance.add(
                    {
                        "id": self.next_line,
                        "created_at": at,
                        "updated_at": at,
                        "case_id": values["id"],
                        "person_id": pids[0],
                        "kind": kind,
                        "start_date": start,
                        "quantity": Decimal(quantity),
                        "unit": unit,
                        "unit_cost": unit_cost,
                        "currency": "MAD",
                        "total": unit_cost * quantity,
                        "project_id": values["project_id"],
                        "status": LineStatus.RECORDED,
                        "recorded_by_id": user_id,
                        **extra,
                    }
                )
                self.next_line += 1

    # -- a phase --------------------------------------------------------------------------------

    def generate(self, n_cases: int, log=print) -> Counts:
        started = time.monotonic()
        self.next_person = _next_id(Person)
        self.next_doc = _next_id(IdentityDocument)
        self.next_case = _next_id(Case)
        self.next_member = _next_id(CaseMember)
        self.next_departure = _next_id(Departure)
        self.next_escort = _next_id(Escort)
        self.next_booking = _next_id(Booking)
        self.next_leg = _next_id(BookingLeg)
        self.next_travel_doc = _next_id(TravelDocument)
        self.next_exit = _next_id(ExitAuthorisation)
        self.next_handover = _next_id(Handover)
        self.next_line = _next_id(AssistanceLine)
        for reference in Departure.objects.values_list("reference", flat=True):
            prefix, _sep, n = reference.rpartition("-")
            key = prefix + "-"
            self.day_sequence[key] = max(self.day_sequence.get(key, 0), int(n))
        sequences = {
            (s.office_id, s.year): s.last_value for s in CaseSequence.objects.all()
        }  # continue the numbering of cases registered through the services
        counts = Counts()
        writer = _Writer()
        writer.start()
        done = 0
        try:
            while done < n_cases:
                size = min(CHUNK, n_cases - done)
                for _ in range(size):
                    self._case(sequences)
                self._plan_chunk()
                chunk = [t.take() for t in self.tables]
                counts.persons += len(chunk[0][1])
                counts.documents += len(chunk[1][1])
                counts.cases += len(chunk[2][1])
                counts.members += len(chunk[3][1])
                for table, (_statement, rows) in zip(self.tables, chunk, strict=True):
                    key = table.model._meta.label
                    counts.by_table[key] = counts.by_table.get(key, 0) + len(rows)
                writer.put(chunk)
                done += size
                if done % (5 * CHUNK) == 0 or done == n_cases:
                    log(f"  {done:>9,} / {n_cases:,} cases ({time.monotonic() - started:5.1f} s)")
        finally:
            writer.close()
        for table in self.tables:
            _reset_sequence(table.model)
        for (office_id, year), last in sequences.items():
            CaseSequence.objects.update_or_create(
                office_id=office_id, year=year, defaults={"last_value": last}
            )
        counts.seconds = time.monotonic() - started
        return counts


def vacuum_analyze(log=print) -> float:
    """VACUUM ANALYZE the bulk-loaded tables (what autovacuum does in production: visibility
    map for index-only scans, fresh statistics for the planner)."""
    started = time.monotonic()
    with connection.cursor() as c:
        for model in (Person, IdentityDocument, Case, CaseMember, CaseSequence, *MOVEMENT_MODELS):
            c.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
    return time.monotonic() - started


def verify_search_text(sample: int = 50, seed: int = 1) -> None:
    """The stored search_text of sampled persons (with documents) equals what the service
    composes for them now; raise if not."""
    rng = random.Random(seed)
    ids = list(
        IdentityDocument.objects.order_by().values_list("person_id", flat=True).distinct()[:5000]
    )
    ids += list(Person.objects.exclude(other_names="").values_list("pk", flat=True)[:1000])
    for pid in rng.sample(ids, min(sample, len(ids))):
        person = Person.objects.get(pk=pid)
        stored = person.search_text
        _refresh_search_text(person)
        if person.search_text != stored:
            raise AssertionError(
                f"search_text of person {pid} differs: {stored!r} != {person.search_text!r}"
            )


MOVEMENT_MODELS = (
    Departure, Escort, Booking, BookingLeg, TravelDocument, ExitAuthorisation, Handover,
    AssistanceLine,
)  # fmt: skip


def table_counts() -> dict:
    counts = {
        "persons": Person.objects.count(),
        "identity_documents": IdentityDocument.objects.count(),
        "cases": Case.objects.count(),
        "case_members": CaseMember.objects.count(),
    }
    for model in MOVEMENT_MODELS:
        counts[model._meta.db_table] = model.objects.count()
    return counts


def movement_facts(ref: Reference) -> dict:
    """What the movement pages show at this scale (their lists are not all paginated)."""
    today = timezone.localdate()
    planned = Departure.objects.filter(
        status=DepartureStatus.PLANNED, departure_date__gte=today
    ).count()
    return {
        "upcoming_departures": planned,
        "showcase_travellers": Booking.objects.filter(departure=ref.showcase_departure).count(),
        "awaiting_arrival_gn": Booking.objects.filter(
            status=BookingStatus.DEPARTED, case__receiving_mission=ref.origin_mission
        ).count(),
        "handed_over_gn": Case.objects.filter(receiving_mission=ref.origin_mission).count(),
        # rows of the expected-arrivals page: departed, or arrived in the last 30 days
        "arrivals_listed_gn": Booking.objects.filter(
            Q(status=BookingStatus.DEPARTED)
            | Q(
                status=BookingStatus.ARRIVED,
                arrived_at__gte=timezone.now() - datetime.timedelta(days=30),
            ),
            case__receiving_mission=ref.origin_mission,
            case__handed_over_at__isnull=False,
        ).count(),
    }
