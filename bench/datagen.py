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
from types import SimpleNamespace

import psycopg
from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from awda.accounts.choices import MissionKind, Role
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


def setup_reference() -> Reference:
    """Missions, offices, users, projects and partners through the factories; the showcase case
    (Ousmane TRAORÉ, a passport-less returnee with a laissez-passer and his wife) through the
    services, taken to eligible with a manager."""
    morocco = MissionFactory(code="MA", name="Morocco", country_alpha3="MAR", kind=MissionKind.HOST)
    MissionFactory(code="GN", name="Guinea", country_alpha3="GIN", kind=MissionKind.ORIGIN)
    offices = {
        code: OfficeFactory(mission=morocco, code=code, name=name, city=name)
        for code, name, _w in OFFICES
    }
    caseworker = member_of(offices["RBA"], Role.CASEWORKER, "caseworker.rabat")
    manager = member_of(offices["RBA"], Role.MANAGER, "manager.rabat")
    staff = {}
    for code, office in offices.items():
        users = [caseworker] if code == "RBA" else []
        while len(users) < CASEWORKERS_PER_OFFICE:
            users.append(
                member_of(office, Role.CASEWORKER, f"caseworker{len(users) + 1}.{code.lower()}")
            )
        staff[code] = users
        member_of(office, Role.MANAGER, f"manager.{code.lower()}")
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
    ref = Reference(
        mission=morocco,
        offices=offices,
        office_weights=[w for _c, _n, w in OFFICES],
        caseworker=caseworker,
        manager=manager,
        staff=staff,
        projects=projects,
        organisations=organisations,
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
    return ref


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
        self.doc_serial = 0

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
        office = self.ref.offices[office_code]
        days = int(HISTORY_DAYS * rng.random() ** 1.2)
        registered = self.today - datetime.timedelta(days=days)
        created = datetime.datetime.combine(
            registered, datetime.time(rng.randint(8, 16), rng.randint(0, 59)), self.tz
        )
        statuses = self.status_recent if days <= 365 else self.status_old
        status = rng.choices(*statuses)[0]
        assignee = rng.choice(self.ref.staff[office_code]) if rng.random() < 0.9 else None
        user = assignee or self.ref.staff[office_code][0]
        case_id = self.next_case
        self.next_case += 1

        # principal: a new person, or (2%) a returnee who already had a case
        if self.principals and rng.random() < 0.02:
            principal_id, nat = rng.choice(self.principals)
        else:
            nat = rng.choices(self.nat_codes, self.nat_weights)[0]
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
        if status == S.CLOSED:
            values["closure_reason"] = (
                rng.choice(CLOSURES) if closed_after_return else ClosureReason.WITHDRAWN
            )
        self.cases.add(values)
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

    # -- a phase --------------------------------------------------------------------------------

    def generate(self, n_cases: int, log=print) -> Counts:
        started = time.monotonic()
        self.next_person = _next_id(Person)
        self.next_doc = _next_id(IdentityDocument)
        self.next_case = _next_id(Case)
        self.next_member = _next_id(CaseMember)
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
                chunk = [t.take() for t in (self.persons, self.documents, self.cases, self.members)]
                counts.persons += len(chunk[0][1])
                counts.documents += len(chunk[1][1])
                counts.cases += len(chunk[2][1])
                counts.members += len(chunk[3][1])
                writer.put(chunk)
                done += size
                if done % (5 * CHUNK) == 0 or done == n_cases:
                    log(f"  {done:>9,} / {n_cases:,} cases ({time.monotonic() - started:5.1f} s)")
        finally:
            writer.close()
        for model in (Person, IdentityDocument, Case, CaseMember):
            _reset_sequence(model)
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
        for model in (Person, IdentityDocument, Case, CaseMember, CaseSequence):
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


def table_counts() -> dict:
    return {
        "persons": Person.objects.count(),
        "identity_documents": IdentityDocument.objects.count(),
        "cases": Case.objects.count(),
        "case_members": CaseMember.objects.count(),
    }
