from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.factories import MissionFactory, ProjectFactory
from awda.reintegration.models import CollectiveProject, Plan

from ..helpers import draft


def plan_url(plan, suffix=""):
    return f"/api/v1/reintegration/plans/{plan.pk}/{suffix}"


def test_discard_a_draft(returned_case, origin_officer, caseworker):
    plan = draft(origin_officer, returned_case)
    url = plan_url(plan, "discard/")
    denied = api_client(caseworker).post(url, {"version": plan.version}, format="json")
    assert denied.status_code == 403 and Plan.objects.filter(pk=plan.pk).exists()
    client = api_client(origin_officer)
    stale = client.post(url, {"version": plan.version + 1}, format="json")
    assert stale.status_code == 409 and Plan.objects.filter(pk=plan.pk).exists()
    done = client.post(url, {"version": plan.version}, format="json")
    assert done.status_code == 204 and not Plan.objects.exists()
    assert AuditEvent.objects.filter(action="reintegration.plan.discarded").count() == 1


def test_patch_the_project(returned_case, guinea, origin_officer):
    plan = draft(origin_officer, returned_case)
    gn = ProjectFactory(mission=guinea, code="REINT-GN", currency="GNF")
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind="origin")
    client = api_client(origin_officer)
    refused = client.patch(
        plan_url(plan),
        {"version": plan.version, "project": ProjectFactory(mission=mali).pk},
        format="json",
    )
    assert refused.status_code == 400 and set(error_of(refused)["fields"]) == {"project"}
    changed = client.patch(
        plan_url(plan), {"version": plan.version, "project": gn.pk}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["project"]["id"] == gn.pk and changed.json()["currency"] == "GNF"


def test_collective_project_rules_and_totals(returned_case, conakry, origin_officer):
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind="origin")
    client = api_client(origin_officer)
    body = {"office": conakry.pk, "name": "Kindia", "kind": "collective"}
    refused = client.post(
        "/api/v1/reintegration/collective-projects/",
        body | {"project": ProjectFactory(mission=mali).pk},
        format="json",
    )
    assert refused.status_code == 400 and not CollectiveProject.objects.exists()
    created = client.post(
        "/api/v1/reintegration/collective-projects/",
        body | {"project": returned_case.project_id},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    plan = draft(origin_officer, returned_case)
    client.patch(plan_url(plan), {"version": plan.version, "collective": pk}, format="json")
    row = client.get("/api/v1/reintegration/collective-projects/").json()["results"][0]
    assert row["participant_count"] == 1
    assert row["plans_totals"] == [{"currency": "EUR", "amount": "300.00"}]
