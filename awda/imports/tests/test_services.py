"""The import services end to end on a Kobo export with household members and on CSV files:
preview, all-or-nothing, valid rows only with the rejected-rows file, idempotent re-import,
rollback on failure, audit, permissions. Runs on SQLite and PostgreSQL (DATABASE_URL)."""

import csv
import io

import openpyxl
import pytest

from awda.audit.models import AuditEvent
from awda.cases.models import Case, CaseMember
from awda.core.errors import NotFound, PermissionDenied
from awda.imports import selectors, services, storage
from awda.imports.choices import ImportMode, JobStatus
from awda.imports.models import ImportedRecord, ImportJob
from awda.imports.services import commit, rows
from awda.imports.tests.kobo_factory import expected_errors, make_kobo_export
from awda.registry.models import IdentityDocument, Person

from .helpers import csv_bytes, good_rows, run, upload

pytestmark = pytest.mark.django_db

ROWS, INVALID = 130, 12


@pytest.fixture(scope="module")
def kobo_export():
    return make_kobo_export(rows=ROWS, invalid=INVALID, members=True)


def _counts():
    return (
        Case.objects.count(),
        Person.objects.count(),
        CaseMember.objects.count(),
        IdentityDocument.objects.count(),
        ImportedRecord.objects.count(),
    )


def test_kobo_export_preview_import_valid_rows_then_reimport_creates_nothing(
    caseworker, rabat, kobo_export, django_capture_on_commit_callbacks
):
    job = upload(caseworker, rabat, kobo_export, name="export.xlsx")
    assert job.status == JobStatus.UPLOADED and len(job.sha256) == 64
    assert job.mapping["member_group"] == "group_members"
    job = services.import_preview(caseworker, job=job)
    assert (job.total, job.valid, job.invalid) == (ROWS, ROWS - INVALID, INVALID)
    by_row = {e["row"]: e["field"] for e in job.errors}
    assert by_row == expected_errors(ROWS, INVALID, True)
    assert all(e["message"] for e in job.errors)

    with pytest.raises(commit.ImportInvalidRows):
        services.import_request(caseworker, job=job, mode=ImportMode.ALL_OR_NOTHING)
    assert Case.objects.count() == 0

    job = run(django_capture_on_commit_callbacks, caseworker, job, ImportMode.VALID_ONLY)
    assert job.status == JobStatus.DONE, job.error
    assert (job.created, job.rejected, job.skipped_existing) == (ROWS - INVALID, INVALID, 0)
    cases = Case.objects.filter(office=rabat)
    assert cases.count() == ROWS - INVALID
    assert job.persons_created == Person.objects.count() > cases.count()  # members too
    assert CaseMember.objects.filter(is_principal=False).count() == Person.objects.count() - (
        ROWS - INVALID
    )
    numbers = sorted(cases.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) and numbers[0].startswith("MA-RBA-")

    # The rejected rows, in the file's format (XLSX), with an errors column.
    book = openpyxl.load_workbook(storage.path_of(job.rejected_path), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][-1] == "errors" and len(rows) == 1 + INVALID
    assert all(r[-1] for r in rows[1:])
    assert "group_members" in book.sheetnames[1]

    # Audit: who imported which file, how many; each case names its import.
    done = AuditEvent.objects.get(action=services.IMPORT_COMPLETED)
    assert done.actor == caseworker
    assert done.changes["sha256"] == job.sha256 and done.changes["created"] == ROWS - INVALID
    event = AuditEvent.objects.filter(action="cases.case.registered").first()
    assert event.changes["import"] == job.pk
    assert selectors.import_of_case(event.case_id) == job

    # The same file again: everything already imported, nothing created.
    before = _counts()
    again = services.import_preview(
        caseworker, job=upload(caseworker, rabat, kobo_export, name="export.xlsx")
    )
    # (+1: the invalid row repeating the first row's submission uuid is "already imported" too)
    assert again.already_imported == ROWS - INVALID + 1
    again = run(django_capture_on_commit_callbacks, caseworker, again, ImportMode.VALID_ONLY)
    assert again.status == JobStatus.DONE
    assert (again.created, again.skipped_existing) == (0, ROWS - INVALID + 1)
    assert _counts() == before


def test_all_or_nothing_with_one_bad_row_writes_nothing(caseworker, rabat):
    rows = good_rows(20)
    rows[7][2] = "Z"  # sex not recognised
    job = services.import_preview(caseworker, job=upload(caseworker, rabat, csv_bytes(rows)))
    assert (job.valid, job.invalid) == (19, 1)
    # Started anyway (the check of the request bypassed): the task refuses the whole file.
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, mode=ImportMode.ALL_OR_NOTHING
    )
    assert services.import_run(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert "Row 9" in job.error or "9" in job.error
    assert _counts() == (0, 0, 0, 0, 0)
    assert AuditEvent.objects.filter(action=services.IMPORT_FAILED).count() == 1


def test_all_or_nothing_clean_file_imports_everything(
    caseworker, rabat, django_capture_on_commit_callbacks
):
    job = services.import_preview(
        caseworker, job=upload(caseworker, rabat, csv_bytes(good_rows(25)))
    )
    job = run(django_capture_on_commit_callbacks, caseworker, job, ImportMode.ALL_OR_NOTHING)
    assert job.status == JobStatus.DONE and job.created == 25 and not job.rejected_path
    person = Person.objects.get(given_name="Given3")
    assert person.phone_digits == "224620000003" and person.nationality_alpha3 == "GIN"
    assert "given3 family3" in person.search_text


def test_valid_only_csv_rejected_file_is_csv_with_errors_column(
    caseworker, rabat, django_capture_on_commit_callbacks
):
    rows = good_rows(10)
    rows[2][3] = "31/02/1990"  # not a date
    rows[5][1] = ""  # family name missing
    job = services.import_preview(caseworker, job=upload(caseworker, rabat, csv_bytes(rows)))
    job = run(django_capture_on_commit_callbacks, caseworker, job, ImportMode.VALID_ONLY)
    assert (job.created, job.rejected) == (8, 2)
    handle = services.import_open_rejected(caseworker, job=job)
    text = handle.read().decode("utf-8-sig")
    handle.close()
    got = list(csv.reader(io.StringIO(text)))
    assert got[0] == [
        "given_name",
        "family_name",
        "sex",
        "date_of_birth",
        "nationality",
        "phone",
        "errors",
    ]
    assert [r[0] for r in got[1:]] == ["Given2", "Given5"]
    assert "date_of_birth" in got[1][-1] and "family_name" in got[2][-1]
    assert services.rejected_download_name(job).endswith(".csv")
    assert AuditEvent.objects.filter(action="imports.job.rejected_downloaded").count() == 1


def test_failure_mid_commit_rolls_everything_back(
    caseworker, rabat, monkeypatch, django_capture_on_commit_callbacks
):
    job = services.import_preview(
        caseworker, job=upload(caseworker, rabat, csv_bytes(good_rows(30)))
    )

    write = rows.Chunk.write

    def boom(chunk):
        write(chunk)
        assert Person.objects.count() == 30  # written, in the transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(rows.Chunk, "write", boom)
    job = run(django_capture_on_commit_callbacks, caseworker, job, ImportMode.VALID_ONLY)
    assert job.status == JobStatus.FAILED and "unexpected error" in job.error
    assert _counts() == (0, 0, 0, 0, 0)
    assert not AuditEvent.objects.filter(action="cases.case.registered").exists()
    assert not list(storage.root().glob("rejected-*"))
    # Run again once the cause is gone: it imports everything, once.
    monkeypatch.undo()
    job = run(django_capture_on_commit_callbacks, caseworker, job, ImportMode.VALID_ONLY)
    assert job.status == JobStatus.DONE and job.created == 30


def test_stalled_job_is_shown_failed_and_can_run_again(
    caseworker, rabat, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    job = services.import_preview(
        caseworker, job=upload(caseworker, rabat, csv_bytes(good_rows(5)))
    )
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        started_at=long_ago,
        heartbeat_at=long_ago,
        mode=ImportMode.VALID_ONLY,
    )
    job.refresh_from_db()
    assert job.stalled and job.shown_status == JobStatus.FAILED
    job = run(django_capture_on_commit_callbacks, caseworker, job, ImportMode.VALID_ONLY)
    assert job.status == JobStatus.DONE and job.created == 5


def test_duplicate_rows_within_a_file_are_created_once(
    caseworker, rabat, django_capture_on_commit_callbacks
):
    rows = good_rows(4) + good_rows(2)  # the first two rows again, identical
    job = services.import_preview(caseworker, job=upload(caseworker, rabat, csv_bytes(rows)))
    job = run(django_capture_on_commit_callbacks, caseworker, job, ImportMode.VALID_ONLY)
    assert Case.objects.count() == 4 and job.created + job.skipped_existing + job.rejected == 6


@pytest.mark.parametrize("persona", ["auditor", "medical_officer", "finance_officer"])
def test_roles_without_registration_rights_cannot_import(persona, request, rabat):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        upload(user, rabat, csv_bytes(good_rows(2)))
    assert ImportJob.objects.count() == 0


def test_other_office_cannot_see_or_run_the_job(caseworker, other_office_user, rabat, oujda):
    job = upload(caseworker, rabat, csv_bytes(good_rows(2)))
    with pytest.raises(NotFound):
        selectors.import_job_get_for(other_office_user, job.pk)
    with pytest.raises(PermissionDenied):
        services.import_preview(other_office_user, job=job)
    with pytest.raises(PermissionDenied):
        upload(caseworker, oujda, csv_bytes(good_rows(2)))
    job.refresh_from_db()
    assert job.status == JobStatus.UPLOADED


def test_mapping_saved_to_a_new_source_is_reused_for_the_next_file(caseworker, rabat):
    header = ["prenom_x", "nom_x", "genre", "ddn", "pays"]
    data = csv_bytes([["Awa", "Bah", "F", "01/02/1990", "GN"]], header=header)
    job = upload(caseworker, rabat, data)
    mapping = {
        "columns": {
            "principal.given_name": "prenom_x",
            "principal.family_name": "nom_x",
            "principal.sex": "genre",
            "principal.date_of_birth": "ddn",
            "principal.nationality": "pays",
        }
    }
    job = services.import_mapping_save(
        caseworker, job=job, mapping=mapping, source_name="Partner list"
    )
    assert job.source.name == "Partner list"
    assert job.source.column_mapping["principal.given_name"] == "prenom_x"
    next_job = upload(caseworker, rabat, data, source=job.source)
    assert next_job.mapping["columns"]["principal.family_name"] == "nom_x"
    next_job = services.import_preview(caseworker, job=next_job)
    assert next_job.valid == 1
