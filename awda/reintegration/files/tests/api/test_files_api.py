import datetime

import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from awda.core.api.testing import api_client, error_of
from awda.reintegration.models import Assessment, MonitoringVisit, Reception, ReintegrationFile

from ..conftest import principal

TODAY = timezone.localdate


def base(case):
    return f"/api/v1/cases/{case.pk}"


def test_accept_and_read_the_file(arrived, origin_officer, conakry):
    client = api_client(origin_officer)
    body = client.get(f"{base(arrived)}/reintegration/").json()
    assert body["accepted"] is False and body["office"] is None
    response = client.post(
        f"{base(arrived)}/reintegration/accept/",
        {"office": conakry.pk, "officer": origin_officer.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["accepted"] and data["office"]["code"] == "CKY"
    assert data["officer"]["username"] == origin_officer.username
    assert data["arrived_on"] and data["plan_due_on"] and data["overdue"] is False
    again = client.post(f"{base(arrived)}/reintegration/accept/", {"office": conakry.pk})
    assert again.status_code == 400 and error_of(again)["code"] == "already_accepted"


def test_assign_with_a_stale_version_is_409(accepted, origin_officer, origin_manager):
    client = api_client(origin_officer)
    url = f"{base(accepted)}/reintegration/assign/"
    ok = client.post(url, {"officer": origin_manager.pk, "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["officer"]["id"] == origin_manager.pk
    stale = client.post(url, {"officer": None, "version": 1}, format="json")
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_edit"
    assert ReintegrationFile.objects.get(case=accepted).officer == origin_manager


def test_reception_put_records_then_corrects(accepted, origin_officer):
    client = api_client(origin_officer)
    url = f"{base(accepted)}/reception/"
    assert client.get(url).status_code == 404
    body = {"received_on": TODAY().isoformat(), "airport_reception": True, "met_by": "Fatou"}
    created = client.put(url, body, format="json")
    assert created.status_code == 200, created.json()
    assert created.json()["version"] == 1
    file = client.get(f"{base(accepted)}/reintegration/").json()
    assert file["case_status"] == "reintegration" and file["reception"]["met_by"] == "Fatou"
    fixed = client.put(url, body | {"met_by": "Awa", "version": 1}, format="json")
    assert fixed.status_code == 200 and fixed.json()["version"] == 2
    stale = client.put(url, body | {"met_by": "X", "version": 1}, format="json")
    assert stale.status_code == 409
    assert Reception.objects.get(case=accepted).met_by == "Awa"


def test_assessments_list_create_and_patch(received, origin_officer):
    client = api_client(origin_officer)
    url = f"{base(received)}/assessments/"
    bad = client.post(
        url,
        {"person": principal(received).pk, "kind": "risk", "assessed_on": TODAY().isoformat()},
        format="json",
    )
    assert bad.status_code == 400 and "level" in error_of(bad)["fields"]
    created = client.post(
        url,
        {
            "person": principal(received).pk,
            "kind": "risk",
            "assessed_on": TODAY().isoformat(),
            "level": "low",
            "findings": "Calm area",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert client.get(url).json()["results"][0]["id"] == pk
    patch_url = f"/api/v1/reintegration/assessments/{pk}/"
    ok = client.patch(patch_url, {"level": "high", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["level"] == "high"
    assert ok.json()["findings"] == "Calm area"
    stale = client.patch(patch_url, {"level": "low", "version": 1}, format="json")
    assert stale.status_code == 409
    missing = client.patch(patch_url, {"level": "low"}, format="json")
    assert missing.status_code == 400
    assert Assessment.objects.get(pk=pk).level == "high"


def test_visits_list_add_record_reschedule_cancel(monitored, origin_officer):
    client = api_client(origin_officer)
    url = f"{base(monitored)}/visits/"
    rows = client.get(url).json()["results"]
    assert [r["months"] for r in rows] == [3, 6, 12] and rows[0]["overdue"] is False
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    added = client.post(url, {"due_on": tomorrow, "mode": "call"}, format="json")
    assert added.status_code == 201, added.json()
    extra = added.json()["id"]
    v = f"/api/v1/reintegration/visits/{extra}"
    moved = client.post(f"{v}/reschedule/", {"due_on": tomorrow, "version": 1}, format="json")
    assert moved.status_code == 200 and moved.json()["version"] == 2
    cancelled = client.post(f"{v}/cancel/", {"reason": "Merged", "version": 2}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    first = rows[0]["id"]
    recorded = client.post(
        f"/api/v1/reintegration/visits/{first}/record/",
        {
            "version": 1,
            "status": "done",
            "conducted_on": TODAY().isoformat(),
            "outcome": "Shop open",
            "activity_status": "running",
        },
        format="json",
    )
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["status"] == "done"


def test_workspace_counts_and_a_queue(accepted, origin_officer):
    client = api_client(origin_officer)
    body = client.get("/api/v1/reintegration/workspace/").json()
    counts = {q["name"]: q["count"] for q in body["queues"]}
    assert counts["reception"] == 1 and "approval" not in counts
    one = client.get("/api/v1/reintegration/workspace/", {"queue": "reception"}).json()
    assert len(one["queues"]) == 1
    assert one["queues"][0]["rows"][0]["case_number"] == accepted.number
    bad = client.get("/api/v1/reintegration/workspace/", {"queue": "nope"})
    assert bad.status_code == 400


@pytest.mark.parametrize("persona", ["caseworker", "manager", "finance_officer"])
def test_host_staff_view_but_may_not_record(request, monitored, persona):
    user = request.getfixturevalue(persona)
    client = api_client(user)
    assert client.get(f"{base(monitored)}/reintegration/").status_code == 200
    assert client.get(f"{base(monitored)}/assessments/").status_code == 200
    assert client.get(f"{base(monitored)}/visits/").status_code == 200
    visit = MonitoringVisit.objects.filter(case=monitored).first()
    writes = [
        ("put", f"{base(monitored)}/reception/", {"received_on": TODAY().isoformat()}),
        (
            "post",
            f"{base(monitored)}/assessments/",
            {
                "person": principal(monitored).pk,
                "kind": "family",
                "assessed_on": TODAY().isoformat(),
                "findings": "x",
            },
        ),
        ("post", f"{base(monitored)}/visits/", {"due_on": TODAY().isoformat()}),
        ("post", f"/api/v1/reintegration/visits/{visit.pk}/cancel/", {"reason": "x", "version": 1}),
        ("post", f"{base(monitored)}/reintegration/assign/", {"officer": None, "version": 1}),
    ]
    for method, url, data in writes:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 403, (url, response.json())
    assert Reception.objects.get(case=monitored).version == 1
    assert not Assessment.objects.filter(case=monitored).exists()
    assert MonitoringVisit.objects.filter(case=monitored, status="planned").count() == 3
    assert client.get("/api/v1/reintegration/workspace/").status_code == 403


def test_conakry_officer_gets_404_before_the_handover(case, origin_officer, conakry):
    client = api_client(origin_officer)
    assert client.get(f"{base(case)}/reintegration/").status_code == 404
    response = client.post(f"{base(case)}/reintegration/accept/", {"office": conakry.pk})
    assert response.status_code == 404
    assert not ReintegrationFile.objects.exists()


def test_an_officer_of_another_origin_mission_gets_404(monitored):
    from awda.accounts.choices import MissionKind, Role
    from awda.factories import MissionFactory, OfficeFactory, member_of

    senegal = MissionFactory(code="SN", name="Senegal", kind=MissionKind.ORIGIN)
    dakar_officer = member_of(OfficeFactory(mission=senegal, code="DKR"), Role.REINTEGRATION)
    visit = MonitoringVisit.objects.filter(case=monitored).first()
    client = api_client(dakar_officer)
    response = client.post(
        f"/api/v1/reintegration/visits/{visit.pk}/cancel/", {"reason": "x", "version": 1}
    )
    assert response.status_code == 404
    assert client.get(f"{base(monitored)}/visits/").status_code == 404
    assert MonitoringVisit.objects.get(pk=visit.pk).status == "planned"


def test_the_schema_is_valid_and_lists_the_endpoints(caseworker):
    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    validate(schema)
    for path in (
        "/api/v1/cases/{case_pk}/reintegration/",
        "/api/v1/cases/{case_pk}/reintegration/accept/",
        "/api/v1/cases/{case_pk}/reintegration/assign/",
        "/api/v1/cases/{case_pk}/reception/",
        "/api/v1/cases/{case_pk}/assessments/",
        "/api/v1/reintegration/assessments/{assessment_pk}/",
        "/api/v1/cases/{case_pk}/visits/",
        "/api/v1/reintegration/visits/{visit_pk}/record/",
        "/api/v1/reintegration/visits/{visit_pk}/reschedule/",
        "/api/v1/reintegration/visits/{visit_pk}/cancel/",
        "/api/v1/reintegration/workspace/",
    ):
        assert path in schema["paths"], path
