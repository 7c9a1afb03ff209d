"""The persons' duplicate-check keys (PersonMatchKey) are kept current by the registry services,
built in bulk for the import, rebuilt by `manage.py rebuild_match_keys`, and dropped for a person
merged into another."""

import datetime

import pytest
from django.core.management import call_command

from awda.factories import person_data
from awda.registry import services
from awda.registry.match_keys import (
    match_keys_bulk,
    match_keys_refresh,
    person_record,
    record_keys,
)
from awda.registry.matching import Record, blocking_keys
from awda.registry.models import Person, PersonMatchKey


def stored(person) -> set[str]:
    return set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))


def expected(person) -> set[str]:
    person = Person.objects.get(pk=person.pk)
    return record_keys(person_record(person))


@pytest.fixture
def ousmane(caseworker, rabat):
    return services.person_create(caseworker, office=rabat, data=person_data(phone="0661234567"))


def test_person_record_is_what_the_engine_needs(ousmane, caseworker):
    services.identity_document_add(
        caseworker, person=ousmane, data={"doc_type": "passport", "number": "GN 123 456"}
    )
    record = person_record(Person.objects.get(pk=ousmane.pk), households=[7])
    assert record == Record(
        id=ousmane.pk,
        given_name="Ousmane",
        family_name="Diallo",
        sex="male",
        date_of_birth=datetime.date(1982, 3, 14),
        birth_year=1982,
        nationality="GN",
        phone="0661234567",
        documents=("GN 123 456",),
        households=frozenset({7}),
    )


def test_created_person_has_the_engines_keys(ousmane):
    assert stored(ousmane) and stored(ousmane) == expected(ousmane)


def test_created_with_documents_has_their_keys(caseworker, rabat):
    person = services.person_create(
        caseworker,
        office=rabat,
        data=person_data(),
        documents=[{"doc_type": "passport", "number": "AB1234567"}],
    )
    assert stored(person) == expected(person)
    without = record_keys(person_record(person, documents=[]))
    assert stored(person) - without  # a key from the document number


def test_name_and_phone_changes_refresh_the_keys(ousmane, caseworker):
    before = stored(ousmane)
    services.person_update(
        caseworker,
        person=ousmane,
        expected_version=ousmane.version,
        data={"given_name": "Mariama", "family_name": "Bah", "phone": "0700998877"},
    )
    assert stored(ousmane) == expected(ousmane) != before


def test_an_edit_of_other_fields_leaves_the_keys(ousmane, caseworker):
    keys = stored(ousmane)
    services.person_update(
        caseworker, person=ousmane, expected_version=ousmane.version, data={"city": "Salé"}
    )
    assert stored(ousmane) == keys


def test_document_added_edited_and_deleted_refresh_the_keys(ousmane, caseworker):
    base = stored(ousmane)
    doc = services.identity_document_add(
        caseworker, person=ousmane, data={"doc_type": "passport", "number": "AB1234567"}
    )
    with_doc = stored(ousmane)
    assert with_doc == expected(ousmane) and with_doc - base
    services.identity_document_update(caseworker, document=doc, data={"number": "ZZ7654321"})
    edited = stored(ousmane)
    assert edited == expected(ousmane) and edited != with_doc
    services.identity_document_delete(caseworker, document=doc)
    assert stored(ousmane) == base


def test_a_merged_person_keeps_no_key(ousmane, caseworker, rabat):
    survivor = services.person_create(caseworker, office=rabat, data=person_data())
    Person.objects.filter(pk=ousmane.pk).update(merged_into=survivor)
    ousmane.refresh_from_db()
    match_keys_refresh(ousmane)
    assert stored(ousmane) == set() and stored(survivor)


def test_a_deleted_person_takes_its_keys_with_it(ousmane):
    # The keys have no foreign-key constraint in the database (models.PersonMatchKey); Django's
    # cascade still removes them.
    assert stored(ousmane)
    Person.objects.filter(pk=ousmane.pk).delete()
    assert not PersonMatchKey.objects.filter(person_id=ousmane.pk).exists()


def test_bulk_keys_for_the_import(caseworker, rabat, django_assert_num_queries):
    a = Person.objects.create(
        registered_by_office=rabat, **{**person_data(), "nationality_alpha3": "GIN"}
    )
    b = Person.objects.create(
        registered_by_office=rabat,
        **{**person_data(given_name="Aïssata", family_name="Bah", sex="female")},
    )
    with django_assert_num_queries(1):
        written = match_keys_bulk([(a, ["AB1234567"]), (b, [])])
    assert written == len(stored(a)) + len(stored(b))
    assert stored(a) == record_keys(person_record(a, documents=["AB1234567"]))
    assert stored(b) == expected(b)
    match_keys_bulk([(a, ["AB1234567"])])  # again: conflicts ignored
    assert stored(a) == record_keys(person_record(a, documents=["AB1234567"]))


def test_rebuild_command_is_idempotent(ousmane, caseworker, rabat, capsys):
    other = services.person_create(
        caseworker, office=rabat, data=person_data(given_name="Fatou", family_name="Camara")
    )
    PersonMatchKey.objects.filter(person=ousmane).delete()
    PersonMatchKey.objects.create(person=other, key="stale-key")
    call_command("rebuild_match_keys", "--chunk", "1")
    assert stored(ousmane) == expected(ousmane)
    assert stored(other) == expected(other)
    total = PersonMatchKey.objects.count()
    call_command("rebuild_match_keys")
    assert PersonMatchKey.objects.count() == total
    assert "2 persons" in capsys.readouterr().out


def test_keys_fit_the_column_even_when_the_engine_gives_long_ones():
    record = Record(id=1, given_name="A" * 100, family_name="B" * 120, phone="0661234567")
    assert all(len(k) <= PersonMatchKey.KEY_LENGTH for k in record_keys(record))
    assert len(record_keys(record)) <= len(blocking_keys(record))
