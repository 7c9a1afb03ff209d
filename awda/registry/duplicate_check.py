"""The duplicate check while registering: the persons already in the registry that may be the
person being typed, scored by the duplicate engine (awda.registry.matching).

How it stays fast at a million persons (bench/dedup_lookup.py measures it):

1. The partial data typed so far becomes an engine Record; its blocking keys are computed.
2. The persons sharing a key are read from registry.PersonMatchKey, CAPPED PER KEY: for each key,
   the PER_KEY most recent persons (highest id) by a backward scan of the (key, person) index,
   and, when the year of birth is known, the PER_KEY_YEAR most recent born within YEAR_WINDOW
   years of it, so a huge block (a very common name) costs no more than a small one. One SQL
   statement, a UNION ALL of LIMITed index scans, used as a subquery of (3).
3. Those persons, restricted to the scope given by the caller (the persons a user may see) and
   without the ones merged into another record, are read (one query), with their document
   numbers when documents were typed (the engine compares documents only when both records have
   some) and, when the record is already a member of cases, which candidates are members of
   those households: one to three queries whatever the number of candidates.
4. Each is compared with the engine; the ones scoring at least REVIEW_THRESHOLD are kept, best
   first, and the first `limit` are loaded for display by the caller's `load` (one query plus its
   prefetches).

The cap trades recall for a bounded cost only inside a huge block: there, the older persons who
share nothing but that key with the typed data and were born away from the year typed are not
proposed; a person who also shares a phone number, a document number or a more specific key is
still found through that other key (bench/README.md gives the measured trade-off).

This module knows nothing of users: awda.cases.duplicate_check.likely_duplicates gives it the
persons a user may see (cases.selectors) and the way to load them for display.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL

from awda.core.text import compact, digits, fold

from . import matching
from .match_keys import RECORD_FIELDS as PERSON_FIELDS
from .match_keys import _alpha2, record_keys
from .models import IdentityDocument, Person, PersonMatchKey

# Persons read per key (the most recent ones); see the module docstring and bench/README.md.
PER_KEY = 50
PER_KEY_YEAR = 50  # ... and per key among those born within YEAR_WINDOW years of the year typed
YEAR_WINDOW = 3
MAX_KEYS = 40  # a record never has this many keys; a bound on the statement's size all the same
MIN_NAME = 2  # folded characters of a name before names alone are looked up
MIN_PHONE = 6  # digits of a phone number
MIN_DOCUMENT = 4  # characters of a compact document number

RECORD_FIELDS = ("id", *PERSON_FIELDS)


@dataclass(frozen=True)
class Candidate:
    person: Person
    match: matching.Match
    likely: bool

    @property
    def score(self) -> float:
        return self.match.score

    @property
    def percent(self) -> int:
        return round(self.match.score * 100)


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1900 <= year <= 2100 else None


def _numbers(documents) -> tuple[str, ...]:
    out = []
    for doc in documents or ():
        number = doc.get("number") if isinstance(doc, dict) else doc
        number = str(number or "").strip()
        if len(compact(number)) >= MIN_DOCUMENT and number not in out:
            out.append(number)
    return tuple(out)


def record_from_data(data: dict, *, documents: Iterable = (), households: Iterable = ()):
    """An engine Record from partial, unvalidated person data (as typed in a form or sent to the
    API): what does not parse is left out. `documents`: numbers or {"number": ...} dicts."""
    data = data or {}
    dob = _date(data.get("date_of_birth"))
    year = dob.year if dob else _year(data.get("birth_year"))
    if year is None and data.get("estimated_age") not in (None, ""):
        try:
            age = int(data["estimated_age"])
        except (TypeError, ValueError):
            age = -1
        if 0 <= age <= 120:
            year = datetime.date.today().year - age
    sex = str(data.get("sex") or "").strip().lower()
    return matching.Record(
        id="",
        given_name=str(data.get("given_name") or "").strip(),
        family_name=str(data.get("family_name") or "").strip(),
        other_names=str(data.get("other_names") or "").strip(),
        sex=sex,
        date_of_birth=dob,
        birth_year=year,
        dob_estimated=not dob,
        nationality=_alpha2(str(data.get("nationality") or "")),
        phone=str(data.get("phone") or "").strip(),
        documents=_numbers(documents),
        households=frozenset(households or ()),
    )


def enough_to_check(record) -> bool:
    """Whether the data typed so far is worth a lookup: both names, or a phone number, or a
    document number (a single name or a few letters would propose half the registry)."""
    names = len(fold(record.given_name)) >= MIN_NAME and len(fold(record.family_name)) >= MIN_NAME
    return (
        names
        or len(digits(record.phone)) >= MIN_PHONE
        or any(len(compact(n)) >= MIN_DOCUMENT for n in record.documents)
    )


def capped_candidates_sql(
    keys: Iterable[str],
    per_key: int = PER_KEY,
    *,
    year: int | None = None,
    per_key_year: int | None = None,
    window: int = YEAR_WINDOW,
) -> RawSQL:
    """SQL of the ids of the persons sharing one of `keys`, as a subquery: for each key, the
    `per_key` most recent persons (a backward scan of the (key, person) index) and, when the year
    of birth typed is known, the `per_key_year` most recent ones born within `window` years of
    it (the same scan, joined to the person, stopping once enough are found). UNION ALL of
    LIMITed scans, so a huge block costs a bounded number of rows."""
    table = connection.ops.quote_name(PersonMatchKey._meta.db_table)
    persons = connection.ops.quote_name(Person._meta.db_table)
    key_col = connection.ops.quote_name("key")
    per_key_year = per_key if per_key_year is None else per_key_year
    parts, params = [], []
    # Only table and column names (quoted) and alias numbers are in the text; the keys, years and
    # limits are parameters.
    for i, key in enumerate(sorted(keys)[:MAX_KEYS]):
        parts.append(
            f"SELECT k{i}.person_id FROM (SELECT person_id FROM {table} "  # noqa: S608
            f"WHERE {key_col} = %s ORDER BY person_id DESC LIMIT %s) k{i}"
        )
        params += [key, int(per_key)]
        if year and per_key_year:
            parts.append(
                f"SELECT y{i}.person_id FROM (SELECT m.person_id FROM {table} m "  # noqa: S608
                f"INNER JOIN {persons} p ON p.id = m.person_id WHERE m.{key_col} = %s "
                "AND (p.birth_year BETWEEN %s AND %s OR p.birth_year IS NULL) "
                f"ORDER BY m.person_id DESC LIMIT %s) y{i}"
            )
            params += [key, int(year) - window, int(year) + window, int(per_key_year)]
    return RawSQL(" UNION ALL ".join(parts), params)  # noqa: S611


def _records(rows, numbers: dict, households: dict) -> list:
    out = []
    for pid, given, family, other, sex, dob, year, estimated, nat, phone in rows:
        out.append(
            matching.Record(
                id=pid,
                given_name=given or "",
                family_name=family or "",
                other_names=other or "",
                sex=sex or "",
                date_of_birth=dob,
                birth_year=year or (dob.year if dob else None),
                dob_estimated=bool(estimated),
                nationality=nat or "",
                phone=phone or "",
                documents=tuple(numbers.get(pid, ())),
                households=frozenset(households.get(pid, ())),
            )
        )
    return out


def _default_load(ids):
    return Person.objects.filter(pk__in=ids).prefetch_related("documents")


def find_duplicates(
    record,
    *,
    within=None,
    exclude_ids: Iterable[int] = (),
    limit: int = 5,
    per_key: int = PER_KEY,
    per_key_year: int = PER_KEY_YEAR,
    threshold: float | None = None,
    load: Callable[[list[int]], Iterable[Person]] | None = None,
) -> list[Candidate]:
    """Persons (in `within`, a Person queryset; everyone when None) that may be the person of
    `record` (see record_from_data), best first, at most `limit`, each with the engine's Match.
    Merged persons and `exclude_ids` are never proposed. `load(ids)` returns the chosen persons
    ready for display (default: with their documents)."""
    if not enough_to_check(record):
        return []
    keys = record_keys(record)
    if not keys:
        return []
    threshold = matching.REVIEW_THRESHOLD if threshold is None else threshold
    qs = (Person.objects.all() if within is None else within).order_by()
    candidates = capped_candidates_sql(
        keys, per_key, year=record.birth_year, per_key_year=per_key_year
    )
    qs = qs.filter(pk__in=candidates, merged_into__isnull=True)
    exclude = [int(i) for i in exclude_ids or () if i]
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    rows = list(qs.values_list(*RECORD_FIELDS))
    if not rows:
        return []
    ids = [r[0] for r in rows]
    numbers: dict[int, list[str]] = {}
    if record.documents:  # the engine weighs documents only when both records have some
        for pid, number in IdentityDocument.objects.filter(person_id__in=ids).values_list(
            "person_id", "number"
        ):
            numbers.setdefault(pid, []).append(number)
    households: dict[int, list] = {}
    if record.households:  # otherwise no candidate can share one with the record
        memberships = Person._meta.get_field("case_memberships").related_model
        for pid, case_id in memberships.objects.filter(
            person_id__in=ids, case_id__in=record.households
        ).values_list("person_id", "case_id"):
            households.setdefault(pid, []).append(case_id)
    scored = []
    for candidate in _records(rows, numbers, households):
        match = matching.compare(record, candidate)
        if match.score >= threshold:
            scored.append((match, candidate.id))
    scored.sort(key=lambda x: (-x[0].score, -x[1]))
    scored = scored[: max(int(limit), 0)]
    if not scored:
        return []
    persons = {p.pk: p for p in (load or _default_load)([pid for _, pid in scored])}
    return [
        Candidate(person=persons[pid], match=match, likely=match.likely)
        for match, pid in scored
        if pid in persons
    ]
