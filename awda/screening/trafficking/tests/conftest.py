import pytest
from django.utils import timezone

from awda.accounts.choices import Role
from awda.cases.models import Case
from awda.factories import member_of, person_data, register_case


@pytest.fixture
def protection_officer(rabat):
    return member_of(rabat, Role.PROTECTION, "protection.rabat")


@pytest.fixture
def origin_protection(conakry):
    """A protection officer of the origin mission (Guinea)."""
    return member_of(conakry, Role.PROTECTION, "protection.conakry")


@pytest.fixture
def case(caseworker, rabat, guinea):
    """A case returning to Guinea (whose mission is the default origin mission)."""
    return register_case(caseworker, rabat, country_of_return="GN")


@pytest.fixture
def family(caseworker, rabat, guinea):
    """A mother and two children, returning to Guinea."""
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Aminata", family_name="Camara", sex="female"),
        members=[
            {"relationship": "child", "person": person_data(given_name=f"Child{i}")}
            for i in range(2)
        ],
        country_of_return="GN",
    )


def hand_over(case, mission):
    Case.objects.filter(pk=case.pk).update(receiving_mission=mission, handed_over_at=timezone.now())
    case.refresh_from_db()
    return case
