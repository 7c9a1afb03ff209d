from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    FILE = "file", _("File (CSV, XLSX, Kobo export)")
    KOBO_API = "kobo_api", _("KoboToolbox server")


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PREVIEWED = "previewed", _("Checked")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    VALID_ONLY = "valid_only", _("Only the valid rows")


FINISHED_STATUSES = (JobStatus.DONE, JobStatus.FAILED)
# Before the import runs, the mapping may still change and the preview be redone.
EDITABLE_STATUSES = (JobStatus.UPLOADED, JobStatus.PREVIEWED, JobStatus.FAILED)
