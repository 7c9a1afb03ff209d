"""The imports pages: upload -> mapping -> preview -> start -> result, the rejected download,
the nav entry, and the refusals (roles without registration rights, other offices)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awda.cases.models import Case
from awda.imports.choices import JobStatus
from awda.imports.models import ImportJob

from .helpers import csv_bytes, good_rows

pytestmark = pytest.mark.django_db


def test_journey_upload_map_preview_import_download(
    client, caseworker, rabat, django_capture_on_commit_callbacks
):
    client.force_login(caseworker)
    assert b'data-testid="nav-imports"' in client.get(reverse("imports:list")).content
    rows = good_rows(6)
    rows[1][2] = "Q"
    data = csv_bytes(rows, header=["prenom", "nom", "sexe", "date_naissance", "pays", "tel"])
    response = client.post(
        reverse("imports:new"),
        {"file": SimpleUploadedFile("liste.csv", data), "office": rabat.pk, "source": ""},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:mapping", args=[job.pk])
    page = client.get(response.url)
    assert page.status_code == 200 and b'data-testid="mapping-table"' in page.content
    post = {f"col__{t}": c for t, c in job.mapping["columns"].items()}
    assert "principal.nationality" not in job.mapping["columns"]  # "pays": not recognised
    post["col__principal.nationality"] = "pays"
    post.update(
        {
            "member_group": "",
            "date_order": "dmy",
            "save_to_source": "on",
            "source_name": "Liste partenaire",
        }
    )
    # The value mapping: "Q" means female here.
    post.update({"vsrc__principal.sex__0": "Q", "vmap__principal.sex__0": "female"})
    response = client.post(reverse("imports:mapping", args=[job.pk]), post)
    content = response.content.decode()
    assert response.status_code == 302, content[content.find("mapping-form") :][:3000]
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED and (job.valid, job.invalid) == (6, 0)
    assert job.source.name == "Liste partenaire"
    detail = client.get(reverse("imports:detail", args=[job.pk]))
    assert b'data-testid="start-form"' in detail.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:start", args=[job.pk]), {"mode": "all_or_nothing"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Case.objects.count() == 6
    fragment = client.get(reverse("imports:detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert b'data-testid="result-created"' in fragment.content and b"<html" not in fragment.content


def test_preview_errors_are_listed_and_rejected_file_downloads(
    client, caseworker, rabat, django_capture_on_commit_callbacks
):
    client.force_login(caseworker)
    rows = good_rows(5)
    rows[3][3] = "not a date"
    client.post(
        reverse("imports:new"),
        {"file": SimpleUploadedFile("a.csv", csv_bytes(rows)), "office": rabat.pk},
    )
    job = ImportJob.objects.get()
    post = {f"col__{t}": c for t, c in job.mapping["columns"].items()}
    client.post(reverse("imports:mapping", args=[job.pk]), post)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'data-testid="error-row"' in page and "not a date" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:start", args=[job.pk]), {"mode": "valid_only"})
    response = client.get(reverse("imports:rejected", args=[job.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "errors" in body.splitlines()[0] and "not a date" in body


def test_auditor_gets_403_and_other_office_gets_404(
    client, auditor, other_office_user, caseworker, rabat
):
    client.force_login(auditor)
    assert client.get(reverse("imports:list")).status_code == 403
    assert client.get(reverse("imports:new")).status_code == 403
    client.force_login(caseworker)
    client.post(
        reverse("imports:new"),
        {"file": SimpleUploadedFile("a.csv", csv_bytes(good_rows(2))), "office": rabat.pk},
    )
    job = ImportJob.objects.get()
    client.force_login(other_office_user)
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert (
        client.post(reverse("imports:start", args=[job.pk]), {"mode": "valid_only"}).status_code
        == 404
    )


def test_unreadable_file_is_refused_with_a_message(client, caseworker, rabat):
    client.force_login(caseworker)
    response = client.post(
        reverse("imports:new"),
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4"), "office": rabat.pk},
    )
    assert response.status_code == 400 and ImportJob.objects.count() == 0
    assert b'data-testid="field-error"' in response.content
