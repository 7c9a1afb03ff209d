from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awda.core.models import TimeStampedModel, VersionedModel

from .choices import ChargeSource, ChargeStage, CostCategory

MONEY = {"max_digits": 12, "decimal_places": 2}
RATE = {"max_digits": 20, "decimal_places": 10}

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
    eligible_vulnerabilities = models.JSONField(
        _("eligible vulnerability categories"),
        default=list,
        blank=True,
        help_text=_(
            "Screening flags (e.g. uasc, vot, health); a case qualifies when one of its members "
            "has one of them. Empty accepts every case."
        ),
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        help_text=_("The principal applicant's age on the day; empty: no minimum."),
    )
    max_age = models.PositiveSmallIntegerField(
        _("maximum age"),
        null=True,
        blank=True,
        help_text=_("The principal applicant's age on the day; empty: no maximum."),
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


class BudgetLine(TimeStampedModel, VersionedModel):
    """A line of a project's budget: an allocated amount in the project's currency and the cost
    categories it pays for. A cost goes to the line of its category, or else to the line without
    categories (the project's general line); finance may move it to another line."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("project")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(_("allocated amount"), **MONEY)
    categories = models.JSONField(
        _("cost categories"),
        default=list,
        blank=True,
        help_text=_("What this line pays for; empty: every cost no other line takes."),
    )
    warning_percent = models.PositiveSmallIntegerField(
        _("warning threshold (%)"),
        default=90,
        help_text=_("The line is flagged once committed and spent pass this share of it."),
    )
    # Sum of the finance officers' overrides: how far past 100 % costs are accepted.
    overrun_allowed = models.DecimalField(_("overrun allowed"), default=0, **MONEY)

    class Meta:
        ordering = ["project", "code", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="budget_line_code_uniq"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(overrun_allowed__gte=0),
                name="budget_line_amounts_ok",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class BudgetOverride(TimeStampedModel):
    """A finance officer's decision to accept costs past 100 % of a line, up to an extra amount."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("line")
    )
    amount = models.DecimalField(_("extra amount allowed"), **MONEY)
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["line", "-created_at", "-id"]
        verbose_name = _("budget override")
        verbose_name_plural = _("budget overrides")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_override_amount_ok")
        ]

    def __str__(self):
        return f"{_('Override')} #{self.pk}"


class PersonCap(TimeStampedModel):
    """The most a project pays for one person in one cost category (in the project's currency),
    e.g. a post-arrival allowance of 150 EUR or an in-kind reintegration grant of 485 EUR."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="person_caps", verbose_name=_("project")
    )
    category = models.CharField(_("cost category"), max_length=30, choices=CostCategory.choices)
    amount = models.DecimalField(_("amount per person"), **MONEY)

    class Meta:
        ordering = ["project", "category"]
        verbose_name = _("per-person cap")
        verbose_name_plural = _("per-person caps")
        constraints = [
            models.UniqueConstraint(fields=["project", "category"], name="person_cap_uniq"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="person_cap_amount_ok"),
        ]

    def __str__(self):
        return f"{self.project_id} {self.category}"


class ExchangeRate(TimeStampedModel):
    """1 unit of `currency` is worth `rate` units of `to_currency` from `valid_from` on (until
    the next rate of the pair). The inverse pair is used when only it is known."""

    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    to_currency = models.CharField(_("into"), max_length=3, choices=CURRENCIES)
    rate = models.DecimalField(_("rate"), **RATE)
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["currency", "to_currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "to_currency", "valid_from"], name="exchange_rate_uniq"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=~Q(currency=models.F("to_currency")), name="exchange_rate_pair_ok"
            ),
        ]

    def __str__(self):
        return f"{self.currency}/{self.to_currency} {self.valid_from}"


class Contribution(TimeStampedModel):
    """Funds received from a donor for a project (IATI transaction type 1, incoming funds)."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("project")
    )
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("donor")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["project", "-received_on", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_amount_ok")
        ]

    def __str__(self):
        return f"{_('Contribution')} #{self.pk}"


class Charge(TimeStampedModel):
    """One cost recorded anywhere (an assistance line, a ticket, pocket money, a reintegration
    purchase, cash tranche or paid referral) charged to a project's budget line. Written only by
    awda.finance.services.charges, from the service that records the cost, in its transaction.

    The amount is converted into the project's currency at the rate in force on the day of the
    charge's latest stage; the rate, which way it was applied and its date are kept. No rate
    yet: project_amount is empty ("awaiting a rate") until finance enters one.

    `over_budget` / `over_cap`: the cost was accepted although it takes its line past the
    allocation / the person past the project's cap of its category (under an override, when its
    rate came later, at a later day's rate, or rebuilt from the records): flagged for finance."""

    source = models.CharField(_("source"), max_length=20, choices=ChargeSource.choices)
    source_id = models.PositiveBigIntegerField(_("source id"))
    category = models.CharField(_("cost category"), max_length=30, choices=CostCategory.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="charges", verbose_name=_("project")
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charges",
        verbose_name=_("budget line"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    stage = models.CharField(_("stage"), max_length=10, choices=ChargeStage.choices)
    committed_on = models.DateField(_("committed on"), null=True, blank=True)
    spent_on = models.DateField(_("spent on"), null=True, blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    # The rate as recorded (ExchangeRate.rate) and which way it was applied: the amount was
    # multiplied by it (a rate of the charge's currency into the project's), or, when only the
    # reverse pair was known, divided by it (`rate_inverted`), so the conversion can be redone.
    rate = models.DecimalField(_("exchange rate used"), null=True, blank=True, **RATE)
    rate_inverted = models.BooleanField(
        _("rate of the reverse pair (amount divided by it)"), default=False
    )
    rate_on = models.DateField(_("rate of"), null=True, blank=True)
    project_amount = models.DecimalField(
        _("amount in the project's currency"), null=True, blank=True, **MONEY
    )
    over_budget = models.BooleanField(_("accepted past the line's allocation"), default=False)
    over_cap = models.BooleanField(_("accepted past the per-person cap"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        indexes = [
            models.Index(fields=["project", "budget_line", "stage"], name="charge_line_idx"),
            models.Index(fields=["case", "stage"], name="charge_case_idx"),
            models.Index(fields=["person", "project", "category"], name="charge_person_idx"),
            models.Index(fields=["project", "spent_on"], name="charge_spent_idx"),
            models.Index(fields=["project", "committed_on"], name="charge_committed_idx"),
            # The costs awaiting an exchange rate: few or none, counted on every budget page.
            models.Index(
                fields=["project"],
                condition=Q(project_amount__isnull=True),
                name="charge_awaiting_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="charge_source_uniq"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="charge_amount_ok"),
        ]

    def __str__(self):
        return f"{_('Charge')} #{self.pk}"
