"""The export pages: the button and form from the case list, the job page and its polled progress
fragment, the download, "My exports"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.reports.exports import services
from awda.reports.exports.choices import JobStatus
from awda.reports.models import ExportJob

from .conftest import csv_rows

pytestmark = pytest.mark.django_db

NEW = reverse("reports:export_new")
HTMX = {"HTTP_HX_REQUEST": "true"}


def job_url(job, name="export_detail"):
    return reverse(f"reports:{name}", args=[job.pk])


def queued_job(user, capture, **kwargs):
    with capture(execute=False):
        return services.export_request(user, kind="case_list", format="csv", **kwargs)


def test_case_list_offers_the_export_with_its_filters(client, caseworker, rabat_cases):
    client.force_login(caseworker)

    response = client.get(reverse("cases:case_list"), {"nationality": "GN"})

    content = response.content.decode()
    assert 'data-testid="case-export"' in content
    assert f'href="{NEW}?nationality=GN"' in content
    assert 'hx-include="#case-filters"' in content


def test_case_list_of_an_me_officer_has_no_export_button(client, auditor):
    client.force_login(auditor)

    response = client.get(reverse("cases:case_list"))

    assert response.status_code == 403
    assert "case-export" not in response.content.decode()


def test_form_shows_how_many_cases_and_which_filters(client, caseworker, rabat_cases):
    client.force_login(caseworker)

    response = client.get(NEW, {"nationality": "GN", "sort": "name", "page": "2"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "2 cases match the filters of the list." in content
    assert "<strong>Nationality</strong>: Guinea" in content
    assert response.context["form"]["filters"].value() == "nationality=GN"
    assert "<html" in content


def test_htmx_from_the_case_list_gets_the_form_alone(client, caseworker, rabat_cases):
    client.force_login(caseworker)

    response = client.get(NEW, {"q": "", "nationality": "GN"}, **HTMX)

    content = response.content.decode()
    assert 'data-testid="export-form"' in content
    assert "<html" not in content


def test_posting_the_form_runs_the_export_and_shows_its_page(
    client, caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    client.force_login(caseworker)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            NEW, {"format": "csv", "filters": "nationality=GN&status=registered"}
        )

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert job.params == {"nationality": "GN", "status": ["registered"]}
    page = client.get(job_url(job)).content.decode()
    assert 'data-status="done"' in page
    assert job_url(job, "export_download") in page
    assert "hx-trigger" not in page  # finished: no polling


def test_form_errors_come_back_on_the_form_and_nothing_is_created(client, caseworker, rabat_cases):
    client.force_login(caseworker)

    response = client.post(
        NEW,
        {
            "format": "xlsx",
            "password": "long-enough-1",
            "password_confirm": "long-enough-2",
            "leaves_organisation": "on",
            "filters": "nationality=GN",
        },
    )

    assert response.status_code == 400
    assert "The two passwords differ." in response.content.decode()
    assert not ExportJob.objects.exists()

    response = client.post(
        NEW,
        {
            "format": "xlsx",
            "password": "long-enough-1",
            "password_confirm": "long-enough-1",
            "leaves_organisation": "on",
        },
    )

    assert response.status_code == 400
    assert "Say who receives the data." in response.content.decode()
    assert not ExportJob.objects.exists()


def test_me_officer_gets_403_on_the_export_form(client, auditor):
    client.force_login(auditor)

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"format": "csv"}).status_code == 403
    assert not ExportJob.objects.exists()


def test_progress_fragment_polls_every_second_until_the_job_is_finished(
    client, caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    client.force_login(caseworker)
    job = queued_job(caseworker, django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=2, total=5)

    running = client.get(job_url(job), **HTMX).content.decode()

    assert "<html" not in running
    assert 'hx-trigger="every 1s"' in running
    assert f'hx-get="{job_url(job)}"' in running
    assert 'aria-valuenow="40"' in running and "2 of 5 rows" in running

    services.export_run(job.pk)  # a running job is not claimed again
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    services.export_run(job.pk)

    done = client.get(job_url(job), **HTMX).content.decode()
    assert "hx-trigger" not in done
    assert 'aria-valuenow="100"' in done
    assert job_url(job, "export_download") in done


def test_failed_job_shows_its_message(client, caseworker, django_capture_on_commit_callbacks):
    client.force_login(caseworker)
    job = queued_job(caseworker, django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="Disk full.")

    content = client.get(job_url(job), **HTMX).content.decode()

    assert 'data-testid="export-error"' in content and "Disk full." in content
    assert "export_download" not in content and "hx-trigger" not in content


def test_owner_downloads_the_file_and_the_download_is_audited(
    client, caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    client.force_login(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(caseworker, kind="case_list", format="csv")

    response = client.get(job_url(job, "export_download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        "attachment" in response["Content-Disposition"]
        and ".csv" in response["Content-Disposition"]
    )
    rows = csv_rows(b"".join(response.streaming_content))
    assert len(rows) == 1 + len(rabat_cases)
    event = AuditEvent.objects.get(action=services.EXPORT_DOWNLOADED)
    assert event.actor == caseworker
    assert event.changes["rows"] == len(rabat_cases)


@pytest.mark.parametrize("name", ["export_detail", "export_download"])
def test_another_users_export_is_a_404(
    client, caseworker, colleague, rabat_cases, name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(caseworker, kind="case_list", format="csv")
    client.force_login(colleague)  # same office, same cases: still not their export

    assert client.get(job_url(job, name)).status_code == 404
    assert not AuditEvent.objects.filter(action=services.EXPORT_DOWNLOADED).exists()


def test_download_before_the_file_is_ready_goes_back_to_the_job_page(
    client, caseworker, django_capture_on_commit_callbacks
):
    client.force_login(caseworker)
    job = queued_job(caseworker, django_capture_on_commit_callbacks)

    response = client.get(job_url(job, "export_download"), follow=True)

    assert response.redirect_chain == [(job_url(job), 302)]
    assert "The export is not ready" in response.content.decode()
    assert not AuditEvent.objects.filter(action=services.EXPORT_DOWNLOADED).exists()


def test_expired_export_cannot_be_downloaded_and_its_file_is_purged(
    client, caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    from awda.reports.exports import writers

    client.force_login(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(caseworker, kind="case_list", format="csv")
    job.refresh_from_db()
    path = writers.path_of(job.file_name)
    ExportJob.objects.filter(pk=job.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = client.get(job_url(job, "export_download"), follow=True)
    assert "This export has expired" in response.content.decode()

    assert services.export_purge_expired() == 1
    assert not path.exists()
    assert ExportJob.objects.get(pk=job.pk).file_name == ""
    assert 'data-testid="export-expired"' in client.get(job_url(job)).content.decode()


def test_my_exports_lists_mine_only_in_a_fixed_number_of_queries(
    client,
    caseworker,
    colleague,
    rabat_cases,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    for _ in range(3):
        queued_job(caseworker, django_capture_on_commit_callbacks)
    queued_job(colleague, django_capture_on_commit_callbacks)
    client.force_login(caseworker)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:export_list"))

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="export-row"') == 3
    for _ in range(5):
        queued_job(caseworker, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:export_list"))
    assert response.content.decode().count('data-testid="export-row"') == 8


def test_pages_are_in_french_by_default(client, caseworker, rabat_cases, settings):
    settings.LANGUAGE_CODE = "fr"
    client.force_login(caseworker)

    response = client.get(NEW)

    assert '<html lang="fr"' in response.content.decode()


def test_admin_lists_jobs_read_only_without_the_password_token(
    client, caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    from awda.factories import UserFactory

    job = queued_job(caseworker, django_capture_on_commit_callbacks, password="long-enough-1")
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get(reverse("admin:reports_exportjob_changelist"))
    page = client.get(reverse("admin:reports_exportjob_change", args=[job.pk]))

    assert listing.status_code == 200 and page.status_code == 200
    token = ExportJob.objects.get(pk=job.pk).password_token
    assert token and token not in page.content.decode()
    assert client.get(reverse("admin:reports_exportjob_add")).status_code == 403
