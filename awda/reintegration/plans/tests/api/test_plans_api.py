from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.reintegration.models import MonitoringVisit, Plan

from ..helpers import SHOP, draft, submitted


def case_url(case):
    return f"/api/v1/cases/{case.pk}/plans/"


def plan_url(plan, suffix=""):
    return f"/api/v1/reintegration/plans/{plan.pk}/{suffix}"


def test_draft_edit_and_read(returned_case, cap, origin_officer, caseworker):
    client = api_client(origin_officer)
    created = client.post(case_url(returned_case), {}, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["revision"] == 1 and data["currency"] == "EUR" and data["status"] == "draft"
    assert data["cap"]["entitled"] == "485.00"
    body = {
        "version": data["version"],
        "economic_summary": "Shop",
        "assistances": [{"kind": "micro_business", "description": "Stock"}],
        "items": [SHOP, SHOP | {"quantity": 1, "unit_cost": "35.50"}],
    }
    edited = client.patch(plan_url(Plan(pk=data["id"])), body, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json()["total"] == "335.50"
    assert [i["total"] for i in edited.json()["items"]] == ["300.00", "35.50"]
    assert edited.json()["assistances"][0]["category"] == "economic"
    listed = api_client(caseworker).get(case_url(returned_case))  # host caseworker reads
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == [data["id"]]
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=caseworker, changes__part="plan"
    ).exists()


def test_item_errors_are_named_by_row(returned_case, origin_officer):
    plan = draft(origin_officer, returned_case)
    body = {"version": plan.version, "items": [SHOP, SHOP | {"unit_cost": "abc"}]}
    response = api_client(origin_officer).patch(plan_url(plan), body, format="json")
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"items[1].unit_cost"}
    assert Plan.objects.get(pk=plan.pk).version == plan.version


def test_over_cap_refused_then_accepted_with_override(
    returned_case, cap, origin_officer, origin_manager
):
    plan = draft(origin_officer, returned_case, items=[SHOP | {"quantity": "4"}])  # 600 EUR
    officer = api_client(origin_officer)
    refused = officer.post(plan_url(plan, "submit/"), {"version": plan.version}, format="json")
    assert refused.status_code == 400
    error = error_of(refused)
    assert error["code"] == "over_cap" and error["details"]["cap"] == "485.00"
    assert Plan.objects.get(pk=plan.pk).status == "draft"
    denied = officer.post(
        plan_url(plan, "override/"), {"version": plan.version, "reason": "x"}, format="json"
    )
    assert denied.status_code == 403
    manager = api_client(origin_manager)
    overridden = manager.post(
        plan_url(plan, "override/"),
        {"version": plan.version, "reason": "Adapted shop for a disabled returnee"},
        format="json",
    )
    assert overridden.status_code == 200, overridden.json()
    version = overridden.json()["version"]
    done = officer.post(plan_url(plan, "submit/"), {"version": version}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    approved = manager.post(
        plan_url(plan, "approve/"), {"version": done.json()["version"]}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved" and approved.json()["override_reason"]


def test_approval_denials_change_nothing(returned_case, cap, origin_officer, manager, conakry):
    from awda.accounts.choices import Role
    from awda.factories import MissionFactory, OfficeFactory, member_of

    plan = submitted(origin_officer, returned_case)
    body = {"version": plan.version}
    host = api_client(manager).post(plan_url(plan, "approve/"), body, format="json")
    assert host.status_code == 403
    officer = api_client(origin_officer).post(plan_url(plan, "approve/"), body, format="json")
    assert officer.status_code == 403
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind="origin")
    stranger = member_of(OfficeFactory(mission=mali, code="BKO", name="Bamako"), Role.MANAGER)
    other = api_client(stranger).post(plan_url(plan, "approve/"), body, format="json")
    assert other.status_code == 404
    assert api_client(stranger).get(case_url(returned_case)).status_code == 404
    fresh = Plan.objects.get(pk=plan.pk)
    assert fresh.status == "submitted" and fresh.version == plan.version
    assert not MonitoringVisit.objects.exists()
    assert not AuditEvent.objects.filter(action="reintegration.plan.approved").exists()


def test_stale_version_is_409(returned_case, cap, origin_officer, origin_manager):
    plan = submitted(origin_officer, returned_case)
    response = api_client(origin_manager).post(
        plan_url(plan, "approve/"), {"version": plan.version - 1}, format="json"
    )
    assert response.status_code == 409 and error_of(response)["code"] == "stale_edit"
    response = api_client(origin_manager).post(
        plan_url(plan, "return/"), {"version": plan.version, "reason": "Quote"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "returned"


def test_revise(returned_case, origin_officer, origin_manager):
    from awda.factories import approve_plan_for

    plan = approve_plan_for(returned_case, origin_officer, origin_manager)
    response = api_client(origin_officer).post(plan_url(plan, "revise/"))
    assert response.status_code == 201, response.json()
    assert response.json()["revision"] == 2 and response.json()["previous"] == plan.pk


def test_collective_projects(returned_case, conakry, origin_officer, caseworker):
    client = api_client(origin_officer)
    body = {
        "office": conakry.pk,
        "name": "Kindia poultry",
        "kind": "collective",
        "project": returned_case.project_id,
    }
    created = client.post("/api/v1/reintegration/collective-projects/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    url = f"/api/v1/reintegration/collective-projects/{pk}/"
    stale = client.patch(url, {"version": 9, "name": "x"}, format="json")
    assert stale.status_code == 409
    edited = client.patch(url, {"version": 1, "location": "Kindia"}, format="json")
    assert edited.status_code == 200 and edited.json()["location"] == "Kindia"
    plan = draft(origin_officer, returned_case)
    linked = client.patch(
        plan_url(plan), {"version": plan.version, "collective": pk}, format="json"
    )
    assert linked.status_code == 200 and linked.json()["collective"] == pk
    detail = client.get(url).json()
    assert detail["participant_count"] == 1 and detail["participants"][0]["id"] == plan.pk
    assert client.get("/api/v1/reintegration/collective-projects/").json()["results"][0]["id"] == pk
    host = api_client(caseworker)
    assert host.get(url).status_code == 404
    assert (
        host.post("/api/v1/reintegration/collective-projects/", body, format="json").status_code
        == 403
    )


def test_the_endpoints_are_in_a_clean_schema(caseworker):
    from openapi_spec_validator import validate

    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    validate(schema)
    paths = schema["paths"]
    assert "/api/v1/cases/{case_pk}/plans/" in paths
    assert "/api/v1/reintegration/plans/{plan_pk}/override/" in paths
    assert "patch" in paths["/api/v1/reintegration/collective-projects/{collective_pk}/"]
