"""Consent records and the transfer log.

A consent is recorded per person and purpose (choices.Purpose), in the case where it was taken.
Rows are never edited except to withdraw them: a new consent for the same person and purpose is a
new row, and the history is the list. A refusal is recorded too (given=False).

A DataTransfer is one disclosure of personal data (to a consulate, UNHCR, the origin mission, a
service provider, a donor...): who received what, for which purpose, about whom, and the consents
it relied on. Every feature that discloses data records one through services.transfer_record,
which refuses the disclosure when a person has no valid consent for the purpose."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.registry.choices import LANGUAGES

from .choices import Purpose


class Consent(models.Model):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("case"),
        help_text=_("The case in which the consent was taken."),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("person"),
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    given = models.BooleanField(
        _("consent given"), default=True, help_text=_("No: the person refused.")
    )
    given_on = models.DateField(_("date"))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=LANGUAGES,
        help_text=_("The language in which the information was given and the consent taken."),
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("taken by"),
    )
    guardian_name = models.CharField(
        _("parent or guardian"),
        max_length=200,
        blank=True,
        help_text=_("Required for a person under 18."),
    )
    guardian_relationship = models.CharField(
        _("relationship to the child"), max_length=100, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("withdrawal recorded by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-given_on", "-created_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["person", "purpose"], name="consent_person_purpose_idx")]

    def __str__(self):
        return f"{self.person_id} {self.purpose} {self.given_on}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    def is_valid_on(self, day) -> bool:
        """Given, taken on or before `day`, and not withdrawn (on or before `day`)."""
        return (
            self.given
            and self.given_on <= day
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )


class DataTransfer(models.Model):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="data_transfers",
        verbose_name=_("case"),
    )
    persons = models.ManyToManyField(
        "registry.Person", related_name="data_transfers", verbose_name=_("persons")
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    # DataCategory codes.
    categories = models.JSONField(_("data categories"), default=list)
    consents = models.ManyToManyField(
        Consent,
        related_name="transfers",
        blank=True,
        verbose_name=_("consents relied on"),
    )
    transferred_on = models.DateField(_("date of the disclosure"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-transferred_on", "-created_at", "-id"]
        verbose_name = _("data transfer")
        verbose_name_plural = _("data transfers")
        indexes = [models.Index(fields=["case", "-transferred_on"], name="transfer_case_idx")]

    def __str__(self):
        return f"{self.recipient} ({self.purpose}, {self.transferred_on})"
