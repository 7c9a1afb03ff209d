"""Vulnerability screening of each person in a case. A screening is never edited: every screening
(and re-screening) is a new row, so the history is kept; the newest row of a person in a case is
their current screening."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.cases.choices import Priority
from awda.core.models import TimeStampedModel

from .factors import BY_CODE, FACTORS, RESTRICTED_FACTORS


class VulnerabilityScreening(TimeStampedModel):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="screenings",
        verbose_name=_("case"),
    )
    # The person screened, as a member of this case (a member removed later keeps the history).
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("person"),
    )
    screened_on = models.DateField(_("screened on"))
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("screened by"),
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("Seen by everyone who sees the screening: no trafficking details here."),
    )
    # Derived (derivation.derive) when recorded, stored for lists and reports.
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    flags = models.JSONField(_("flags"), default=list, blank=True)
    requirements = models.JSONField(_("required assessments"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vulnerability screening")
        verbose_name_plural = _("vulnerability screenings")
        indexes = [
            models.Index(fields=["case", "person", "-created_at"], name="screening_case_person_idx")
        ]

    def __str__(self):
        return f"{self.case_id}/{self.person_id} {self.screened_on}"

    @property
    def factor_codes(self) -> list[str]:
        return [f.code for f in FACTORS if getattr(self, f.code)]

    @property
    def has_restricted(self) -> bool:
        return any(getattr(self, code) for code in RESTRICTED_FACTORS)


# One explicit boolean column per factor of the catalogue (factors.py), with its label and help.
for _factor in FACTORS:
    models.BooleanField(
        BY_CODE[_factor.code].label, default=False, help_text=_factor.help
    ).contribute_to_class(VulnerabilityScreening, _factor.code)


class ScreeningTask(models.Model):
    """The task created for an assessment a screening required: a later screening that keeps the
    same need finds it here and does not create another one."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    requirement = models.CharField(_("required assessment"), max_length=40)
    screening = models.ForeignKey(
        VulnerabilityScreening, on_delete=models.CASCADE, related_name="tasks"
    )
    task = models.OneToOneField("cases.Task", on_delete=models.CASCADE, related_name="screening")

    class Meta:
        indexes = [
            models.Index(fields=["case", "person", "requirement"], name="screening_task_idx")
        ]

    def __str__(self):
        return f"{self.requirement} ({self.task_id})"
