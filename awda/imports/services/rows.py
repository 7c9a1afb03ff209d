"""From validated case records to the rows of the tables a registration writes (persons,
identity documents, cases, case members), plus the import's own (imported rows, audit events).

The values are those `cases.services.case_register` and `registry.services.person_create` would
store for the same record: derived columns (alpha-3 nationality, phone digits, year of birth, the
estimated flag, the folded `search_text` with the document numbers) are computed by the same
functions (awda.core.text, awda.core.countries). tests/test_commit_parity.py checks a record
imported here against the same record registered through case_register."""

import functools
import hashlib
from types import SimpleNamespace

from awda.audit.models import AuditEvent
from awda.cases.choices import Relationship, Status
from awda.cases.models import Case, CaseMember
from awda.core import context, countries
from awda.core.text import compact, digits, fold
from awda.registry.match_keys import person_keys as keys_of
from awda.registry.models import IdentityDocument, Person, PersonMatchKey

from ..models import ImportedRecord
from . import bulk

KEY_MAX = 200
CASE_AUDIT_ACTION = "cases.case.registered"

PERSON_COLUMNS = [
    "id",
    "given_name",
    "family_name",
    "other_names",
    "name_arabic",
    "sex",
    "date_of_birth",
    "birth_year",
    "dob_estimated",
    "nationality",
    "nationality_alpha3",
    "languages",
    "phone",
    "phone_digits",
    "address",
    "city",
    "search_text",
    "version",
]
# Persons and cases get ids reserved beforehand (other rows refer to them); the other tables'
# ids are given by the database as the rows arrive.
DOCUMENT_COLUMNS = [
    "person_id",
    "doc_type",
    "number",
    "number_compact",
    "issuing_country",
    "issue_date",
    "expiry_date",
    "notes",
]
CASE_COLUMNS = [
    "id",
    "number",
    "registered_on",
    "country_of_return",
    "principal_id",
    "nationality",
    "member_count",
]
MEMBER_COLUMNS = ["case_id", "person_id", "relationship", "is_principal", "travels"]
RECORD_COLUMNS = ["key", "case_id", "row"]
AUDIT_COLUMNS = ["object_id", "object_repr", "case_id", "person_id", "changes"]


def row_key(key: str) -> str:
    """The key stored for a row: as given, or its SHA-256 when longer than the column."""
    key = str(key or "").strip()
    if len(key) > KEY_MAX:
        return "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


@functools.lru_cache(maxsize=65536)
def _fold(value: str) -> str:
    return fold(value)


@functools.lru_cache(maxsize=512)
def _alpha3(alpha2: str) -> str:
    return countries.alpha3(alpha2) if alpha2 else ""


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def search_text(given, family, other_names, name_arabic, phone_digits, numbers) -> str:
    """As registry.services._refresh_search_text composes it (fold of "given family" is the
    folds of both joined by a space)."""
    name = " ".join(x for x in (_fold(given), _fold(family)) if x)
    doc_numbers = " ".join(compact(n).lower() for n in numbers)
    return " ".join(
        x for x in (name, _fold(other_names), name_arabic, phone_digits, doc_numbers) if x
    )


class Tables:
    """The Table descriptions of one import (constants: its office, user, time)."""

    def __init__(self, *, job, user, now):
        office_id, user_id = job.office_id, user.pk
        ctx = context.current()
        self.person = bulk.Table(
            Person,
            PERSON_COLUMNS,
            constants={"registered_by_office_id": office_id, "created_by_id": user_id},
            now=now,
        )
        self.document = bulk.Table(IdentityDocument, DOCUMENT_COLUMNS, now=now)
        self.case = bulk.Table(
            Case,
            CASE_COLUMNS,
            constants={
                "mission_id": job.mission_id,
                "office_id": office_id,
                "status": Status.REGISTERED,
                "status_changed_at": now,
                "created_by_id": user_id,
            },
            now=now,
        )
        self.member = bulk.Table(CaseMember, MEMBER_COLUMNS, now=now)
        self.record = bulk.Table(
            ImportedRecord,
            RECORD_COLUMNS,
            constants={"mission_id": job.mission_id, "job_id": job.pk},
            now=now,
        )
        self.audit = bulk.Table(
            AuditEvent,
            AUDIT_COLUMNS,
            constants={
                "actor_id": user_id,
                "actor_username": user.get_username(),
                "action": CASE_AUDIT_ACTION,
                "object_type": Case._meta.label_lower,
                "office_id": office_id,
                "ip": ctx.ip,
                "user_agent": ctx.user_agent,
                "channel": ctx.channel,
            },
            now=now,
        )

        # the duplicate check's blocking keys of the new persons (awda.registry.match_keys)
        self.match_key = bulk.Table(PersonMatchKey, ["person_id", "key"], now=now)

    def ordered(self):
        """Parents before children (PostgreSQL checks the deferred foreign keys at commit;
        SQLite checks them at once)."""
        return [
            self.person,
            self.document,
            self.case,
            self.member,
            self.record,
            self.audit,
            self.match_key,
        ]


class Chunk:
    """The rows of a chunk of records, built with reserved ids."""

    def __init__(self, tables: Tables):
        self.tables = tables
        self.rows = {id(t): [] for t in tables.ordered()}
        self.person_ids: list[int] = []

    def write(self) -> None:
        for table in self.tables.ordered():
            bulk.write(table, self.rows[id(table)])


def _person_row(pid: int, p: dict, numbers: list[str]) -> tuple:
    given = _text(p.get("given_name"))
    family = _text(p.get("family_name"))
    other = _text(p.get("other_names"))
    arabic = _text(p.get("name_arabic"))
    dob = p.get("date_of_birth") or None
    year = dob.year if dob else (p.get("birth_year") or None)
    nat = _text(p.get("nationality")).upper()
    phone = _text(p.get("phone"))
    phone_digits = digits(phone) if phone else ""
    languages = p.get("languages") or []
    if isinstance(languages, str):
        languages = [x.strip() for x in languages.split(",") if x.strip()]
    else:
        languages = list(dict.fromkeys(str(x).strip() for x in languages if str(x).strip()))
    return (
        pid,
        given,
        family,
        other,
        arabic,
        _text(p.get("sex")),
        dob,
        int(year) if year is not None else None,
        bool(p.get("dob_estimated")) or dob is None,
        nat,
        _alpha3(nat),
        languages,
        phone,
        phone_digits,
        _text(p.get("address")),
        _text(p.get("city")),
        search_text(given, family, other, arabic, phone_digits, numbers),
        1 + len(numbers),  # as person_create then one identity_document_add per document
    )


def _document_row(pid: int, d: dict) -> tuple:
    number = _text(d.get("number"))
    return (
        pid,
        _text(d.get("doc_type")),
        number,
        compact(number),
        _text(d.get("issuing_country")).upper(),
        d.get("issue_date") or None,
        d.get("expiry_date") or None,
        _text(d.get("notes")),
    )


def _by_key(row: tuple) -> tuple:
    return row[1], row[0]


def build_chunk(tables: Tables, records: list, numbers: list[str], *, job_id: int, today) -> Chunk:
    """Rows for `records` (CaseRecord, valid, not imported before) with `numbers` their case
    numbers (same order). Ids are reserved here, in the current transaction."""
    n = len(records)
    n_members = sum(len(r.members) for r in records)
    person_ids = iter(bulk.reserve_ids(Person, n + n_members))
    case_ids = bulk.reserve_ids(Case, n)

    chunk = Chunk(tables)
    persons = chunk.rows[id(tables.person)]
    docs = chunk.rows[id(tables.document)]
    cases = chunk.rows[id(tables.case)]
    members = chunk.rows[id(tables.member)]
    imported = chunk.rows[id(tables.record)]
    audits = chunk.rows[id(tables.audit)]

    person_keys: list[tuple] = []  # (person id, key)

    def add_keys(row: tuple, numbers: list) -> None:
        person = SimpleNamespace(
            pk=row[0],
            merged_into_id=None,
            given_name=row[1],
            family_name=row[2],
            other_names=row[3],
            sex=row[5],
            date_of_birth=row[6],
            birth_year=row[7],
            dob_estimated=row[8],
            nationality=row[9],
            phone=row[12],
        )
        person_keys.extend((row[0], k) for k in sorted(keys_of(person, numbers)))

    for i, record in enumerate(records):
        case_id = case_ids[i]
        pid = next(person_ids)
        principal = record.principal
        doc_list = record.documents or ()
        numbers_of = [d.get("number") or "" for d in doc_list]
        persons.append(_person_row(pid, principal, numbers_of))
        add_keys(persons[-1], numbers_of)
        for d in doc_list:
            docs.append(_document_row(pid, d))
        members.append((case_id, pid, Relationship.PRINCIPAL, True, True))
        member_pids = []
        for m in record.members:
            mpid = next(person_ids)
            m_docs = m.get("documents") or ()
            m_numbers = [d.get("number") or "" for d in m_docs]
            persons.append(_person_row(mpid, m.get("person") or {}, m_numbers))
            add_keys(persons[-1], m_numbers)
            for d in m_docs:
                docs.append(_document_row(mpid, d))
            travels = m.get("travels")
            members.append(
                (
                    case_id,
                    mpid,
                    m.get("relationship"),
                    False,
                    True if travels is None else bool(travels),
                )
            )
            member_pids.append(mpid)
        nationality = _text(principal.get("nationality")).upper()
        number = numbers[i]
        cases.append(
            (
                case_id,
                number,
                record.registered_on or today,
                (record.country_of_return or nationality).upper(),
                pid,
                nationality,
                1 + len(member_pids),
            )
        )
        imported.append((row_key(record.key), case_id, record.row))
        audits.append(
            (
                str(case_id),
                number,
                case_id,
                pid,
                {
                    "number": number,
                    "principal": pid,
                    "members": member_pids,
                    "import": job_id,
                    "row": record.row,
                },
            )
        )
        chunk.person_ids.append(pid)
        chunk.person_ids.extend(member_pids)
    # In key order: the rows then reach the (key, person) index in its own order, each of
    # its pages touched once per chunk rather than once per key.
    person_keys.sort(key=_by_key)
    chunk.rows[id(tables.match_key)] = person_keys
    return chunk
