"""Cases at the stages the origin office works on: departed (handed over to Guinea), arrived,
accepted by Conakry, in reintegration (received), in monitoring (a plan approved)."""

import pytest

from awda.accounts.choices import Role
from awda.cases.models import Case
from awda.cases.services import case_transition
from awda.factories import (
    OfficeFactory,
    ProjectFactory,
    accept_handover,
    arrive_travellers,
    bring_case_to,
    hand_over_case,
    member_of,
)
from awda.reintegration.choices import PlanStatus
from awda.reintegration.files import services
from awda.reintegration.models import Plan


@pytest.fixture
def origin_manager(conakry):
    return member_of(conakry, Role.MANAGER, "manager.conakry")


@pytest.fixture
def kankan(guinea):
    return OfficeFactory(mission=guinea, code="KNK", name="Kankan", city="Kankan")


@pytest.fixture
def kankan_officer(kankan):
    return member_of(kankan, Role.REINTEGRATION, "reintegration.kankan")


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.fixture
def project(morocco):
    return ProjectFactory(code="AVRR-MA", mission=morocco, currency="EUR")


@pytest.fixture
def departed(case, caseworker, manager, project, guinea):
    case = bring_case_to(case, "departed", caseworker=caseworker, manager=manager, project=project)
    return hand_over_case(case, guinea)


@pytest.fixture
def arrived(departed, manager):
    return arrive_travellers(departed, manager)


@pytest.fixture
def accepted(arrived, origin_officer, conakry):
    accept_handover(arrived, origin_officer, conakry)
    return Case.objects.get(pk=arrived.pk)


def receive(user, case, **overrides):
    data = {"received_on": case.status_changed_at.date(), "airport_reception": True}
    data.update(overrides)
    services.reception_record(user, case=case, **data)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def received(accepted, origin_officer):
    return receive(origin_officer, accepted)


def approve_plan(case, user, project):
    """An approved plan, as the plans area would leave it (with its monitoring schedule)."""
    plan = Plan.objects.create(
        case=case,
        status=PlanStatus.APPROVED,
        project=project,
        currency=project.currency,
        created_by=user,
        decided_by=user,
    )
    services.monitoring_schedule_generate(user, case=case, plan=plan)
    return plan


@pytest.fixture
def monitored(received, origin_officer, project):
    approve_plan(received, origin_officer, project)
    return case_transition(origin_officer, case=received, name="start_monitoring")


def principal(case):
    return case.members.get(is_principal=True).person
