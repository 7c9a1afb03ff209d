"""Spending by donor, project and budget line, from the charges (awda.finance Charge): what was
spent and what is still committed in the period, in each project's currency. Like the budget
view, open to the holders of finance.view (awda.finance.policies: finance officers, managers and
M&E officers) over the projects of the missions where they hold it. Definitions:
docs/indicators.md."""

from decimal import Decimal

from django.db.models import Case as CaseWhen
from django.db.models import Count, F, Q, Sum, When
from django.utils.translation import gettext_lazy as _

from awda.core.errors import PermissionDenied
from awda.finance import policies as finance_policies
from awda.finance.choices import ChargeStage
from awda.finance.models import Charge, Project

from .base import Column, Filters, IndicatorTable
from .dimensions import Facts, Part, filter_q
from .tables import build_table, check_by

# The day a charge counts on: the spending date once spent, else the commitment date.
CHARGE_DATE = CaseWhen(When(stage=ChargeStage.SPENT, then=F("spent_on")), default=F("committed_on"))
CHARGE_FACTS = Facts(
    case="case__",
    person=None,
    date=CHARGE_DATE,
    project="project",
    budget_line="budget_line",
)
SPENDING_DIMENSIONS = (
    "project",
    "total",
    "donor",
    "budget_line",
    "month",
    "office",
    "nationality",
    "country_of_return",
)
CURRENCY_COLUMN = Column("currency", _("Currency"), "#currency", kind="currency", dimension=True)
SPENDING_COLUMNS = [
    Column("cases", _("Cases"), "#reached+hh"),
    Column("spent", _("Spent"), "#value+spent", kind="amount", basis="cases"),
    Column(
        "committed",
        _("Committed (not yet spent)"),
        "#value+committed",
        kind="amount",
        basis="cases",
    ),
    Column(
        "awaiting_rate",
        _("Charges awaiting an exchange rate"),
        "#meta+awaiting_rate+num",
        kind="number",
    ),
]
CO_FUNDED_COLUMN = Column(
    "co_funded",
    _("Co-funded (shown in full under each donor)"),
    "#meta+cofunded",
    kind="bool",
    dimension=True,
)


def _money(value):
    if value is None:
        return Decimal("0.00")
    return Decimal(value).quantize(Decimal("0.01"))


def may_see_spending(user) -> bool:
    """Whether `user` holds finance.view in some mission (the budget view's readers)."""
    return finance_policies.may_view(user)


def spending(user, filters: Filters) -> IndicatorTable:
    """Charges of the projects of the missions where `user` holds finance.view (the whole
    project, whichever office recorded the cost, as the budget view; PermissionDenied without
    it): spent in the period (stage spent, spending date) and committed in the period and not
    yet spent (stage committed, commitment date), summed in the project's currency (amount
    converted at the charge's rate; charges still awaiting a rate are counted apart, not
    summed). Released charges never count."""
    missions = finance_policies.missions_with(user, "finance.view")
    if not missions:
        raise PermissionDenied()
    filters = check_by(filters, SPENDING_DIMENSIONS, "project")
    period = (filters.date_from, filters.date_to)
    in_period = Q(stage=ChargeStage.SPENT, spent_on__range=period) | Q(
        stage=ChargeStage.COMMITTED, committed_on__range=period
    )
    qs = Charge.objects.filter(project__mission_id__in=sorted(missions))
    qs = qs.filter(in_period).filter(filter_q(filters, CHARGE_FACTS))
    aggregates = {
        "cases": Count("case_id", distinct=True),
        "spent": Sum("project_amount", filter=Q(stage=ChargeStage.SPENT)),
        "committed": Sum("project_amount", filter=Q(stage=ChargeStage.COMMITTED)),
        "awaiting_rate": Count("id", filter=Q(project_amount__isnull=True)),
    }
    extra_columns = [CURRENCY_COLUMN]
    if filters.by == "donor":
        co_funded = (
            Project.objects.annotate(n_donors=Count("donors")).filter(n_donors__gt=1).values("pk")
        )
        aggregates["co_funded"] = Count(
            "project_id", distinct=True, filter=Q(project_id__in=co_funded)
        )
        extra_columns.append(CO_FUNDED_COLUMN)

    def convert(raw):
        out = {
            "cases": int(raw.get("cases") or 0),
            "spent": _money(raw.get("spent")),
            "committed": _money(raw.get("committed")),
            "awaiting_rate": int(raw.get("awaiting_rate") or 0),
        }
        if "co_funded" in aggregates:
            out["co_funded"] = bool(raw.get("co_funded"))
        return out

    table = build_table(
        code="spending",
        title=_("Spending by donor, project and budget line"),
        filters=filters,
        parts=[
            Part(
                qs,
                CHARGE_FACTS,
                aggregates,
                extra={"x_currency": F("project__currency")},
            )
        ],
        measures=SPENDING_COLUMNS,
        convert=convert,
        extra_columns=extra_columns,
        note=_(
            "Amounts in each project's currency. A project funded by several donors is shown in "
            "full under each of them; the total counts it once."
        ),
    )
    if filters.by == "donor":
        for t in table.totals:  # the flag describes a donor's row, not the totals
            t["co_funded"] = ""
    return table
