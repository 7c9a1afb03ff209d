from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.factories import (
    MissionFactory,
    OfficeFactory,
    OrganisationFactory,
    ProjectFactory,
    approve_plan_for,
)
from awda.reintegration.models import CollectiveProject, Plan, ReintegrationCap
from awda.reintegration.plans import services

from ..helpers import SHOP, draft
from .test_plan_pages import body, edit_data


def test_the_create_page_offers_the_projects_of_the_case_missions(
    client, returned_case, guinea, origin_officer
):
    gn = ProjectFactory(mission=guinea, code="REINT-GN", currency="GNF")
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind="origin")
    other = ProjectFactory(mission=mali, code="REINT-ML")
    client.force_login(origin_officer)
    url = reverse("reintegration:plan_create", args=[returned_case.pk])
    html = client.get(url).content.decode()
    assert "REINT-GN" in html and returned_case.project.code in html and "REINT-ML" not in html
    refused = client.post(url, {"project": other.pk})
    assert refused.status_code == 400 and not Plan.objects.exists()
    created = client.post(url, {"project": gn.pk})
    plan = Plan.objects.get()
    assert created.status_code == 302 and plan.project == gn and plan.currency == "GNF"


def test_the_edit_page_changes_project_and_currency(client, returned_case, guinea, origin_officer):
    plan = draft(origin_officer, returned_case)
    gn = ProjectFactory(mission=guinea, code="REINT-GN", currency="GNF")
    client.force_login(origin_officer)
    url = reverse("reintegration:plan_edit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert 'name="project"' in page and 'name="currency"' in page
    saved = client.post(url, edit_data(plan, items=[SHOP], project=gn.pk))
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert plan.project == gn and plan.currency == "GNF"
    saved = client.post(url, edit_data(plan, items=[SHOP], currency="EUR"))
    plan.refresh_from_db()
    assert saved.status_code == 302 and plan.project == gn and plan.currency == "EUR"


def test_a_cap_in_another_currency_is_not_compared(
    client, returned_case, origin_officer, origin_manager
):
    ReintegrationCap.objects.create(project=returned_case.project, amount="100", currency="USD")
    draft(origin_officer, returned_case)  # 300 EUR
    client.force_login(origin_manager)
    html = body(client, returned_case)
    assert 'data-testid="plan-cap-currency"' in html and 'data-currency="USD"' in html
    assert 'data-testid="plan-remaining"' not in html and 'id="plan-override"' not in html


def test_a_draft_is_discarded_from_the_tab(client, returned_case, origin_officer):
    plan = draft(origin_officer, returned_case)
    client.force_login(origin_officer)
    assert 'id="plan-discard"' in body(client, returned_case)
    url = reverse("reintegration:plan_discard", args=[plan.pk])
    stale = client.post(url, {"version": plan.version - 1})
    assert stale.status_code == 302 and Plan.objects.filter(pk=plan.pk).exists()
    done = client.post(url, {"version": plan.version})
    assert done.status_code == 302 and not Plan.objects.exists()
    assert 'id="plan-create"' in body(client, returned_case)


def test_a_superseded_revision_is_read_from_the_history(
    client, returned_case, origin_officer, origin_manager, other_office_user
):
    first = approve_plan_for(returned_case, origin_officer, origin_manager)
    revision = services.plan_revise(origin_officer, plan=first)
    revision = services.plan_update(
        origin_officer,
        plan=revision,
        expected_version=revision.version,
        items=[SHOP | {"quantity": "1", "unit_cost": "120.00"}],
    )
    revision = services.plan_submit(
        origin_officer, plan=revision, expected_version=revision.version
    )
    services.plan_approve(origin_manager, plan=revision, expected_version=revision.version)
    client.force_login(origin_manager)
    detail = reverse("reintegration:plan_detail", args=[first.pk])
    assert f'href="{detail}"' in body(client, returned_case)
    response = client.get(detail)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="plan-revision-status"' in html and 'data-status="superseded"' in html
    assert 'id="plan-revision-total"' in html and 'data-amount="300.00"' in html
    assert 'id="plan-revision-cap"' in html and str(origin_manager) in html
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=origin_manager, changes__part="plan"
    ).exists()
    client.force_login(other_office_user)
    assert client.get(detail).status_code == 404


def test_suppliers_offered_are_of_the_country_of_return(client, returned_case, origin_officer):
    OrganisationFactory(name="Conakry wholesale", country=returned_case.country_of_return)
    OrganisationFactory(name="Rabat wholesale", country="MA")
    plan = draft(origin_officer, returned_case)
    client.force_login(origin_officer)
    html = client.get(reverse("reintegration:plan_edit", args=[plan.pk])).content.decode()
    assert "Conakry wholesale" in html and "Rabat wholesale" not in html


def test_collective_pages_offer_only_allowed_offices_and_projects_and_need_the_version(
    client, returned_case, conakry, guinea, origin_officer
):
    OfficeFactory(mission=guinea, code="KKN", name="Kankan")
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind="origin")
    ProjectFactory(mission=mali, code="REINT-ML")
    client.force_login(origin_officer)
    html = client.get(reverse("reintegration:collective_new")).content.decode()
    assert "Conakry" in html and "Kankan" not in html
    assert returned_case.project.code in html and "REINT-ML" not in html
    collective = services.collective_create(
        origin_officer,
        office=conakry,
        name="Kindia poultry",
        kind="collective",
        project=returned_case.project,
    )
    url = reverse("reintegration:collective_detail", args=[collective.pk])
    no_version = client.post(
        url, {"name": "Renamed", "kind": "collective", "project": returned_case.project_id}
    )
    assert no_version.status_code == 400
    assert CollectiveProject.objects.get().name == "Kindia poultry"
