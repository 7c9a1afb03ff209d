import pytest

from awda.accounts.choices import Role
from awda.cases.models import Case
from awda.factories import (
    MissionFactory,
    OrganisationFactory,
    ProjectFactory,
    member_of,
    person_data,
    register_case,
)
from awda.registry.choices import OrganisationKind


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.fixture
def project(morocco):
    return ProjectFactory(code="AVRR-MA-SEM", mission=morocco, currency="EUR")


@pytest.fixture
def foreign_project(db):
    return ProjectFactory(code="AVRR-TN-EU", mission=MissionFactory(code="TN", name="Tunisia"))


@pytest.fixture
def hotel(db):
    return OrganisationFactory(name="Hôtel Al Amal", kind=OrganisationKind.SUPPLIER)


@pytest.fixture
def funded_case(case, project):
    """The default case (Ousmane Diallo, Rabat), charged to `project`."""
    Case.objects.filter(pk=case.pk).update(project=project)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def family(caseworker, rabat, project):
    """A mother and two children, charged to `project`."""
    case = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Aminata", family_name="Camara", sex="female"),
        members=[
            {"relationship": "child", "person": person_data(given_name=f"Child{i}")}
            for i in range(2)
        ],
    )
    Case.objects.filter(pk=case.pk).update(project=project)
    return Case.objects.get(pk=case.pk)
