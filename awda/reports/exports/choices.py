from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.screening.consent.choices import Purpose


class ExportKind(models.TextChoices):
    """What an export job produces (one runner per kind, see exports.runner)."""

    CASE_LIST = "case_list", _("Case list")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED_STATUSES = (JobStatus.DONE, JobStatus.FAILED)

# The purposes for which a case list may leave the organisation: disclosures to a third party
# (not "processing for the return" itself, and never health data: a case list holds none).
EXTERNAL_PURPOSES = (
    Purpose.CONSULATE,
    Purpose.AUTHORITIES,
    Purpose.UNHCR,
    Purpose.ORIGIN_MISSION,
    Purpose.SERVICE_PROVIDERS,
    Purpose.DONORS,
)
