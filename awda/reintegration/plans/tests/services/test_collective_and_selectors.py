import datetime
from decimal import Decimal

import pytest

from awda.accounts.choices import Role
from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import (
    MissionFactory,
    OfficeFactory,
    ProjectFactory,
    approve_plan_for,
    bring_case_to,
    member_of,
)
from awda.reintegration.models import CollectiveProject, ReintegrationFile
from awda.reintegration.plans import selectors, services

from ..helpers import draft, submitted


@pytest.fixture
def collective(conakry, origin_officer, returned_case):
    return services.collective_create(
        origin_officer,
        office=conakry,
        name="Kindia poultry farm",
        kind="collective",
        project=returned_case.project,
        location="Kindia",
    )


def test_collective_create_update_and_link(collective, origin_officer, returned_case):
    assert collective.mission_id == returned_case.receiving_mission_id
    assert AuditEvent.objects.filter(action="reintegration.collective.created").exists()
    updated = services.collective_update(
        origin_officer, collective=collective, expected_version=1, activity="Poultry"
    )
    assert updated.version == 2 and updated.activity == "Poultry"
    with pytest.raises(StaleEdit):
        services.collective_update(
            origin_officer, collective=collective, expected_version=1, name="x"
        )
    plan = draft(origin_officer, returned_case)
    plan = services.plan_update(
        origin_officer, plan=plan, expected_version=plan.version, collective=updated
    )
    assert plan.collective == updated
    row = selectors.collective_list_for(origin_officer).get()
    row = selectors.collective_totals([row])[0]
    assert row.participant_count == 1 and row.plans_totals == [("EUR", Decimal("300.00"))]
    assert list(selectors.collective_participants(updated)) == [plan]


def test_collective_errors_and_denials(conakry, rabat, origin_officer, caseworker, returned_case):
    with pytest.raises(ValidationFailed) as exc:
        services.collective_create(
            origin_officer, office=conakry, name="", kind="x", project=returned_case.project
        )
    assert set(exc.value.fields) == {"name", "kind"}
    with pytest.raises(PermissionDenied):
        services.collective_create(
            caseworker, office=rabat, name="A", kind="collective", project=returned_case.project
        )
    assert not CollectiveProject.objects.exists()
    assert selectors.collective_list_for(caseworker).count() == 0


def test_a_plan_links_only_to_a_collective_of_the_receiving_mission(returned_case, origin_officer):
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind="origin")
    bamako = OfficeFactory(mission=mali, code="BKO", name="Bamako")
    malian = member_of(bamako, Role.REINTEGRATION)
    other = services.collective_create(
        malian, office=bamako, name="Other", kind="community", project=ProjectFactory(mission=mali)
    )
    plan = draft(origin_officer, returned_case)
    with pytest.raises(ValidationFailed) as exc:
        services.plan_update(
            origin_officer, plan=plan, expected_version=plan.version, collective=other
        )
    assert "collective" in exc.value.fields
    assert selectors.collective_list_for(origin_officer).count() == 0


def test_plan_deadline_and_overdue(returned_case, origin_officer, origin_manager):
    file = ReintegrationFile.objects.get(case=returned_case)
    deadline = selectors.plan_deadline(returned_case)
    assert deadline.due_on == file.plan_due_on and not deadline.overdue
    late = selectors.plan_deadline(returned_case, today=file.plan_due_on + datetime.timedelta(1))
    assert late.overdue
    approve_plan_for(returned_case, origin_officer, origin_manager)
    done = selectors.plan_deadline(returned_case, today=file.plan_due_on + datetime.timedelta(1))
    assert done.approved and not done.overdue


def test_plans_awaiting_approval_are_those_of_the_managers_mission(
    returned_case, origin_officer, origin_manager, manager
):
    from awda.reintegration.models import ReintegrationCap

    ReintegrationCap.objects.create(project=returned_case.project, amount="485", currency="EUR")
    plan = submitted(origin_officer, returned_case)
    assert list(selectors.plans_awaiting_approval(origin_manager)) == [plan]
    assert not selectors.plans_awaiting_approval(manager).exists()
    assert not selectors.plans_awaiting_approval(origin_officer).exists()


def test_bring_case_to_monitoring_approves_a_plan(case, caseworker, manager, origin_officer):
    case = bring_case_to(
        case, "monitoring", caseworker=caseworker, manager=manager, origin=origin_officer
    )
    assert case.status == "monitoring"
    plan = selectors.current_plan(case)
    assert plan.created_by == origin_officer and plan.decided_by.username == "manager.cky"


def test_approve_plan_for_with_items(returned_case, origin_officer, origin_manager):
    plan = approve_plan_for(
        returned_case,
        origin_officer,
        origin_manager,
        items=[
            {
                "kind": "housing",
                "description": "Rent",
                "quantity": 3,
                "unit": "month",
                "unit_cost": "50",
            }
        ],
    )
    assert plan.status == "approved" and plan.total == Decimal("150.00")
