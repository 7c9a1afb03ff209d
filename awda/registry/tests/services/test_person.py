"""Person validation and writes: date of birth or estimated year, nationality resolution."""

import datetime

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.core.errors import StaleEdit, ValidationFailed
from awda.factories import person_data
from awda.registry.models import Person
from awda.registry.services import person_create, person_update


def create(user, office, **overrides):
    return person_create(user, office=office, data=person_data(**overrides))


def test_person_with_full_date_of_birth(caseworker, rabat):
    p = create(caseworker, rabat)
    assert p.date_of_birth == datetime.date(1982, 3, 14) and p.birth_year == 1982
    assert p.dob_estimated is False
    assert (p.nationality, p.nationality_alpha3) == ("GN", "GIN")
    assert p.phone_digits == "212600112233"
    assert p.registered_by_office == rabat and p.created_by == caseworker and p.version == 1
    event = AuditEvent.objects.get(action="registry.person.created")
    assert event.person_id == p.pk and event.office_id == rabat.pk
    assert event.changes["date_of_birth"] == "1982-03-14"


def test_estimated_year_is_flagged(caseworker, rabat):
    p = create(caseworker, rabat, date_of_birth=None, birth_year="1990")
    assert p.birth_year == 1990 and p.date_of_birth is None and p.dob_estimated is True
    assert p.age_on(datetime.date(2026, 6, 1)) == 36


def test_date_of_birth_as_iso_string(caseworker, rabat):
    p = create(caseworker, rabat, date_of_birth="2001-02-03")
    assert (
        p.date_of_birth == datetime.date(2001, 2, 3) and p.age_on(datetime.date(2026, 2, 2)) == 24
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": None, "birth_year": None}, "birth_year"),
        ({"date_of_birth": None, "birth_year": ""}, "birth_year"),
        ({"date_of_birth": "tomorrow"}, "date_of_birth"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth"),
        ({"date_of_birth": None, "birth_year": 1800}, "birth_year"),
        ({"date_of_birth": None, "birth_year": "nineteen"}, "birth_year"),
        ({"given_name": " "}, "given_name"),
        ({"family_name": ""}, "family_name"),
        ({"sex": ""}, "sex"),
        ({"sex": "f"}, "sex"),
        ({"nationality": "XX"}, "nationality"),
        ({"nationality": "Wakanda"}, "nationality"),
    ],
)
def test_invalid_person_is_refused(caseworker, rabat, overrides, field):
    with pytest.raises(ValidationFailed) as err:
        create(caseworker, rabat, **overrides)
    assert field in err.value.fields
    assert Person.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_future_dates_are_refused(caseworker, rabat):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed) as err:
        create(caseworker, rabat, date_of_birth=tomorrow)
    assert "date_of_birth" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        create(caseworker, rabat, date_of_birth=None, birth_year=tomorrow.year + 1)
    assert "birth_year" in err.value.fields


def test_errors_carry_the_prefix(caseworker, rabat):
    with pytest.raises(ValidationFailed) as err:
        person_create(
            caseworker, office=rabat, data=person_data(sex="?", family_name=""), prefix="members.2."
        )
    assert {"members.2.sex", "members.2.family_name"} <= set(err.value.fields)


@pytest.mark.parametrize(
    ("given", "alpha2", "alpha3"),
    [
        ("GN", "GN", "GIN"),
        ("gn", "GN", "GIN"),
        ("GIN", "GN", "GIN"),
        ("civ", "CI", "CIV"),
        ("Senegal", "SN", "SEN"),
        (" CM ", "CM", "CMR"),
        ("", "", ""),
    ],
)
def test_nationality_resolution_stores_alpha2_and_alpha3(caseworker, rabat, given, alpha2, alpha3):
    p = create(caseworker, rabat, nationality=given)
    assert (p.nationality, p.nationality_alpha3) == (alpha2, alpha3)


def test_languages_are_cleaned(caseworker, rabat):
    assert create(caseworker, rabat, languages="fr, ff , fr,,").languages == ["fr", "ff"]
    assert create(caseworker, rabat, languages=[" wo", "wo", ""]).languages == ["wo"]


def test_names_and_aliases_are_searchable_folded(caseworker, rabat):
    p = create(
        caseworker, rabat, given_name="Aïcha", family_name="N'DIAYE", other_names="Aicha Ndiaye-Sow"
    )
    assert "aicha ndiaye" in p.search_text and "sow" in p.search_text


def test_update_with_version(caseworker, rabat):
    p = create(caseworker, rabat)
    p = person_update(
        caseworker, person=p, expected_version=1, data={"nationality": "ML", "city": "Salé"}
    )
    row = Person.objects.get(pk=p.pk)
    assert (row.nationality, row.nationality_alpha3, row.city, row.version) == (
        "ML",
        "MLI",
        "Salé",
        2,
    )
    assert AuditEvent.objects.get(action="registry.person.updated").changes == {
        "nationality": {"from": "GN", "to": "ML"},
        "city": {"from": "", "to": "Salé"},
    }
    with pytest.raises(StaleEdit):
        person_update(
            caseworker, person=Person.objects.get(pk=p.pk), expected_version=1, data={"city": "X"}
        )
    assert Person.objects.get(pk=p.pk).city == "Salé"


def test_clearing_the_date_of_birth_keeps_the_year_as_estimated(caseworker, rabat):
    p = create(caseworker, rabat)
    person_update(caseworker, person=p, expected_version=1, data={"date_of_birth": None})
    row = Person.objects.get(pk=p.pk)
    assert row.date_of_birth is None and row.birth_year == 1982 and row.dob_estimated is True


def test_clearing_both_date_and_year_is_refused(caseworker, rabat):
    p = create(caseworker, rabat)
    with pytest.raises(ValidationFailed) as err:
        person_update(
            caseworker,
            person=p,
            expected_version=1,
            data={"date_of_birth": None, "birth_year": None},
        )
    assert "birth_year" in err.value.fields
    assert Person.objects.get(pk=p.pk).date_of_birth == datetime.date(1982, 3, 14)


def test_update_refuses_an_empty_name(caseworker, rabat):
    p = create(caseworker, rabat)
    with pytest.raises(ValidationFailed):
        person_update(caseworker, person=p, expected_version=1, data={"family_name": " "})
    assert Person.objects.get(pk=p.pk).version == 1
