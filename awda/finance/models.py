from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.core.models import TimeStampedModel

CURRENCIES = [
    (c, c) for c in ("EUR", "MAD", "CHF", "USD", "GNF", "XOF", "XAF", "NGN", "GBP", "NOK")
]


class Donor(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    iati_identifier = models.CharField(_("IATI organisation identifier"), max_length=60, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self):
        return self.short_name or self.name


class Project(TimeStampedModel):
    """A funded project. Eligibility rules here are the ones this release checks: host offices and
    nationalities (empty means no restriction) and the project period."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    donors = models.ManyToManyField(Donor, related_name="projects", verbose_name=_("donors"))
    mission = models.ForeignKey(
        "accounts.Mission",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("mission"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="EUR")
    eligible_offices = models.ManyToManyField(
        "accounts.Office",
        blank=True,
        related_name="+",
        verbose_name=_("eligible host offices"),
        help_text=_("Leave empty to accept every office of the mission."),
    )
    eligible_nationalities = models.JSONField(
        _("eligible nationalities"),
        default=list,
        blank=True,
        help_text=_("ISO 3166 alpha-2 codes; empty accepts every nationality."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    monitoring_months = models.JSONField(
        _("monitoring schedule (months after arrival)"),
        default=list,
        blank=True,
        help_text=_(
            "Months after arrival at which returnees are visited once their reintegration plan is "
            "approved, e.g. [3, 6, 12]; empty uses the default (AWDA_MONITORING_MONTHS)."
        ),
    )

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return f"{self.code} - {self.name}"
