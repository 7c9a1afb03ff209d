import datetime

import pytest
from django.utils import timezone

from awda.accounts.choices import Role
from awda.factories import member_of, person_data, register_case
from awda.screening.consent import services
from awda.screening.consent.choices import Purpose


@pytest.fixture
def protection_officer(rabat):
    return member_of(rabat, Role.PROTECTION, "protection.rabat")


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.fixture
def family(caseworker, rabat):
    """A mother (adult) and her son, 10 years old."""
    today = timezone.localdate()
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Aminata", family_name="Camara", sex="female"),
        members=[
            {
                "relationship": "child",
                "person": person_data(
                    given_name="Ibrahima",
                    family_name="Camara",
                    date_of_birth=datetime.date(today.year - 10, 1, 1),
                ),
            }
        ],
    )


def persons_of(case):
    """(adult, child) persons of the `family` case; the principal alone for other cases."""
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    return [m.person for m in members]


@pytest.fixture
def give():
    """Record a consent (guardian filled in, for minors) with sensible defaults."""

    def _give(user, case, person, purpose=Purpose.AVRR, **kwargs):
        defaults = {"language": "fr"}
        if person.age is not None and person.age < 18:
            defaults |= {"guardian_name": "Aminata Camara", "guardian_relationship": "mother"}
        return services.consent_record(
            user, case=case, person=person, purpose=purpose, **(defaults | kwargs)
        )

    return _give
