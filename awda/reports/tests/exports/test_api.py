"""The export API: create a job, follow it, download it; scoped to its requester."""

import pytest

from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.reports.exports import services
from awda.reports.models import ExportJob

from .conftest import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

LIST = "/api/v1/reports/exports/"


def detail(pk):
    return f"{LIST}{pk}/"


def create(client, capture, body):
    with capture(execute=True):
        return client.post(LIST, body, format="json")


def test_create_runs_the_export_and_returns_the_job_with_its_download_url(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    client = api_client(caseworker)

    response = create(
        client,
        django_capture_on_commit_callbacks,
        {"format": "xlsx", "filters": {"nationality": "GN", "status": ["registered"]}},
    )

    assert response.status_code == 201, response.json()
    job = ExportJob.objects.get()
    assert response["Location"] == detail(job.pk)
    assert response.json()["id"] == job.pk
    # (the test's transaction delays the task until the response is built: read the job again)
    body = client.get(detail(job.pk)).json()
    assert body["status"] == "done"
    assert body["filters"] == {"nationality": "GN", "status": ["registered"]}
    assert (body["progress"], body["total"], body["percent"]) == (2, 2, 100)
    assert body["download_url"] == f"http://testserver{detail(job.pk)}download/"
    assert body["transfer"] is None and "password" not in body

    download = client.get(body["download_url"])
    assert download.status_code == 200
    rows = xlsx_rows(b"".join(download.streaming_content))
    assert [r[4] for r in rows[1:]] == ["GN", "GN"]
    assert AuditEvent.objects.filter(action=services.EXPORT_DOWNLOADED).count() == 1


def test_retrieve_follows_a_queued_job(caseworker, django_capture_on_commit_callbacks):
    client = api_client(caseworker)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(LIST, {"format": "csv"}, format="json")
    job_id = response.json()["id"]

    body = client.get(detail(job_id)).json()

    assert body["status"] == "queued"
    assert body["download_url"] is None and body["total"] is None
    download = client.get(f"{detail(job_id)}download/")
    assert download.status_code == 409
    assert error_of(download)["code"] == "export_not_ready"


def test_external_export_returns_its_transfer_record(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    from awda.screening.consent.services import consent_record

    case = rabat_cases[0]
    consent_record(caseworker, case=case, person=case.principal, purpose="unhcr", language="fr")

    response = create(
        api_client(caseworker),
        django_capture_on_commit_callbacks,
        {
            "format": "csv",
            "password": "for-unhcr-only-1",
            "leaves_organisation": True,
            "recipient": "UNHCR Rabat",
            "purpose": "unhcr",
        },
    )

    assert response.status_code == 201, response.json()
    body = api_client(caseworker).get(detail(response.json()["id"])).json()
    assert body["password_protected"] and body["leaves_organisation"]
    assert body["transfer"] == {
        "recipient": "UNHCR Rabat",
        "purpose": "unhcr",
        "categories": ["identity", "case"],
        "case_count": 1,
        "excluded_count": 4,
        "transferred_on": body["transfer"]["transferred_on"],
    }
    assert body["download_url"].endswith("/download/")


def test_validation_errors_use_the_api_error_shape(caseworker, oujda):
    client = api_client(caseworker)

    response = client.post(
        LIST,
        {"format": "csv", "filters": {"office": oujda.pk}, "leaves_organisation": True},
        format="json",
    )

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert {"filters.office", "recipient", "purpose", "password"} <= set(error["fields"])
    assert not ExportJob.objects.exists()


def test_me_officer_is_refused_with_403(auditor):
    response = api_client(auditor).post(LIST, {"format": "csv"}, format="json")

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert not ExportJob.objects.exists()


def test_another_user_gets_404_for_the_job_and_its_file(
    caseworker, colleague, rabat_cases, django_capture_on_commit_callbacks
):
    response = create(api_client(caseworker), django_capture_on_commit_callbacks, {"format": "csv"})
    job_id = response.json()["id"]
    other = api_client(colleague)

    for url in (detail(job_id), f"{detail(job_id)}download/"):
        answer = other.get(url)
        assert answer.status_code == 404
        assert error_of(answer)["code"] == "not_found"
    assert other.get(LIST).json()["results"] == []
    assert not AuditEvent.objects.filter(action=services.EXPORT_DOWNLOADED).exists()


def test_list_returns_my_exports_newest_first(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    client = api_client(caseworker)
    first = create(client, django_capture_on_commit_callbacks, {"format": "csv"}).json()
    second = create(client, django_capture_on_commit_callbacks, {"format": "xlsx"}).json()

    body = client.get(LIST).json()

    assert [j["id"] for j in body["results"]] == [second["id"], first["id"]]
    download = client.get(body["results"][1]["download_url"])
    assert len(csv_rows(b"".join(download.streaming_content))) == 1 + len(rabat_cases)


def test_endpoints_are_in_the_schema(caseworker):
    response = api_client(caseworker).get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    ops = {
        op["operationId"]
        for path in response.json()["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert {
        "reports_exports_list",
        "reports_exports_create",
        "reports_exports_retrieve",
        "reports_exports_download",
    } <= ops
