"""export_request: who may export, what is checked before anything is written, and what the
request records (the job, the audit event, the sealed password)."""

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.reports.exports import sealing, services
from awda.reports.exports.choices import JobStatus
from awda.reports.models import ExportJob, ExportTransfer

pytestmark = pytest.mark.django_db


def request(user, **kwargs):
    kwargs.setdefault("kind", "case_list")
    kwargs.setdefault("format", "csv")
    return services.export_request(user, **kwargs)


def nothing_written():
    return (
        not ExportJob.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="reports.export").exists()
    )


def test_me_officer_may_not_export_a_case_list(auditor, rabat_cases):
    with pytest.raises(PermissionDenied) as info:
        request(auditor)

    assert "aggregate figures only" in str(info.value.message)
    assert nothing_written()


def test_finance_exports_internally_but_may_not_send_outside(finance_officer, rabat_cases):
    assert request(finance_officer).status == JobStatus.QUEUED

    with pytest.raises(PermissionDenied):
        request(
            finance_officer,
            password="long-enough-1",
            leaves_organisation=True,
            recipient="Donor",
            purpose="donors",
        )
    assert ExportJob.objects.count() == 1


def test_request_queues_a_job_and_audits_filters_without_personal_data(
    caseworker, rabat, rabat_cases, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = request(
            caseworker,
            format="xlsx",
            params={"q": "Konaté", "status": ["registered"], "office": rabat.pk, "sort": "name"},
        )

    assert len(callbacks) == 1  # the task is sent after the commit
    assert job.status == JobStatus.QUEUED and job.created_by == caseworker
    assert job.params == {"q": "Konaté", "status": ["registered"], "office": rabat.pk}
    event = AuditEvent.objects.get(action=services.EXPORT_REQUESTED)
    assert event.actor == caseworker and event.object_id == str(job.pk)
    assert event.office_id == rabat.pk
    assert event.changes == {
        "kind": "case_list",
        "format": "xlsx",
        "filters": {"status": ["registered"], "office": rabat.pk, "search": True},
        "password_protected": False,
        "leaves_organisation": False,
    }
    assert "Konat" not in str(event.changes)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"colour": "red"}, "filters.colour"),
        ({"status": ["flying"]}, "filters.status"),
        ({"registered_from": "yesterday"}, "filters.registered_from"),
    ],
)
def test_invalid_filters_are_refused_not_ignored(caseworker, params, field):
    with pytest.raises(ValidationFailed) as info:
        request(caseworker, params=params)

    assert field in info.value.fields
    assert nothing_written()


def test_another_office_cannot_be_asked_for(caseworker, oujda, oujda_case):
    with pytest.raises(ValidationFailed) as info:
        request(caseworker, params={"office": oujda.pk})

    assert "filters.office" in info.value.fields
    assert nothing_written()


def test_unknown_format_and_short_password_are_refused(caseworker):
    with pytest.raises(ValidationFailed) as info:
        request(caseworker, format="pdf", password="short")

    assert set(info.value.fields) == {"format", "password"}
    assert nothing_written()


def test_leaving_the_organisation_needs_recipient_purpose_and_password(caseworker):
    with pytest.raises(ValidationFailed) as info:
        request(caseworker, leaves_organisation=True, purpose="avrr")

    assert set(info.value.fields) == {"recipient", "purpose", "password"}
    assert not ExportTransfer.objects.exists()
    assert nothing_written()


def test_password_is_sealed_in_the_job_and_never_stored_in_clear(caseworker, rabat_cases):
    job = request(caseworker, password="correct horse battery")

    stored = ExportJob.objects.get(pk=job.pk)
    assert stored.password_protected
    assert "correct horse" not in stored.password_token
    assert sealing.unseal(stored.password_token) == "correct horse battery"
    event = AuditEvent.objects.get(action=services.EXPORT_REQUESTED)
    assert "correct horse" not in str(event.changes)


def test_password_token_is_wiped_once_the_job_ran(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = request(caseworker, password="correct horse battery")

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.password_token == ""


def test_protected_xlsx_over_its_row_limit_is_refused_at_once(caseworker, rabat_cases, settings):
    settings.AWDA_EXPORT_PROTECTED_XLSX_MAX_ROWS = 4

    with pytest.raises(ValidationFailed) as info:
        request(caseworker, format="xlsx", password="long-enough-1")

    assert info.value.code == "too_many_rows"
    assert info.value.details == {"rows": 5, "limit": 4}
    assert nothing_written()
    # the same export as CSV (an encrypted ZIP, written as a stream) is accepted
    assert request(caseworker, format="csv", password="long-enough-1")


def test_unreachable_broker_fails_the_job_instead_of_leaving_it_queued(
    caseworker, rabat_cases, monkeypatch, django_capture_on_commit_callbacks
):
    from awda.reports import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(tasks.run_export, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = request(caseworker)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The background job service is unavailable: try again later."
