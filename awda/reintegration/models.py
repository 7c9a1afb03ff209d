"""Reintegration in the country of origin (domain.md section 3 steps 9 to 11, section 8).

- ReintegrationFile: the origin office's acceptance of a handed-over case (which office follows
  it, who accepted, when the person arrived, when the plan is due).
- Reception: airport reception, onward transport, temporary accommodation, first needs.
- Assessment: vulnerability re-assessment, risk, family, skills profile, per person.
- Instrument / Survey: the sustainability survey (RSS), a versioned instrument loaded from a data
  file; a survey keeps the instrument version it was scored with (surveys/scoring.py).
- ReintegrationCap: what a returnee is entitled to under a project (by nationality or
  vulnerability optionally); amounts and currency are configuration.
- Plan, PlanAssistance, PlanItem: the reintegration plan, versioned by revision.
- CollectiveProject: a collective or community project linking several returnees' plans.
- Purchase, PurchaseLine, DeliveryDocument, CashTranche, Referral: delivery, every cost charged
  to the case's project.
- MonitoringVisit: the schedule generated when a plan is approved, and what each visit found.

The string forms are neutral (ids only): they end up in the audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awda.core.models import TimeStampedModel, VersionedModel
from awda.finance.models import CURRENCIES

from .choices import (
    ActivityStatus,
    AssessmentKind,
    AssistanceCategory,
    AssistanceType,
    CapBasis,
    CollectiveKind,
    DeliveryDocumentKind,
    EducationLevel,
    Level,
    PaymentChannel,
    PlanStatus,
    PurchaseStatus,
    ReferralStatus,
    SurveyKind,
    TrancheStatus,
    VisitMode,
    VisitStatus,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
SCORE = {"max_digits": 5, "decimal_places": 4}
USER = settings.AUTH_USER_MODEL


def _user(verbose, *, null=False):
    return models.ForeignKey(
        USER,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose,
    )


class ReintegrationFile(TimeStampedModel, VersionedModel):
    """The origin mission's side of a case: created when an office of the receiving mission
    accepts the handover."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="reintegration", verbose_name=_("case")
    )
    mission = models.ForeignKey(
        "accounts.Mission", on_delete=models.PROTECT, related_name="+", verbose_name=_("mission")
    )
    office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("office following the case"),
    )
    officer = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reintegration officer"),
    )
    accepted_at = models.DateTimeField(_("handover accepted at"))
    accepted_by = _user(_("accepted by"))
    # Known once the arrival is confirmed (movements); the plan is due a set time after it.
    arrived_on = models.DateField(_("arrival date"), null=True, blank=True)
    plan_due_on = models.DateField(_("plan due on"), null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        verbose_name = _("reintegration file")
        verbose_name_plural = _("reintegration files")
        indexes = [
            models.Index(fields=["office", "plan_due_on"], name="reint_file_due_idx"),
            models.Index(fields=["mission", "-accepted_at"], name="reint_file_mission_idx"),
        ]

    def __str__(self):
        return f"{_('Reintegration file')} #{self.pk}"


class Reception(TimeStampedModel, VersionedModel):
    """What the origin office did when the returnees arrived (one per case)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="reception", verbose_name=_("case")
    )
    received_on = models.DateField(_("received on"))
    airport_reception = models.BooleanField(_("met at the airport"), default=False)
    met_by = models.CharField(_("met by"), max_length=200, blank=True)
    onward_transport = models.BooleanField(_("onward transport provided"), default=False)
    onward_destination = models.CharField(_("onward destination"), max_length=200, blank=True)
    accommodation_nights = models.PositiveSmallIntegerField(
        _("temporary accommodation (nights)"), default=0
    )
    accommodation_place = models.CharField(_("accommodation place"), max_length=200, blank=True)
    first_needs = models.TextField(_("first needs covered"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")

    def __str__(self):
        return f"{_('Reception')} #{self.pk}"


class Assessment(TimeStampedModel, VersionedModel):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="reintegration_assessments",
        verbose_name=_("case"),
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("assessment"), max_length=20, choices=AssessmentKind.choices)
    assessed_on = models.DateField(_("assessed on"))
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=Level.choices,
        blank=True,
        help_text=_("Vulnerability or risk level; not used for the skills profile."),
    )
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    # Skills profile
    education_level = models.CharField(
        _("education"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    work_experience = models.TextField(_("work experience"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    preferred_activity = models.CharField(_("preferred activity"), max_length=200, blank=True)
    assessed_by = _user(_("assessed by"))

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["case", "kind"], name="reint_assessment_case_idx")]

    def __str__(self):
        return f"{_('Assessment')} #{self.pk}"


class Instrument(TimeStampedModel):
    """A version of a survey instrument, loaded from a data file (surveys/instrument.py): the
    definition (questions, options and their scores, indicators, dimensions, weights) is kept as
    loaded, so a survey is always scored with the version it was taken with."""

    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    is_placeholder = models.BooleanField(
        _("placeholder"),
        default=False,
        help_text=_("Not an official instrument: equal weights, for trying the software."),
    )
    is_active = models.BooleanField(
        _("used for new surveys"),
        default=True,
        help_text=_("The newest active version of an instrument is used for new surveys."),
    )
    definition = models.JSONField(_("definition"))
    checksum = models.CharField(_("SHA-256 of the file"), max_length=64)
    source = models.CharField(_("loaded from"), max_length=300, blank=True)
    loaded_by = _user(_("loaded by"), null=True)

    class Meta:
        ordering = ["code", "-created_at", "-id"]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="reint_instrument_version_uniq"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.version}"


class Survey(TimeStampedModel):
    """One sustainability survey of one returnee. Never edited: a wrong survey is voided (with a
    reason) and taken again; the scores are those of its instrument version."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="surveys", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("instrument")
    )
    kind = models.CharField(_("survey"), max_length=10, choices=SurveyKind.choices)
    conducted_on = models.DateField(_("conducted on"))
    # Age in years on the day (for cohort averages by age group), when the birth date is known.
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    visit = models.ForeignKey(
        "MonitoringVisit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("monitoring visit"),
    )
    answers = models.JSONField(_("answers"), default=dict)
    economic = models.DecimalField(_("economic score"), **SCORE)
    social = models.DecimalField(_("social score"), **SCORE)
    psychosocial = models.DecimalField(_("psychosocial score"), **SCORE)
    composite = models.DecimalField(_("composite score"), **SCORE)
    notes = models.TextField(_("notes"), blank=True)
    conducted_by = _user(_("conducted by"))
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = _user(_("voided by"), null=True)
    void_reason = models.TextField(_("reason for voiding"), blank=True)

    class Meta:
        ordering = ["conducted_on", "id"]
        verbose_name = _("sustainability survey")
        verbose_name_plural = _("sustainability surveys")
        indexes = [
            models.Index(fields=["case", "person", "conducted_on"], name="reint_survey_case_idx"),
            models.Index(fields=["instrument", "kind"], name="reint_survey_instr_idx"),
        ]

    def __str__(self):
        return f"{_('Survey')} #{self.pk}"


class ReintegrationCap(TimeStampedModel):
    """What a returnee may receive under a project's reintegration plan. The most specific rule
    that matches a case applies (nationality and vulnerability, then nationality, then
    vulnerability, then the project's general cap)."""

    project = models.ForeignKey(
        "finance.Project",
        on_delete=models.CASCADE,
        related_name="reintegration_caps",
        verbose_name=_("project"),
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, blank=True, help_text=_("ISO 3166 alpha-2; empty: any.")
    )
    vulnerability = models.CharField(
        _("vulnerability"),
        max_length=30,
        blank=True,
        help_text=_("A screening flag (e.g. health, disability); empty: any."),
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    basis = models.CharField(
        _("basis"), max_length=10, choices=CapBasis.choices, default=CapBasis.PERSON
    )

    class Meta:
        ordering = ["project", "nationality", "vulnerability"]
        verbose_name = _("reintegration cap")
        verbose_name_plural = _("reintegration caps")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "nationality", "vulnerability"], name="reint_cap_rule_uniq"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="reint_cap_amount_ok"),
        ]

    def __str__(self):
        return f"{_('Cap')} #{self.pk}"


class CollectiveProject(TimeStampedModel, VersionedModel):
    """A collective (returnees together) or community (with the community) project; each
    participant's plan links to it and contributes its share."""

    mission = models.ForeignKey(
        "accounts.Mission", on_delete=models.PROTECT, related_name="+", verbose_name=_("mission")
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=CollectiveKind.choices)
    activity = models.CharField(_("activity"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    project = models.ForeignKey(
        "finance.Project", on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    created_by = _user(_("created by"))

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("collective project")
        verbose_name_plural = _("collective projects")

    def __str__(self):
        return f"{_('Collective project')} #{self.pk}"


class Plan(TimeStampedModel, VersionedModel):
    """A reintegration plan (IOM's plan template). Revisions are new rows (revision 2, 3, ...)
    that copy the plan in force; approving a revision supersedes the previous one."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="reintegration_plans",
        verbose_name=_("case"),
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revises"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    project = models.ForeignKey(
        "finance.Project", on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    economic_summary = models.TextField(_("economic dimension"), blank=True)
    social_summary = models.TextField(_("social dimension"), blank=True)
    psychosocial_summary = models.TextField(_("psychosocial dimension"), blank=True)
    collective = models.ForeignKey(
        CollectiveProject,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("collective project"),
    )
    # Sum of the items (kept by the services), and the cap that applied when last checked.
    total = models.DecimalField(_("total"), default=0, **MONEY)
    cap_amount = models.DecimalField(_("cap"), null=True, blank=True, **MONEY)
    cap_currency = models.CharField(_("cap currency"), max_length=3, blank=True)
    cap_rule = models.CharField(_("cap rule"), max_length=200, blank=True)
    override_reason = models.TextField(_("reason for exceeding the cap"), blank=True)
    override_by = _user(_("cap overridden by"), null=True)
    override_at = models.DateTimeField(_("cap overridden at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = _user(_("submitted by"), null=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = _user(_("decided by"), null=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_by = _user(_("drafted by"))

    class Meta:
        ordering = ["case", "-revision"]
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")
        constraints = [
            models.UniqueConstraint(fields=["case", "revision"], name="reint_plan_revision_uniq"),
            # at most one plan being worked on, and one in force, per case
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="reint_plan_one_open",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="approved"), name="reint_plan_one_approved"
            ),
        ]
        indexes = [models.Index(fields=["status", "case"], name="reint_plan_status_idx")]

    def __str__(self):
        return f"{_('Plan')} #{self.pk}"


class PlanAssistance(models.Model):
    """An assistance type chosen in a plan, with what it is for and whether it is a referral to
    another service rather than assistance paid by the project."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="assistances", verbose_name=_("plan")
    )
    category = models.CharField(_("category"), max_length=12, choices=AssistanceCategory.choices)
    kind = models.CharField(_("assistance type"), max_length=20, choices=AssistanceType.choices)
    description = models.TextField(_("description"), blank=True)
    referral = models.BooleanField(_("referral"), default=False)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("assistance in a plan")
        verbose_name_plural = _("assistance in plans")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="reint_plan_assist_uniq")
        ]

    def __str__(self):
        return f"{self.plan_id}/{self.kind}"


class PlanItem(models.Model):
    """A good or service of the plan's budget, with its estimated cost (quantity x unit cost)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    kind = models.CharField(_("assistance type"), max_length=20, choices=AssistanceType.choices)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    unit_cost = models.DecimalField(_("estimated unit cost"), **MONEY)
    total = models.DecimalField(_("estimated cost"), **MONEY)
    supplier = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supplier"),
    )

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(unit_cost__gte=0), name="reint_item_amounts_ok"
            )
        ]

    def __str__(self):
        return f"{_('Plan item')} #{self.pk}"


class _Cancellable(models.Model):
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = _user(_("cancelled by"), null=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        abstract = True


class Purchase(TimeStampedModel, VersionedModel, _Cancellable):
    """An in-kind purchase from a supplier for a returnee (e.g. shop stock), charged to the
    case's project."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="purchases", verbose_name=_("plan")
    )
    supplier = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supplier"),
    )
    project = models.ForeignKey(
        "finance.Project", on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    ordered_on = models.DateField(_("ordered on"))
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    total = models.DecimalField(_("total"), default=0, **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=PurchaseStatus.choices, default=PurchaseStatus.ORDERED
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    acknowledged_on = models.DateField(_("acknowledged by the returnee on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = _user(_("recorded by"))

    class Meta:
        ordering = ["-ordered_on", "-id"]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        indexes = [
            models.Index(fields=["case", "status"], name="reint_purchase_case_idx"),
            models.Index(fields=["project", "status"], name="reint_purchase_project_idx"),
        ]

    def __str__(self):
        return f"{_('Purchase')} #{self.pk}"


class PurchaseLine(models.Model):
    purchase = models.ForeignKey(
        Purchase, on_delete=models.CASCADE, related_name="lines", verbose_name=_("purchase")
    )
    plan_item = models.ForeignKey(
        PlanItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("plan item"),
    )
    description = models.CharField(_("item"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)

    class Meta:
        ordering = ["purchase", "id"]
        verbose_name = _("purchase line")
        verbose_name_plural = _("purchase lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(unit_price__gte=0),
                name="reint_purchase_line_ok",
            )
        ]

    def __str__(self):
        return f"{_('Purchase line')} #{self.pk}"


def delivery_document_path(instance, filename):
    return f"reintegration/{instance.purchase.case_id}/{instance.stored_name}"


class DeliveryDocument(TimeStampedModel):
    """An invoice, a supplier's receipt or the returnee's signed acknowledgement of a purchase;
    stored apart, downloaded through a scoped, audited view."""

    purchase = models.ForeignKey(
        Purchase, on_delete=models.PROTECT, related_name="documents", verbose_name=_("purchase")
    )
    kind = models.CharField(_("document"), max_length=20, choices=DeliveryDocumentKind.choices)
    file = models.FileField(_("file"), upload_to=delivery_document_path, max_length=300)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = _user(_("uploaded by"))

    class Meta:
        ordering = ["purchase", "kind", "id"]
        verbose_name = _("delivery document")
        verbose_name_plural = _("delivery documents")

    def __str__(self):
        return f"{_('Delivery document')} #{self.pk}"


class CashTranche(TimeStampedModel, VersionedModel, _Cancellable):
    """A cash grant paid in tranches (e.g. on arrival and six months later)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("plan")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("paid to")
    )
    project = models.ForeignKey(
        "finance.Project", on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=PaymentChannel.choices)
    reference = models.CharField(_("payment reference"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TrancheStatus.choices, default=TrancheStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = _user(_("recorded by"))

    class Meta:
        ordering = ["case", "due_on", "id"]
        verbose_name = _("cash tranche")
        verbose_name_plural = _("cash tranches")
        indexes = [
            models.Index(fields=["case", "status"], name="reint_tranche_case_idx"),
            models.Index(fields=["project", "status"], name="reint_tranche_project_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="reint_tranche_amount_ok")
        ]

    def __str__(self):
        return f"{_('Cash tranche')} #{self.pk}"


class Referral(TimeStampedModel, VersionedModel):
    """A referral to a service (health, education, legal, ...) outside the project's budget,
    unless it has a cost, which is then charged to the case's project."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("plan"),
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("assistance type"), max_length=20, choices=AssistanceType.choices)
    service = models.CharField(_("service"), max_length=200)
    referred_on = models.DateField(_("referred on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REFERRED,
    )
    outcome = models.TextField(_("outcome"), blank=True)
    cost = models.DecimalField(_("cost"), null=True, blank=True, **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, blank=True)
    project = models.ForeignKey(
        "finance.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("project"),
    )
    recorded_by = _user(_("recorded by"))

    class Meta:
        ordering = ["case", "-referred_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["case", "status"], name="reint_referral_case_idx")]

    def __str__(self):
        return f"{_('Referral')} #{self.pk}"


class MonitoringVisit(TimeStampedModel, VersionedModel):
    """A scheduled follow-up (generated when a plan is approved, at the project's months after
    arrival) and what it found."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="monitoring_visits",
        verbose_name=_("case"),
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("plan"),
    )
    months = models.PositiveSmallIntegerField(_("months after arrival"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    mode = models.CharField(
        _("visit or call"), max_length=10, choices=VisitMode.choices, default=VisitMode.VISIT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    conducted_on = models.DateField(_("conducted on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    activity_status = models.CharField(
        _("business or activity"), max_length=20, choices=ActivityStatus.choices, blank=True
    )
    re_migrated = models.BooleanField(_("re-migrated"), default=False)
    re_migration_notes = models.TextField(_("re-migration (where, when)"), blank=True)
    conducted_by = _user(_("conducted by"), null=True)

    class Meta:
        ordering = ["case", "due_on", "id"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        indexes = [
            models.Index(fields=["office", "status", "due_on"], name="reint_visit_due_idx"),
            models.Index(fields=["case", "due_on"], name="reint_visit_case_idx"),
        ]

    def __str__(self):
        return f"{_('Monitoring visit')} #{self.pk}"
