import datetime

import pytest
from django.utils import timezone

from awda.accounts.choices import Role
from awda.factories import member_of, person_data, register_case


@pytest.fixture
def protection_officer(rabat):
    return member_of(rabat, Role.PROTECTION, "protection.rabat")


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


def years_ago(years: int, days: int = 100) -> datetime.date:
    """A date of birth giving an age of `years` today (`days` past the birthday)."""
    today = timezone.localdate()
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        birthday = today.replace(year=today.year - years, day=28)
    return birthday - datetime.timedelta(days=days)


@pytest.fixture
def child_case(caseworker, rabat, guinea):
    """Mamadou, 16, from Guinea, came alone: the principal applicant of his own case."""
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Mamadou", family_name="Bah", date_of_birth=years_ago(16)),
    )


@pytest.fixture
def child(child_case):
    return child_case.principal


@pytest.fixture
def family(caseworker, rabat, guinea):
    """A mother who travels and her daughter of 12."""
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Aminata", family_name="Camara", sex="female"),
        members=[
            {
                "relationship": "child",
                "person": person_data(
                    given_name="Fanta", family_name="Camara", date_of_birth=years_ago(12)
                ),
            }
        ],
    )
