import datetime
from decimal import Decimal

import pytest

from awda.accounts.choices import MissionKind, Role
from awda.factories import (
    MissionFactory,
    OfficeFactory,
    OrganisationFactory,
    ProjectFactory,
    bring_case_to,
    member_of,
)
from awda.registry.choices import OrganisationKind
from awda.reintegration.models import Plan


@pytest.fixture
def origin_manager(conakry):
    return member_of(conakry, Role.MANAGER, "manager.conakry")


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.fixture
def senegal_officer(db):
    mission = MissionFactory(
        code="SN", name="Senegal", country_alpha3="SEN", kind=MissionKind.ORIGIN
    )
    office = OfficeFactory(mission=mission, code="DKR", name="Dakar", city="Dakar")
    return member_of(office, Role.REINTEGRATION, "reintegration.dakar")


@pytest.fixture
def project(morocco):
    return ProjectFactory(
        code="AVRR-MA-SEM",
        mission=morocco,
        currency="EUR",
        start_date=datetime.date.today() - datetime.timedelta(days=200),
        end_date=datetime.date.today() + datetime.timedelta(days=400),
    )


@pytest.fixture
def reint_case(case, caseworker, manager, origin_officer, project):
    """Ousmane's case, handed over to Guinea, accepted by Conakry, in reintegration."""
    return bring_case_to(
        case,
        "reintegration",
        caseworker=caseworker,
        manager=manager,
        project=project,
        origin=origin_officer,
    )


@pytest.fixture
def plan(reint_case, project, origin_officer):
    """The approved plan (made with the ORM: the plan services are another area's)."""
    return Plan.objects.create(
        case=reint_case,
        status="approved",
        project=project,
        currency="EUR",
        total=Decimal("485.00"),
        created_by=origin_officer,
    )


@pytest.fixture
def supplier(db):
    return OrganisationFactory(
        name="Boutique Kaloum", kind=OrganisationKind.SUPPLIER, country="GN", city="Conakry"
    )


@pytest.fixture
def clinic(db):
    return OrganisationFactory(
        name="Clinique Ignace Deen", kind=OrganisationKind.HOSPITAL, country="GN"
    )
