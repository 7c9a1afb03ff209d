"""Reading the persons of a mission as the duplicate engine's records, in chunks.

A mission's persons are those registered by one of its offices, and those who are members of a
case of the mission (a person registered elsewhere and added to one of its cases), never a person
merged into another. They are read in id order, CHUNK persons at a time, three queries per chunk
(the persons' fields, their identity-document numbers, their case memberships), so memory holds
one chunk of model rows besides the engine's compact records."""

from collections.abc import Callable, Iterator

from django.db.models import Exists, OuterRef, Q

from awda.cases.models import CaseMember
from awda.registry.match_keys import RECORD_FIELDS as PERSON_FIELDS
from awda.registry.match_keys import person_record
from awda.registry.matching import Record
from awda.registry.models import IdentityDocument, Person

CHUNK = 2000

RECORD_FIELDS = ["id", *PERSON_FIELDS]


def mission_persons(mission_id: int):
    """The persons of a mission who may be proposed as duplicates (not merged into another)."""
    in_mission_case = CaseMember.objects.filter(
        person_id=OuterRef("pk"), case__mission_id=mission_id
    )
    return Person.objects.filter(
        Q(registered_by_office__mission_id=mission_id) | Q(Exists(in_mission_case)),
        merged_into__isnull=True,
    )


def records_of(persons: list[Person]) -> list[Record]:
    """The engine's records of saved persons: two queries (documents, case memberships)."""
    ids = [p.pk for p in persons]
    numbers: dict[int, list[str]] = {}
    for pid, number in IdentityDocument.objects.filter(person_id__in=ids).values_list(
        "person_id", "number"
    ):
        numbers.setdefault(pid, []).append(number)
    cases: dict[int, list[int]] = {}
    for pid, case_id in CaseMember.objects.filter(person_id__in=ids).values_list(
        "person_id", "case_id"
    ):
        cases.setdefault(pid, []).append(case_id)
    return [person_record(p, numbers.get(p.pk, []), cases.get(p.pk, [])) for p in persons]


def iter_records(
    queryset, *, chunk: int = CHUNK, on_chunk: Callable[[int], None] | None = None
) -> Iterator[Record]:
    """The records of the persons of `queryset`, read `chunk` at a time in id order (keyset:
    each chunk starts after the last id read). `on_chunk(n)` is called after each chunk with
    the number of persons read so far."""
    last, done = 0, 0
    base = queryset.order_by("pk").only(*RECORD_FIELDS)
    while True:
        persons = list(base.filter(pk__gt=last)[:chunk])
        if not persons:
            return
        yield from records_of(persons)
        last = persons[-1].pk
        done += len(persons)
        if on_chunk is not None:
            on_chunk(done)
