"""A merge fills the survivor's empty details from the merged record (never overwriting one it
has), through the registry's write path so the derived data follows; an undo empties them again,
except those changed since."""

import datetime
import json

import pytest

from awda.audit.models import AuditEvent
from awda.audit.services import snapshot
from awda.cases.selectors import person_list_for
from awda.registry.duplicates import merging, services
from awda.registry.match_keys import person_record
from awda.registry.matching import blocking_keys
from awda.registry.models import Person, PersonMatchKey
from awda.registry.services import PERSON_FIELDS, person_update

from .test_merge import versions

pytestmark = pytest.mark.django_db

D = datetime.date
ARABIC = "عثمان ديالو"
DERIVED = ["phone_digits", "nationality_alpha3", "search_text"]


def keys_of(person):
    return set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))


def merge(manager, pair, keep, gone):
    return services.persons_merge(
        manager, pair=pair, survivor=keep, expected_versions=versions(keep, gone)
    )


def test_the_fill_takes_only_what_the_survivor_lacks():
    keep = Person(sex="unknown", birth_year=1981, dob_estimated=True, city="Rabat", languages=[])
    gone = Person(
        sex="male",
        date_of_birth=D(1982, 3, 14),
        birth_year=1982,
        nationality="GN",
        phone="+212 600 11 22 33",
        city="Oujda",
        languages=["fr"],
    )
    assert merging.survivor_fill(keep, gone) == {
        "sex": "male",
        "date_of_birth": D(1982, 3, 14),
        "dob_estimated": False,
        "nationality": "GN",
        "phone": "+212 600 11 22 33",
        "languages": ["fr"],
    }
    # both have a year, neither a date: the survivor's year stays
    assert merging.survivor_fill(keep, Person(birth_year=1980, dob_estimated=True)) == {}
    # a survivor with neither date nor year gets the year, as an estimate
    assert merging.survivor_fill(Person(sex="female"), Person(sex="male", birth_year=1980)) == {
        "birth_year": 1980,
        "dob_estimated": True,
    }
    # the pure function writes nothing
    assert keep.phone == "" and keep.date_of_birth is None


def test_merge_fills_the_survivors_empty_details_and_never_overwrites_one(sparse_pair, manager):
    pair, keep, gone = sparse_pair
    done = merge(manager, pair, keep, gone)

    keep.refresh_from_db()
    assert keep.sex == "male" and keep.date_of_birth == D(1982, 3, 14)
    assert keep.birth_year == 1982 and keep.dob_estimated is False  # as the copied date
    assert keep.nationality == "GN" and keep.nationality_alpha3 == "GIN"
    assert keep.phone == "+212 600 11 22 33" and keep.phone_digits == "212600112233"
    assert keep.languages == ["fr", "ff"] and keep.address == "Hay Nahda, Oujda"
    assert keep.name_arabic == ARABIC
    assert keep.city == "Rabat"  # the survivor's own value stays
    assert keep.given_name == "Ousmane" and "Ousman Jallow" in keep.other_names
    assert ARABIC not in done.aliases_added  # filled as the Arabic name, not an alias too
    assert done.survivor_filled == {
        "sex": "male",
        "date_of_birth": "1982-03-14",
        "nationality": "GN",
        "phone": "+212 600 11 22 33",
        "name_arabic": ARABIC,
        "address": "Hay Nahda, Oujda",
        "languages": ["fr", "ff"],
    }
    assert done.survivor_filled_before["birth_year"] == 1981
    event = AuditEvent.objects.get(action=merging.MERGED)
    assert event.changes["filled"] == sorted(done.survivor_filled)
    assert "600" not in json.dumps(event.changes) and "1982" not in json.dumps(event.changes)


def test_a_survivor_with_every_detail_gets_nothing(the_pair, rabat_case, oujda_case, manager):
    keep, gone = rabat_case.principal, oujda_case.principal
    Person.objects.filter(pk=gone.pk).update(city="Oujda", name_arabic=ARABIC)
    before = snapshot(Person.objects.get(pk=keep.pk), PERSON_FIELDS)
    done = merge(manager, the_pair, keep, gone)

    assert done.survivor_filled == {"city": "Oujda", "name_arabic": ARABIC}
    after = snapshot(Person.objects.get(pk=keep.pk), PERSON_FIELDS)
    assert {k for k in PERSON_FIELDS if before[k] != after[k]} == {
        "other_names",
        "city",
        "name_arabic",
    }


def test_derived_data_follows_the_filled_details(sparse_pair, manager, caseworker):
    pair, keep, gone = sparse_pair
    assert "p:600112233" not in keys_of(keep)
    assert list(person_list_for(caseworker, query="0600112233")) == []  # Rabat's record

    merge(manager, pair, keep, gone)
    keep.refresh_from_db()
    assert "p:600112233" in keys_of(keep)
    assert keys_of(keep) == blocking_keys(person_record(keep))
    assert "212600112233" in keep.search_text and ARABIC in keep.search_text
    assert list(person_list_for(caseworker, query="0600112233")) == [keep]
    updated = AuditEvent.objects.filter(action="registry.person.updated", person_id=keep.pk)
    assert updated.filter(changes__phone__to="+212 600 11 22 33").exists()


def test_undo_empties_the_filled_details_and_restores_the_survivor(
    sparse_pair, manager, caseworker
):
    pair, keep, gone = sparse_pair
    keep.refresh_from_db()
    before = snapshot(keep, [*PERSON_FIELDS, *DERIVED])
    keys_before = keys_of(keep)
    done = merge(manager, pair, keep, gone)

    services.merge_undo(manager, merge=done)
    keep.refresh_from_db()
    assert snapshot(keep, [*PERSON_FIELDS, *DERIVED]) == before
    assert keys_of(keep) == keys_before
    assert list(person_list_for(caseworker, query="0600112233")) == []
    event = AuditEvent.objects.filter(action=merging.MERGE_UNDONE).get(person_id=keep.pk)
    assert event.changes["filled_emptied"] == sorted(done.survivor_filled)
    assert event.changes["filled_left"] == []


def test_a_detail_changed_after_the_merge_survives_the_undo(sparse_pair, manager, caseworker):
    pair, keep, gone = sparse_pair
    done = merge(manager, pair, keep, gone)
    keep.refresh_from_db()
    person_update(
        caseworker,
        person=keep,
        expected_version=keep.version,
        data={"phone": "+212 611 00 00 00", "date_of_birth": D(1982, 4, 14)},
    )

    services.merge_undo(manager, merge=done)
    keep.refresh_from_db()
    assert keep.phone == "+212 611 00 00 00" and keep.phone_digits == "212611000000"
    assert keep.date_of_birth == D(1982, 4, 14) and keep.birth_year == 1982
    assert keep.nationality == "" and keep.nationality_alpha3 == ""  # still as filled: emptied
    assert keep.sex == "unknown" and keep.languages == [] and keep.name_arabic == ""
    assert keep.city == "Rabat"
    event = AuditEvent.objects.filter(action=merging.MERGE_UNDONE).get(person_id=keep.pk)
    assert event.changes["filled_left"] == ["date_of_birth", "phone"]
    assert "phone" not in event.changes["filled_emptied"]
