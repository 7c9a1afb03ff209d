import pytest

from awda.accounts.choices import Role
from awda.factories import member_of, person_data, register_case


@pytest.fixture
def protection_officer(rabat):
    return member_of(rabat, Role.PROTECTION, "protection.rabat")


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.fixture
def family(caseworker, rabat):
    """A mother and two children."""
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Aminata", family_name="Camara", sex="female"),
        members=[
            {"relationship": "child", "person": person_data(given_name=f"Child{i}")}
            for i in range(2)
        ],
    )
