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

import bisect
import datetime
import io
import json
import math
import queue
import random
import threading
import time
import traceback
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import psycopg
from django.conf import settings
from django.db import connection, models, transaction
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
from awda.core.money import line_total as money
from awda.core.text import compact, digits
from awda.demo import names
from awda.factories import (
    MissionFactory,
    OfficeFactory,
    OrganisationFactory,
    ProjectFactory,
    accept_handover,
    bring_case_to,
    hand_over_case,
    member_of,
    person_data,
    register_case,
)
from awda.finance.choices import ChargeSource, ChargeStage, CostCategory
from awda.finance.models import Charge, ExchangeRate, Project
from awda.finance.services.charges import charge_post, resolve_line
from awda.finance.services.rates import FoundRate
from awda.movements import services as movement_services
from awda.movements.choices import BookingStatus, DepartureKind, DepartureStatus, EscortKind
from awda.movements.models import Booking, BookingLeg, Departure, Escort, Handover, PocketMoney
from awda.movements.traveldocs.choices import DocumentKind, DocumentStatus, ExitStatus
from awda.movements.traveldocs.models import ExitAuthorisation, TravelDocument
from awda.registry.choices import DocumentType, OrganisationKind, Sex
from awda.registry.models import IdentityDocument, Organisation, Person
from awda.registry.services import _refresh_search_text
from awda.reintegration.choices import (
    CATEGORY_OF,
    ActivityStatus,
    AssessmentKind,
    AssistanceType,
    CapBasis,
    EducationLevel,
    Level,
    PaymentChannel,
    PlanStatus,
    PurchaseStatus,
    ReferralStatus,
    SurveyKind,
    TrancheStatus,
    VisitMode,
    VisitStatus,
)
from awda.reintegration.common import add_months
from awda.reintegration.models import (
    Assessment,
    CashTranche,
    Instrument,
    MonitoringVisit,
    Plan,
    PlanAssistance,
    PlanItem,
    Purchase,
    PurchaseLine,
    Reception,
    Referral,
    ReintegrationCap,
    ReintegrationFile,
    Survey,
)
from awda.reintegration.surveys.instrument import (
    PLACEHOLDER_PATH,
    active_instrument,
    label,
    normalise,
    parse,
    read_file,
)
from awda.reintegration.surveys.scoring import score

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

# Reintegration (issue 5): what the Guinea mission's office in Conakry records for the cases
# handed over to it (generated in the same COPY chunks, from a random stream of its own so that
# the data of issues 1 to 4 stay identical for a seed). Share of the handed-over cases that the
# office has accepted, by status (the others wait in its queue).
ACCEPTED_SHARE = {S.DEPARTED: 0.3, S.ARRIVED: 0.75}  # later statuses: always (the gate)
# Plan of a case in reintegration (monitoring and closed cases have an approved plan: the gate).
PLAN_STATUSES = (
    (PlanStatus.APPROVED, 60), (PlanStatus.SUBMITTED, 15), (PlanStatus.DRAFT, 15),
    (PlanStatus.RETURNED, 5), (None, 5),
)  # fmt: skip
MONITORING_MONTHS = (3, 6, 12)
PLAN_CAP = Decimal("1500.00")  # EUR per case for Guinea (ReintegrationCap of each project)
GENERAL_CAP = Decimal("1000.00")  # EUR per returnee, any nationality
# (kind, description, unit, quantity range, unit cost range in EUR, preferred activity)
ECONOMIC_ITEMS = (
    (AssistanceType.MICRO_BUSINESS, "Stock de marchandises pour une boutique", "lot", (1, 1),
     (500, 900), "Petit commerce (boutique de quartier)"),
    (AssistanceType.MICRO_BUSINESS, "Réfrigérateur et congélateur (vente de boissons)", "unité",
     (1, 1), (350, 500), "Vente de boissons fraîches"),
    (AssistanceType.INCOME_ACTIVITY, "Moto pour taxi-moto (acompte)", "unité", (1, 1),
     (600, 850), "Taxi-moto"),
    (AssistanceType.INCOME_ACTIVITY, "Petit matériel agricole et semences", "lot", (1, 1),
     (250, 450), "Maraîchage"),
    (AssistanceType.INCOME_ACTIVITY, "Machine à coudre et tissus", "lot", (1, 1), (300, 450),
     "Couture"),
    (AssistanceType.VOCATIONAL_TRAINING, "Formation professionnelle (mécanique)", "mois", (3, 3),
     (60, 90), "Mécanique automobile"),
)  # fmt: skip
OTHER_ITEMS = (
    (AssistanceType.BASIC_NEEDS, "Kit de première nécessité", "kit", (1, 1), (60, 90)),
    (AssistanceType.ACCOMMODATION, "Loyer", "mois", (2, 3), (40, 60)),
    (AssistanceType.HOUSING, "Réfection du logement (toiture)", "lot", (1, 1), (150, 300)),
    (AssistanceType.MEDICAL, "Soins médicaux et médicaments", "forfait", (1, 1), (80, 200)),
    (AssistanceType.DOCUMENTS, "Carte nationale d'identité", "carte", (1, 1), (15, 25)),
    (AssistanceType.PSYCHOSOCIAL, "Séances de soutien psychosocial", "séance", (3, 6), (15, 25)),
)  # fmt: skip
CASH_ITEM = (AssistanceType.CASH, "Allocation d'installation (deux tranches)", "tranche", (2, 2),
             (100, 150))  # fmt: skip
IN_KIND = {AssistanceType.MICRO_BUSINESS, AssistanceType.INCOME_ACTIVITY,
           AssistanceType.BASIC_NEEDS, AssistanceType.HOUSING}  # bought from suppliers  # fmt: skip
REFERRAL_KINDS = (AssistanceType.MEDICAL, AssistanceType.PSYCHOSOCIAL, AssistanceType.EDUCATION)
# The survey instrument of the data migration (code "rss"); created here only if it is missing.
INSTRUMENT_CODE = "rss"
DIMENSIONS = ("economic", "social", "psychosocial")
# Target score of a returnee's answers at baseline, per dimension (+0.05 per follow-up).
BASELINE_MEAN = {"economic": 0.34, "social": 0.48, "psychosocial": 0.45}

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
    # Reintegration (issue 5): the Guinea mission's office, its staff, suppliers and partners
    origin_office: object = None  # Conakry
    origin_manager: object = None  # manager.conakry: approves plans
    origin_officers: list = field(default_factory=list)  # reintegration officers of Conakry
    suppliers: list = field(default_factory=list)
    origin_partners: list = field(default_factory=list)  # referral services in Guinea
    instrument: object = None  # the "rss" Instrument the surveys are scored with
    reintegration_case: object = None  # the showcase case in reintegration (case-tab scenarios)
    # Finance and reports (issue 6): an M&E officer and a finance officer of Rabat
    me_user: object = None
    finance_user: object = None


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
    finance_user = member_of(offices["RBA"], Role.FINANCE, "finance.rabat")
    me_user = member_of(offices["RBA"], Role.ME, "me.rabat")
    setup_finance(finance_user, projects)  # before any cost is recorded by the services
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
    origin_manager = member_of(conakry, Role.MANAGER, "manager.conakry")
    origin_officers = [
        origin_user,
        member_of(conakry, Role.REINTEGRATION, "reintegration2.conakry"),
    ]
    suppliers = [
        OrganisationFactory(name=name, kind=OrganisationKind.SUPPLIER, country="GN", city=city)
        for name, city in (
            ("Quincaillerie du Port", "Conakry"),
            ("Établissements Diallo et Frères", "Conakry"),
            ("Moto Guinée SARL", "Conakry"),
            ("Marché de Madina - Grossiste Camara", "Conakry"),
            ("Agro-Services Kindia", "Kindia"),
        )
    ]
    origin_partners = [
        OrganisationFactory(name=name, kind=kind, country="GN", city="Conakry")
        for name, kind in (
            ("Hôpital national Donka", OrganisationKind.HOSPITAL),
            ("Centre d'écoute et de soutien psychosocial", OrganisationKind.NGO),
            ("École publique de Matoto", OrganisationKind.OTHER),
        )
    ]
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
        origin_office=conakry,
        origin_manager=origin_manager,
        origin_officers=origin_officers,
        suppliers=suppliers,
        origin_partners=origin_partners,
        authority=authority,
        consulates=consulates,
        me_user=me_user,
        finance_user=finance_user,
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
    setup_reintegration(ref)
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


def setup_reintegration(ref: Reference) -> None:
    """Issue 5: the survey instrument, the projects' reintegration caps (a general cap per
    returnee, a higher one per case for Guinea) and the showcase reintegration case."""
    ref.instrument = ensure_instrument()
    for project in ref.projects:
        for nationality, amount, basis in (
            ("", GENERAL_CAP, CapBasis.PERSON),
            (ORIGIN_CODE, PLAN_CAP, CapBasis.CASE),
        ):
            ReintegrationCap.objects.get_or_create(
                project=project,
                nationality=nationality,
                vulnerability="",
                defaults={"amount": amount, "currency": "EUR", "basis": basis},
            )
    setup_showcase_reintegration(ref)


def setup_showcase_reintegration(ref: Reference) -> None:
    """A Guinea family of Rabat (principal, wife, one child) taken through the services to
    *reintegration*: booked, departed, arrived, handed over to Guinea and accepted by
    reintegration.conakry (`awda.factories.bring_case_to(..., origin=...)`). Its reintegration
    records (reception, assessments, baseline surveys, an approved plan with items and assistance,
    the monitoring schedule, a purchase, cash tranches, a referral) are then written as the
    generator writes them. Identical at both scales."""
    pool = names.POOLS[ORIGIN_CODE]
    case = register_case(
        ref.caseworker,
        ref.offices["RBA"],
        principal=person_data(
            given_name="Mamadou Saliou",
            family_name="Bah",
            date_of_birth=datetime.date(1986, 3, 14),
            phone="+212 663 41 52 63",
        ),
        members=[
            {
                "relationship": Relationship.SPOUSE,
                "person": person_data(
                    given_name=pool.female[0],
                    family_name="Bah",
                    sex="female",
                    date_of_birth=datetime.date(1991, 7, 9),
                    phone="",
                ),
            },
            {
                "relationship": Relationship.CHILD,
                "person": person_data(
                    given_name=pool.male[0],
                    family_name="Bah",
                    sex="male",
                    date_of_birth=datetime.date(2016, 11, 2),
                    phone="",
                ),
            },
        ],
        referral_source=ReferralSource.WALK_IN,
        destination_area="Labé",
    )
    case = bring_case_to(
        case,
        "reintegration",
        caseworker=ref.caseworker,
        manager=ref.manager,
        project=ref.projects[0],
        origin=ref.origin_user,
    )
    try:
        with transaction.atomic():
            _showcase_records(ref, case)
    except Exception as exc:  # a service changed: write the same records as the generator does
        where = traceback.extract_tb(exc.__traceback__)[1]
        print(
            f"  (showcase reintegration records through the services failed at line "
            f"{where.lineno} of datagen.py: {exc!r} {getattr(exc, 'fields', '')}; written as "
            "generated rows instead)"
        )
        _showcase_rows(ref, Case.objects.get(pk=case.pk))
    ref.reintegration_case = Case.objects.get(pk=case.pk)
    setup_recent_arrival(ref)


def setup_recent_arrival(ref: Reference) -> None:
    """A second Guinea case of Rabat, taken to *arrived* with the services, handed over and
    accepted by reintegration.conakry, its reception recorded: it has no assessment and no plan
    yet. With the showcase case (a purchase ordered, a call due next week) and the accepted
    cases of yesterday's flight, every queue of the officer's workspace has rows at both
    scales (an empty queue would skip its page query and change the page's query count)."""
    from awda.reintegration.files.services import reception_record

    case = register_case(
        ref.caseworker,
        ref.offices["RBA"],
        principal=person_data(
            given_name="Fodé",
            family_name="Camara",
            date_of_birth=datetime.date(1995, 5, 20),
            phone="+212 663 41 52 64",
        ),
        referral_source=ReferralSource.NGO,
        destination_area="Kindia",
    )
    case = bring_case_to(
        case, "arrived", caseworker=ref.caseworker, manager=ref.manager, project=ref.projects[0]
    )
    case = hand_over_case(case, ref.origin_mission)
    case = accept_handover(case, ref.origin_user, office=ref.origin_office)
    reception_record(
        ref.origin_user,
        case=case,
        received_on=timezone.localdate(),
        airport_reception=True,
        met_by="Équipe OIM Conakry (aéroport de Gbessia)",
        onward_transport=True,
        onward_destination="Kindia",
    )


def _showcase_records(ref: Reference, case) -> None:
    """The showcase case's reintegration records through the services: reception, three
    assessments, baseline surveys of the two adults, a plan (3 items, 4 assistance types of
    which one referral) submitted and approved by manager.conakry (the monitoring schedule at 3,
    6 and 12 months), a purchase ordered, two cash tranches (the first paid), a referral to a
    hospital and a follow-up call next week."""
    from awda.reintegration.delivery import services as delivery
    from awda.reintegration.files.services import assessment_record, reception_record, visit_add
    from awda.reintegration.plans import services as plans
    from awda.reintegration.surveys.services import survey_record

    officer, manager = ref.origin_user, ref.origin_manager
    today = timezone.localdate()
    file = ReintegrationFile.objects.get(case=case)
    arrived = file.arrived_on or today
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    principal = members[0].person
    reception_record(
        officer,
        case=case,
        received_on=arrived,
        airport_reception=True,
        met_by="Équipe OIM Conakry (aéroport de Gbessia)",
        onward_transport=True,
        onward_destination="Labé",
        accommodation_nights=1,
        accommodation_place="Centre de transit de Conakry",
        first_needs="Repas, kit d'hygiène, carte SIM",
    )
    for kind, extra in (
        (AssessmentKind.VULNERABILITY, {"level": Level.MEDIUM, "findings": "Besoin de soins."}),
        (AssessmentKind.RISK, {"level": Level.LOW, "findings": "Pas de risque identifié."}),
        (
            AssessmentKind.SKILLS,
            {
                "findings": "Expérience du commerce.",
                "education_level": EducationLevel.PRIMARY,
                "work_experience": "Vendeur au marché de Labé",
                "skills": "Vente, gestion de stock",
                "preferred_activity": "Petit commerce (boutique de quartier)",
            },
        ),
    ):
        assessment_record(
            officer, case=case, person=principal, kind=kind, assessed_on=arrived, **extra
        )
    draw = _Answers(ref.instrument.definition, random.Random(55))
    for member in members:
        if member.relationship != Relationship.CHILD:
            answers, _scores = draw.draw(BASELINE_MEAN)
            survey_record(
                officer,
                case=case,
                person=member.person,
                kind=SurveyKind.BASELINE,
                answers=answers,
                conducted_on=arrived,
            )
    plan = plans.plan_create(officer, case=case)
    supplier = ref.suppliers[1]
    plan = plans.plan_update(
        officer,
        plan=plan,
        expected_version=plan.version,
        economic_summary="Boutique de quartier à Labé (produits de première nécessité).",
        social_summary="Logement familial ; scolarité de l'enfant.",
        psychosocial_summary="Orientation vers un service partenaire.",
        assistances=[
            {"kind": AssistanceType.MICRO_BUSINESS, "description": "Boutique"},
            {"kind": AssistanceType.CASH, "description": "Allocation d'installation"},
            {"kind": AssistanceType.EDUCATION, "description": "Scolarité de l'enfant"},
            {"kind": AssistanceType.MEDICAL, "description": "Suivi médical", "referral": True},
        ],
        items=[
            {
                "kind": AssistanceType.MICRO_BUSINESS,
                "description": "Stock de marchandises pour une boutique",
                "quantity": 1,
                "unit": "lot",
                "unit_cost": Decimal("750.00"),
                "supplier": supplier,
            },
            {
                "kind": AssistanceType.CASH,
                "description": "Allocation d'installation (deux tranches)",
                "quantity": 2,
                "unit": "tranche",
                "unit_cost": Decimal("120.00"),
            },
            {
                "kind": AssistanceType.EDUCATION,
                "description": "Frais de scolarité des enfants",
                "quantity": 1,
                "unit": "enfant",
                "unit_cost": Decimal("65.00"),
            },
        ],
    )
    plan = plans.plan_submit(officer, plan=plan, expected_version=plan.version)
    plan = plans.plan_approve(manager, plan=plan, expected_version=plan.version)
    item = plan.items.get(kind=AssistanceType.MICRO_BUSINESS)
    case.refresh_from_db()
    delivery.purchase_create(
        officer,
        case=case,
        supplier=supplier,
        plan=plan,
        lines=[
            {
                "description": item.description,
                "quantity": item.quantity,
                "unit": item.unit,
                "unit_price": Decimal("720.00"),
                "plan_item": item.pk,
            }
        ],
    )
    # (left ordered: the supplier delivers next week; it is in the "purchases" queue)
    for n, due in enumerate((today, add_months(arrived, 6))):
        tranche = delivery.tranche_plan(
            officer,
            case=case,
            person=principal,
            amount=Decimal("120.00"),
            due_on=due,
            channel=PaymentChannel.MOBILE_MONEY,
            notes=f"Tranche {n + 1}/2",
            plan=plan,
        )
        if n == 0:
            delivery.tranche_pay(
                officer,
                tranche=tranche,
                paid_on=today,
                reference=f"OM{case.pk:07d}1",
                expected_version=tranche.version,
            )
    delivery.referral_create(
        officer,
        case=case,
        person=principal,
        organisation=ref.origin_partners[0],
        kind=AssistanceType.MEDICAL,
        service="Consultation et suivi",
        plan=plan,
    )
    # a follow-up call next week, besides the schedule (in the "visits" queue)
    visit_add(officer, case=case, due_on=today + datetime.timedelta(days=7), mode=VisitMode.CALL)


def _showcase_rows(ref: Reference, case) -> None:
    """The showcase case's records written as the generator writes them (used when a service
    refuses or has changed)."""
    file = ReintegrationFile.objects.get(case=case)
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    persons = {
        m.person_id: (
            m.person.date_of_birth,
            m.person.birth_year,
            m.relationship != Relationship.CHILD,
        )
        for m in members
    }
    values = {
        "id": case.pk,
        "status": case.status,
        "departed_on": case.departed_on,
        "handed_over_at": case.handed_over_at,
        "destination_area": case.destination_area,
        "project_id": case.project_id,
        "member_count": case.member_count,
        "principal_id": case.principal_id,
        "closure_reason": case.closure_reason,
    }
    rows = ReintegrationRows(ref, seed=55)
    rows.start()
    rows.add_case(
        values,
        [m.person_id for m in members],
        persons,
        showcase={
            "officer": file.officer or ref.origin_user,
            "arrived_on": file.arrived_on or timezone.localdate(),
        },
    )
    rows.write()


# ---- finance (issue 6): budgets, exchange rates, the cost ledger --------------------------------

# Each project's budget: (code, name, categories); the last line takes what no other line does.
BUDGET_LINES = (
    ("PRE", "Assistance avant le départ", [
        CostCategory.MEDICAL, CostCategory.ACCOMMODATION, CostCategory.FOOD,
        CostCategory.NON_FOOD, CostCategory.PSYCHOSOCIAL, CostCategory.ADMINISTRATIVE,
        CostCategory.CASH, CostCategory.TRANSPORT,
    ]),
    ("TKT", "Billets et argent de poche", [CostCategory.TICKET, CostCategory.POCKET_MONEY]),
    ("REI", "Réintégration", [
        CostCategory.REINTEGRATION_IN_KIND, CostCategory.REINTEGRATION_CASH,
        CostCategory.REINTEGRATION_REFERRAL,
    ]),
    ("GEN", "Divers", []),
)  # fmt: skip
# Room for every cost of a 1,000,000-case run (no cost is refused nor flagged over budget).
LINE_AMOUNT = Decimal("900000000.00")
RATE_MONTHS = 12 * 11  # monthly EUR/MAD rates covering the ten years of generated history
POCKET_MONEY = Decimal("500.00")  # MAD, paid on the travel date to every traveller who flew
POCKET_MONEY_STATUSES = (BookingStatus.DEPARTED, BookingStatus.ARRIVED)


def eur_mad(month_index: int) -> Decimal:
    """The EUR/MAD rate of a month (10.80 to 10.98, deterministic)."""
    return Decimal("10.80") + Decimal(month_index * 7 % 10) * Decimal("0.02")


def setup_finance(user, projects) -> None:
    """Through the services: monthly EUR/MAD rates (a CSV import) from eleven years ago, four
    budget lines per project and a donor's contribution. Identical at both scales."""
    from awda.finance.services.budget import budget_line_create
    from awda.finance.services.contributions import contribution_record
    from awda.finance.services.rates import rates_import_csv

    today = timezone.localdate()
    first = add_months(today.replace(day=1), -RATE_MONTHS)
    rows = ["currency,to_currency,rate,valid_from,source"]
    for i in range(RATE_MONTHS + 1):
        rows.append(f"EUR,MAD,{eur_mad(i)},{add_months(first, i).isoformat()},Bank Al-Maghrib")
    upload = io.BytesIO("\n".join(rows).encode())
    upload.name = "rates.csv"
    rates_import_csv(user, file=upload)
    for project in projects:
        for code, name, categories in BUDGET_LINES:
            budget_line_create(
                user,
                project=project,
                code=code,
                name=name,
                amount=LINE_AMOUNT,
                categories=categories,
            )
        contribution_record(
            user,
            project=project,
            donor=project.donors.first(),
            amount=Decimal("2500000.00"),
            currency=project.currency,
            received_on=project.start_date,
            reference=f"{project.code}/1",
        )


class _Rates:
    """rate_for() on the rates held in memory (the rates are few and fixed during a phase): the
    latest rate of the pair on the day, else of the reverse pair (inverted)."""

    def __init__(self):
        self.pairs: dict = {}
        for r in ExchangeRate.objects.order_by("valid_from"):
            self.pairs.setdefault((r.currency, r.to_currency), ([], []))
            days, rates = self.pairs[(r.currency, r.to_currency)]
            days.append(r.valid_from)
            rates.append(r.rate)

    def _latest(self, pair, day):
        days, rates = self.pairs.get(pair, ((), ()))
        i = bisect.bisect_right(days, day)
        return (rates[i - 1], days[i - 1]) if i else None

    def find(self, currency, to_currency, day) -> FoundRate | None:
        if currency == to_currency:
            return FoundRate(Decimal(1), None)
        direct = self._latest((currency, to_currency), day)
        inverse = self._latest((to_currency, currency), day)
        if direct and (not inverse or direct[1] >= inverse[1]):
            return FoundRate(direct[0], direct[1])
        if inverse:
            return FoundRate(inverse[0], inverse[1], inverted=True)
        return None


class ChargeRows:
    """The finance ledger of the records a phase generated, as `charge_post` builds it when the
    services record them (docs/finance.md, "Where costs come from"): assistance lines (spent on
    their date), tickets of individual bookings (committed the day booked, spent the day
    confirmed), pocket money (generated here: 500 MAD to every traveller who flew, spent on the
    travel date), reintegration purchases (committed when ordered, spent when delivered,
    released when cancelled) and cash tranches (committed when planned, spent when paid,
    released when cancelled). Each charge goes to the line `resolve_line` gives, converted at
    the rate of its latest stage's day; written by COPY. `verify_charges` re-posts a sample
    through `charge_post` and compares."""

    BATCH = 50_000

    def __init__(self, ref: Reference):
        self.ref = ref
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        self.charges = _Table(Charge)
        self.pocket = _Table(PocketMoney)
        self.projects = {p.pk: p for p in Project.objects.all()}
        self.lines = {}  # (project, category) -> budget line id, by resolve_line itself
        for project in self.projects.values():
            for category in CostCategory.values:
                line = resolve_line(project, category)
                self.lines[(project.pk, category)] = line.pk if line else None
        self.rates = _Rates()
        self.names = dict(Organisation.objects.values_list("pk", "name"))
        self.counts: dict = {}

    def _at(self, day):
        return min(self.now, datetime.datetime.combine(day, datetime.time(12), self.tz))

    def _local(self, moment):
        return timezone.localdate(moment) if moment else None

    def add(self, source, source_id, category, case_id, office_id, person_id, project_id, amount,
            currency, stages, description, user_id) -> None:  # fmt: skip
        """One charge: the postings of `stages` ((stage, day), oldest first) in turn."""
        committed_on = spent_on = released_on = rate_day = None
        stage = None
        for st, day in stages:
            if st == ChargeStage.RELEASED:
                if stage in (None, ChargeStage.RELEASED):
                    continue
                stage, released_on = st, day
                continue
            if st == ChargeStage.COMMITTED:
                committed_on, spent_on = committed_on or day, None
            else:
                spent_on = day
            stage, released_on, rate_day = st, None, day
        if stage is None:
            return
        project = self.projects[project_id]
        found = self.rates.find(currency, project.currency, rate_day)
        row = {
            "id": self.next_id,
            "created_at": self._at(stages[0][1]),
            "updated_at": self._at(stages[-1][1]),
            "source": source,
            "source_id": source_id,
            "category": category,
            "case_id": case_id,
            "person_id": person_id,
            "office_id": office_id,
            "project_id": project_id,
            "budget_line_id": self.lines[(project_id, category)],
            "description": description[:300],
            "amount": amount,
            "currency": currency,
            "stage": stage,
            "committed_on": committed_on,
            "spent_on": spent_on,
            "released_on": released_on,
            "recorded_by_id": user_id,
        }
        if found is not None:
            row.update(
                rate=found.rate,
                rate_inverted=found.inverted,
                rate_on=found.valid_from or rate_day,
                project_amount=found.convert(amount),
            )
        self.next_id += 1
        self.charges.add(row)
        self.counts[source] = self.counts.get(source, 0) + 1

    def _rows(self, sql, first_id, table):
        """The rows of `sql` (its last parameters: an id range) for ids from `first_id` on."""
        with connection.cursor() as c:
            c.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
            last = c.fetchone()[0]
            for lo in range(first_id, last + 1, self.BATCH):
                c.execute(sql, [lo, lo + self.BATCH])
                yield from c.fetchall()

    def generate(self, first: dict, writer) -> None:
        """Charges (and pocket money) of the records with ids from first[model] on."""
        self.next_id = _next_id(Charge)
        next_pm = _next_id(PocketMoney)
        spent, committed, released = ChargeStage.SPENT, ChargeStage.COMMITTED, ChargeStage.RELEASED

        def flush():
            writer.put([self.pocket.take(), self.charges.take()])

        sql = """SELECT l.id, l.case_id, c.office_id, l.person_id, l.project_id, l.kind, l.total,
                   l.currency, l.start_date, l.status, l.cancelled_at, l.provider_id,
                   l.recorded_by_id
            FROM assistance_assistanceline l JOIN cases_case c ON c.id = l.case_id
            WHERE l.project_id IS NOT NULL AND l.id >= %s AND l.id < %s ORDER BY l.id"""
        for (pk, case_id, office_id, person_id, project_id, kind, total, currency, start,
             status, cancelled_at, provider_id, user_id) in self._rows(
            sql, first[AssistanceLine], AssistanceLine._meta.db_table
        ):  # fmt: skip
            stages = [(spent, start)]
            if status == LineStatus.CANCELLED:
                stages.append((released, self._local(cancelled_at) or start))
            parts = [f"#{pk}"] + ([self.names[provider_id]] if provider_id else [])
            self.add(ChargeSource.ASSISTANCE_LINE, pk, kind, case_id, office_id, person_id,
                     project_id, total, currency, stages, " · ".join(parts), user_id)  # fmt: skip
        flush()

        sql = """SELECT b.id, b.case_id, c.office_id, b.person_id, b.project_id, b.ticket_cost,
                   b.currency, b.created_at, b.confirmed_at, b.updated_at, b.status,
                   b.travel_date, b.destination_airport, b.created_by_id,
                   ARRAY(SELECT ARRAY[g.from_airport, g.to_airport, g.flight_number]
                         FROM movements_bookingleg g WHERE g.booking_id = b.id
                         ORDER BY g."order", g.id)
            FROM movements_booking b JOIN cases_case c ON c.id = b.case_id
            WHERE b.project_id IS NOT NULL AND b.id >= %s AND b.id < %s ORDER BY b.id"""
        for (pk, case_id, office_id, person_id, project_id, cost, currency, created_at,
             confirmed_at, updated_at, status, travel_date, dest, user_id, legs) in self._rows(
            sql, first[Booking], Booking._meta.db_table
        ):  # fmt: skip
            if cost is not None:
                made_on = self._local(created_at) or travel_date
                stages = [(committed, made_on)]
                if confirmed_at:
                    stages.append((spent, self._local(confirmed_at)))
                elif status == BookingStatus.CANCELLED:
                    stages.append((released, self._local(updated_at) or made_on))
                route = "-".join([legs[0][0], *(leg[1] for leg in legs)]) if legs else dest or "?"
                parts = [f"#{pk}", route]
                flights = "/".join(leg[2] for leg in legs if leg[2])
                if flights:
                    parts.append(flights)
                self.add(ChargeSource.TICKET, pk, CostCategory.TICKET, case_id, office_id,
                         person_id, project_id, cost, currency, stages, " · ".join(parts),
                         user_id)  # fmt: skip
            if status in POCKET_MONEY_STATUSES:
                at = min(
                    self.now, datetime.datetime.combine(travel_date, datetime.time(8), self.tz)
                )
                self.pocket.add(
                    {
                        "id": next_pm,
                        "created_at": at,
                        "updated_at": at,
                        "booking_id": pk,
                        "amount": POCKET_MONEY,
                        "currency": "MAD",
                        "project_id": project_id,
                        "paid_on": travel_date,
                        "paid_by_id": user_id,
                    }
                )
                self.add(ChargeSource.POCKET_MONEY, next_pm, CostCategory.POCKET_MONEY, case_id,
                         office_id, person_id, project_id, POCKET_MONEY, "MAD",
                         [(spent, travel_date)], f"{dest or '?'} {travel_date.isoformat()}",
                         user_id)  # fmt: skip
                next_pm += 1
        flush()

        sql = """SELECT p.id, p.case_id, c.office_id, p.project_id, p.total, p.currency,
                   p.ordered_on, p.delivered_on, p.status, p.cancelled_at, p.supplier_id,
                   p.invoice_number, p.recorded_by_id
            FROM reintegration_purchase p JOIN cases_case c ON c.id = p.case_id
            WHERE p.id >= %s AND p.id < %s ORDER BY p.id"""
        for (pk, case_id, office_id, project_id, total, currency, ordered_on, delivered_on,
             status, cancelled_at, supplier_id, invoice, user_id) in self._rows(
            sql, first[Purchase], Purchase._meta.db_table
        ):  # fmt: skip
            stages = [(committed, ordered_on)]
            if status == PurchaseStatus.DELIVERED:
                stages.append((spent, delivered_on))
            elif status == PurchaseStatus.CANCELLED:
                stages.append((released, self._local(cancelled_at) or timezone.localdate()))
            parts = [f"#{pk}", self.names[supplier_id]] + ([invoice] if invoice else [])
            self.add(ChargeSource.PURCHASE, pk, CostCategory.REINTEGRATION_IN_KIND, case_id,
                     office_id, None, project_id, total, currency, stages, " · ".join(parts),
                     user_id)  # fmt: skip

        sql = """SELECT t.id, t.case_id, c.office_id, t.person_id, t.project_id, t.amount,
                   t.currency, t.created_at, t.status, t.paid_on, t.cancelled_at, t.channel,
                   t.reference, t.recorded_by_id
            FROM reintegration_cashtranche t JOIN cases_case c ON c.id = t.case_id
            WHERE t.id >= %s AND t.id < %s ORDER BY t.id"""
        for (pk, case_id, office_id, person_id, project_id, amount, currency, created_at,
             status, paid_on, cancelled_at, channel, reference, user_id) in self._rows(
            sql, first[CashTranche], CashTranche._meta.db_table
        ):  # fmt: skip
            stages = [(committed, self._local(created_at) or timezone.localdate())]
            if status == TrancheStatus.PAID:
                stages.append((spent, paid_on))
            elif status == TrancheStatus.CANCELLED:
                stages.append((released, self._local(cancelled_at) or timezone.localdate()))
            parts = [f"#{pk}", channel] + ([reference] if reference else [])
            self.add(ChargeSource.CASH_TRANCHE, pk, CostCategory.REINTEGRATION_CASH, case_id,
                     office_id, person_id, project_id, amount, currency, stages,
                     " · ".join(parts), user_id)  # fmt: skip
        # (generated referrals have no cost: no charge, as the services do)
        flush()


CHARGE_FIELDS = (
    "category", "case_id", "person_id", "office_id", "project_id", "budget_line_id",
    "description", "amount", "currency", "stage", "committed_on", "spent_on", "released_on",
    "rate", "rate_inverted", "rate_on", "project_amount", "over_budget", "over_cap",
)  # fmt: skip


class _Rollback(Exception):
    pass


def verify_charges(sample: int = 25, seed: int = 1) -> int:
    """For sampled generated charges of each source: delete the charge, post its record's stages
    again through `charge_post` (as charges_rebuild does), compare every field, roll back; then
    check that each project's budget view totals equal the sum of its charges. Raise on a
    difference; returns the number of charges compared."""
    from awda.assistance.charges import line_history
    from awda.finance.budget_selectors import budget_view
    from awda.movements.charges import booking_history, pocket_money_spec
    from awda.reintegration.delivery.charges import purchase_history, tranche_history

    histories = {
        ChargeSource.ASSISTANCE_LINE: lambda pk: line_history(
            AssistanceLine.objects.select_related("case", "person", "project", "provider").get(
                pk=pk
            )
        ),
        ChargeSource.TICKET: lambda pk: booking_history(
            Booking.objects.select_related("case", "person", "project")
            .prefetch_related("legs")
            .get(pk=pk)
        ),
        ChargeSource.POCKET_MONEY: lambda pk: [
            pocket_money_spec(
                PocketMoney.objects.select_related(
                    "booking__case", "booking__person", "project"
                ).get(pk=pk)
            )
        ],
        ChargeSource.PURCHASE: lambda pk: purchase_history(
            Purchase.objects.select_related("case", "project", "supplier").get(pk=pk)
        ),
        ChargeSource.CASH_TRANCHE: lambda pk: tranche_history(
            CashTranche.objects.select_related("case", "person", "project").get(pk=pk)
        ),
    }
    rng = random.Random(seed)
    compared = 0
    for source, history_of in histories.items():
        ids = list(
            Charge.objects.filter(source=source)
            .order_by("-id")
            .values_list("pk", flat=True)[:20000]
        )
        for pk in rng.sample(ids, min(sample, len(ids))):
            stored = Charge.objects.get(pk=pk)
            try:
                with transaction.atomic():
                    Charge.objects.filter(pk=pk).delete()
                    for spec in history_of(stored.source_id):
                        charge_post(stored.recorded_by, spec=spec, enforce=False)
                    posted = Charge.objects.get(source=source, source_id=stored.source_id)
                    diff = {
                        f: (getattr(stored, f), getattr(posted, f))
                        for f in CHARGE_FIELDS
                        if getattr(stored, f) != getattr(posted, f)
                    }
                    if diff:
                        raise AssertionError(f"charge {pk} ({source}) differs: {diff}")
                    raise _Rollback
            except _Rollback:
                compared += 1
    for project in Project.objects.all():
        view = budget_view(project)
        sums = Charge.objects.filter(
            project=project,
            stage__in=(ChargeStage.COMMITTED, ChargeStage.SPENT),
            project_amount__isnull=False,
        ).aggregate(s=models.Sum("project_amount"))
        if view.committed + view.spent != (sums["s"] or Decimal(0)):
            raise AssertionError(
                f"budget view of {project.code}: {view.committed + view.spent} != {sums['s']}"
            )
    return compared


def finance_facts() -> dict:
    """The ledger at this scale: charges per source, and per stage."""
    out = {}
    for source, n in Charge.objects.order_by().values_list("source").annotate(n=models.Count("id")):
        out[f"charges_{source}"] = n
    for stage, n in Charge.objects.order_by().values_list("stage").annotate(n=models.Count("id")):
        out[f"charges_{stage}"] = n
    out["awaiting_rate"] = Charge.objects.filter(project_amount__isnull=True).count()
    return out


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


# ---- reintegration rows (issue 5) -------------------------------------------------------------


def _age(person, day):
    """Age in whole years on `day` of (date of birth, birth year, adult), as the survey service
    computes it; None if unknown."""
    dob, birth_year, _adult = person
    if dob is not None:
        return max(0, day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day)))
    return max(0, day.year - birth_year) if birth_year else None


def _clip(x: float) -> float:
    return min(0.98, max(0.02, x))


def ensure_instrument() -> Instrument:
    """The instrument new surveys use (the newest active "rss": the data migration's
    placeholder unless an official one was loaded); if there is none, the placeholder file is
    loaded as the migration does."""
    found = active_instrument(INSTRUMENT_CODE)
    if found:
        return found
    definition, stored, digest = normalise(read_file(PLACEHOLDER_PATH))
    return Instrument.objects.create(
        code=definition.code,
        version=definition.version,
        name=label(definition.name, "en")[:200],
        is_placeholder=True,
        is_active=True,
        definition=stored,
        checksum=digest,
        source="awda/reintegration/surveys/instruments/placeholder.json",
    )


_PLACES = Decimal("0.0001")
_ZERO, _ONE = Decimal(0), Decimal(1)


def _mean(pairs):
    """Weighted mean of the (weight, value) pairs with a value (weights re-normalised)."""
    kept = [(w, v) for w, v in pairs if v is not None]
    total = sum((w for w, _v in kept), _ZERO)
    if not kept or total <= 0:
        return None
    return sum((w * v for w, v in kept), _ZERO) / total


def _rounded(value):
    if value is None:
        return None
    return min(_ONE, max(_ZERO, value)).quantize(_PLACES, rounding=ROUND_HALF_UP)


class _Answers:
    """Answers to every question of an instrument, drawn around a target score per dimension
    (an option is the likelier the closer its score is to the target; 3 % "don't know"), and
    scored as `surveys.scoring.score` scores them (the same arithmetic on a precomputed layout
    of the definition, ~7x faster; `verify_survey_scores` checks stored surveys against the
    real function)."""

    def __init__(self, stored_definition, rng: random.Random):
        self.rng = rng
        self.definition = parse(stored_definition)
        d = self.definition
        dimension_of = {i.code: i.dimension for i in d.indicators}
        self.questions = []  # (code, dimension, [(option code, score)], [don't-know codes])
        self.option_score = {}  # (question, option) -> Decimal score or None
        for q in d.questions:
            scored = [(o.code, float(o.score)) for o in q.options if o.score is not None]
            unknown = [o.code for o in q.options if o.score is None]
            self.questions.append((q.code, dimension_of[q.indicator], scored, unknown))
            for o in q.options:
                self.option_score[(q.code, o.code)] = o.score
        self.layout = {
            dim: [
                (ind.weight, [q.code for q in d.questions_of(ind.code)])
                for ind in d.indicators_of(dim)
            ]
            for dim in DIMENSIONS
        }
        self.composite = [(dim.weight, dim.code) for dim in d.dimensions]
        self.cum: dict = {}  # (question index, target in twentieths) -> cumulative weights

    def _weights(self, index, bucket):
        key = (index, bucket)
        if key not in self.cum:
            target = bucket / 20
            total, cum = 0.0, []
            for _code, value in self.questions[index][2]:
                total += math.exp(-((value - target) ** 2) / (2 * 0.18**2))
                cum.append(total)
            self.cum[key] = cum
        return self.cum[key]

    def score(self, answers: dict) -> dict:
        by_question = {code: self.option_score[(code, answers[code])] for code in answers}
        dims = {}
        for dim, indicators in self.layout.items():
            pairs = []
            for weight, codes in indicators:
                values = [by_question[c] for c in codes if by_question[c] is not None]
                pairs.append((weight, sum(values, _ZERO) / len(values) if values else None))
            dims[dim] = _mean(pairs)
        composite = _mean((weight, dims[code]) for weight, code in self.composite)
        return {**{k: _rounded(v) for k, v in dims.items()}, "composite": _rounded(composite)}

    def draw(self, targets: dict) -> tuple[dict, dict]:
        """(answers, scores) of one complete survey around `targets` (dimension -> 0..1)."""
        rng = self.rng
        for _attempt in range(5):
            answers = {}
            for index, (code, dimension, scored, unknown) in enumerate(self.questions):
                if unknown and rng.random() < 0.03:
                    answers[code] = unknown[0]
                    continue
                bucket = round(_clip(targets[dimension] + rng.gauss(0, 0.1)) * 20)
                cum = self._weights(index, bucket)
                answers[code] = rng.choices(scored, cum_weights=cum)[0][0]
            scores = self.score(answers)
            if None not in scores.values():
                return answers, scores
        raise AssertionError("no complete survey drawn")


VISIT_OUTCOMES = (
    "Activité en place, le bénéficiaire est satisfait.",
    "Boutique ouverte, clientèle du quartier ; difficultés d'approvisionnement.",
    "Revenus irréguliers ; conseils de gestion donnés.",
    "Le bénéficiaire a été joint par téléphone, rien à signaler.",
    "Activité ralentie pendant la saison des pluies.",
)
ACTIVITY_STATUSES = (
    (ActivityStatus.RUNNING, 55), (ActivityStatus.STRUGGLING, 20), (ActivityStatus.STOPPED, 10),
    (ActivityStatus.NOT_STARTED, 5), (ActivityStatus.NOT_APPLICABLE, 10),
)  # fmt: skip
EDUCATION = (
    (EducationLevel.NONE, 25), (EducationLevel.KORANIC, 15), (EducationLevel.PRIMARY, 30),
    (EducationLevel.SECONDARY, 20), (EducationLevel.VOCATIONAL, 7), (EducationLevel.HIGHER, 3),
)  # fmt: skip
LEVELS = ((Level.LOW, 50), (Level.MEDIUM, 35), (Level.HIGH, 15))
CHANNELS = (
    (PaymentChannel.MOBILE_MONEY, 60), (PaymentChannel.CASH, 25),
    (PaymentChannel.MONEY_TRANSFER, 15),
)  # fmt: skip


class ReintegrationRows:
    """The Conakry office's records of handed-over Guinea cases, as COPY rows: the file (accepted
    handover, arrival, plan deadline), reception, assessments, sustainability surveys (baseline and
    follow-ups), the plan with its assistance and items, the monitoring visits, purchases with
    their lines, cash tranches and referrals. Random draws come from a stream of their own."""

    def __init__(self, ref: Reference, seed: int):
        self.ref = ref
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.files = _Table(ReintegrationFile)
        self.receptions = _Table(Reception)
        self.assessments = _Table(Assessment)
        self.plans = _Table(Plan)
        self.assistances = _Table(PlanAssistance)
        self.items = _Table(PlanItem)
        self.visits = _Table(MonitoringVisit)
        self.surveys = _Table(Survey)
        self.purchases = _Table(Purchase)
        self.lines = _Table(PurchaseLine)
        self.tranches = _Table(CashTranche)
        self.referrals = _Table(Referral)
        # COPY order: parents first
        self.tables = (
            self.files, self.receptions, self.assessments, self.plans, self.assistances,
            self.items, self.visits, self.surveys, self.purchases, self.lines, self.tranches,
            self.referrals,
        )  # fmt: skip
        self.instrument_id = ref.instrument.pk
        self.answers = _Answers(ref.instrument.definition, self.rng)
        self.project_code = {p.pk: p.code for p in ref.projects}
        self.next: dict = {}
        self.invoice_serial = 0

    def start(self) -> None:
        """Continue the ids after what the database holds (rows made by the services)."""
        for table in self.tables:
            self.next[table.model] = _next_id(table.model)
        self.invoice_serial = Purchase.objects.count()

    def _id(self, table: _Table) -> int:
        value = self.next[table.model]
        self.next[table.model] = value + 1
        return value

    def _day(self, day, lo, hi):
        return min(self.today, day + datetime.timedelta(days=self.rng.randint(lo, hi)))

    def _ts(self, day, hour=10, minute=0):
        at = datetime.datetime.combine(day, datetime.time(hour, minute), self.tz)
        return min(self.now, at)

    # -- one case -------------------------------------------------------------------------------

    def add_case(self, values: dict, pids: list, persons: dict, *, showcase=None) -> None:
        """Rows for one case handed over to the Guinea mission (`values`: the case's columns;
        `persons`: person id -> (date of birth or None, birth year, adult)). `showcase` (a dict: the existing
        file's officer and arrival day) writes the full set for a case accepted by the services."""
        rng = self.rng
        ref = self.ref
        status = values["status"]
        arrived = None
        if status != S.DEPARTED:
            arrived = min(self.today, values["departed_on"] + datetime.timedelta(days=1))
        if showcase is not None:
            officer, arrived = showcase["officer"], showcase["arrived_on"]
        else:
            if rng.random() >= ACCEPTED_SHARE.get(status, 1.0):
                return  # not accepted yet: in the office's queue
            officer = rng.choices([*ref.origin_officers, None], (60, 30, 10))[0]
            handed = values["handed_over_at"]
            accepted = min(self.now, handed + datetime.timedelta(hours=rng.randint(4, 72)))
            updated = accepted if arrived is None else max(accepted, self._ts(arrived, 8))
            self.files.add(
                {
                    "id": self._id(self.files),
                    "created_at": accepted,
                    "updated_at": updated,
                    "case_id": values["id"],
                    "mission_id": ref.origin_mission.pk,
                    "office_id": ref.origin_office.pk,
                    "officer_id": officer.pk if officer else None,
                    "accepted_at": accepted,
                    "accepted_by_id": (officer or ref.origin_user).pk,
                    "arrived_on": arrived,
                    "plan_due_on": arrived + datetime.timedelta(days=30) if arrived else None,
                }
            )
        if arrived is None:
            return
        full = showcase is not None
        actor = (officer or ref.origin_user).pk
        case_id = values["id"]
        principal = pids[0]
        started = status != S.ARRIVED  # reintegration started (the file was accepted)
        destination = values.get("destination_area") or "Conakry"

        # reception at the airport
        if full or rng.random() < (0.9 if started else 0.7):
            nights = rng.choice((0, 0, 0, 1, 2, 3))
            at = self._ts(arrived, 9)
            self.receptions.add(
                {
                    "id": self._id(self.receptions),
                    "created_at": at,
                    "updated_at": at,
                    "case_id": case_id,
                    "received_on": arrived,
                    "airport_reception": full or rng.random() < 0.85,
                    "met_by": "Équipe OIM Conakry (aéroport de Gbessia)",
                    "onward_transport": destination != "Conakry" and rng.random() < 0.8,
                    "onward_destination": destination,
                    "accommodation_nights": nights,
                    "accommodation_place": "Centre de transit de Conakry" if nights else "",
                    "first_needs": "Repas, kit d'hygiène, carte SIM",
                    "recorded_by_id": actor,
                }
            )

        # assessments of the principal (and the family)
        kinds = []
        if full or rng.random() < (0.85 if started else 0.3):
            kinds.append(AssessmentKind.VULNERABILITY)
        if started and (full or rng.random() < 0.7):
            kinds.append(AssessmentKind.SKILLS)
        if started and (full or rng.random() < 0.25):
            kinds.append(AssessmentKind.RISK)
        if started and len(pids) > 1 and (full or rng.random() < 0.6):
            kinds.append(AssessmentKind.FAMILY)
        activity = rng.choice(ECONOMIC_ITEMS)
        for kind in kinds:
            day = self._day(arrived, 2, 20)
            at = self._ts(day, 11)
            row = {
                "id": self._id(self.assessments),
                "created_at": at,
                "updated_at": at,
                "case_id": case_id,
                "person_id": principal,
                "kind": kind,
                "assessed_on": day,
                "assessed_by_id": actor,
            }
            if kind == AssessmentKind.SKILLS:
                row.update(
                    education_level=rng.choices(*_weighted(EDUCATION))[0],
                    work_experience="Commerce informel, travaux journaliers",
                    skills="Vente, conduite de moto",
                    interests=activity[5],
                    findings="Entretien sur le parcours professionnel.",
                    preferred_activity=activity[5],
                )
            elif kind != AssessmentKind.FAMILY:
                row["level"] = rng.choices(*_weighted(LEVELS))[0]
                row["findings"] = "Entretien individuel au bureau de Conakry."
            else:
                row["findings"] = "Famille présente et favorable au retour."
            self.assessments.add(row)

        # baseline surveys: the principal, and some other adults
        base = {d: _clip(rng.gauss(BASELINE_MEAN[d], 0.12)) for d in DIMENSIONS}
        for pid in pids:
            person = persons.get(pid, (None, None, True))
            adult = person[2]
            share = (0.85 if started else 0.2) if pid == principal else 0.4
            day = self._day(arrived, 3, 25)
            old_enough = (_age(person, day) or 18) >= 15  # (ages are drawn relative to today)
            if adult and old_enough and (full or rng.random() < share):
                self._survey(case_id, pid, person, day, SurveyKind.BASELINE, base, 0, None, actor)

        # the plan
        if not started:
            return
        if full:
            plan_status = PlanStatus.APPROVED
        elif status == S.REINTEGRATION:
            plan_status = rng.choices(*_weighted(PLAN_STATUSES))[0]
        else:
            plan_status = PlanStatus.APPROVED  # monitoring, closed after return
        if plan_status is None:
            return
        revised = plan_status == PlanStatus.APPROVED and not full and rng.random() < 0.05
        first_id, decided, _items = self._plan(
            values, arrived, PlanStatus.SUPERSEDED if revised else plan_status, actor, activity
        )
        plan_id, items = first_id, _items
        if revised:
            plan_id, decided, items = self._plan(
                values, arrived, PlanStatus.APPROVED, actor, activity,
                revision=2, previous=first_id, after=decided,
            )  # fmt: skip
        if plan_status != PlanStatus.APPROVED:
            return

        # monitoring visits (scheduled at the first approval) with their follow-up surveys
        closed = status == S.CLOSED
        visits = []
        for step, months in enumerate(MONITORING_MONTHS, start=1):
            due = add_months(arrived, months)
            row = {
                "id": self._id(self.visits),
                "created_at": self._ts(decided, 15),
                "updated_at": self._ts(decided, 15),
                "case_id": case_id,
                "office_id": ref.origin_office.pk,
                "plan_id": first_id,
                "months": months,
                "due_on": due,
                "mode": VisitMode.CALL if rng.random() < 0.25 else VisitMode.VISIT,
                "status": VisitStatus.PLANNED,
            }
            if due <= self.today and not full:
                overdue_ok = status == S.REINTEGRATION and rng.random() < 0.5
                pick = rng.random()
                if overdue_ok:
                    pass  # still planned: overdue in the office's queue
                elif pick < 0.85:
                    on = max(arrived, self._day(due, -7, 14))
                    row.update(
                        status=VisitStatus.DONE,
                        conducted_on=on,
                        updated_at=self._ts(on, 16),
                        outcome=rng.choice(VISIT_OUTCOMES),
                        activity_status=rng.choices(*_weighted(ACTIVITY_STATUSES))[0],
                        conducted_by_id=actor,
                    )
                    visits.append((row, step))
                elif pick < 0.95:
                    row.update(status=VisitStatus.MISSED, outcome="Injoignable (3 appels).")
                else:
                    row["status"] = VisitStatus.CANCELLED
            elif closed:
                row["status"] = VisitStatus.CANCELLED
            self.visits.add(row)
        if visits and values.get("closure_reason") == ClosureReason.RE_MIGRATED:
            last = visits[-1][0]
            last.update(re_migrated=True, re_migration_notes="Reparti vers le Maroc (famille).")
        person = persons.get(principal, (None, None, True))
        for row, step in visits:
            day = row["conducted_on"]
            if rng.random() < 0.8 and (_age(person, day) or 18) >= 15:
                self._survey(
                    case_id, principal, person, day, SurveyKind.FOLLOW_UP, base, step, row["id"],
                    actor,
                )  # fmt: skip

        # delivery: a purchase for the in-kind items, cash tranches, referrals
        in_kind = [it for it in items if it["kind"] in IN_KIND]
        if in_kind and (full or rng.random() < 0.9):
            self._purchase(values, plan_id, decided, in_kind, actor, full)
        cash = [it for it in items if it["kind"] == AssistanceType.CASH]
        for it in cash:
            for n, due in enumerate((decided, add_months(arrived, 6))):
                due = max(due, decided)
                row = {
                    "id": self._id(self.tranches),
                    "created_at": self._ts(decided, 16),
                    "updated_at": self._ts(decided, 16),
                    "case_id": case_id,
                    "plan_id": plan_id,
                    "person_id": principal,
                    "project_id": values["project_id"],
                    "amount": it["unit_cost"],
                    "currency": "EUR",
                    "due_on": due,
                    "channel": rng.choices(*_weighted(CHANNELS))[0],
                    "status": TrancheStatus.PLANNED,
                    "notes": f"Tranche {n + 1}/2",
                    "recorded_by_id": actor,
                }
                if due <= self.today and (n == 0 or not full):
                    paid = self._day(due, 0, 5)
                    row.update(
                        status=TrancheStatus.PAID,
                        paid_on=paid,
                        updated_at=self._ts(paid, 14),
                        reference=f"OM{case_id:07d}{n + 1}",
                    )
                elif closed:
                    row.update(
                        status=TrancheStatus.CANCELLED,
                        cancelled_at=self._ts(min(self.today, due), 9),
                        cancelled_by_id=actor,
                        cancel_reason="Dossier clôturé",
                    )
                self.tranches.add(row)

    def _survey(self, case_id, pid, person, day, kind, base, step, visit_id, actor) -> None:
        """One survey of `person` ((date of birth, birth year, adult)): every question answered
        around the returnee's baseline level (+0.05 per follow-up), scored by the app."""
        rng = self.rng
        targets = {d: _clip(base[d] + 0.05 * step + rng.gauss(0, 0.05)) for d in DIMENSIONS}
        answers, scores = self.answers.draw(targets)
        age = _age(person, day)
        at = self._ts(day, 12)
        row = {
            "id": self._id(self.surveys),
            "created_at": at,
            "updated_at": at,
            "case_id": case_id,
            "person_id": pid,
            "instrument_id": self.instrument_id,
            "kind": kind,
            "conducted_on": day,
            "age": age,
            "visit_id": visit_id,
            "answers": answers,
            **scores,
            "conducted_by_id": actor,
        }
        if rng.random() < 0.01:
            row.update(
                voided_at=self._ts(day, 17),
                voided_by_id=actor,
                void_reason="Saisie en double",
            )
        self.surveys.add(row)

    def _plan(self, values, arrived, status, actor, activity, *, revision=1, previous=None,
              after=None):  # fmt: skip
        """One plan with its items and assistance; returns (plan id, decision day, items)."""
        rng = self.rng
        ref = self.ref
        plan_id = self._id(self.plans)
        created = self._day(arrived, 5, 25) if after is None else self._day(after, 30, 90)
        submitted = self._day(created, 1, 7)
        decided = self._day(submitted, 1, 5)
        kind, description, unit, qty, cost, _activity = activity
        specs = [(kind, description, unit, qty, cost)]
        if rng.random() < 0.45:
            specs.append(CASH_ITEM)
        others = list(OTHER_ITEMS)
        if values.get("member_count", 1) > 1:
            n = min(3, values["member_count"] - 1)
            others.append(
                (AssistanceType.EDUCATION, "Frais de scolarité des enfants", "enfant", (n, n),
                 (50, 80))
            )  # fmt: skip
        want = rng.randint(2, 4)
        for spec in rng.sample(others, max(0, want - len(specs))):
            specs.append(spec)
        items = []
        for kind, description, unit, (q_lo, q_hi), (c_lo, c_hi) in specs:
            quantity = Decimal(rng.randint(q_lo, q_hi))
            unit_cost = Decimal(rng.randint(c_lo // 5, c_hi // 5) * 5)
            if kind in (AssistanceType.MICRO_BUSINESS, AssistanceType.INCOME_ACTIVITY):
                unit_cost = Decimal(rng.randint(c_lo // 10, c_hi // 10) * 10)
            item = {
                "id": self._id(self.items),
                "plan_id": plan_id,
                "kind": kind,
                "description": description,
                "quantity": quantity,
                "unit": unit,
                "unit_cost": unit_cost,
                "total": money(quantity, unit_cost),
                "supplier_id": self._supplier(kind).pk if kind in IN_KIND else None,
            }
            items.append(item)
            self.items.add(item)
        kinds = []
        for item in items:
            if item["kind"] not in kinds:
                kinds.append(item["kind"])
                self.assistances.add(
                    {
                        "id": self._id(self.assistances),
                        "plan_id": plan_id,
                        "category": CATEGORY_OF[item["kind"]],
                        "kind": item["kind"],
                        "description": item["description"],
                    }
                )
        referral = None
        if rng.random() < 0.25:
            referral = rng.choice([k for k in REFERRAL_KINDS if k not in kinds] or [None])
        if referral:
            self.assistances.add(
                {
                    "id": self._id(self.assistances),
                    "plan_id": plan_id,
                    "category": CATEGORY_OF[referral],
                    "kind": referral,
                    "description": "Orientation vers un service partenaire",
                    "referral": True,
                }
            )
        total = sum((it["total"] for it in items), Decimal(0))
        row = {
            "id": plan_id,
            "created_at": self._ts(created, 10),
            "updated_at": self._ts(created, 10),
            "case_id": values["id"],
            "revision": revision,
            "previous_id": previous,
            "status": status,
            "project_id": values["project_id"],
            "currency": "EUR",
            "economic_summary": f"{_activity} à {values.get('destination_area') or 'Conakry'}.",
            "social_summary": "Logement familial ; appui aux démarches administratives.",
            "psychosocial_summary": "Suivi par le conseiller ; pas de besoin spécifique."
            if not referral
            else "Orientation vers un service partenaire.",
            "total": total,
            "cap_amount": PLAN_CAP,
            "cap_currency": "EUR",
            "cap_rule": f"Project cap {self.project_code.get(values['project_id'], '')}, "
            "nationality GN, per case",
            "created_by_id": actor,
        }
        if total > PLAN_CAP:
            row.update(
                override_reason="Devis supérieur au plafond ; accord du chef de bureau.",
                override_by_id=ref.origin_manager.pk,
                override_at=self._ts(decided, 11),
            )
        if status != PlanStatus.DRAFT:
            row.update(
                submitted_at=self._ts(submitted, 15),
                submitted_by_id=actor,
                updated_at=self._ts(submitted, 15),
            )
        if status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED, PlanStatus.RETURNED):
            row.update(
                decided_at=self._ts(decided, 11),
                decided_by_id=ref.origin_manager.pk,
                updated_at=self._ts(decided, 11),
            )
        if status == PlanStatus.RETURNED:
            row["return_reason"] = "Joindre le devis du fournisseur."
        self.plans.add(row)
        if referral and status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED):
            self._referral(values, plan_id, decided, referral, actor)
        return plan_id, decided, items

    def _supplier(self, kind):
        suppliers = self.ref.suppliers
        if kind == AssistanceType.INCOME_ACTIVITY:
            return self.rng.choice((suppliers[2], suppliers[4]))
        return self.rng.choice(suppliers[:4])

    def _purchase(self, values, plan_id, decided, items, actor, full) -> None:
        rng = self.rng
        ordered = self._day(decided, 0 if full else 3, 0 if full else 20)
        purchase_id = self._id(self.purchases)
        self.invoice_serial += 1
        row = {
            "id": purchase_id,
            "created_at": self._ts(ordered, 10),
            "updated_at": self._ts(ordered, 10),
            "case_id": values["id"],
            "plan_id": plan_id,
            "supplier_id": items[0]["supplier_id"],
            "project_id": values["project_id"],
            "currency": "EUR",
            "ordered_on": ordered,
            "status": PurchaseStatus.ORDERED,
            "recorded_by_id": actor,
        }
        if (self.today - ordered).days >= 7:
            pick = rng.random()
            if pick < 0.95:
                delivered = self._day(ordered, 3, 10)
                row.update(
                    status=PurchaseStatus.DELIVERED,
                    delivered_on=delivered,
                    invoice_number=f"FAC-{ordered.year}-{self.invoice_serial:06d}",
                    updated_at=self._ts(delivered, 15),
                )
                if rng.random() < 0.85:
                    row["acknowledged_on"] = self._day(delivered, 0, 3)
            elif pick < 0.97:
                row.update(
                    status=PurchaseStatus.CANCELLED,
                    cancelled_at=self._ts(self._day(ordered, 1, 5), 9),
                    cancelled_by_id=actor,
                    cancel_reason="Fournisseur en rupture de stock",
                )
        total = Decimal(0)
        for item in items:
            price = item["unit_cost"]
            if rng.random() < 0.3:
                price = (price * Decimal("0.95")).quantize(Decimal("1"))
            line_total = money(item["quantity"], price)
            total += line_total
            self.lines.add(
                {
                    "id": self._id(self.lines),
                    "purchase_id": purchase_id,
                    "plan_item_id": item["id"],
                    "description": item["description"],
                    "quantity": item["quantity"],
                    "unit": item["unit"],
                    "unit_price": price,
                    "total": line_total,
                }
            )
        row["total"] = total
        self.purchases.add(row)

    def _referral(self, values, plan_id, decided, kind, actor) -> None:
        rng = self.rng
        partners = self.ref.origin_partners
        organisation = {
            AssistanceType.MEDICAL: partners[0],
            AssistanceType.PSYCHOSOCIAL: partners[1],
            AssistanceType.EDUCATION: partners[2],
        }[kind]
        referred = self._day(decided, 0, 10)
        status = ReferralStatus.REFERRED
        if (self.today - referred).days > 20:
            status = rng.choices(
                (ReferralStatus.COMPLETED, ReferralStatus.ACCEPTED, ReferralStatus.DROPPED,
                 ReferralStatus.DECLINED),
                (60, 25, 10, 5),
            )[0]  # fmt: skip
        self.referrals.add(
            {
                "id": self._id(self.referrals),
                "created_at": self._ts(referred, 11),
                "updated_at": self._ts(referred, 11),
                "case_id": values["id"],
                "plan_id": plan_id,
                "person_id": values["principal_id"],
                "organisation_id": organisation.pk,
                "kind": kind,
                "service": "Consultation et suivi",
                "referred_on": referred,
                "status": status,
                "outcome": "Service rendu." if status == ReferralStatus.COMPLETED else "",
                "recorded_by_id": actor,
            }
        )

    def write(self) -> None:
        """COPY what was built (outside the chunks: the showcase case) and move the sequences."""
        writer = _Writer()
        writer.start()
        writer.put([t.take() for t in self.tables])
        writer.close()
        for table in self.tables:
            _reset_sequence(table.model)


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
        # reintegration of the cases handed over to Guinea: a random stream of its own
        self.reintegration = ReintegrationRows(ref, seed=seed * 31 + 5)
        self.person_info: dict = {}  # Guinea persons: id -> (date of birth, adult)
        # COPY order: parents first
        self.tables = (
            self.persons, self.documents, self.cases, self.members, self.departures,
            self.escorts, self.bookings, self.legs, self.travel_docs, self.exits,
            self.handovers, self.assistance, *self.reintegration.tables,
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
        if nat == ORIGIN_CODE:
            self.person_info[pid] = (dob, birth_year, adult)
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
            if values.get("receiving_mission_id"):
                info = self.person_info
                self.reintegration.add_case(
                    values, pids, {p: info.get(p, (None, None, True)) for p in pids}
                )
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
        self.reintegration.start()
        first = {  # the phase's records: charged after they are written
            AssistanceLine: self.next_line,
            Booking: self.next_booking,
            Purchase: self.reintegration.next[Purchase],
            CashTranche: self.reintegration.next[CashTranche],
        }
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
        # the finance ledger of these records (issue 6), once they are all committed
        charges = ChargeRows(self.ref)
        writer = _Writer()
        writer.start()
        try:
            charges.generate(first, writer)
        finally:
            writer.close()
        for key, n in charges.counts.items():
            counts.by_table[f"finance.Charge.{key}"] = n
        for table in (*self.tables, charges.charges, charges.pocket):
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
        models_ = (Person, IdentityDocument, Case, CaseMember, CaseSequence)
        for model in (*models_, *MOVEMENT_MODELS, *REINTEGRATION_MODELS, *FINANCE_MODELS):
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


REINTEGRATION_MODELS = (
    ReintegrationFile, Reception, Assessment, Plan, PlanAssistance, PlanItem, MonitoringVisit,
    Survey, Purchase, PurchaseLine, CashTranche, Referral,
)  # fmt: skip

FINANCE_MODELS = (PocketMoney, Charge)


def verify_survey_scores(sample: int = 50, seed: int = 1) -> None:
    """Stored scores of sampled surveys equal what `surveys.scoring.score` gives for their
    answers under their instrument version; raise if not."""
    rng = random.Random(seed)
    ids = list(Survey.objects.order_by("id").values_list("pk", flat=True)[:20000])
    for pk in rng.sample(ids, min(sample, len(ids))):
        survey = Survey.objects.select_related("instrument").get(pk=pk)
        expected = score(survey.instrument.definition, survey.answers).as_dict()
        stored = {k: getattr(survey, k) for k in expected}
        if stored != expected:
            raise AssertionError(f"scores of survey {pk} differ: {stored} != {expected}")


def table_counts() -> dict:
    counts = {
        "persons": Person.objects.count(),
        "identity_documents": IdentityDocument.objects.count(),
        "cases": Case.objects.count(),
        "case_members": CaseMember.objects.count(),
    }
    for model in (*MOVEMENT_MODELS, *REINTEGRATION_MODELS, *FINANCE_MODELS):
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


def reintegration_facts(ref: Reference) -> dict:
    """What the Conakry office's pages work on at this scale."""
    today = timezone.localdate()
    files = ReintegrationFile.objects.filter(office=ref.origin_office)
    return {
        "files_conakry": files.count(),
        "awaiting_acceptance_gn": Case.objects.filter(
            receiving_mission=ref.origin_mission, status__in=TRAVELLED, reintegration__isnull=True
        ).count(),
        "plans_overdue": files.filter(plan_due_on__lt=today)
        .exclude(case__reintegration_plans__status=PlanStatus.APPROVED)
        .count(),
        "plans_submitted": Plan.objects.filter(status=PlanStatus.SUBMITTED).count(),
        "visits_overdue": MonitoringVisit.objects.filter(
            office=ref.origin_office, status=VisitStatus.PLANNED, due_on__lt=today
        ).count(),
        "surveys": Survey.objects.filter(voided_at__isnull=True).count(),
        "showcase_case": ref.reintegration_case.number if ref.reintegration_case else "",
        **_queue_counts(ref),
    }


def _queue_counts(ref: Reference) -> dict:
    """Rows of each queue of reintegration.conakry's workspace (through its selectors)."""
    try:
        from awda.reintegration.files import selectors
    except ImportError:
        return {}
    scope = selectors.workspace_scope(ref.origin_user)
    return {f"queue_{name}": selectors.queue(scope, name).count() for name in selectors.QUEUES}
