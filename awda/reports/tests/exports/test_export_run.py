"""export_run (the task's body): the file holds exactly the case list's rows, in chunks of a fixed
number of queries, with progress; failures leave a failed job and no file."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awda.accounts.models import Membership
from awda.audit.models import AuditEvent
from awda.cases.selectors import case_list_for
from awda.reports.exports import caselist, services, writers
from awda.reports.exports.choices import JobStatus
from awda.reports.models import ExportJob
from awda.reports.tasks import run_export

from .conftest import csv_rows, file_bytes, run_request, xlsx_rows

pytestmark = pytest.mark.django_db

HEADER = [str(c.label) for c in caselist.COLUMNS]


def expected_rows(user, **filters):
    """The case list's rows for these filters, as the export should write them."""
    today = datetime.date.today()
    rows = []
    for case in case_list_for(user, **filters).order_by("-id"):
        p = case.principal
        rows.append(
            [
                case.number,
                case.get_status_display(),
                case.office.name,
                case.registered_on,
                case.nationality,
                case.country_of_return,
                case.project.code if case.project else None,
                case.member_count,
                p.family_name,
                p.given_name,
                p.get_sex_display(),
                p.date_of_birth,
                p.age_on(today),
                case.departed_on,
            ]
        )
    return rows


def as_csv(rows):
    return [[str(writers.csv_cell(v)) for v in row] for row in rows]


def request(user, capture, **kwargs):
    kwargs.setdefault("kind", "case_list")
    kwargs.setdefault("format", "csv")
    return run_request(capture, services.export_request, user, **kwargs)


def test_csv_holds_exactly_the_case_list(
    caseworker, rabat_cases, oujda_case, django_capture_on_commit_callbacks
):
    job = request(caseworker, django_capture_on_commit_callbacks)

    assert job.status == JobStatus.DONE
    rows = csv_rows(file_bytes(job))
    assert rows[0] == HEADER
    assert rows[1:] == as_csv(expected_rows(caseworker))
    assert len(rows) - 1 == len(rabat_cases) == job.progress == job.total
    assert "Oujda" not in file_bytes(job).decode("utf-8-sig")  # another office's case


def test_xlsx_holds_exactly_the_case_list(
    caseworker, rabat_cases, oujda_case, django_capture_on_commit_callbacks
):
    job = request(caseworker, django_capture_on_commit_callbacks, format="xlsx")

    assert job.status == JobStatus.DONE
    rows = xlsx_rows(file_bytes(job))
    assert rows[0] == HEADER
    expected = [[v if v != "" else None for v in row] for row in expected_rows(caseworker)]
    got = [[v.date() if isinstance(v, datetime.datetime) else v for v in row] for row in rows[1:]]
    assert got == expected


def test_filters_of_the_list_apply(caseworker, rabat_cases, django_capture_on_commit_callbacks):
    job = request(
        caseworker,
        django_capture_on_commit_callbacks,
        params={"nationality": "GN", "q": "camara"},
    )

    rows = csv_rows(file_bytes(job))[1:]
    assert rows == as_csv(expected_rows(caseworker, nationality="GN", query="camara"))
    assert [r[8] for r in rows] == ["Camara"]


def test_other_office_user_exports_none_of_rabat(
    other_office_user, rabat_cases, oujda_case, django_capture_on_commit_callbacks
):
    job = request(other_office_user, django_capture_on_commit_callbacks)

    rows = csv_rows(file_bytes(job))[1:]
    assert [r[0] for r in rows] == [oujda_case.number]


def test_formula_like_names_are_not_formulas(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    csv_job = request(caseworker, django_capture_on_commit_callbacks)
    xlsx_job = request(caseworker, django_capture_on_commit_callbacks, format="xlsx")

    assert "'=Sow" in [r[8] for r in csv_rows(file_bytes(csv_job))]
    assert "=Sow" in [r[8] for r in xlsx_rows(file_bytes(xlsx_job))]  # a string, not a formula


def test_a_fixed_number_of_queries_per_chunk(
    caseworker, rabat_cases, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(caselist, "CHUNK_ROWS", 2)
    with django_capture_on_commit_callbacks(execute=False):
        job = services.export_request(caseworker, kind="case_list", format="csv")

    with CaptureQueriesContext(connection) as ctx:
        services.export_run(job.pk)

    case_selects = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and "cases_case" in q["sql"]
    ]
    progress_updates = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("UPDATE")
        and '"progress"' in q["sql"]
        and "reports_exportjob" in q["sql"]
    ]
    # 5 rows by 2: three chunks (the last one short), plus the COUNT.
    assert len(case_selects) == 1 + 3
    assert len(progress_updates) == 3 + 1  # after each chunk, and the final one
    job.refresh_from_db()
    assert (job.status, job.progress, job.total) == (JobStatus.DONE, 5, 5)


def test_keyset_chunks_neither_skip_nor_repeat_cases(caseworker, rabat, monkeypatch):
    from awda.factories import register_case

    day = datetime.date.today() - datetime.timedelta(days=3)
    cases = [register_case(caseworker, rabat, registered_on=day) for _ in range(5)]
    monkeypatch.setattr(caselist, "CHUNK_ROWS", 2)

    chunks = list(caselist.chunks(case_list_for(caseworker), today=datetime.date.today()))

    numbers = [row[0] for chunk in chunks for row in chunk]
    assert numbers == [c.number for c in sorted(cases, key=lambda c: -c.pk)]
    assert [len(c) for c in chunks] == [2, 2, 1]


def test_rows_are_newest_entered_first_whatever_the_registration_date(
    caseworker, rabat, django_capture_on_commit_callbacks
):
    from awda.factories import register_case

    today = datetime.date.today()
    recent = register_case(caseworker, rabat, registered_on=today)
    backdated = register_case(caseworker, rabat, registered_on=today - datetime.timedelta(days=400))

    job = request(caseworker, django_capture_on_commit_callbacks)

    assert [r[0] for r in csv_rows(file_bytes(job))[1:]] == [backdated.number, recent.number]


def test_a_task_delivered_twice_runs_once(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    job = request(caseworker, django_capture_on_commit_callbacks)
    done_name = job.file_name

    assert run_export(job.pk) == ""
    job.refresh_from_db()
    assert job.file_name == done_name
    assert AuditEvent.objects.filter(action=services.EXPORT_COMPLETED).count() == 1


def test_failure_leaves_a_failed_job_with_a_message_and_no_file(
    caseworker, rabat_cases, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(caselist, "CHUNK_ROWS", 2)
    calls = {"n": 0}
    original = writers.CsvWriter.write

    def fail_on_second_chunk(self, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return original(self, rows)

    monkeypatch.setattr(writers.CsvWriter, "write", fail_on_second_chunk)

    job = request(caseworker, django_capture_on_commit_callbacks, password="long-enough-1")

    assert job.status == JobStatus.FAILED
    assert "unexpected error" in job.error and f"#{job.pk}" in job.error
    assert job.file_name == "" and job.password_token == ""
    assert list(writers.root().glob(f"{job.pk}-*")) == []  # no partial file left
    event = AuditEvent.objects.get(action=services.EXPORT_FAILED)
    assert event.changes == {"requested_by": caseworker.pk, "code": "OSError"}


def test_role_removed_before_the_run_fails_the_job(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.export_request(caseworker, kind="case_list", format="csv")
    Membership.objects.filter(user=caseworker).update(is_active=False)

    assert services.export_run(job.pk) == JobStatus.FAILED

    job.refresh_from_db()
    assert job.error == "You are no longer allowed to export case lists."
    assert not job.file_name


def test_more_rows_than_an_excel_sheet_holds_fails_with_a_message(
    caseworker, rabat_cases, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "XLSX_MAX_ROWS", 3)

    job = request(caseworker, django_capture_on_commit_callbacks, format="xlsx")

    assert job.status == JobStatus.FAILED
    assert "an Excel sheet holds at most 3 rows" in job.error
    assert ExportJob.objects.get(pk=job.pk).file_name == ""


def test_completion_is_audited_with_the_row_count(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    job = request(caseworker, django_capture_on_commit_callbacks)

    event = AuditEvent.objects.get(action=services.EXPORT_COMPLETED)
    assert event.object_id == str(job.pk)
    assert event.changes["rows"] == 5
    assert event.changes["requested_by"] == caseworker.pk
