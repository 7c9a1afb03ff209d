"""The donor report of a project over a period: what the project did (activities), whom it reached
(by sex and age group), the assistance given, and the spending by budget line.

Every figure comes from the code the dashboards use: the indicator pack
(awda.reports.indicators.registry.compute, with the project and period as filters) for the people
and activity figures, and the finance budget view (awda.finance.budget_selectors.budget_view) for
the budget lines. Nothing is counted here. People figures are shared with a donor, so their small
cells are suppressed (awda.reports.indicators.suppression.suppress, domain.md section 9), with
the cells that would let one be worked out from a row's or a column's total (the totals rows
stay). The spending in the period is the whole project's, like the budget lines (the spending
indicator covers the projects of the missions where the reader holds finance.view). No names,
no case numbers: the indicator tables hold none.

The report is plain data (DonorReport, a list of Sections of rows); documents.py writes it as
PDF and XLSX. Definitions: docs/donor-report.md."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from awda.finance.models import Project
from awda.reports.indicators.base import SUPPRESSED, Filters, IndicatorTable
from awda.reports.indicators.registry import compute
from awda.reports.indicators.suppression import min_cell, suppress

# The indicator tables of the report: (key, indicator code, group by, suppressed)
TABLES = (
    ("caseload", "caseload", "total", True),
    ("returns", "returns", "total", True),
    ("returns_by_age", "returns", "age_group", True),
    ("returns_by_sex", "returns", "sex", True),
    ("reintegration", "reintegration", "total", True),
    ("assistance", "assistance", "total", True),
    ("reintegration_assistance", "reintegration_assistance", "assistance_type", True),
    ("spending", "spending", "budget_line", False),
)


@dataclass
class Section:
    """A block of the report: a title, column headers and rows of cells. `kinds` gives each
    column's kind ("text", "count", "amount") for the writers; a count cell may be SUPPRESSED."""

    key: str
    title: str
    headers: list[str]
    kinds: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    total: list | None = None
    sheet: str = ""  # the XLSX sheet's name (31 characters at most); the title when empty


@dataclass
class DonorReport:
    project: Project
    donors: list
    date_from: datetime.date
    date_to: datetime.date
    generated_at: datetime.datetime
    min_cell: int
    currency: str
    sections: list[Section]
    tables: dict[str, IndicatorTable]  # the indicator tables the figures come from (as shown)
    awaiting_rate: int = 0

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _transposed(
    key: str, title: str, table: IndicatorTable, *, sheet: str = "", note: str = ""
) -> Section:
    """A one-row (total) table as rows of (measure, value)."""
    total = table.totals[0] if table.totals else {}
    rows = [[str(c.label), total.get(c.key, 0)] for c in table.measures if c.kind == "count"]
    return Section(
        key=key,
        title=title,
        headers=[_("Figure"), _("Number")],
        kinds=["text", "count"],
        rows=rows,
        note=note or str(table.note or ""),
        sheet=sheet,
    )


def _grouped(
    key: str,
    title: str,
    table: IndicatorTable,
    *,
    first: str,
    measures=None,
    sheet: str = "",
    note: str = "",
) -> Section:
    """A grouped table: the group's label, then its count measures; the totals row last."""
    columns = [c for c in table.measures if c.kind == "count"]
    if measures:
        columns = [c for c in columns if c.key in measures]
    rows = [
        [label, *[row.get(c.key, 0) for c in columns]]
        for label, row in zip(table.labels, table.rows, strict=True)
    ]
    total = None
    if table.totals:
        total = [_("Total"), *[table.totals[0].get(c.key, 0) for c in columns]]
    return Section(
        key=key,
        title=title,
        headers=[first, *[str(c.label) for c in columns]],
        kinds=["text", *["count"] * len(columns)],
        rows=rows,
        total=total,
        note=note or str(table.note or ""),
        sheet=sheet,
    )


def _budget_section(project: Project, spending: IndicatorTable, budget) -> Section:
    """Per budget line: allocated, committed, spent and remaining to date (the finance budget
    view), and what was spent and committed in the period (the spending indicator)."""
    in_period: dict[str, dict] = {}
    for row in spending.rows:
        if row.get("project_code") != project.code:
            continue
        in_period[row.get("budget_line_code") or ""] = row
    zero = Decimal("0.00")

    def period_cells(code):
        row = in_period.get(code) or {}
        return [row.get("spent", zero), row.get("committed", zero)]

    rows = []
    for line in budget.lines:
        rows.append(
            [
                line.line.code,
                line.line.name,
                line.allocated,
                line.committed,
                line.spent,
                line.remaining,
                *period_cells(line.line.code),
            ]
        )
    u = budget.unallocated
    if u.committed or u.spent or "" in in_period:
        rows.append(
            [
                "",
                _("Not on a budget line"),
                None,
                u.committed,
                u.spent,
                None,
                *period_cells(""),
            ]
        )
    spent_period = sum((r[6] for r in rows), zero)
    committed_period = sum((r[7] for r in rows), zero)
    total = [
        "",
        _("Total"),
        budget.allocated,
        budget.committed,
        budget.spent,
        budget.remaining,
        spent_period,
        committed_period,
    ]
    note = _(
        "Amounts in %(currency)s. Allocated, committed, spent and remaining are the budget "
        "lines' state on the day of the report; the last two columns are the costs spent, and "
        "committed and not yet spent, in the period. Released (cancelled) costs are not counted."
    ) % {"currency": project.currency}
    if budget.awaiting_charges:
        note += " " + _(
            "%(n)s cost(s) awaiting an exchange rate are not included (no amount in the "
            "project's currency yet)."
        ) % {"n": budget.awaiting_charges}
    return Section(
        key="budget",
        title=_("Spending by budget line"),
        sheet=_("Budget lines"),
        headers=[
            _("Code"),
            _("Budget line"),
            _("Allocated"),
            _("Committed"),
            _("Spent"),
            _("Remaining"),
            _("Spent in the period"),
            _("Committed in the period"),
        ],
        kinds=["text", "text", *["amount"] * 6],
        rows=rows,
        total=total,
        note=note,
    )


def donor_report(
    user,
    project: Project,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    generated_at: datetime.datetime | None = None,
) -> DonorReport:
    """The donor report of `project` from `date_from` to `date_to` (inclusive), with the figures
    `user` may count (the indicators' scope). The caller checks that `user` may report on the
    project (policies.project_for_report)."""
    from awda.finance.budget_selectors import budget_view

    k = min_cell()
    tables: dict[str, IndicatorTable] = {}
    for key, code, by, suppressed in TABLES:
        filters = Filters(date_from=date_from, date_to=date_to, by=by, project=project.pk)
        table = compute(code, user, filters)
        tables[key] = suppress(table, k) if suppressed else table
    budget = budget_view(project)

    caseload_total = tables["caseload"].totals[0] if tables["caseload"].totals else {}
    returns_total = tables["returns"].totals[0] if tables["returns"].totals else {}
    outcomes = tables["reintegration"].totals[0] if tables["reintegration"].totals else {}
    activities = Section(
        key="activities",
        title=_("Activities"),
        sheet=_("Activities"),
        headers=[_("Figure"), _("Number")],
        kinds=["text", "count"],
        rows=[
            *[
                [str(c.label), caseload_total.get(c.key)]
                for c in tables["caseload"].measures
                if c.kind == "count"
            ],
            [str(tables["returns"].column("returnees").label), returns_total.get("returnees")],
            [_("Cases returned"), returns_total.get("cases")],
            *[
                [str(c.label), outcomes.get(c.key)]
                for c in tables["reintegration"].measures
                if c.kind == "count"
            ],
        ],
        note=_(
            "Registered: cases (and their persons: the principal applicant and the members who "
            "travel) registered in the period; counselled, found eligible or not eligible, "
            "withdrawn: those that reached that step in the period. Returnees: travellers who "
            "departed in the period. Reintegration: cases whose handover the origin office "
            "accepted (started), whose returnees were received, or that were closed in the "
            "period."
        ),
    )
    sections = [
        activities,
        _grouped(
            "people_by_age",
            _("People reached by age group and sex"),
            tables["returns_by_age"],
            first=_("Age group (at departure)"),
            measures=("returnees", "female", "male"),
            sheet=_("People by age and sex"),
        ),
        _grouped(
            "people_by_sex",
            _("People reached by sex"),
            tables["returns_by_sex"],
            first=_("Sex"),
            measures=("returnees", "children", "adults", "elderly"),
            sheet=_("People by sex"),
        ),
        _transposed(
            "assistance",
            _("Pre-departure assistance by type (persons)"),
            tables["assistance"],
            sheet=_("Assistance"),
        ),
        _grouped(
            "reintegration_assistance",
            _("Reintegration assistance delivered"),
            tables["reintegration_assistance"],
            first=_("Assistance type"),
            sheet=_("Reintegration assistance"),
        ),
        _budget_section(project, tables["spending"], budget),
    ]
    return DonorReport(
        project=project,
        donors=list(project.donors.all()),
        date_from=date_from,
        date_to=date_to,
        generated_at=generated_at or timezone.now(),
        min_cell=k,
        currency=project.currency,
        sections=sections,
        tables=tables,
        awaiting_rate=budget.awaiting_charges,
    )


def is_suppressed(value) -> bool:
    return value is SUPPRESSED
