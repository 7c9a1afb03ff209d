"""The imports API: upload (multipart), mapping get/put, preview, errors, start, status,
rejected download, sources CRUD (token never returned), scoping; and the schema is valid."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from awda.cases.models import Case
from awda.imports.models import ImportSource

from .helpers import csv_bytes, good_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(caseworker):
    client = APIClient()
    client.force_authenticate(caseworker)
    return client


def test_upload_preview_start_and_download(api, rabat, django_capture_on_commit_callbacks):
    rows = good_rows(8)
    rows[4][2] = "?"
    response = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("a.csv", csv_bytes(rows)), "office": rabat.pk},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    job = response.json()
    assert job["status"] == "uploaded" and len(job["sha256"]) == 64
    url = f"/api/v1/imports/{job['id']}/"
    mapping = api.get(url + "mapping/").json()
    assert mapping["columns"]["principal.given_name"] == "given_name"
    put = api.put(url + "mapping/", {**mapping, "save_to_source": False}, format="json")
    assert put.status_code == 200, put.json()
    preview = api.post(url + "preview/").json()
    assert (preview["valid"], preview["invalid"]) == (7, 1)
    errors = api.get(url + "errors/?limit=10").json()
    assert errors["count"] == 1 and errors["results"][0]["row"] == 6
    refused = api.post(url + "start/", {"mode": "all_or_nothing"}, format="json")
    assert refused.status_code == 400 and Case.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(url + "start/", {"mode": "valid_only"}, format="json")
    assert started.status_code == 202
    done = api.get(url).json()
    assert done["status"] == "done" and done["created"] == 7 and done["rejected_url"]
    download = api.get(url + "rejected/")
    assert download.status_code == 200
    assert b"errors" in b"".join(download.streaming_content)


def test_sources_crud_token_is_never_returned(manager, rabat):
    client = APIClient()
    client.force_authenticate(manager)
    response = client.post(
        "/api/v1/imports/sources/",
        {
            "name": "Kobo Rabat",
            "kind": "kobo_api",
            "office": rabat.pk,
            "kobo_url": "https://kf.kobotoolbox.org",
            "kobo_asset_uid": "aBc123",
            "kobo_token": "secret-token-123",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["has_token"] is True and "kobo_token" not in body
    source = ImportSource.objects.get()
    assert "secret-token-123" not in source.kobo_token
    patch = client.patch(
        f"/api/v1/imports/sources/{source.pk}/", {"name": "Kobo RBA"}, format="json"
    )
    assert patch.status_code == 200 and patch.json()["name"] == "Kobo RBA"
    assert client.delete(f"/api/v1/imports/sources/{source.pk}/").status_code == 204


def test_caseworker_may_not_save_a_kobo_server(api, rabat):
    response = api.post(
        "/api/v1/imports/sources/",
        {
            "name": "K",
            "kind": "kobo_api",
            "office": rabat.pk,
            "kobo_url": "https://k.org",
            "kobo_token": "t",
        },
        format="json",
    )
    assert response.status_code == 403 and ImportSource.objects.count() == 0


def test_other_office_job_is_404_and_auditor_403(api, rabat, other_office_user, auditor):
    job = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("a.csv", csv_bytes(good_rows(2))), "office": rabat.pk},
        format="multipart",
    ).json()
    other = APIClient()
    other.force_authenticate(other_office_user)
    assert other.get(f"/api/v1/imports/{job['id']}/").status_code == 404
    me = APIClient()
    me.force_authenticate(auditor)
    assert me.get("/api/v1/imports/").status_code == 403


def test_schema_is_valid(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
