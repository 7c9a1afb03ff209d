"""The indicator pack: each code with its selector and its definition. The dashboard, the API,
the CSV/XLSX/HXL downloads and the donor reports all compute a figure through compute(), so the
same code gives the same number everywhere. Full definitions: docs/indicators.md."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from awda.core.errors import NotFound, PermissionDenied

from . import assistance, caseload, reintegration, returns, spending
from .base import Filters, IndicatorTable, may_count, may_count_vulnerabilities
from .dimensions import DIMENSIONS


@dataclass(frozen=True)
class Indicator:
    code: str
    title: object
    definition: object
    selector: Callable[..., IndicatorTable]
    dimensions: tuple[str, ...]  # the first is the default
    chart: tuple[str, ...]  # the measures drawn on the dashboard's chart
    measures: tuple = ()  # the measure columns (whatever the dimension)
    # who may see it at all: the counting roles, fewer for restricted data and money
    audience: Callable[..., bool] = may_count

    def visible_to(self, user) -> bool:
        return self.audience(user)

    @property
    def default_by(self) -> str:
        return self.dimensions[0]

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "title": str(self.title),
            "definition": str(self.definition),
            "dimensions": list(self.dimensions),
            "default_by": self.default_by,
            "measures": [c.as_dict() for c in self.measures],
        }


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            "returns",
            _("Returns"),
            _(
                "Travellers who departed in the period (a booking departed or arrived, by its "
                "travel date), by sex and age at departure, and the cases they travelled on."
            ),
            returns.returns,
            returns.PERSON_DIMENSIONS,
            ("returnees",),
            tuple(returns.RETURN_COLUMNS),
        ),
        Indicator(
            "caseload",
            _("Caseload: registered, counselled, eligibility, withdrawals"),
            _(
                "Cases and persons registered in the period (registration date), and those that "
                "entered counselling, were found eligible or not eligible, or withdrew in the "
                "period (the day of the move)."
            ),
            caseload.caseload,
            caseload.CASELOAD_DIMENSIONS,
            (
                "registered_cases",
                "counselled_cases",
                "eligible_cases",
                "not_eligible_cases",
                "withdrawn_cases",
            ),
            tuple(caseload.CASELOAD_COLUMNS),
        ),
        Indicator(
            "vulnerable",
            _("Vulnerable categories among returnees"),
            _(
                "Returnees whose current vulnerability screening in their case records a factor "
                "of the category. The restricted categories (any vulnerability, unaccompanied "
                "children, trafficking, health, disability) are not shown under the threshold, "
                "nor for a group of fewer returnees."
            ),
            returns.vulnerable_returnees,
            returns.PERSON_DIMENSIONS,
            ("vulnerable", "uasc", "health", "disability", "single_parent"),
            tuple(returns.VULNERABLE_COLUMNS),
            may_count_vulnerabilities,
        ),
        Indicator(
            "assistance",
            _("Pre-departure assistance by type"),
            _(
                "Distinct persons who received each type of pre-departure assistance in the "
                "period (ledger lines not cancelled, by their date)."
            ),
            assistance.assistance_by_type,
            assistance.LINE_DIMENSIONS,
            tuple(c.key for c in assistance.ASSISTANCE_COLUMNS[1:]),
            tuple(assistance.ASSISTANCE_COLUMNS),
        ),
        Indicator(
            "lead_time",
            _("Lead time from registration to departure"),
            _(
                "Days from the registration of a case to its departure, for the cases that "
                "departed in the period: median and 90th percentile (nearest rank)."
            ),
            returns.lead_time,
            returns.CASE_DIMENSIONS,
            ("median_days", "p90_days"),
            tuple(returns.LEAD_TIME_COLUMNS),
        ),
        Indicator(
            "reintegration",
            _("Reintegration started and completed"),
            _(
                "Cases whose handover the origin office accepted, whose returnees were received, "
                "whose reintegration was completed, or that were closed from reintegration for "
                "another reason, in the period."
            ),
            reintegration.reintegration_outcomes,
            reintegration.CASE_DIMENSIONS,
            ("started", "completed"),
            tuple(reintegration.OUTCOME_COLUMNS),
        ),
        Indicator(
            "reintegration_assistance",
            _("Reintegration assistance delivered"),
            _(
                "Cases with in-kind purchases delivered, persons paid a cash tranche and persons "
                "whose referral was completed in the period, by assistance type."
            ),
            assistance.reintegration_assistance,
            assistance.REINTEGRATION_DIMENSIONS,
            ("inkind_cases", "cash_persons", "referral_persons"),
            tuple(assistance.REINTEGRATION_ASSISTANCE_COLUMNS),
        ),
        Indicator(
            "sustainability",
            _("Reintegration sustainability scores"),
            _(
                "Mean scores (0 to 1) of each returnee's latest sustainability survey of the "
                "period, not voided, of one instrument version."
            ),
            reintegration.sustainability,
            reintegration.SURVEY_DIMENSIONS,
            ("economic", "social", "psychosocial", "composite"),
            tuple(reintegration.SUSTAINABILITY_COLUMNS),
        ),
        Indicator(
            "spending",
            _("Spending by donor, project and budget line"),
            _(
                "Charges spent, and committed but not yet spent, in the period, in each "
                "project's currency, over the projects of the missions whose budgets you see."
            ),
            spending.spending,
            spending.SPENDING_DIMENSIONS,
            ("spent", "committed"),
            (spending.CURRENCY_COLUMN, *spending.SPENDING_COLUMNS),
            spending.may_see_spending,
        ),
    )
}


def indicator_get(code: str) -> Indicator:
    try:
        return INDICATORS[code]
    except KeyError:
        raise NotFound() from None


def indicators_for(user) -> list[Indicator]:
    """The indicators `user` may see, in the pack's order (dashboard, API list)."""
    return [i for i in INDICATORS.values() if i.visible_to(user)]


def compute(code: str, user, filters: Filters) -> IndicatorTable:
    """The one way to compute an indicator (dashboard, API, downloads, donor reports):
    NotFound for an unknown code, PermissionDenied when `user` may not see it."""
    indicator = indicator_get(code)
    if not indicator.visible_to(user):
        raise PermissionDenied()
    return indicator.selector(user, filters)


def effective_filters(indicator: Indicator, filters: Filters) -> Filters:
    """`filters` for this indicator: a `by` it cannot use falls back to its default (the
    dashboard's single "group by" applies where it can)."""
    if filters.by in indicator.dimensions:
        return filters
    return filters.with_by(indicator.default_by)


def dimension_choices(user=None) -> list[tuple[str, str]]:
    """Every dimension some indicator (that `user` may see) can use, for the dashboard's
    "group by"."""
    used = []
    for indicator in INDICATORS.values() if user is None else indicators_for(user):
        for d in indicator.dimensions:
            if d not in used:
                used.append(d)
    order = list(DIMENSIONS)
    return [(d, DIMENSIONS[d].label) for d in sorted(used, key=order.index)]
