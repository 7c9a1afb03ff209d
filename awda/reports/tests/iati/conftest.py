"""A funded project with a budget, contributions, returnees and charges at every stage, built
with the factories and Charge rows written directly (the ledger's own tests cover charge_post)."""

import datetime
from decimal import Decimal

import pytest

from awda.accounts.choices import Role
from awda.cases.models import Case
from awda.factories import (
    DonorFactory,
    ProjectFactory,
    member_of,
    register_case,
)
from awda.finance.models import BudgetLine, Contribution

from .helpers import charge, departed

D = datetime.date


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.fixture
def project(morocco):
    sem = DonorFactory(
        name="State Secretariat for Migration", short_name="SEM", iati_identifier="CH-4-SEM"
    )
    other = DonorFactory(name="Fondation Éole", short_name="FE", iati_identifier="")
    return ProjectFactory(
        code="AVRR-MA-2026",
        name="AVRR Maroc – SEM 2026",
        mission=morocco,
        start_date=D(2025, 7, 1),
        end_date=D(2027, 6, 30),
        currency="EUR",
        donors=[sem, other],
    )


@pytest.fixture
def ledger(project, caseworker, rabat, finance_officer):
    """Budget 120,000 EUR over two years; 3 travellers back to GN, 1 to SN (and a case of
    another project to ML); contributions of 50,000 EUR and 20,000 CHF; charges committed,
    spent (disbursement and expenditure), released and awaiting a rate."""
    BudgetLine.objects.create(
        project=project, code="01", name="Tickets", amount=Decimal(70000), categories=["ticket"]
    )
    BudgetLine.objects.create(project=project, code="02", name="Général", amount=Decimal(50000))
    sem = project.donors.get(short_name="SEM")
    fe = project.donors.get(short_name="FE")
    Contribution.objects.create(
        project=project,
        donor=sem,
        amount=Decimal("50000.00"),
        currency="EUR",
        received_on=D(2025, 7, 15),
        reference="SEM-1",
        recorded_by=finance_officer,
    )
    Contribution.objects.create(
        project=project,
        donor=fe,
        amount=Decimal("20000.00"),
        currency="CHF",
        received_on=D(2025, 9, 1),
        recorded_by=finance_officer,
    )
    gn = departed(caseworker, rabat, country="GN", travellers=3, project=project)
    sn = departed(caseworker, rabat, country="SN", project=project)
    other = ProjectFactory(code="OTHER-1", mission=project.mission)
    departed(caseworker, rabat, country="ML", travellers=2, project=other)
    # a cancelled seat on a case of the project does not count
    from awda.movements.models import Booking

    cancelled = register_case(caseworker, rabat, country_of_return="CM")
    Case.objects.filter(pk=cancelled.pk).update(project=project)
    Booking.objects.create(
        case=cancelled,
        person_id=cancelled.principal_id,
        status="cancelled",
        travel_date=D(2026, 3, 2),
        created_by=caseworker,
    )
    # registered but not departed: not a returnee
    not_yet = register_case(caseworker, rabat, country_of_return="CI")
    Case.objects.filter(pk=not_yet.pk).update(project=project)

    u = finance_officer
    # committed, not spent: a commitment only
    charge(
        gn,
        project,
        u,
        n=1,
        category="ticket",
        amount="900.00",
        stage="committed",
        committed_on=D(2026, 2, 20),
    )
    # committed then spent (expenditure): commitment on the 20th, expenditure on 2 March
    charge(
        gn,
        project,
        u,
        n=2,
        category="ticket",
        amount="850.00",
        stage="spent",
        committed_on=D(2026, 2, 20),
        spent_on=D(2026, 3, 2),
    )
    # spent at once, cash: a commitment and a disbursement the same day
    charge(
        sn,
        project,
        u,
        n=3,
        category="pocket_money",
        amount="50.00",
        stage="spent",
        spent_on=D(2026, 3, 2),
    )
    charge(
        gn,
        project,
        u,
        n=4,
        category="reintegration_referral",
        amount="300.00",
        stage="spent",
        committed_on=D(2026, 4, 1),
        spent_on=D(2026, 4, 10),
    )
    charge(
        gn,
        project,
        u,
        n=5,
        category="medical",
        amount="120.00",
        stage="spent",
        spent_on=D(2026, 1, 5),
    )
    # released: nowhere
    charge(
        gn,
        project,
        u,
        n=6,
        category="food",
        amount="999.00",
        stage="released",
        committed_on=D(2026, 1, 5),
    )
    # awaiting a rate: left out, counted
    charge(
        sn,
        project,
        u,
        n=7,
        category="food",
        amount="500.00",
        stage="spent",
        spent_on=D(2026, 3, 1),
        currency="GNF",
        project_amount=None,
    )
    charge(
        sn,
        project,
        u,
        n=8,
        category="food",
        amount="700.00",
        stage="committed",
        committed_on=D(2026, 3, 1),
        currency="XOF",
        project_amount=None,
    )
    # another project's charge
    charge(
        sn, other, u, n=9, category="ticket", amount="777.00", stage="spent", spent_on=D(2026, 3, 1)
    )
    return project
