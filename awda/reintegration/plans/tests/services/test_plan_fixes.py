import datetime

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import MissionFactory, OrganisationFactory, ProjectFactory, approve_plan_for
from awda.reintegration.common import plan_overdue
from awda.reintegration.models import Plan, PlanItem, ReintegrationCap
from awda.reintegration.plans import services

from ..helpers import SHOP, draft

DAY = datetime.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("due", "approved", "today", "overdue"),
    [
        (DAY, False, DAY, False),  # due today: not yet
        (DAY, False, DAY + datetime.timedelta(1), True),
        (DAY, True, DAY + datetime.timedelta(1), False),  # an approved plan ends it
        (None, False, DAY, False),  # arrival not known
    ],
)
def test_plan_overdue_is_one_rule(due, approved, today, overdue):
    assert plan_overdue(due, approved, today) is overdue


def test_a_draft_changes_project_which_resets_currency_cap_and_override(
    returned_case, guinea, origin_officer, origin_manager
):
    plan = draft(origin_officer, returned_case, items=[SHOP | {"quantity": "4"}])  # 600 EUR
    with pytest.raises(ValidationFailed) as exc:
        services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert exc.value.code == "no_cap"  # the case's project has no cap: not a dead end any more
    ReintegrationCap.objects.create(project=returned_case.project, amount="485", currency="EUR")
    plan = services.plan_override_cap(
        origin_manager, plan=plan, reason="Adapted", expected_version=plan.version
    )
    assert plan.override_at and plan.cap_amount is not None
    gn = ProjectFactory(mission=guinea, code="REINT-GN", currency="GNF")
    ReintegrationCap.objects.create(project=gn, amount="9000000", currency="GNF")
    plan = services.plan_update(
        origin_officer, plan=plan, expected_version=plan.version, project=gn
    )
    assert plan.project == gn and plan.currency == "GNF"
    assert plan.cap_amount is None and plan.cap_currency == "" and plan.override_at is None
    event = AuditEvent.objects.filter(action="reintegration.plan.updated").latest("id")
    assert event.changes["project"] == gn.pk and event.changes["override_lapsed"] is True
    plan = services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    assert plan.status == "submitted" and plan.cap_currency == "GNF"


def test_a_project_of_another_mission_is_refused(returned_case, origin_officer):
    plan = draft(origin_officer, returned_case)
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind="origin")
    with pytest.raises(ValidationFailed) as exc:
        services.plan_update(
            origin_officer,
            plan=plan,
            expected_version=plan.version,
            project=ProjectFactory(mission=mali),
        )
    assert set(exc.value.fields) == {"project"}
    assert Plan.objects.get(pk=plan.pk).version == plan.version


def test_a_currency_change_clears_the_cap_kept_and_the_override(
    returned_case, cap, origin_officer, origin_manager
):
    plan = draft(origin_officer, returned_case, items=[SHOP | {"quantity": "4"}])
    plan = services.plan_override_cap(
        origin_manager, plan=plan, reason="Adapted", expected_version=plan.version
    )
    plan = services.plan_update(
        origin_officer, plan=plan, expected_version=plan.version, currency="USD"
    )
    assert plan.currency == "USD" and plan.override_at is None and plan.cap_amount is None


def test_discarding_the_first_draft_lets_a_new_plan_be_drafted(
    returned_case, guinea, origin_officer, caseworker
):
    plan = draft(origin_officer, returned_case)
    with pytest.raises(PermissionDenied):
        services.plan_discard(caseworker, plan=plan, expected_version=plan.version)
    with pytest.raises(StaleEdit):
        services.plan_discard(origin_officer, plan=plan, expected_version=plan.version - 1)
    assert Plan.objects.filter(pk=plan.pk).exists()
    services.plan_discard(origin_officer, plan=plan, expected_version=plan.version)
    assert not Plan.objects.filter(case=returned_case).exists()
    assert not PlanItem.objects.exists()
    event = AuditEvent.objects.get(action="reintegration.plan.discarded")
    assert event.case_id == returned_case.pk and event.changes["revision"] == 1
    gn = ProjectFactory(mission=guinea, code="REINT-GN")
    again = services.plan_create(origin_officer, case=returned_case, project=gn)
    assert again.revision == 1 and again.project == gn


def test_a_submitted_plan_is_not_discarded(returned_case, cap, origin_officer):
    plan = draft(origin_officer, returned_case)
    plan = services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    with pytest.raises(ValidationFailed) as exc:
        services.plan_discard(origin_officer, plan=plan, expected_version=plan.version)
    assert exc.value.code == "plan_status"
    assert Plan.objects.get(pk=plan.pk).status == "submitted"


def test_discarding_a_revision_keeps_the_approved_plan(
    returned_case, origin_officer, origin_manager
):
    approved = approve_plan_for(returned_case, origin_officer, origin_manager)
    revision = services.plan_revise(origin_officer, plan=approved)
    services.plan_discard(origin_officer, plan=revision, expected_version=revision.version)
    assert list(Plan.objects.filter(case=returned_case).values_list("pk", "status")) == [
        (approved.pk, "approved")
    ]
    with pytest.raises(ValidationFailed):
        services.plan_discard(origin_officer, plan=approved, expected_version=approved.version)


def test_a_supplier_is_active_and_of_the_country_of_return(returned_case, origin_officer):
    country = returned_case.country_of_return
    local = OrganisationFactory(name="Conakry wholesale", country=country)
    foreign = OrganisationFactory(name="Rabat wholesale", country="MA")
    closed = OrganisationFactory(name="Closed", country=country, is_active=False)
    plan = draft(origin_officer, returned_case, items=[SHOP | {"supplier": local.pk}])
    assert plan.items.get().supplier == local
    with pytest.raises(ValidationFailed) as exc:
        services.plan_update(
            origin_officer,
            plan=plan,
            expected_version=plan.version,
            items=[SHOP | {"supplier": foreign.pk}, SHOP | {"supplier": closed.pk}],
        )
    assert set(exc.value.fields) == {"items[0].supplier", "items[1].supplier"}
    assert Plan.objects.get(pk=plan.pk).items.get().supplier == local


def test_the_unit_is_required(returned_case, origin_officer):
    plan = draft(origin_officer, returned_case)
    with pytest.raises(ValidationFailed) as exc:
        services.plan_update(
            origin_officer,
            plan=plan,
            expected_version=plan.version,
            items=[SHOP | {"unit": "  "}],
        )
    assert set(exc.value.fields) == {"items[0].unit"}
    assert plan.items.get().unit == "lot"
