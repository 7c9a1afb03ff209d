"""registry.duplicate_check: partial data to an engine record, and candidates read per key with a
cap so a huge block costs no more than a small one."""

import datetime

from awda.factories import person_data
from awda.registry import services
from awda.registry.duplicate_check import (
    capped_candidates_sql,
    enough_to_check,
    find_duplicates,
    record_from_data,
)
from awda.registry.match_keys import record_keys
from awda.registry.models import Person


def test_record_from_typed_data_is_lenient():
    record = record_from_data(
        {
            "given_name": " Usman ",
            "family_name": "Jalloh",
            "sex": "MALE",
            "date_of_birth": "not a date",
            "birth_year": "1982",
            "nationality": "GIN",
            "phone": "+212 661 23 45 67",
        },
        documents=["R0412345", {"number": "x"}, {"number": "R0412345"}],
    )
    assert (record.given_name, record.sex, record.nationality) == ("Usman", "male", "GN")
    assert record.date_of_birth is None and record.birth_year == 1982 and record.dob_estimated
    assert record.documents == ("R0412345",)  # too short and repeated numbers left out
    dated = record_from_data({"date_of_birth": datetime.date(1982, 3, 14), "birth_year": 1990})
    assert dated.birth_year == 1982 and not dated.dob_estimated


def test_enough_to_check():
    assert not enough_to_check(record_from_data({"given_name": "Usman"}))
    assert enough_to_check(record_from_data({"given_name": "Us", "family_name": "Ja"}))
    assert enough_to_check(record_from_data({"phone": "0661 23"}))
    assert enough_to_check(record_from_data({}, documents=["R041"]))
    assert not enough_to_check(record_from_data({"phone": "0661"}, documents=["R04"]))


def test_at_most_per_key_persons_are_read_per_key_the_most_recent(caseworker, rabat):
    persons = [
        services.person_create(caseworker, office=rabat, data=person_data(phone="0661234567"))
        for _ in range(5)
    ]
    typed = record_from_data({"phone": "0661234567"})
    keys = record_keys(typed)
    capped = Person.objects.filter(pk__in=capped_candidates_sql(keys, per_key=2))
    assert set(capped.values_list("pk", flat=True)) <= {p.pk for p in persons}
    newest = sorted(p.pk for p in persons)[-2:]
    for key in keys:
        one = Person.objects.filter(pk__in=capped_candidates_sql([key], per_key=2))
        assert sorted(one.values_list("pk", flat=True)) == newest
    found = find_duplicates(typed, per_key=2, limit=10, threshold=0)
    assert sorted(c.person.pk for c in found) == newest


def test_find_duplicates_within_a_scope(caseworker, rabat, oujda):
    here = services.person_create(caseworker, office=rabat, data=person_data())
    there = services.person_create(caseworker, office=oujda, data=person_data())
    typed = record_from_data(person_data())
    assert {c.person.pk for c in find_duplicates(typed)} == {here.pk, there.pk}
    rabat_only = Person.objects.filter(registered_by_office=rabat)
    assert [c.person.pk for c in find_duplicates(typed, within=rabat_only)] == [here.pk]


def test_in_a_large_block_the_persons_born_near_the_year_typed_are_read_too(caseworker, rabat):
    older = services.person_create(
        caseworker,
        office=rabat,
        data=person_data(phone="", date_of_birth=None, birth_year=1970),
    )
    newer = [
        services.person_create(
            caseworker,
            office=rabat,
            data=person_data(phone="", date_of_birth=None, birth_year=1995 + i),
        )
        for i in range(3)
    ]
    typed = record_from_data({"given_name": "Ousmane", "family_name": "Diallo", "birth_year": 1971})
    # the keys all four share (their names): one large block
    keys = record_keys(typed)
    for person in (older, *newer):
        keys &= set(person.match_keys.values_list("key", flat=True))
    assert keys
    recent_only = set(
        Person.objects.filter(pk__in=capped_candidates_sql(keys, per_key=1)).values_list(
            "pk", flat=True
        )
    )
    assert older.pk not in recent_only and newer[-1].pk in recent_only
    with_year = capped_candidates_sql(keys, per_key=1, year=1971, per_key_year=1)
    assert set(Person.objects.filter(pk__in=with_year).values_list("pk", flat=True)) == {
        older.pk,
        newer[-1].pk,
    }
    found = find_duplicates(typed, per_key=1, per_key_year=1, limit=10, threshold=0)
    assert older.pk in [c.person.pk for c in found]
