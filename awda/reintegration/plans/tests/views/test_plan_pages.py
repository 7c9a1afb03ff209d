from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.factories import approve_plan_for
from awda.reintegration.models import CollectiveProject, MonitoringVisit, Plan
from awda.reintegration.plans import services

from ..helpers import SHOP, draft, submitted


def tab_url(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=plan"


def body(client, case):
    response = client.get(tab_url(case))
    assert response.status_code == 200
    return response.content.decode()


def edit_data(plan, *, items=(), kinds=("micro_business",), **extra):
    data = {
        "version": plan.version,
        "project": plan.project_id,
        "currency": plan.currency,
        "economic_summary": "Corner shop",
        "social_summary": "",
        "psychosocial_summary": "",
        "collective": "",
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "100",
    }
    for kind in kinds:
        data[f"a-{kind}-on"] = "on"
    for i, item in enumerate(items):
        for key, value in item.items():
            data[f"items-{i}-{key}"] = value
    data.update(extra)
    return data


def test_officer_creates_edits_and_submits_from_the_pages(
    client, returned_case, cap, origin_officer
):
    client.force_login(origin_officer)
    html = body(client, returned_case)
    assert 'id="plan-create"' in html and 'data-testid="plan-due-on"' in html
    create_url = reverse("reintegration:plan_create", args=[returned_case.pk])
    assert client.get(create_url).status_code == 200
    created = client.post(create_url, {"project": returned_case.project_id})
    plan = Plan.objects.get(case=returned_case)
    assert created.status_code == 302 and created.url == reverse(
        "reintegration:plan_edit", args=[plan.pk]
    )
    page = client.get(created.url)
    assert page.status_code == 200 and 'id="plan-form"' in page.content.decode()
    items = [SHOP, SHOP | {"description": "Shelves", "quantity": "1", "unit_cost": "85.50"}]
    saved = client.post(created.url, edit_data(plan, items=items))
    assert saved.status_code == 302, saved.content.decode()[:3000]
    plan.refresh_from_db()
    assert plan.total == Decimal("385.50") and plan.items.count() == 2
    html = body(client, returned_case)
    assert 'id="plan-total"' in html and 'data-amount="385.50"' in html
    assert 'id="plan-cap"' in html and 'data-amount="485.00"' in html and 'data-over="0"' in html
    assert 'id="plan-submit"' in html and 'id="plan-approve"' not in html
    done = client.post(
        reverse("reintegration:plan_submit", args=[plan.pk]), {"version": plan.version}
    )
    assert done.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == "submitted"


def test_row_errors_come_back_on_the_row(client, returned_case, origin_officer):
    plan = draft(origin_officer, returned_case)
    client.force_login(origin_officer)
    url = reverse("reintegration:plan_edit", args=[plan.pk])
    bad = [SHOP, SHOP | {"unit_cost": "-3"}]
    response = client.post(url, edit_data(plan, items=bad))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-row="1"' in html and "invalid-feedback" in html
    assert Plan.objects.get(pk=plan.pk).version == plan.version
    stale = client.post(url, edit_data(plan, items=[SHOP], version=plan.version - 1))
    assert stale.status_code == 409


def test_add_row_keeps_the_rows_and_saves_nothing(client, returned_case, origin_officer):
    plan = draft(origin_officer, returned_case)
    client.force_login(origin_officer)
    url = reverse("reintegration:plan_edit", args=[plan.pk])
    response = client.post(url, edit_data(plan, items=[SHOP], add_row="1"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="plan-item-row"') == 2
    assert Plan.objects.get(pk=plan.pk).version == plan.version


def test_manager_overrides_and_approves(client, returned_case, cap, origin_officer, origin_manager):
    plan = draft(origin_officer, returned_case, items=[SHOP | {"quantity": "4"}])
    client.force_login(origin_manager)
    html = body(client, returned_case)
    assert 'data-over="1"' in html and 'id="plan-override"' in html
    response = client.post(
        reverse("reintegration:plan_override", args=[plan.pk]),
        {"override-version": plan.version, "override-reason": "Adapted shop"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.override_reason == "Adapted shop"
    plan = services.plan_submit(origin_officer, plan=plan, expected_version=plan.version)
    html = body(client, returned_case)
    assert 'id="plan-approve"' in html and 'id="plan-return-button"' in html
    client.post(reverse("reintegration:plan_approve", args=[plan.pk]), {"version": plan.version})
    assert Plan.objects.get(pk=plan.pk).status == "approved"
    assert MonitoringVisit.objects.filter(plan=plan).exists()
    html = body(client, returned_case)
    assert 'id="plan-current"' in html and 'id="plan-revise"' in html


def test_host_manager_sees_the_plan_but_no_buttons_and_cannot_approve(
    client, returned_case, cap, origin_officer, manager
):
    plan = submitted(origin_officer, returned_case)
    client.force_login(manager)
    html = body(client, returned_case)
    assert 'id="plan-status"' in html and 'id="plan-approve"' not in html
    response = client.post(
        reverse("reintegration:plan_approve", args=[plan.pk]), {"version": plan.version}
    )
    assert response.status_code == 403
    assert Plan.objects.get(pk=plan.pk).status == "submitted"
    assert client.get(reverse("reintegration:plan_edit", args=[plan.pk])).status_code == 403
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=manager, changes__part="plan"
    ).exists()


def test_other_office_gets_404(client, returned_case, other_office_user, origin_officer):
    plan = draft(origin_officer, returned_case)
    client.force_login(other_office_user)
    assert client.get(tab_url(returned_case)).status_code == 404
    assert client.get(reverse("reintegration:plan_edit", args=[plan.pk])).status_code == 404
    url = reverse("reintegration:plan_submit", args=[plan.pk])
    assert client.post(url, {"version": plan.version}).status_code == 404
    assert Plan.objects.get(pk=plan.pk).status == "draft"


def test_the_tab_needs_a_fixed_number_of_queries(
    client, returned_case, origin_officer, origin_manager
):
    def count():
        client.force_login(origin_manager)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(tab_url(returned_case)).status_code == 200
        return len(ctx.captured_queries)

    first = approve_plan_for(returned_case, origin_officer, origin_manager)
    revision = services.plan_revise(origin_officer, plan=first)
    few = count()
    services.plan_update(
        origin_officer,
        plan=revision,
        expected_version=revision.version,
        items=[SHOP | {"description": f"Item {i}"} for i in range(8)],
    )
    assert count() == few


def test_collective_pages(
    client, returned_case, conakry, origin_officer, caseworker, django_assert_max_num_queries
):
    client.force_login(origin_officer)
    assert client.get(reverse("reintegration:collective_list")).status_code == 200
    response = client.post(
        reverse("reintegration:collective_new"),
        {
            "name": "Kindia poultry",
            "kind": "collective",
            "office": conakry.pk,
            "project": returned_case.project_id,
        },
    )
    collective = CollectiveProject.objects.get()
    assert response.status_code == 302
    detail = reverse("reintegration:collective_detail", args=[collective.pk])
    edited = client.post(
        detail,
        {
            "name": "Kindia poultry farm",
            "kind": "community",
            "project": returned_case.project_id,
            "version": collective.version,
        },
    )
    assert edited.status_code == 302
    assert CollectiveProject.objects.get().kind == "community"
    for i in range(3):
        services.collective_create(
            origin_officer,
            office=conakry,
            name=f"P{i}",
            kind="collective",
            project=returned_case.project,
        )
    with django_assert_max_num_queries(12):
        html = client.get(reverse("reintegration:collective_list")).content.decode()
    assert html.count('data-testid="collective-row"') == 4
    client.force_login(caseworker)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("reintegration:collective_new")).status_code == 403
