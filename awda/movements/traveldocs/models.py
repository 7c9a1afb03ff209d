"""Travel documents (passport, laissez-passer, emergency travel document) and exit authorisations
of the travellers of a case, and the batch lists sent to a consulate or to the host authorities.

A travel document is recorded in the case it is used for. A passport the person holds may already
be in the registry (registry.IdentityDocument): "use it" copies its number, country and dates into
an issued TravelDocument and keeps a link to it (`identity_document`); the copy is what was checked
for travel, so a later edit of the registry record does not silently change a case that is ready.

The string forms are neutral (kind and number, ids): they end up in the audit trail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.core.models import TimeStampedModel, VersionedModel

from .choices import BatchKind, BatchStatus, DocumentKind, DocumentStatus, ExitStatus


class DocumentBatch(TimeStampedModel, VersionedModel):
    """A list of persons (each with their case) sent to one consulate (laissez-passer requests)
    or to the host authorities (exit authorisation requests): drafted, printed, sent (the data
    transfer is recorded per case), then answered person by person."""

    kind = models.CharField(_("type"), max_length=12, choices=BatchKind.choices)
    recipient = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient"),
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("sent by"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("batch request")
        verbose_name_plural = _("batch requests")
        indexes = [models.Index(fields=["office", "-created_at"], name="traveldocs_batch_idx")]

    def __str__(self):
        return f"{_('Batch request')} #{self.pk}"


class TravelDocument(TimeStampedModel, VersionedModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("type"), max_length=30, choices=DocumentKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=DocumentStatus.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    issuing_country = models.CharField(
        _("issuing country"), max_length=2, blank=True, help_text=_("ISO 3166 alpha-2")
    )
    consulate = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("consulate"),
    )
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    identity_document = models.ForeignKey(
        "registry.IdentityDocument",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("identity document used"),
    )
    batch = models.ForeignKey(
        DocumentBatch,
        on_delete=models.PROTECT,
        related_name="travel_documents",
        null=True,
        blank=True,
        verbose_name=_("batch request"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")
        indexes = [
            models.Index(fields=["case", "person"], name="traveldocs_doc_case_idx"),
            models.Index(fields=["person", "status", "expires_on"], name="traveldocs_doc_idx"),
        ]

    def __str__(self):
        label = self.get_kind_display()
        return f"{label} {self.number}".strip() if self.number else f"{label} #{self.pk}"

    @property
    def label(self) -> str:
        """ "laissez-passer LP-123", as the readiness checklist and the lists say it."""
        kind = str(self.get_kind_display())
        kind = kind[:1].lower() + kind[1:]
        return f"{kind} {self.number}".strip()


class ExitAuthorisation(TimeStampedModel, VersionedModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ExitStatus.choices, default=ExitStatus.REQUESTED
    )
    authority = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("authority"),
    )
    requested_on = models.DateField(_("requested on"))
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    batch = models.ForeignKey(
        DocumentBatch,
        on_delete=models.PROTECT,
        related_name="exit_authorisations",
        null=True,
        blank=True,
        verbose_name=_("batch request"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("exit authorisation")
        verbose_name_plural = _("exit authorisations")
        indexes = [models.Index(fields=["case", "person"], name="traveldocs_exit_idx")]

    def __str__(self):
        return f"{_('Exit authorisation')} #{self.pk}"


class BatchItem(models.Model):
    """One person of a batch, with the case they travel in. Once the batch is sent, the request
    it created (a requested laissez-passer or exit authorisation) is linked here and answered."""

    batch = models.ForeignKey(
        DocumentBatch, on_delete=models.CASCADE, related_name="items", verbose_name=_("batch")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    travel_document = models.OneToOneField(
        TravelDocument,
        on_delete=models.SET_NULL,
        related_name="batch_item",
        null=True,
        blank=True,
        verbose_name=_("travel document"),
    )
    exit_authorisation = models.OneToOneField(
        ExitAuthorisation,
        on_delete=models.SET_NULL,
        related_name="batch_item",
        null=True,
        blank=True,
        verbose_name=_("exit authorisation"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("batch item")
        verbose_name_plural = _("batch items")
        constraints = [
            models.UniqueConstraint(fields=["batch", "person"], name="traveldocs_item_unique")
        ]

    def __str__(self):
        return f"{_('Batch item')} #{self.pk}"

    @property
    def request(self):
        """The request this item created when the batch was sent (None while a draft)."""
        return self.travel_document or self.exit_authorisation

    @property
    def answered(self) -> bool:
        req = self.request
        return req is not None and req.status != "requested"
