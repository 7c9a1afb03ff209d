"""The reports app reads everything and writes only its own records: export jobs and the transfer
log of the exports that leave the organisation (docs/exports.md)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.screening.consent.choices import Purpose

from .exports.choices import ExportFormat, ExportKind, JobStatus

# A running job that wrote nothing for this long has lost its worker (killed, restarted).
STALL_AFTER = datetime.timedelta(minutes=30)


class ExportJob(models.Model):
    """One export requested by a user: built in the background (a Celery task, or in-process
    without a broker) into a private file that only its requester can download, until it expires.

    `params` holds the filters as the case list understands them; `progress` counts the rows
    written so far, `total` the rows expected (known once the job starts). The password of a
    protected export is never stored in clear: `password_token` holds it encrypted with a key
    derived from SECRET_KEY from the request until the task has used it, then it is wiped."""

    kind = models.CharField(_("type"), max_length=20, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveIntegerField(_("rows written"), default=0)
    total = models.PositiveIntegerField(_("rows expected"), null=True, blank=True)
    # Relative to MEDIA_ROOT (never served directly: see exports.views.export_download).
    file_name = models.CharField(max_length=300, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    password_protected = models.BooleanField(_("password-protected"), default=False)
    password_token = models.TextField(blank=True, editable=False)
    leaves_organisation = models.BooleanField(_("leaves the organisation"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Set when the job starts and after each chunk written (see `stalled`).
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="export_owner_idx"),
            models.Index(fields=["status", "expires_at"], name="export_status_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_format_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def stalled(self) -> bool:
        """Running, but nothing written for STALL_AFTER: its worker is gone (the purge fails
        it; the page stops polling it)."""
        beat = self.heartbeat_at or self.started_at
        return (
            self.status == JobStatus.RUNNING
            and beat is not None
            and beat <= timezone.now() - STALL_AFTER
        )

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def downloadable(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.file_name) and not self.expired

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.progress * 100 // self.total)


class ExportTransfer(models.Model):
    """The transfer-log entry of an export that leaves the organisation: who receives it, for
    which purpose, which categories of data, how many cases. One per job (a bulk disclosure is
    logged once, not per case: see docs/exports.md); the rows are only those whose principal
    applicant held a valid consent for the purpose on the day of the export."""

    job = models.OneToOneField(
        ExportJob, on_delete=models.PROTECT, related_name="transfer", verbose_name=_("export")
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    # consent.choices.DataCategory codes.
    categories = models.JSONField(_("data categories"), default=list)
    case_count = models.PositiveIntegerField(_("cases disclosed"), null=True, blank=True)
    excluded_count = models.PositiveIntegerField(
        _("cases left out (no valid consent)"), null=True, blank=True
    )
    transferred_on = models.DateField(_("date of the disclosure"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bulk data transfer")
        verbose_name_plural = _("bulk data transfers")

    def __str__(self):
        return f"{self.recipient} ({self.purpose}, {self.transferred_on})"
