"""Retention: expired files are deleted, jobs that can no longer finish are failed (and their
password token wiped), a stalled job stops being polled."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.reports.exports import services, writers
from awda.reports.exports.choices import JobStatus
from awda.reports.models import ExportJob

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def queued(user, capture, **kwargs):
    with capture(execute=False):
        return services.export_request(user, kind="case_list", format="csv", **kwargs)


def test_command_deletes_expired_files_and_keeps_the_record(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        old = services.export_request(caseworker, kind="case_list", format="csv")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.export_request(caseworker, kind="case_list", format="xlsx")
    old.refresh_from_db()
    fresh.refresh_from_db()
    ExportJob.objects.filter(pk=old.pk).update(expires_at=ago(seconds=1))
    out = io.StringIO()

    call_command("exports_purge", stdout=out)

    assert "1 expired export file(s) deleted." in out.getvalue()
    assert not writers.path_of(old.file_name).exists()
    assert writers.path_of(fresh.file_name).exists()
    old.refresh_from_db()
    assert (old.status, old.file_name, old.progress) == (JobStatus.DONE, "", len(rabat_cases))


def test_a_job_that_expired_before_running_is_failed_and_its_token_wiped(
    caseworker, django_capture_on_commit_callbacks
):
    job = queued(caseworker, django_capture_on_commit_callbacks, password="long-enough-1")
    ExportJob.objects.filter(pk=job.pk).update(expires_at=ago(seconds=1))

    services.export_purge_expired()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The export did not finish before it expired."
    assert job.password_token == ""
    assert AuditEvent.objects.get(action=services.EXPORT_FAILED).changes["code"] == "expired"


def test_a_stalled_job_stops_polling_and_is_failed_by_the_purge(
    client, caseworker, django_capture_on_commit_callbacks
):
    job = queued(caseworker, django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=ago(hours=1), heartbeat_at=ago(minutes=31)
    )
    client.force_login(caseworker)
    url = reverse("reports:export_detail", args=[job.pk])

    fragment = client.get(url, **HTMX).content.decode()

    assert 'data-testid="export-stalled"' in fragment and "hx-trigger" not in fragment
    services.export_purge_expired()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "its background worker was interrupted" in job.error


def test_a_running_job_with_recent_progress_is_left_alone(
    caseworker, django_capture_on_commit_callbacks
):
    job = queued(caseworker, django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=ago(hours=2), heartbeat_at=ago(minutes=1)
    )

    services.export_purge_expired()

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and not job.stalled


def test_progress_updates_keep_the_job_alive(
    caseworker, rabat_cases, monkeypatch, django_capture_on_commit_callbacks
):
    from awda.reports.exports import caselist

    monkeypatch.setattr(caselist, "CHUNK_ROWS", 2)
    job = queued(caseworker, django_capture_on_commit_callbacks)
    beats = []
    original = writers.CsvWriter.write

    def record_heartbeat(self, rows):
        beats.append(ExportJob.objects.get(pk=job.pk).heartbeat_at)
        return original(self, rows)

    monkeypatch.setattr(writers.CsvWriter, "write", record_heartbeat)

    services.export_run(job.pk)

    assert len(beats) == 3 and all(beats)
    assert beats == sorted(beats)
