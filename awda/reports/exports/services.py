"""The one write path of exports: request a job, run it (the Celery task's body), hand the file to
its requester, purge expired files.

* `export_request` checks the policy and the input, creates the job (and, for an export that
  leaves the organisation, its transfer-log entry), audits it in the same transaction and
  enqueues the task on commit. Only the job id goes to the broker.
* `export_run` claims a queued job (an atomic queued -> running update, so a task delivered twice
  runs once), writes the file chunk by chunk under a temporary name, updating `progress` with an
  UPDATE per chunk, then renames it and marks the job done; on any error it deletes the partial
  file and marks the job failed with a message. The password token is wiped either way.
* `export_open` gives the requester the finished file and audits the download.

Audit events hold ids, codes, filters and counts, never personal data: the text searched for
(`q`, which may be a name) is recorded only as `"search": true`."""

import contextlib
import datetime
import logging
import os
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awda.audit.services import audit_record
from awda.cases.selectors import case_list_for
from awda.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed

from ..models import STALL_AFTER, ExportJob, ExportTransfer
from . import caselist, policies, sealing, writers
from .choices import EXTERNAL_PURPOSES, ExportFormat, ExportKind, JobStatus
from .filters import clean_filters, selector_kwargs

logger = logging.getLogger(__name__)

EXPORT_REQUESTED = "reports.export.requested"
EXPORT_TRANSFER_RECORDED = "reports.export.transfer_recorded"
EXPORT_COMPLETED = "reports.export.completed"
EXPORT_FAILED = "reports.export.failed"
EXPORT_DOWNLOADED = "reports.export.downloaded"

MIN_PASSWORD_LENGTH = 8
XLSX_MAX_ROWS = 1_048_575  # an Excel sheet holds 1,048,576 rows, one of them the header
PURGE_BATCH = 500


class ExportNotReady(ApplicationError):
    code = "export_not_ready"
    status = 409
    default_message = gettext_lazy("The export is not ready: wait until it is done.")


class ExportFailed(ApplicationError):
    code = "export_failed"
    status = 409
    default_message = gettext_lazy("This export failed: it has no file. Export again.")


class ExportExpired(ApplicationError):
    code = "export_expired"
    status = 410
    default_message = gettext_lazy(
        "This export has expired and its file was deleted: export again."
    )


def retention() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.AWDA_EXPORT_RETENTION_HOURS)


def protected_xlsx_max_rows() -> int:
    return settings.AWDA_EXPORT_PROTECTED_XLSX_MAX_ROWS


def _audit_filters(params: dict) -> dict:
    out = {k: v for k, v in params.items() if k != "q"}
    if params.get("q"):
        out["search"] = True
    return out


def _case_queryset(user, params: dict, *, purpose: str | None, day: datetime.date):
    qs = case_list_for(user, **selector_kwargs(params))
    return caselist.with_consent(qs, purpose, day) if purpose else qs


def _row_limit(fmt: str, protected: bool) -> int | None:
    limit = XLSX_MAX_ROWS if fmt == ExportFormat.XLSX else None
    if fmt == ExportFormat.XLSX and protected:
        limit = min(limit, protected_xlsx_max_rows())
    return limit


def _too_many_rows(count: int, limit: int, protected: bool) -> ValidationFailed:
    if protected and limit < XLSX_MAX_ROWS:
        message = _(
            "%(count)s cases match: a password-protected Excel file holds at most %(limit)s "
            "rows. Choose CSV (delivered as an encrypted ZIP) or narrow the filters."
        )
    else:
        message = _(
            "%(count)s cases match: an Excel sheet holds at most %(limit)s rows. Choose CSV or "
            "narrow the filters."
        )
    return ValidationFailed(
        message % {"count": f"{count:,}", "limit": f"{limit:,}"},
        code="too_many_rows",
        details={"rows": count, "limit": limit},
    )


def _enqueue(job_id: int) -> None:
    """Send the job to the broker (or run it now, in-process, when there is none). A broker that
    cannot be reached fails the job with a message instead of leaving it queued for ever."""
    from awda.reports.tasks import run_export

    try:
        run_export.delay(job_id)
    except Exception:
        logger.exception("Could not enqueue export %s", job_id)
        job = ExportJob.objects.filter(pk=job_id).first()
        if job is not None and job.status == JobStatus.QUEUED:
            with translation.override(job.language):
                _fail(job, _("The background job service is unavailable: try again later."))


def export_request(
    user,
    *,
    kind: str,
    format: str,
    params: dict | None = None,
    password: str | None = None,
    leaves_organisation: bool = False,
    recipient: str | None = None,
    purpose: str | None = None,
) -> ExportJob:
    """Create an export job and enqueue it (it runs after the transaction commits).

    `params` are the case list's filters (see filters.clean_filters). `password` protects the
    file (at least MIN_PASSWORD_LENGTH characters; required when `leaves_organisation`). An
    export that leaves the organisation names its `recipient` and `purpose` (one of
    choices.EXTERNAL_PURPOSES); it is logged as a bulk data transfer and holds only the cases
    whose principal applicant has a valid consent for that purpose today.

    Refused with PermissionDenied for a role that sees aggregates only (M&E: a case list
    carries names), and for an external export by a role that may not record data transfers."""
    if kind not in ExportKind.values:
        raise ValidationFailed(fields={"kind": [_("Unknown type of export.")]})
    if not policies.may_export_case_list(user):
        raise PermissionDenied(
            _(
                "Your role sees aggregate figures only: it cannot export case lists, which carry names."
            )
        )
    leaves_organisation = bool(leaves_organisation)
    if leaves_organisation and not policies.may_send_outside(user):
        raise PermissionDenied(
            _("Only roles that record data transfers may export data that leaves the organisation.")
        )
    errors: dict[str, list] = {}
    if format not in ExportFormat.values:
        errors["format"] = [_("Choose CSV or XLSX.")]
    try:
        params = clean_filters(user, params)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    password = password or ""
    if password and len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = [
            _("The password must have at least %(n)s characters.") % {"n": MIN_PASSWORD_LENGTH}
        ]
    recipient = (recipient or "").strip()
    purpose = (purpose or "").strip()
    if leaves_organisation:
        if not recipient:
            errors["recipient"] = [_("Say who receives the data.")]
        elif len(recipient) > 200:
            errors["recipient"] = [_("At most 200 characters.")]
        if purpose not in EXTERNAL_PURPOSES:
            errors["purpose"] = [_("Choose the purpose of the disclosure.")]
        if not password and "password" not in errors:
            errors["password"] = [
                _("An export that leaves the organisation must be protected by a password.")
            ]
    if errors:
        raise ValidationFailed(fields=errors)
    protected = bool(password)
    today = timezone.localdate()
    limit = _row_limit(format, protected)
    if limit is not None and limit < XLSX_MAX_ROWS:
        # Refused now rather than after the wait (one COUNT; the task checks again).
        count = _case_queryset(
            user, params, purpose=purpose if leaves_organisation else None, day=today
        ).count()
        if count > limit:
            raise _too_many_rows(count, limit, protected)
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind,
            format=format,
            params=params,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            password_protected=protected,
            password_token=sealing.seal(password) if protected else "",
            leaves_organisation=leaves_organisation,
            created_by=user,
            expires_at=timezone.now() + retention(),
        )
        audit_record(
            user,
            action=EXPORT_REQUESTED,
            obj=job,
            office_id=params.get("office"),
            changes={
                "kind": kind,
                "format": format,
                "filters": _audit_filters(params),
                "password_protected": protected,
                "leaves_organisation": leaves_organisation,
            },
        )
        if leaves_organisation:
            transfer = ExportTransfer.objects.create(
                job=job,
                recipient=recipient,
                purpose=purpose,
                categories=caselist.CATEGORIES,
                transferred_on=today,
                recorded_by=user,
            )
            audit_record(
                user,
                action=EXPORT_TRANSFER_RECORDED,
                obj=transfer,
                object_repr=recipient,
                changes={
                    "export": job.pk,
                    "recipient": recipient,
                    "purpose": purpose,
                    "categories": caselist.CATEGORIES,
                    "transferred_on": today,
                },
            )
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


# ---- the task ---------------------------------------------------------------------------------


def export_run(job_id: int) -> str:
    """Build the file of a queued job (the body of tasks.run_export). Returns the job's final
    status, or "" when the job was not queued (already run, or unknown)."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        logger.info("Export %s is not queued: nothing to do.", job_id)
        return ""
    job = ExportJob.objects.select_related("created_by", "transfer").get(pk=job_id)
    with translation.override(job.language):
        try:
            name, rows, size, excluded = _build(job)
        except Exception as exc:
            if isinstance(exc, ApplicationError):
                message = str(exc.message)
            else:
                logger.exception("Export %s failed", job_id)
                message = _(
                    "The export failed because of an unexpected error. Try again; if it fails "
                    "again, tell your administrator (export #%(id)s)."
                ) % {"id": job.pk}
            _fail(job, message, code=getattr(exc, "code", type(exc).__name__))
            return JobStatus.FAILED
    _finish(job, name=name, rows=rows, size=size, excluded=excluded)
    try:
        export_purge_expired()
    except Exception:  # the next export or the command will purge
        logger.exception("Purging expired exports failed")
    return JobStatus.DONE


def _build(job: ExportJob):
    user = job.created_by
    transfer = getattr(job, "transfer", None)
    if not policies.may_export_case_list(user):
        raise PermissionDenied(_("You are no longer allowed to export case lists."))
    if transfer is not None and not policies.may_send_outside(user):
        raise PermissionDenied(
            _("You are no longer allowed to export data that leaves the organisation.")
        )
    password = None
    if job.password_protected:
        try:
            password = sealing.unseal(job.password_token, max_age=retention())
        except sealing.InvalidToken:
            raise ApplicationError(
                _("The password of this export could not be read any more: export again."),
                code="password_unreadable",
            ) from None
    today = timezone.localdate()
    params = job.params or {}
    purpose = transfer.purpose if transfer else None
    queryset = _case_queryset(user, params, purpose=purpose, day=today)
    total = queryset.count()
    excluded = None
    if transfer is not None:
        excluded = _case_queryset(user, params, purpose=None, day=today).count() - total
    limit = _row_limit(job.format, job.password_protected)
    if limit is not None and total > limit:
        raise _too_many_rows(total, limit, job.password_protected)
    ExportJob.objects.filter(pk=job.pk).update(total=total)

    ext = writers.extension(job.format, protected=job.password_protected)
    name = writers.new_name(job.pk, ext)
    final = writers.path_of(name)
    part = final.with_name(final.name + ".part")
    writer = None
    try:
        writer = writers.open_writer(job.format, part, password=password, columns=caselist.COLUMNS)
        writer.header(caselist.COLUMNS)
        written = 0
        for chunk in caselist.chunks(queryset, today=today):
            writer.write(chunk)
            written += len(chunk)
            ExportJob.objects.filter(pk=job.pk).update(
                progress=written, heartbeat_at=timezone.now()
            )
        writer.close()
        writer = None
        os.replace(part, final)
    except BaseException:
        if writer is not None:
            writer.abort()
        part.unlink(missing_ok=True)
        raise
    return name, written, final.stat().st_size, excluded


def _finish(job: ExportJob, *, name: str, rows: int, size: int, excluded) -> None:
    now = timezone.now()
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            progress=rows,
            total=rows,
            file_name=name,
            file_size=size,
            finished_at=now,
            password_token="",
            error="",
        )
        transfer = getattr(job, "transfer", None)
        if transfer is not None:
            ExportTransfer.objects.filter(pk=transfer.pk).update(
                case_count=rows, excluded_count=excluded
            )
        audit_record(
            None,
            action=EXPORT_COMPLETED,
            obj=job,
            changes={
                "requested_by": job.created_by_id,
                "rows": rows,
                "size": size,
                **({"excluded_without_consent": excluded} if transfer is not None else {}),
            },
        )


def _fail(job: ExportJob, message: str, *, code: str = "") -> None:
    """Mark an unfinished job failed (a job that finished meanwhile is left as it is)."""
    with transaction.atomic():
        failed = ExportJob.objects.filter(
            pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).update(
            status=JobStatus.FAILED,
            error=str(message),
            file_name="",
            file_size=None,
            finished_at=timezone.now(),
            password_token="",
        )
        if failed:
            audit_record(
                None,
                action=EXPORT_FAILED,
                obj=job,
                changes={"requested_by": job.created_by_id, "code": code},
            )


# ---- download -----------------------------------------------------------------------------------


def download_name(job: ExportJob) -> str:
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    ext = writers.extension(job.format, protected=job.password_protected)
    return f"awda-cases-{stamp}-{job.pk}.{ext}"


def content_type(job: ExportJob) -> str:
    return writers.CONTENT_TYPES[writers.extension(job.format, protected=job.password_protected)]


def export_open(user, *, job: ExportJob):
    """The file of a finished export of `user` (from selectors.export_get_for), opened for
    reading, and audit the download. ExportNotReady (409) while it runs, ExportFailed (409)
    after a failure, ExportExpired (410) past its expiry."""
    if job.created_by_id != user.pk:
        raise NotFound()
    if not policies.may_export_case_list(user):
        raise PermissionDenied()
    if job.status == JobStatus.FAILED:
        raise ExportFailed()
    if job.status != JobStatus.DONE:
        raise ExportNotReady()
    if job.expired or not job.file_name:
        raise ExportExpired()
    try:
        handle = open(writers.path_of(job.file_name), "rb")  # noqa: SIM115 - FileResponse closes it
    except (OSError, ValueError):
        raise ExportExpired() from None
    audit_record(
        user,
        action=EXPORT_DOWNLOADED,
        obj=job,
        changes={
            "rows": job.progress,
            "format": job.format,
            "size": job.file_size,
            "password_protected": job.password_protected,
            "leaves_organisation": job.leaves_organisation,
        },
    )
    return handle


# ---- retention ----------------------------------------------------------------------------------


def export_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of expired exports (their rows stay, as the record of what was
    exported); fail the jobs that expired before they could finish and those whose worker
    stopped (running without progress for models.STALL_AFTER), wiping their password token.
    Returns the number of files deleted. Called after each export and by
    `manage.py exports_purge` (or the task tasks.purge_exports)."""
    now = now or timezone.now()
    deleted = 0
    expired = ExportJob.objects.filter(expires_at__lte=now).exclude(file_name="")
    for job in expired.only("pk", "file_name")[:PURGE_BATCH]:
        with contextlib.suppress(ValueError):  # not an export path: nothing of ours to delete
            writers.path_of(job.file_name).unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(file_name="")
        deleted += 1
    unfinished = ExportJob.objects.filter(
        Q(expires_at__lte=now, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        | Q(status=JobStatus.RUNNING, heartbeat_at__lte=now - STALL_AFTER)
    )
    for job in unfinished.only("pk", "language", "created_by_id", "expires_at")[:PURGE_BATCH]:
        with translation.override(job.language):
            if job.expires_at <= now:
                _fail(job, _("The export did not finish before it expired."), code="expired")
            else:
                _fail(
                    job,
                    _("The export stopped (its background worker was interrupted): export again."),
                    code="stalled",
                )
    return deleted
