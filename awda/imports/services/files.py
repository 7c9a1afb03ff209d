"""The files of an import after it ran: the rejected-rows download (audited) and the purge of
old jobs' files (uploads and rejected rows hold personal data: kept AWDA_IMPORT_RETENTION_DAYS)."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.core.errors import ApplicationError, NotFound, PermissionDenied

from .. import policies, storage
from ..choices import JobStatus
from ..models import ImportJob

REJECTED_DOWNLOADED = "imports.job.rejected_downloaded"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class RejectedUnavailable(ApplicationError):
    code = "rejected_unavailable"
    status = 404


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "AWDA_IMPORT_RETENTION_DAYS", 30))


def rejected_extension(job: ImportJob) -> str:
    return job.rejected_path.rsplit(".", 1)[-1] if job.rejected_path else "csv"


def rejected_download_name(job: ImportJob) -> str:
    base = job.file_name.rsplit(".", 1)[0] or "import"
    return f"{base}-rejected-{job.pk}.{rejected_extension(job)}"


def rejected_content_type(job: ImportJob) -> str:
    return CONTENT_TYPES[rejected_extension(job)]


def import_open_rejected(user, *, job: ImportJob):
    """The rejected-rows file of a finished valid-rows-only import, opened for reading; the
    download is audited."""
    if not policies.may_see_job(user, job):
        raise NotFound()
    if not policies.may_import_in(user, job.office_id):
        raise PermissionDenied()
    if job.status != JobStatus.DONE or not job.rejected_path:
        raise RejectedUnavailable(_("This import has no rejected rows to download."))
    try:
        handle = open(storage.path_of(job.rejected_path), "rb")  # noqa: SIM115
    except (OSError, ValueError):
        raise RejectedUnavailable(
            _("The rejected-rows file was deleted (files are kept %(n)s days).")
            % {"n": retention().days}
        ) from None
    audit_record(
        user,
        action=REJECTED_DOWNLOADED,
        obj=job,
        office_id=job.office_id,
        changes={"rows": job.rejected},
    )
    return handle


def import_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the stored files (upload, rejected rows) of jobs older than the retention; the
    rows of the jobs stay as the record of what was imported. Returns the number of jobs."""
    now = now or timezone.now()
    old = ImportJob.objects.filter(created_at__lte=now - retention()).filter(
        ~Q(file_path="") | ~Q(rejected_path="")
    )
    count = 0
    for job in old.only("pk", "file_path", "rejected_path")[:500]:
        storage.delete(job.file_path)
        storage.delete(job.rejected_path)
        ImportJob.objects.filter(pk=job.pk).update(file_path="", rejected_path="")
        count += 1
    return count
