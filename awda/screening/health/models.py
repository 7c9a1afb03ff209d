"""Health records of the persons in a case (a restricted category: medical officers, and the
case's caseworkers for a person who consented to it; see policies.py) and the fitness-to-travel
decision (not restricted: outcome, validity, escort and special needs only, no diagnosis).

The string forms of these rows are neutral (ids only): they end up in the audit trail, which the
case timeline shows to every role."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.core.models import TimeStampedModel, VersionedModel

from .choices import (
    FIT_OUTCOMES,
    DocumentKind,
    Escort,
    FitnessOutcome,
    NeedCategory,
    NeedStatus,
    ReferralPurpose,
    ReferralStatus,
    Severity,
    SpecialNeed,
)

CODE_DEFAULT_VALIDITY_DAYS = 7
MAX_VALIDITY_DAYS = 365


def default_validity_days() -> int:
    """The validity of a fitness-to-travel decision where the mission set none:
    settings.AWDA_FITNESS_VALIDITY_DAYS, else 7 days."""
    return int(getattr(settings, "AWDA_FITNESS_VALIDITY_DAYS", CODE_DEFAULT_VALIDITY_DAYS))


class HealthRecord(TimeStampedModel):
    """What every health record has: the case, the person (a member of the case) and who wrote
    it."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class MedicalNeed(HealthRecord, VersionedModel):
    identified_on = models.DateField(_("identified on"))
    category = models.CharField(_("category"), max_length=20, choices=NeedCategory.choices)
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    treatment_needed = models.TextField(_("treatment needed"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )

    class Meta(HealthRecord.Meta):
        verbose_name = _("medical need")
        verbose_name_plural = _("medical needs")
        indexes = [models.Index(fields=["case", "person", "status"], name="health_need_idx")]

    def __str__(self):
        return f"{_('Medical need')} #{self.pk}"


class MedicalReferral(HealthRecord, VersionedModel):
    """A referral of the person to a provider (a partner organisation) for treatment or
    stabilisation. Creating it discloses health data to the provider: recorded in the consent
    app's transfer log (`transfer`) in the same transaction. The transfer log is read by roles
    without health access, so its entry carries a neutral note; the free text stays here."""

    provider = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provider"),
    )
    referred_on = models.DateField(_("referred on"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=ReferralPurpose.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REFERRED,
    )
    outcome = models.TextField(_("outcome"), blank=True)
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_(
            "Kept with the referral (restricted). The transfer log only says that identity and "
            "health data went to the provider."
        ),
    )
    transfer = models.ForeignKey(
        "consent.DataTransfer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("disclosure"),
    )

    class Meta(HealthRecord.Meta):
        verbose_name = _("medical referral")
        verbose_name_plural = _("medical referrals")
        indexes = [models.Index(fields=["case", "person"], name="health_referral_idx")]

    def __str__(self):
        return f"{_('Medical referral')} #{self.pk}"


def medical_document_path(instance, filename):
    """Medical files live apart from case attachments (seen by every role)."""
    return f"medical/{instance.case.office_id}/{instance.case_id}/{instance.stored_name}"


class MedicalDocument(HealthRecord):
    """A restricted file (report, prescription, certificate): not a case attachment, since the
    case's documents tab is seen by every role. Downloaded through a scoped, audited view."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=medical_document_path, max_length=300)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta(HealthRecord.Meta):
        verbose_name = _("medical document")
        verbose_name_plural = _("medical documents")
        indexes = [models.Index(fields=["case", "person"], name="health_document_idx")]

    def __str__(self):
        return f"{_('Medical document')} #{self.pk}"


class FitnessToTravel(HealthRecord):
    """The fitness-to-travel decision for a traveller. Never edited: a new decision is a new row,
    the newest of a person in a case is their current one. Valid from `decided_on` through
    `valid_until` (= decided_on + valid_days) inclusive."""

    decided_on = models.DateField(_("decided on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=FitnessOutcome.choices)
    valid_days = models.PositiveSmallIntegerField(
        _("validity (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VALIDITY_DAYS)],
    )
    valid_until = models.DateField(_("valid until"))
    escort = models.CharField(
        _("escort"), max_length=12, choices=Escort.choices, default=Escort.NONE
    )
    special_needs = models.JSONField(_("special needs"), default=list, blank=True)
    remarks = models.TextField(
        _("remarks for the movement team"),
        blank=True,
        help_text=_("Seen by everyone who organises the travel: no diagnosis here."),
    )

    class Meta(HealthRecord.Meta):
        verbose_name = _("fitness-to-travel decision")
        verbose_name_plural = _("fitness-to-travel decisions")
        indexes = [
            models.Index(fields=["case", "person", "-created_at"], name="health_fitness_idx")
        ]

    def __str__(self):
        return f"{_('Fitness to travel')} #{self.pk}"

    def valid_on(self, day: datetime.date) -> bool:
        return self.decided_on <= day <= self.valid_until

    @property
    def allows_travel_today(self) -> bool:
        return self.outcome in FIT_OUTCOMES and self.valid_on(timezone.localdate())

    @property
    def special_need_labels(self) -> list[str]:
        labels = dict(SpecialNeed.choices)
        return [str(labels.get(code, code)) for code in self.special_needs or ()]


class MissionHealthSettings(models.Model):
    """Per-mission health settings, managed by administrators in the Django admin."""

    mission = models.OneToOneField(
        "accounts.Mission",
        on_delete=models.CASCADE,
        related_name="health_settings",
        verbose_name=_("mission"),
    )
    fitness_validity_days = models.PositiveSmallIntegerField(
        _("fitness-to-travel validity (days)"),
        default=default_validity_days,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VALIDITY_DAYS)],
        help_text=_(
            "How long a fitness-to-travel decision stays valid after the day it is made. A "
            "medical officer may set a shorter validity on a decision, never a longer one."
        ),
    )

    class Meta:
        verbose_name = _("mission health settings")
        verbose_name_plural = _("mission health settings")

    def __str__(self):
        return str(self.mission)
