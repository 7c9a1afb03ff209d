"""The UASC procedure (unaccompanied or separated children, domain.md section 6): identification,
best-interests assessment, family tracing with the origin mission, assessment of the family or
caregiver in the origin country, best-interests determination, escort plan and reception on
arrival. Guardian consent is a consent record of the consent app (Purpose.AVRR with a guardian).

Every record belongs to a child (a person) in a case. Records are append-only: a new row replaces
the previous one as the current one and the history stays. Two exceptions, both written through
the services: a family tracing request gets its outcome (versioned, several people follow it up),
and a determination can be reopened (it then stops counting; a new determination is needed)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.core.models import VersionedModel
from awda.screening.records import ProtectionRecord

from .choices import (
    AgeBasis,
    CaregiverOutcome,
    CareStatus,
    DeterminationOutcome,
    EscortRole,
    Recommendation,
    TracingStatus,
)


class ChildRecord(ProtectionRecord):
    """What every record of the procedure has: the case, the child, who recorded it and when."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("child")
    )

    class Meta(ProtectionRecord.Meta):
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name} {self.case_id}/{self.person_id}"


def _case_person_index(name: str):
    return [models.Index(fields=["case", "person", "-created_at"], name=name)]


class ChildIdentification(ChildRecord):
    """Who the child is for the procedure: assessed age and care situation. The newest is
    current; an identification saying "accompanied", or an age of 18 or more, lifts the
    procedure."""

    identified_on = models.DateField(_("identified on"))
    age_years = models.PositiveSmallIntegerField(_("assessed age (years)"))
    age_basis = models.CharField(_("basis of the age"), max_length=20, choices=AgeBasis.choices)
    care_status = models.CharField(_("care status"), max_length=20, choices=CareStatus.choices)
    current_caregiver = models.CharField(
        _("current caregiver"),
        max_length=200,
        blank=True,
        help_text=_("Who looks after the child now (name, relationship or organisation)."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta(ChildRecord.Meta):
        verbose_name = _("child identification")
        verbose_name_plural = _("child identifications")
        indexes = _case_person_index("uasc_ident_idx")


class BestInterestsAssessment(ChildRecord):
    assessed_on = models.DateField(_("assessed on"))
    child_views = models.TextField(_("the child's views and wishes"))
    family_situation = models.TextField(_("family situation"))
    safety_and_risks = models.TextField(_("safety and risks"))
    health_and_education = models.TextField(_("health and education"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta(ChildRecord.Meta):
        verbose_name = _("best-interests assessment")
        verbose_name_plural = _("best-interests assessments")
        indexes = _case_person_index("uasc_bia_idx")


class FamilyTracing(ChildRecord, VersionedModel):
    """A request to the origin mission to trace the child's family, and its outcome. Sending it
    discloses the child's data to the origin mission: the request is recorded in the consent
    app's transfer log in the same transaction (refused without consent)."""

    requested_on = models.DateField(_("requested on"))
    origin_mission = models.ForeignKey(
        "accounts.Mission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("origin mission"),
    )
    information_shared = models.TextField(
        _("information shared"),
        help_text=_("What was sent to the origin mission to trace the family."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TracingStatus.choices, default=TracingStatus.REQUESTED
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    outcome_notes = models.TextField(_("outcome notes"), blank=True)
    # The disclosure recorded in the transfer log when the request was sent.
    transfer = models.ForeignKey(
        "consent.DataTransfer",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("transfer log entry"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("outcome recorded by"),
    )

    class Meta(ChildRecord.Meta):
        verbose_name = _("family tracing request")
        verbose_name_plural = _("family tracing requests")
        indexes = _case_person_index("uasc_tracing_idx")


class CaregiverAssessment(ChildRecord):
    """The assessment of the family or caregiver in the origin country who would receive the
    child (conducted there, e.g. by the origin mission or a partner)."""

    assessed_on = models.DateField(_("assessed on"))
    caregiver_name = models.CharField(_("caregiver"), max_length=200)
    relationship = models.CharField(_("relationship to the child"), max_length=100)
    location = models.CharField(_("location"), max_length=200)
    conducted_by = models.CharField(
        _("conducted by"), max_length=200, help_text=_("e.g. IOM Guinea, or a partner.")
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=CaregiverOutcome.choices)
    findings = models.TextField(_("findings"))

    class Meta(ChildRecord.Meta):
        verbose_name = _("caregiver assessment")
        verbose_name_plural = _("caregiver assessments")
        indexes = _case_person_index("uasc_caregiver_idx")


class BestInterestsDetermination(ChildRecord):
    """The panel's decision. A new determination of the same child reviews the previous one
    (`review_of`); a determination can be reopened, and then no longer counts until a new one is
    made. The current determination is the newest one, unless it was reopened."""

    panel = models.TextField(_("panel"), help_text=_("Members of the panel and their roles."))
    decided_on = models.DateField(_("decided on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=DeterminationOutcome.choices)
    reasons = models.TextField(_("reasons"))
    review_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("review of"),
    )
    reopened_on = models.DateField(_("reopened on"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta(ChildRecord.Meta):
        verbose_name = _("best-interests determination")
        verbose_name_plural = _("best-interests determinations")
        indexes = _case_person_index("uasc_bid_idx")

    @property
    def is_reopened(self) -> bool:
        return self.reopened_on is not None


class EscortPlan(ChildRecord):
    escort_name = models.CharField(_("escort"), max_length=200)
    escort_role = models.CharField(_("escort's role"), max_length=20, choices=EscortRole.choices)
    escort_trained = models.BooleanField(
        _("escort trained"),
        default=False,
        help_text=_("Trained to escort children (required for the child to travel)."),
    )
    planned_on = models.DateField(_("planned on"))
    itinerary_notes = models.TextField(_("itinerary and arrangements"), blank=True)

    class Meta(ChildRecord.Meta):
        verbose_name = _("escort plan")
        verbose_name_plural = _("escort plans")
        indexes = _case_person_index("uasc_escort_idx")


class ReceptionArrangement(ChildRecord):
    arranged_on = models.DateField(_("arranged on"))
    received_by_name = models.CharField(_("received by"), max_length=200)
    relationship_or_organisation = models.CharField(
        _("relationship or organisation"), max_length=200
    )
    place = models.CharField(_("place of reception"), max_length=200)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(ChildRecord.Meta):
        verbose_name = _("reception arrangement")
        verbose_name_plural = _("reception arrangements")
        indexes = _case_person_index("uasc_reception_idx")
