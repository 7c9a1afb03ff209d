import datetime

import pytest

from awda.accounts.choices import Role
from awda.factories import OrganisationFactory, member_of, person_data, register_case
from awda.registry.choices import OrganisationKind


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.fixture
def consulate(db):
    return OrganisationFactory(
        name="Consulate of Guinea in Rabat", kind=OrganisationKind.CONSULATE, country="MA"
    )


@pytest.fixture
def authority(db):
    return OrganisationFactory(
        name="Direction générale de la sûreté nationale", kind=OrganisationKind.AUTHORITY
    )


@pytest.fixture
def family(caseworker, rabat):
    """A mother and two adult sons, Guinean."""
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Aminata", family_name="Camara", sex="female"),
        members=[
            {
                "relationship": "child",
                "person": person_data(
                    given_name=f"Son{i}", date_of_birth=datetime.date(2000 + i, 1, 1)
                ),
            }
            for i in range(2)
        ],
    )
