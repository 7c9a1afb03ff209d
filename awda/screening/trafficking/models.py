"""Trafficking screening records of a person in a case: the screening interview, the
determination, the return-risk assessment made with the origin mission and the origin mission's
acceptance. The most restricted category of data (policies `trafficking.view` and
`trafficking.record`: protection officers only).

Interviews, determinations and acceptances are never edited: each is a new row and the newest of
a person in a case is their current one. A return-risk assessment is prepared as a draft (edited
with optimistic locking) and then completed, after which it no longer changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.core.models import VersionedModel
from awda.screening.records import ProtectionRecord

from .choices import INDICATORS, AssessmentStatus, Outcome, RiskLevel


class TraffickingRecord(ProtectionRecord):
    """What every trafficking record has: the case, the person it is about, who recorded it and
    when."""

    class Meta(ProtectionRecord.Meta):
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"


class TraffickingInterview(TraffickingRecord):
    interviewed_on = models.DateField(_("interviewed on"))
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    language = models.CharField(_("language of the interview"), max_length=10, blank=True)
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)

    class Meta(TraffickingRecord.Meta):
        verbose_name = _("trafficking screening interview")
        verbose_name_plural = _("trafficking screening interviews")
        indexes = [models.Index(fields=["case", "person", "-created_at"], name="vot_interview_idx")]

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in INDICATORS if getattr(self, i.code)]

    @property
    def indicator_labels(self) -> list[str]:
        return [i.label for i in INDICATORS if getattr(self, i.code)]


# One explicit boolean column per indicator of the catalogue (choices.INDICATORS).
for _indicator in INDICATORS:
    models.BooleanField(
        _indicator.label, default=False, help_text=_indicator.help
    ).contribute_to_class(TraffickingInterview, _indicator.code)


class TraffickingDetermination(TraffickingRecord):
    determined_on = models.DateField(_("determined on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"))

    class Meta(TraffickingRecord.Meta):
        verbose_name = _("trafficking determination")
        verbose_name_plural = _("trafficking determinations")
        indexes = [
            models.Index(fields=["case", "person", "-created_at"], name="vot_determination_idx")
        ]


class ReturnRiskAssessment(VersionedModel, TraffickingRecord):
    """Risks of the return for the person, assessed jointly with the origin mission, with the
    mitigation and the security plan. Shared with the origin mission (a recorded disclosure)."""

    origin_mission = models.ForeignKey(
        "accounts.Mission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("origin mission"),
    )
    origin_focal_point = models.CharField(
        _("focal point in the origin mission"), max_length=200, blank=True
    )
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    risks = models.TextField(_("risks identified"), blank=True)
    mitigation = models.TextField(_("mitigation measures"), blank=True)
    security_plan = models.TextField(_("security plan"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("completed by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta(TraffickingRecord.Meta):
        verbose_name = _("return-risk assessment")
        verbose_name_plural = _("return-risk assessments")
        indexes = [models.Index(fields=["case", "person", "-created_at"], name="vot_risk_idx")]

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED


class OriginAcceptance(TraffickingRecord):
    """The origin mission's answer to the return of the person (after the risk assessment)."""

    decided_on = models.DateField(_("decided on"))
    accepted = models.BooleanField(_("accepted"))
    origin_mission = models.ForeignKey(
        "accounts.Mission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("origin mission"),
    )
    decided_by_name = models.CharField(_("decided by (origin mission)"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)

    class Meta(TraffickingRecord.Meta):
        verbose_name = _("origin mission's acceptance")
        verbose_name_plural = _("origin mission's acceptances")
        indexes = [
            models.Index(fields=["case", "person", "-created_at"], name="vot_acceptance_idx")
        ]
