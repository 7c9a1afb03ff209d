"""The pre-departure assistance ledger (domain.md section 3, step 4): one line per item of
assistance given to a member of a case (medical care, emergency accommodation, food, non-food
items, psychosocial support, administrative help, cash allowances, local transport), with its date
or period, provider, quantity, unit cost, currency and the project it is charged to.

Money records keep their history: a line is never edited nor deleted; a mistake is corrected by
cancelling the line (with a reason) and recording a new one. A distribution groups the lines of a
bulk distribution (the same items to several persons of several cases of one office, one day).

The string forms are neutral (ids only): they end up in the audit trail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.core.models import TimeStampedModel, VersionedModel
from awda.finance.models import CURRENCIES

from .choices import AssistanceKind, LineStatus

MONEY = {"max_digits": 12, "decimal_places": 2}


class Distribution(TimeStampedModel):
    """A bulk distribution by an office: the same items, the same day, to several persons (of
    one or more cases). Its lines are AssistanceLine rows (`lines`), one per person."""

    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    distributed_on = models.DateField(_("date"))
    kind = models.CharField(_("type of assistance"), max_length=20, choices=AssistanceKind.choices)
    provider = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provider"),
    )
    description = models.CharField(_("items"), max_length=300)
    quantity = models.DecimalField(_("quantity per person"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    unit_cost = models.DecimalField(_("unit cost"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-distributed_on", "-id"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        indexes = [
            models.Index(fields=["office", "-distributed_on", "-id"], name="assist_distrib_idx")
        ]

    def __str__(self):
        return f"{_('Distribution')} #{self.pk}"


def receipt_path(instance, filename):
    """Signed receipts live with the case, apart from its attachments."""
    return f"assistance/{instance.case.office_id}/{instance.case_id}/{instance.stored_name}"


class SignedReceipt(TimeStampedModel):
    """The signed copy of a printed receipt (scan or photo), covering one or more lines of a
    person (AssistanceLine.receipt). Downloaded through a scoped, audited view."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    file = models.FileField(_("file"), upload_to=receipt_path, max_length=300)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signed receipt")
        verbose_name_plural = _("signed receipts")

    def __str__(self):
        return f"{_('Signed receipt')} #{self.pk}"


class AssistanceLine(TimeStampedModel, VersionedModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("type of assistance"), max_length=20, choices=AssistanceKind.choices)
    start_date = models.DateField(_("date"))
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("For a period (e.g. accommodation).")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    nights = models.PositiveSmallIntegerField(_("nights"), null=True, blank=True)
    provider = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provider"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    unit_cost = models.DecimalField(_("unit cost"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    # quantity x unit cost, rounded half up to the cent (services.line_total).
    total = models.DecimalField(_("total"), **MONEY)
    project = models.ForeignKey(
        "finance.Project", on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    notes = models.TextField(_("notes"), blank=True)
    distribution = models.ForeignKey(
        Distribution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("distribution"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.RECORDED
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    receipt = models.ForeignKey(
        SignedReceipt,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("signed receipt"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("assistance line")
        verbose_name_plural = _("assistance lines")
        indexes = [
            models.Index(fields=["case", "-start_date", "-id"], name="assist_line_case_idx"),
            models.Index(fields=["project", "status"], name="assist_line_project_idx"),
            models.Index(fields=["kind", "start_date"], name="assist_line_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="assist_line_period_ok",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0) & models.Q(unit_cost__gte=0),
                name="assist_line_amounts_ok",
            ),
        ]

    def __str__(self):
        return f"{_('Assistance line')} #{self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == LineStatus.CANCELLED
