"""Blocking keys of the persons (registry.PersonMatchKey), for the duplicate check.

The duplicate engine (awda.registry.matching) gives each registration a few short keys; two
registrations that may be the same person share at least one. They are stored per person so the
check while registering looks up the persons sharing a key of what is being typed (an index
lookup) instead of comparing against the whole registry.

Derived data, kept current by the one write path: registry.services calls `match_keys_refresh`
after a person is created or edited and after one of their identity documents is added, edited or
deleted. The bulk import inserts persons in bulk and calls `match_keys_bulk`; `manage.py
rebuild_match_keys` rebuilds every person's keys (after an engine change that alters the keys,
or for data written around the services).
"""

from collections.abc import Iterable

from django.db import transaction

from awda.core import countries

from . import matching

BATCH_SIZE = 2000

# The person fields the engine reads (person_record); a change to one refreshes the match keys.
RECORD_FIELDS = (
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "birth_year",
    "dob_estimated",
    "nationality",
    "phone",
)


def _alpha2(code: str) -> str:
    """ISO alpha-2 for the engine (stored values already are; typed ones may be alpha-3)."""
    code = (code or "").strip().upper()
    if len(code) == 2:
        return code
    return countries.resolve(code) if code else ""


def person_record(person, documents: Iterable[str] | None = None, households=None):
    """The engine's view of a saved (or unsaved) Person. `documents`: the document numbers (read
    from the person's documents, prefetched or not, when None); `households`: ids of the cases
    the person is a member of (none when None)."""
    if documents is None:
        documents = [d.number for d in person.documents.all()] if person.pk else []
    return matching.Record(
        id=person.pk if person.pk is not None else "",
        given_name=person.given_name or "",
        family_name=person.family_name or "",
        other_names=person.other_names or "",
        sex=person.sex or "",
        date_of_birth=person.date_of_birth,
        birth_year=person.birth_year
        or (person.date_of_birth.year if person.date_of_birth else None),
        dob_estimated=bool(person.dob_estimated),
        nationality=_alpha2(person.nationality),
        phone=person.phone or "",
        documents=tuple(n for n in documents if n),
        households=frozenset(households or ()),
    )


def record_keys(record) -> set[str]:
    """The engine's blocking keys of a record, cut to the stored length (the same cut on both
    sides of a lookup, so a long key still matches itself)."""
    from .models import PersonMatchKey

    return {k[: PersonMatchKey.KEY_LENGTH] for k in matching.blocking_keys(record) if k}


def person_keys(person, documents: Iterable[str] | None = None) -> set[str]:
    """The keys to store for a person: none for a person merged into another (never proposed)."""
    if getattr(person, "merged_into_id", None):
        return set()
    return record_keys(person_record(person, documents))


def match_keys_refresh(person) -> None:
    """Make the stored keys of one saved person what the engine gives now (two or three short
    queries: read the documents and the stored keys, then delete and insert the difference)."""
    from .models import IdentityDocument, PersonMatchKey

    numbers = list(IdentityDocument.objects.filter(person=person).values_list("number", flat=True))
    wanted = person_keys(person, numbers)
    stored = set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))
    stale = stored - wanted
    if stale:
        PersonMatchKey.objects.filter(person=person, key__in=stale).delete()
    new = wanted - stored
    if new:
        PersonMatchKey.objects.bulk_create(
            [PersonMatchKey(person=person, key=k) for k in sorted(new)], batch_size=BATCH_SIZE
        )


def key_rows(persons_with_documents, *, model=None) -> list:
    """Unsaved PersonMatchKey rows for [(person, [document numbers]), ...] (persons saved)."""
    if model is None:
        from .models import PersonMatchKey as model
    rows = []
    for person, numbers in persons_with_documents:
        for key in sorted(person_keys(person, numbers)):
            rows.append(model(person_id=person.pk, key=key))
    return rows


def match_keys_bulk(persons_with_documents, *, replace: bool = False, model=None) -> int:
    """Write the keys of many persons at once, for the bulk import: `persons_with_documents` is
    an iterable of (saved person, [document numbers]). One bulk insert in batches; with
    `replace`, the persons' existing keys are deleted first (one DELETE per batch of persons).
    Returns the number of keys written."""
    if model is None:
        from .models import PersonMatchKey as model
    pairs = list(persons_with_documents)
    if replace:
        ids = [p.pk for p, _ in pairs]
        for i in range(0, len(ids), BATCH_SIZE):
            model.objects.filter(person_id__in=ids[i : i + BATCH_SIZE]).delete()
    rows = key_rows(pairs, model=model)
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=not replace)
    return len(rows)


def rebuild_all(
    *, person_model=None, document_model=None, key_model=None, chunk=BATCH_SIZE, log=None
):
    """Rebuild every person's keys, `chunk` persons at a time in id order (each chunk: one read of
    the persons, one of their documents, one DELETE and one bulk INSERT). Idempotent. The models
    can be given (the data migration passes its historical ones). Returns (persons, keys)."""
    if person_model is None:
        from .models import IdentityDocument as document_model
        from .models import Person as person_model
        from .models import PersonMatchKey as key_model
    fields = ["id", *RECORD_FIELDS, "merged_into_id"]
    last, persons_done, keys_done = 0, 0, 0
    while True:
        persons = list(
            person_model.objects.filter(pk__gt=last).order_by("pk").only(*fields)[:chunk]
        )
        if not persons:
            break
        ids = [p.pk for p in persons]
        numbers: dict[int, list[str]] = {}
        for pid, number in document_model.objects.filter(person_id__in=ids).values_list(
            "person_id", "number"
        ):
            numbers.setdefault(pid, []).append(number)
        rows = key_rows(((p, numbers.get(p.pk, [])) for p in persons), model=key_model)
        with transaction.atomic():
            key_model.objects.filter(person_id__in=ids).delete()
            key_model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        last = ids[-1]
        persons_done += len(persons)
        keys_done += len(rows)
        if log:
            log(persons_done, keys_done)
    return persons_done, keys_done
