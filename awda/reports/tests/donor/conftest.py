"""A project with returnees (women, men, children), pre-departure assistance, a reintegration
started, budget lines and charges, all inside the reporting period (2026), plus facts outside it
and of another project that the report must leave out."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from awda.accounts.choices import Role
from awda.assistance.models import AssistanceLine
from awda.factories import DonorFactory, ProjectFactory, member_of, person_data
from awda.finance.models import BudgetLine
from awda.reintegration.models import ReintegrationFile

from ..iati.helpers import charge, departed

D = datetime.date
PERIOD = {"date_from": D(2026, 1, 1), "date_to": D(2026, 12, 31)}


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


def _assist(case, person, project, user, kind, day):
    return AssistanceLine.objects.create(
        case=case,
        person=person,
        kind=kind,
        start_date=day,
        quantity=Decimal(1),
        unit="unit",
        unit_cost=Decimal("10.00"),
        currency="EUR",
        total=Decimal("10.00"),
        project=project,
        recorded_by=user,
    )


@pytest.fixture
def activity(morocco, caseworker, rabat, finance_officer, origin_officer, conakry):
    """Project AVRR-MA-2026 (SEM, EUR): 3 cases returned in March 2026 (a man alone; a woman
    with a girl of 8; a man of 65), one returned in 2025 (outside the period), one case of
    another project; medical assistance for 3 persons, accommodation for 1; a reintegration
    started; two budget lines and charges committed, spent, and on no line."""
    sem = DonorFactory(name="State Secretariat for Migration", short_name="SEM")
    project = ProjectFactory(
        code="AVRR-MA-2026",
        name="AVRR Maroc – Sénégal",
        mission=morocco,
        start_date=D(2025, 7, 1),
        end_date=D(2027, 6, 30),
        donors=[sem],
    )
    other = ProjectFactory(code="OTHER-1", mission=morocco)
    tickets = BudgetLine.objects.create(
        project=project,
        code="01",
        name="Billets d'avion",
        amount=Decimal(10000),
        categories=["ticket"],
    )
    general = BudgetLine.objects.create(
        project=project, code="02", name="Assistance générale", amount=Decimal(5000)
    )
    march = D(2026, 3, 2)
    man = departed(caseworker, rabat, country="GN", project=project, on=march)
    family = departed(
        caseworker,
        rabat,
        country="GN",
        project=project,
        on=march,
        members=[
            {
                "relationship": "child",
                "person": person_data(
                    given_name="Aïssatou", sex="female", date_of_birth=D(2018, 5, 1)
                ),
                "travels": True,
            }
        ],
    )
    # the family's principal applicant is a woman
    family.principal.__class__.objects.filter(pk=family.principal_id).update(
        given_name="Mariama", sex="female", date_of_birth=D(1990, 2, 2)
    )
    elder = departed(caseworker, rabat, country="SN", project=project, on=march)
    elder.principal.__class__.objects.filter(pk=elder.principal_id).update(
        date_of_birth=D(1960, 1, 1)
    )
    departed(caseworker, rabat, country="ML", project=project, on=D(2025, 11, 3))
    departed(caseworker, rabat, country="CI", project=other, on=march)

    for case in (man, family):
        for member in case.members.all():
            _assist(case, member.person, project, caseworker, "medical", D(2026, 2, 10))
    _assist(man, man.principal, project, caseworker, "accommodation", D(2026, 2, 1))

    ReintegrationFile.objects.create(
        case=man,
        mission=conakry.mission,
        office=conakry,
        accepted_at=timezone.make_aware(datetime.datetime(2026, 3, 10, 10, 0)),
        accepted_by=origin_officer,
    )

    u = finance_officer
    charge(
        man,
        project,
        u,
        n=1,
        category="ticket",
        amount="600.00",
        stage="spent",
        committed_on=D(2026, 2, 1),
        spent_on=D(2026, 3, 2),
        line=tickets,
    )
    charge(
        family,
        project,
        u,
        n=2,
        category="ticket",
        amount="1200.00",
        stage="committed",
        committed_on=D(2026, 2, 15),
        line=tickets,
    )
    charge(
        man,
        project,
        u,
        n=3,
        category="medical",
        amount="80.00",
        stage="spent",
        spent_on=D(2026, 2, 10),
        line=general,
    )
    charge(
        man,
        project,
        u,
        n=4,
        category="food",
        amount="40.00",
        stage="spent",
        spent_on=D(2025, 12, 1),
        line=general,
    )  # before the period: to date only
    charge(
        elder,
        project,
        u,
        n=5,
        category="transport",
        amount="25.00",
        stage="spent",
        spent_on=D(2026, 3, 1),
    )  # on no budget line
    charge(
        elder,
        project,
        u,
        n=6,
        category="food",
        amount="90.00",
        stage="spent",
        spent_on=D(2026, 3, 1),
        currency="GNF",
        project_amount=None,
    )  # awaiting a rate
    return project
