"""Running an import: request it (a background job), claim it in the task, and commit it.

`import_commit` is the one write of an import. In ONE transaction it validates every row again
(the same validation as the preview), skips the rows whose key was imported before (and repeats
of a key within the file), allocates the case numbers in blocks from the registrations' own
sequence (`cases.services.case_numbers_reserve`, whose row lock is held until the transaction
ends), writes persons, identity documents, cases, members, imported-row records and one
"cases.case.registered" audit event per case (naming the import), chunk by chunk (COPY on
PostgreSQL, bulk_create elsewhere: services/bulk.py), with the duplicate-detection match keys of
the new persons, then marks the job done and audits it.
All-or-nothing: any invalid row makes it fail; valid rows only: the invalid rows go to the
rejected-rows file. Any error rolls everything back (nothing is half-written); a killed worker
takes its connection with it, so PostgreSQL rolls back too. Duplicate detection of the new
persons is requested after the commit."""

import contextlib
import logging
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.cases.services import case_numbers_reserve
from awda.core.errors import ApplicationError, PermissionDenied, ValidationFailed

from .. import policies, storage
from ..choices import ImportMode, JobStatus
from ..contract import CaseRecord
from ..models import ImportJob
from . import rows as rowbuild
from ._common import (
    checked,
    existing_keys,
    job_language,
    job_mapping,
    load_table,
    record_key,
)
from .rejected import RejectedWriter

logger = logging.getLogger(__name__)

IMPORT_REQUESTED = "imports.job.requested"
IMPORT_COMPLETED = "imports.job.completed"
IMPORT_FAILED = "imports.job.failed"

CHUNK = 20_000  # rows validated, then written, at a time


class ImportInvalidRows(ValidationFailed):
    code = "import_invalid_rows"


class ImportConflict(ApplicationError):
    code = "import_conflict"
    status = 409


def _enqueue(job_id: int) -> None:
    """Send the job to the broker (or run it now, in-process, when there is none). A broker that
    cannot be reached fails the job with a message instead of leaving it queued for ever."""
    from ..tasks import run_import

    try:
        run_import.delay(job_id)
    except Exception:
        logger.exception("Could not enqueue import %s", job_id)
        job = ImportJob.objects.filter(pk=job_id).first()
        if job is not None and job.status == JobStatus.QUEUED:
            with job_language(job):
                _fail(job, _("The background job service is unavailable: try again later."))


def fail_if_stalled(job: ImportJob) -> bool:
    """Mark a job whose worker stopped as failed (it may then be run again)."""
    if not job.stalled:
        return False
    with job_language(job):
        _fail(
            job,
            _(
                "The import stopped (its background worker was interrupted); nothing was "
                "written. Start it again."
            ),
            code="stalled",
        )
    job.refresh_from_db()
    return True


def import_request(user, *, job: ImportJob, mode: str) -> ImportJob:
    """Start the import of a checked job in `mode` (choices.ImportMode). Refused for
    all-or-nothing while the preview found invalid rows. A failed job (or one whose worker
    stopped) may be started again: the rows it imported are then skipped."""
    if not policies.may_import_in(user, job.office_id):
        raise PermissionDenied()
    if mode not in ImportMode.values:
        raise ValidationFailed(fields={"mode": [_("Choose all or nothing, or valid rows only.")]})
    fail_if_stalled(job)
    if job.status not in (JobStatus.PREVIEWED, JobStatus.FAILED) or not job.previewed_at:
        raise ImportConflict(
            _("Check the rows first (preview), then start the import.")
            if job.status == JobStatus.UPLOADED
            else _("This import has already been started."),
        )
    if mode == ImportMode.ALL_OR_NOTHING and job.invalid:
        raise ImportInvalidRows(
            _("%(n)s rows are invalid: correct the file, or import only the valid rows.")
            % {"n": job.invalid},
            fields={"mode": [_("Some rows are invalid.")]},
        )
    with transaction.atomic():
        updated = ImportJob.objects.filter(
            pk=job.pk, status__in=[JobStatus.PREVIEWED, JobStatus.FAILED]
        ).update(
            status=JobStatus.QUEUED,
            mode=mode,
            progress=0,
            error="",
            started_at=None,
            heartbeat_at=timezone.now(),
            finished_at=None,
        )
        if not updated:
            raise ImportConflict(_("This import has already been started."))
        audit_record(
            user,
            action=IMPORT_REQUESTED,
            obj=job,
            office_id=job.office_id,
            changes={"mode": mode, "file": job.file_name, "sha256": job.sha256},
        )
        transaction.on_commit(partial(_enqueue, job.pk))
    job.refresh_from_db()
    return job


def import_run(job_id: int) -> str:
    """The body of tasks.run_import: claim a queued job and commit it. Returns the final status,
    or "" when the job was not queued (already run, or unknown)."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, progress=0
    )
    if not claimed:
        logger.info("Import %s is not queued: nothing to do.", job_id)
        return ""
    job = ImportJob.objects.select_related("requested_by", "office__mission").get(pk=job_id)
    with job_language(job):
        try:
            import_commit(job)
        except Exception as exc:
            if isinstance(exc, ApplicationError):
                message = str(exc.message)
            elif isinstance(exc, IntegrityError):
                message = _(
                    "Some of these rows were imported by another import at the same time; "
                    "nothing was written. Start it again: the rows already imported will be "
                    "skipped."
                )
            else:
                logger.exception("Import %s failed", job_id)
                message = _(
                    "The import failed because of an unexpected error; nothing was written. Try "
                    "again; if it fails again, tell your administrator (import #%(id)s)."
                ) % {"id": job.pk}
            _fail(job, message, code=getattr(exc, "code", type(exc).__name__))
            return JobStatus.FAILED
    return JobStatus.DONE


def _fail(job: ImportJob, message: str, *, code: str = "") -> None:
    with transaction.atomic():
        failed = ImportJob.objects.filter(
            pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).update(status=JobStatus.FAILED, error=str(message), finished_at=timezone.now())
        if failed:
            audit_record(
                None,
                action=IMPORT_FAILED,
                obj=job,
                office_id=job.office_id,
                changes={"requested_by": job.requested_by_id, "code": code},
            )


# ---- progress -----------------------------------------------------------------------------------


class _Progress:
    """Progress and heartbeat of a running job, written outside the import's transaction so that
    the progress bar sees them: on PostgreSQL through a second connection (autocommit); on
    SQLite, which has one writer at a time, not at all until the end."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.conn = None
        if connection.vendor == "postgresql":
            try:
                import psycopg

                params = connection.get_connection_params()
                params.pop("cursor_factory", None)
                params.pop("context", None)
                params.pop("server_side_binding", None)
                self.conn = psycopg.connect(**params, autocommit=True)
            except Exception:  # noqa: BLE001 - progress is a nicety, never a reason to fail
                logger.warning("Import %s: no progress connection", job_id, exc_info=True)

    def update(self, processed: int) -> None:
        if self.conn is None:
            return
        try:
            self.conn.execute(
                f'UPDATE "{ImportJob._meta.db_table}" SET progress = %s, heartbeat_at = %s '  # noqa: S608
                "WHERE id = %s",
                [processed, timezone.now(), self.job_id],
            )
        except Exception:  # noqa: BLE001
            logger.warning("Import %s: progress not written", self.job_id, exc_info=True)

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()


# ---- the commit ---------------------------------------------------------------------------------


def _detect_duplicates_later(user, mission_id: int, person_ids: list[int]) -> None:
    from awda.accounts.models import Mission
    from awda.registry.duplicates.services import duplicates_detect_later

    try:
        duplicates_detect_later(
            user, mission=Mission.objects.get(pk=mission_id), person_ids=person_ids
        )
    except Exception:  # the import is committed; detection can be re-run
        logger.exception("Duplicate detection could not be requested")


class _Counts:
    def __init__(self):
        self.total = self.created = self.skipped = self.rejected = self.persons = 0
        self.invalid = 0


def import_commit(job: ImportJob) -> ImportJob:
    """Import the rows of `job` (claimed: status running) in one transaction; see the module
    docstring."""
    user = job.requested_by
    office = job.office
    if not policies.may_import_in(user, office.pk):
        raise PermissionDenied(_("You are no longer allowed to register cases in this office."))
    table = load_table(job)
    mapping = job_mapping(job)
    today = timezone.localdate()
    now = timezone.now()
    mode = job.mode or ImportMode.ALL_OR_NOTHING
    counts = _Counts()
    ImportJob.objects.filter(pk=job.pk).update(total=job.total or len(table.rows))
    rejected = None
    if mode == ImportMode.VALID_ONLY:
        fmt = "csv" if job.file_name.lower().endswith(".csv") else "xlsx"
        rejected = RejectedWriter(fmt=fmt, columns=table.columns, child_columns=table.child_columns)
    progress = _Progress(job.pk)
    rejected_name = ""
    new_person_ids: list[int] = []
    seen: set[str] = set()
    try:
        with transaction.atomic():
            tables = rowbuild.Tables(job=job, user=user, now=now)
            pending: list = []  # (row, result, key)

            def flush():
                before = existing_keys(job.mission_id, [k for _row, _res, k in pending])
                records = []
                for row, result, key in pending:
                    if key in before:
                        counts.skipped += 1
                    elif not isinstance(result, CaseRecord):
                        counts.invalid += 1
                        if mode == ImportMode.ALL_OR_NOTHING:
                            raise ImportInvalidRows(
                                _(
                                    "Row %(row)s is invalid (%(message)s): nothing was imported. "
                                    "Correct the file, or import only the valid rows."
                                )
                                % {"row": row.number, "message": result[0].message}
                            )
                        rejected.add(row, result)
                        counts.rejected += 1
                    elif key in seen:
                        counts.skipped += 1
                    else:
                        seen.add(key)
                        records.append(result)
                _write(records)
                counts.created += len(records)
                pending.clear()
                progress.update(counts.created + counts.skipped + counts.rejected)

            def _write(records):
                by_year: dict[int, list] = {}
                for r in records:
                    by_year.setdefault((r.registered_on or today).year, []).append(r)
                for year, group in sorted(by_year.items()):
                    numbers = case_numbers_reserve(office, year, len(group))
                    chunk = rowbuild.build_chunk(tables, group, numbers, job_id=job.pk, today=today)
                    chunk.write()
                    new_person_ids.extend(chunk.person_ids)
                    counts.persons += len(chunk.person_ids)

            for row, result in checked(table, mapping, today):
                counts.total += 1
                pending.append((row, result, record_key(row, result)))
                if len(pending) >= CHUNK:
                    flush()
            flush()
            if rejected is not None:
                rejected_name = rejected.finish()
                rejected = None
            finished = timezone.now()
            ImportJob.objects.filter(pk=job.pk).update(
                status=JobStatus.DONE,
                created=counts.created,
                skipped_existing=counts.skipped,
                rejected=counts.rejected,
                persons_created=counts.persons,
                progress=counts.total,
                total=counts.total,
                rejected_path=rejected_name,
                error="",
                finished_at=finished,
                heartbeat_at=finished,
            )
            audit_record(
                user,
                action=IMPORT_COMPLETED,
                obj=job,
                office_id=office.pk,
                changes={
                    "file": job.file_name,
                    "sha256": job.sha256,
                    "source": job.source_id,
                    "mode": mode,
                    "rows": counts.total,
                    "created": counts.created,
                    "persons": counts.persons,
                    "skipped_existing": counts.skipped,
                    "rejected": counts.rejected,
                },
            )
            if new_person_ids:
                transaction.on_commit(
                    partial(_detect_duplicates_later, user, job.mission_id, new_person_ids)
                )
    except BaseException:
        if rejected is not None:
            rejected.abort()
        storage.delete(rejected_name)  # finished, but the transaction did not commit
        raise
    finally:
        progress.close()
    job.refresh_from_db()
    return job
