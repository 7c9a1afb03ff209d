from decimal import Decimal

import pytest

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import bring_case_to
from awda.reintegration.models import MonitoringVisit, Plan, PlanItem, ReintegrationCap
from awda.reintegration.plans import selectors, services

from ..helpers import SHOP, draft, submitted


def actions(plan):
    return list(
        AuditEvent.objects.filter(object_id=str(plan.pk), object_type="reintegration.plan")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_draft_edit_submit_approve_generates_the_schedule(
    returned_case, cap, origin_officer, origin_manager
):
    plan = draft(origin_officer, returned_case)
    assert plan.revision == 1 and plan.currency == "EUR" and plan.total == Decimal("300.00")
    assert plan.assistances.get().category == "economic"
    assert plan.items.get().total == Decimal("300.00")
    plan = services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert plan.status == "submitted" and plan.cap_amount == Decimal("485.00")
    assert plan.cap_currency == "EUR" and returned_case.project.code in plan.cap_rule
    plan = services.plan_approve(origin_manager, plan=plan, expected_version=plan.version)
    assert plan.status == "approved" and plan.decided_by == origin_manager
    assert MonitoringVisit.objects.filter(case=returned_case, plan=plan).count() == 3
    assert actions(plan) == [
        "reintegration.plan.created",
        "reintegration.plan.updated",
        "reintegration.plan.submitted",
        "reintegration.plan.approved",
        "reintegration.monitoring.scheduled",
    ]
    event = AuditEvent.objects.get(action="reintegration.plan.approved")
    assert event.changes["own_plan"] is False and event.case_id == returned_case.pk
    assert selectors.current_plan(returned_case) == plan
    assert selectors.open_plan(returned_case) is None


def test_over_cap_is_refused_then_accepted_with_a_manager_override(
    returned_case, cap, origin_officer, origin_manager
):
    big = SHOP | {"quantity": "3", "unit_cost": "200.00"}  # 600 > 485
    plan = draft(origin_officer, returned_case, items=[big])
    with pytest.raises(ValidationFailed) as exc:
        services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert exc.value.code == "over_cap"
    assert "600.00 EUR" in str(exc.value.message) and "485.00 EUR" in str(exc.value.message)
    assert exc.value.details["rule"] == selectors_rule(returned_case)
    plan.refresh_from_db()
    assert plan.status == "draft"
    with pytest.raises(PermissionDenied):
        services.plan_override_cap(
            origin_officer, plan=plan, reason="Prosthesis", expected_version=plan.version
        )
    with pytest.raises(ValidationFailed) as exc:
        services.plan_override_cap(
            origin_manager, plan=plan, reason=" ", expected_version=plan.version
        )
    assert "reason" in exc.value.fields
    plan = services.plan_override_cap(
        origin_manager,
        plan=plan,
        reason="Disabled returnee: adapted shop",
        expected_version=plan.version,
    )
    event = AuditEvent.objects.get(action="reintegration.plan.cap_overridden")
    assert event.changes["total"] == "600.00 EUR" and event.changes["cap"] == "485.00 EUR"
    plan = services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    plan = services.plan_approve(origin_manager, plan=plan, expected_version=plan.version)
    assert plan.status == "approved" and plan.override_by == origin_manager


def selectors_rule(case):
    from awda.reintegration.plans.caps import cap_for

    return cap_for(case, case.project).rule


def test_an_override_lapses_when_the_total_changes(
    returned_case, cap, origin_officer, origin_manager
):
    plan = draft(origin_officer, returned_case, items=[SHOP | {"quantity": "4"}])
    plan = services.plan_override_cap(
        origin_manager, plan=plan, reason="Needed", expected_version=plan.version
    )
    plan = services.plan_update(
        origin_officer,
        plan=plan,
        expected_version=plan.version,
        items=[SHOP | {"quantity": "5"}],
    )
    assert plan.override_at is None and plan.override_reason == ""
    with pytest.raises(ValidationFailed) as exc:
        services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert exc.value.code == "over_cap"


def test_submission_needs_a_configured_cap_in_the_plan_currency(returned_case, origin_officer):
    plan = draft(origin_officer, returned_case)
    with pytest.raises(ValidationFailed) as exc:
        services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert exc.value.code == "no_cap" and returned_case.project.code in str(exc.value.message)
    ReintegrationCap.objects.create(project=returned_case.project, amount="5000000", currency="GNF")
    with pytest.raises(ValidationFailed) as exc:
        services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert exc.value.code == "currency_mismatch"
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.cap_amount is None


def test_submission_needs_assistance_and_items_unless_only_referrals(
    returned_case, cap, origin_officer
):
    plan = draft(origin_officer, returned_case, assistances=[], items=[])
    with pytest.raises(ValidationFailed) as exc:
        services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert exc.value.code == "plan_incomplete" and "assistances" in exc.value.fields
    plan = services.plan_update(
        origin_officer,
        plan=plan,
        expected_version=plan.version,
        assistances=[{"kind": "micro_business"}],
    )
    with pytest.raises(ValidationFailed) as exc:
        services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert "items" in exc.value.fields
    plan = services.plan_update(
        origin_officer,
        plan=plan,
        expected_version=plan.version,
        assistances=[{"kind": "medical", "description": "Prosthesis check", "referral": True}],
    )
    plan = services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert plan.status == "submitted" and plan.total == 0


def test_item_errors_name_the_row_and_field_and_nothing_changes(returned_case, origin_officer):
    plan = draft(origin_officer, returned_case)
    bad = [
        SHOP,
        SHOP | {"unit_cost": "-1"},
        SHOP | {"quantity": "0", "description": ""},
        SHOP | {"kind": "housing", "unit_cost": "1.234"},
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.plan_update(origin_officer, plan=plan, expected_version=plan.version, items=bad)
    assert set(exc.value.fields) == {
        "items[1].unit_cost",
        "items[2].quantity",
        "items[2].description",
        "items[3].kind",
        "items[3].unit_cost",
    }
    fresh = Plan.objects.get(pk=plan.pk)
    assert fresh.version == plan.version and fresh.total == Decimal("300.00")
    assert PlanItem.objects.filter(plan=plan).count() == 1


def test_totals_are_exact_to_the_cent(returned_case, origin_officer):
    items = [
        SHOP | {"quantity": "3", "unit_cost": "0.10"},
        SHOP | {"quantity": "1.5", "unit_cost": "33.33"},
    ]
    plan = draft(origin_officer, returned_case, items=items)
    assert [i.total for i in plan.items.order_by("id")] == [Decimal("0.30"), Decimal("50.00")]
    assert plan.total == Decimal("50.30")


def test_stale_version_is_refused(returned_case, cap, origin_officer):
    plan = draft(origin_officer, returned_case)
    with pytest.raises(StaleEdit):
        services.plan_update(
            origin_officer, plan=plan, expected_version=plan.version - 1, social_summary="x"
        )
    with pytest.raises(StaleEdit):
        services.plan_submit(origin_officer, plan=plan, expected_version=plan.version - 1)
    assert Plan.objects.get(pk=plan.pk).status == "draft"


def test_one_open_plan_per_case(returned_case, origin_officer):
    draft(origin_officer, returned_case)
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(origin_officer, case=returned_case)
    assert exc.value.code == "open_plan"
    assert Plan.objects.filter(case=returned_case).count() == 1


def test_a_plan_needs_an_accepted_handover_and_a_returned_case(
    case, caseworker, manager, origin_officer
):
    with pytest.raises(PermissionDenied):  # not handed over: the origin officer has no role
        services.plan_create(origin_officer, case=case)
    departed = bring_case_to(case, "departed", caseworker=caseworker, manager=manager)
    from awda.factories import accept_handover, hand_over_case

    departed = hand_over_case(departed, origin_officer.memberships.get().office.mission)
    departed = accept_handover(departed, origin_officer)
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(origin_officer, case=departed)
    assert exc.value.code == "case_status"
    assert not Plan.objects.exists()


def test_return_then_resubmit(returned_case, cap, origin_officer, origin_manager):
    plan = submitted(origin_officer, returned_case)
    with pytest.raises(ValidationFailed):
        services.plan_return(origin_manager, plan=plan, reason="", expected_version=plan.version)
    plan = services.plan_return(
        origin_manager, plan=plan, reason="Add a supplier quote", expected_version=plan.version
    )
    assert plan.status == "returned" and plan.return_reason == "Add a supplier quote"
    plan = services.plan_update(
        origin_officer, plan=plan, expected_version=plan.version, social_summary="Family ok"
    )
    plan = services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert plan.status == "submitted"


@pytest.mark.parametrize("who", ["host_manager", "origin_officer", "caseworker"])
def test_only_a_manager_of_the_receiving_mission_approves(
    returned_case, cap, origin_officer, manager, caseworker, who
):
    plan = submitted(origin_officer, returned_case)
    user = {"host_manager": manager, "origin_officer": origin_officer, "caseworker": caseworker}[
        who
    ]
    with pytest.raises(PermissionDenied):
        services.plan_approve(user, plan=plan, expected_version=plan.version)
    fresh = Plan.objects.get(pk=plan.pk)
    assert fresh.status == "submitted" and fresh.version == plan.version
    assert not MonitoringVisit.objects.exists()
    assert not AuditEvent.objects.filter(action="reintegration.plan.approved").exists()


def test_host_staff_cannot_record_plans(returned_case, manager, caseworker):
    for user in (manager, caseworker):
        with pytest.raises(PermissionDenied):
            services.plan_create(user, case=returned_case)
    assert not Plan.objects.exists()


def test_a_manager_approving_their_own_plan_is_recorded(returned_case, cap, origin_manager):
    plan = submitted(origin_manager, returned_case)
    services.plan_approve(origin_manager, plan=plan, expected_version=plan.version)
    event = AuditEvent.objects.get(action="reintegration.plan.approved")
    assert event.changes["own_plan"] is True


def test_revision_supersedes_the_approved_plan_when_approved(
    returned_case, cap, origin_officer, origin_manager
):
    first = submitted(origin_officer, returned_case)
    first = services.plan_approve(origin_manager, plan=first, expected_version=first.version)
    second = services.plan_revise(origin_officer, plan=first)
    assert second.revision == 2 and second.previous == first and second.status == "draft"
    assert second.total == first.total and second.items.count() == 1
    assert second.assistances.get().kind == "micro_business"
    with pytest.raises(ValidationFailed):
        services.plan_revise(origin_officer, plan=first)  # one open plan at a time
    assert selectors.current_plan(returned_case) == first
    second = services.plan_update(
        origin_officer,
        plan=second,
        expected_version=second.version,
        items=[SHOP, SHOP | {"description": "Fridge", "quantity": "1", "unit_cost": "100"}],
    )
    second = services.plan_submit(origin_officer, plan=second, expected_version=second.version)
    second = services.plan_approve(origin_manager, plan=second, expected_version=second.version)
    first.refresh_from_db()
    assert first.status == "superseded" and second.status == "approved"
    assert [p.revision for p in selectors.plan_history(returned_case)] == [2, 1]
    # the schedule is not duplicated by the revision
    assert MonitoringVisit.objects.filter(case=returned_case).count() == 3


def test_case_must_be_open(returned_case, origin_officer):
    Case.objects.filter(pk=returned_case.pk).update(status="closed")
    returned_case.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.plan_create(origin_officer, case=returned_case)
