"""Imports: saved sources (a file layout or a KoboToolbox form, with its mapping), import jobs (one
uploaded file or one pull of Kobo submissions, checked then imported in the background), and the
record of every imported row (its stable key), which makes re-imports create nothing twice."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import FINISHED_STATUSES, ImportMode, JobStatus, SourceKind

# A running import whose heartbeat is older than this is considered stopped (its worker was
# killed: its transaction was rolled back with its connection). It is shown as failed and may be
# run again. On PostgreSQL the heartbeat is written after every chunk (a few seconds); on SQLite
# it cannot be written during the import's transaction, hence the generous margin.
STALL_AFTER = datetime.timedelta(minutes=30)


class ImportSource(models.Model):
    """A source imported more than once: a spreadsheet layout or a Kobo form. It keeps the column
    mapping, the value mapping and the household-members group, so that the next file of the
    same layout needs no mapping work; a Kobo server source also keeps the server, the form
    (asset uid) and the API token (encrypted, see sealing.py)."""

    mission = models.ForeignKey(
        "accounts.Mission", on_delete=models.PROTECT, related_name="+", verbose_name=_("mission")
    )
    office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("office registering the cases"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=SourceKind.choices)
    column_mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    value_mapping = models.JSONField(_("value mapping"), default=dict, blank=True)
    member_group = models.CharField(_("household members group"), max_length=200, blank=True)
    # The rest of the mapping: default values for empty cells, the order of day and month.
    mapping_options = models.JSONField(_("mapping options"), default=dict, blank=True)
    kobo_url = models.URLField(_("Kobo server"), max_length=300, blank=True)
    kobo_asset_uid = models.CharField(_("form (asset uid)"), max_length=100, blank=True)
    # The API token, encrypted (Fernet, key derived from SECRET_KEY); never returned.
    kobo_token = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("import source")
        verbose_name_plural = _("import sources")
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="import_source_name_unique")
        ]

    def __str__(self):
        return self.name

    def mapping_json(self) -> dict:
        """The saved mapping, in the shape of mapping.mapping_to_json."""
        return {
            "columns": self.column_mapping or {},
            "values": self.value_mapping or {},
            "member_group": self.member_group,
            **(self.mapping_options or {}),
        }

    def set_mapping(self, data: dict) -> list[str]:
        """Store a mapping (mapping_to_json's shape); returns the fields changed."""
        self.column_mapping = data.get("columns") or {}
        self.value_mapping = data.get("values") or {}
        self.member_group = data.get("member_group") or ""
        self.mapping_options = {
            k: data[k] for k in ("defaults", "date_order") if data.get(k) not in (None, "")
        }
        return ["column_mapping", "value_mapping", "member_group", "mapping_options"]

    @property
    def has_token(self) -> bool:
        return bool(self.kobo_token)


class ImportJob(models.Model):
    """One import: a file (or a pull of Kobo submissions, stored as their JSON) with its mapping,
    checked row by row (the preview), then imported by a background task in one transaction."""

    mission = models.ForeignKey(
        "accounts.Mission", on_delete=models.PROTECT, related_name="+", verbose_name=_("mission")
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    source = models.ForeignKey(
        ImportSource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        verbose_name=_("source"),
    )
    # The stored copy, relative to MEDIA_ROOT (imports/...; never served directly).
    file_path = models.CharField(max_length=300, blank=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.UPLOADED
    )
    mode = models.CharField(_("mode"), max_length=20, choices=ImportMode.choices, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    valid = models.PositiveIntegerField(_("valid rows"), default=0)
    invalid = models.PositiveIntegerField(_("invalid rows"), default=0)
    already_imported = models.PositiveIntegerField(_("rows already imported"), default=0)
    created = models.PositiveIntegerField(_("cases created"), default=0)
    skipped_existing = models.PositiveIntegerField(_("rows skipped (already imported)"), default=0)
    rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    persons_created = models.PositiveIntegerField(_("persons created"), default=0)
    progress = models.PositiveIntegerField(_("rows processed"), default=0)
    # The first errors found by the preview (rows, fields, messages), for its pages.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # The preview's first rows as they will be imported, and the rows it will skip.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    rejected_path = models.CharField(max_length=300, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    previewed_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            models.Index(fields=["mission", "-created_at"], name="import_job_mission_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="import_job_status_idx"),
        ]

    def __str__(self):
        return f"{self.file_name} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def stalled(self) -> bool:
        """Running (or queued) with no sign of life for STALL_AFTER: its worker is gone."""
        beat = self.heartbeat_at or self.started_at
        return (
            self.status in (JobStatus.RUNNING, JobStatus.QUEUED)
            and beat is not None
            and beat <= timezone.now() - STALL_AFTER
        )

    @property
    def shown_status(self) -> str:
        return JobStatus.FAILED if self.stalled else self.status

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.progress * 100 // self.total)

    @property
    def importable(self) -> int:
        """Rows the import would create cases for (valid and not imported before)."""
        return max(0, self.valid - self.already_imported)


class ImportedRecord(models.Model):
    """One imported row: its stable key (a Kobo submission's uuid, a key column, or a hash of the
    row's values), unique per mission, and the case it created. Re-importing the same file or the
    same submissions skips the keys found here; it also answers "which import created this
    case"."""

    mission = models.ForeignKey("accounts.Mission", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("row key"), max_length=200)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    job = models.ForeignKey(
        ImportJob, on_delete=models.PROTECT, related_name="records", verbose_name=_("import")
    )
    row = models.PositiveIntegerField(_("row"))

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        constraints = [
            models.UniqueConstraint(fields=["mission", "key"], name="imported_record_key_unique")
        ]

    def __str__(self):
        return self.key
