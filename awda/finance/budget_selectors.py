"""Scoped reads of the budgets: the projects a user follows with their totals, a project's
budget view (per line allocated, committed, spent, remaining; what is not on a budget line;
what awaits a rate), its burn over time, its charges, overrides, contributions and caps, and the
exchange rates.

Every figure is in the project's currency and sums converted charges (Charge.project_amount);
a charge awaiting a rate is shown apart, per currency, in its own amount. Released charges are
kept and listed but never counted. Each read costs a fixed number of queries (GROUP BY), whatever
the number of lines, charges or months.

Project access: a project outside the user's missions is a 404 (like a missing one); inside
them, without the permission asked, a 403 (policies)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from awda.accounts.selectors import user_scope
from awda.core.errors import NotFound, PermissionDenied

from . import policies
from .choices import ChargeStage
from .models import (
    BudgetLine,
    BudgetOverride,
    Charge,
    Contribution,
    ExchangeRate,
    PersonCap,
    Project,
)

ZERO = Decimal("0.00")
ACTIVE = (ChargeStage.COMMITTED, ChargeStage.SPENT)
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


# ---- projects -----------------------------------------------------------------------------------


def project_get_for(user, pk, *, action: str = "finance.view") -> Project:
    """The project if `user` may do `action` on it: NotFound outside the user's missions (or
    missing), PermissionDenied inside them without the role."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    project = (
        Project.objects.select_related("mission")
        .filter(pk=pk, mission_id__in=user_scope(user).mission_ids)
        .first()
    )
    if project is None:
        raise NotFound()
    if not policies.can(user, action, project):
        raise PermissionDenied()
    return project


def _sum_of(qs, field_name: str):
    """A correlated subquery: the sum of `field_name` over `qs` (already filtered on the outer
    project), 0 when there is none."""
    total = qs.order_by().values("project").annotate(total=Sum(field_name)).values("total")[:1]
    return Coalesce(
        Subquery(total, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD
    )


def project_budget_list_for(user, *, active_only: bool = False):
    """The projects of the missions where `user` has finance.view, each with `allocated`,
    `committed`, `spent`, `remaining`, `unallocated` (committed and spent on no line) and
    `awaiting` (charges awaiting a rate): one query, plus one for the donors."""
    charges = Charge.objects.filter(project=OuterRef("pk"), project_amount__isnull=False)
    awaiting = (
        Charge.objects.filter(project=OuterRef("pk"), stage__in=ACTIVE, project_amount__isnull=True)
        .order_by()
        .values("project")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    qs = (
        Project.objects.filter(mission_id__in=policies.missions_with(user, "finance.view"))
        .select_related("mission")
        .prefetch_related("donors")
        .annotate(
            allocated=_sum_of(BudgetLine.objects.filter(project=OuterRef("pk")), "amount"),
            committed=_sum_of(charges.filter(stage=ChargeStage.COMMITTED), "project_amount"),
            spent=_sum_of(charges.filter(stage=ChargeStage.SPENT), "project_amount"),
            unallocated=_sum_of(
                charges.filter(stage__in=ACTIVE, budget_line__isnull=True), "project_amount"
            ),
            awaiting=Coalesce(Subquery(awaiting), Value(0)),
        )
        .order_by("-start_date", "code")
    )
    if active_only:
        qs = qs.filter(is_active=True, end_date__gte=timezone.localdate())
    return qs


def with_remaining(projects):
    """The projects of project_budget_list_for with `remaining` and `percent` set."""
    rows = list(projects)
    for p in rows:
        p.remaining = p.allocated - p.committed - p.spent
        p.percent = _percent(p.committed + p.spent, p.allocated)
    return rows


# ---- the budget view ----------------------------------------------------------------------------


def _percent(used: Decimal, allocated: Decimal):
    if not allocated:
        return None
    return (used * 100 / allocated).quantize(Decimal("0.1"))


class _Usage:
    """used (committed + spent), remaining and percent of an allocation."""

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.used

    @property
    def percent(self):
        return _percent(self.used, self.allocated)


@dataclass
class LineRow(_Usage):
    line: BudgetLine | None  # None: the costs on no budget line
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    overrun_allowed: Decimal = ZERO
    charges: int = 0
    # Costs accepted past the allocation / a person's cap (flagged, not refused: under an
    # override, converted when their rate came, at a later day's rate, or rebuilt).
    over_budget_charges: int = 0
    over_cap_charges: int = 0

    @property
    def bar_percent(self) -> int:
        """The width of the progress bar (0 to 100)."""
        if not self.allocated:
            return 100 if self.used else 0
        return int(min(Decimal(100), self.used * 100 / self.allocated))

    @property
    def over(self) -> bool:
        return self.line is not None and self.used > self.allocated

    @property
    def warning(self) -> bool:
        """Past the line's warning threshold (over lines are flagged too)."""
        if self.line is None:
            return False
        if not self.allocated:
            return self.used > 0
        return self.used * 100 >= self.allocated * self.line.warning_percent

    @property
    def ceiling(self) -> Decimal:
        return self.allocated + self.overrun_allowed

    @property
    def categories(self) -> list[str]:
        from .choices import CostCategory

        labels = dict(CostCategory.choices)
        return [str(labels.get(c, c)) for c in (self.line.categories if self.line else [])]


@dataclass
class AwaitingRow:
    currency: str
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    charges: int = 0


@dataclass
class BudgetView(_Usage):
    project: Project
    lines: list[LineRow]
    unallocated: LineRow
    awaiting: list[AwaitingRow]
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    overrun_allowed: Decimal = ZERO
    warnings: list[LineRow] = field(default_factory=list)

    @property
    def awaiting_charges(self) -> int:
        return sum(a.charges for a in self.awaiting)

    @property
    def over_budget_charges(self) -> int:
        return sum(r.over_budget_charges for r in [*self.lines, self.unallocated])

    @property
    def over_cap_charges(self) -> int:
        return sum(r.over_cap_charges for r in [*self.lines, self.unallocated])


def budget_view(project: Project) -> BudgetView:
    """Per line: allocated, committed, spent, remaining, % used, warning and over flags, the
    overrun allowed, the costs flagged over budget or over a person's cap; the row of costs on
    no line; the costs awaiting a rate per currency; the
    totals (lines and costs on no line). Three queries."""
    lines = list(BudgetLine.objects.filter(project=project).order_by("code", "id"))
    rows = {
        line.pk: LineRow(line=line, allocated=line.amount, overrun_allowed=line.overrun_allowed)
        for line in lines
    }
    unallocated = LineRow(line=None)
    sums = (
        Charge.objects.filter(project=project, stage__in=ACTIVE, project_amount__isnull=False)
        .order_by()
        .values("budget_line_id", "stage")
        .annotate(
            total=Sum("project_amount"),
            n=Count("id"),
            over_budget_n=Count("id", filter=Q(over_budget=True)),
            over_cap_n=Count("id", filter=Q(over_cap=True)),
        )
    )
    for s in sums:
        row = rows.get(s["budget_line_id"], unallocated)
        setattr(row, s["stage"], getattr(row, s["stage"]) + (s["total"] or ZERO))
        row.charges += s["n"]
        row.over_budget_charges += s["over_budget_n"]
        row.over_cap_charges += s["over_cap_n"]
    awaiting: dict[str, AwaitingRow] = {}
    pending = (
        Charge.objects.filter(project=project, stage__in=ACTIVE, project_amount__isnull=True)
        .order_by()
        .values("currency", "stage")
        .annotate(total=Sum("amount"), n=Count("id"))
    )
    for s in pending:
        row = awaiting.setdefault(s["currency"], AwaitingRow(currency=s["currency"]))
        setattr(row, s["stage"], getattr(row, s["stage"]) + (s["total"] or ZERO))
        row.charges += s["n"]
    line_rows = [rows[line.pk] for line in lines]
    view = BudgetView(
        project=project,
        lines=line_rows,
        unallocated=unallocated,
        awaiting=[awaiting[c] for c in sorted(awaiting)],
    )
    view.allocated = sum((r.allocated for r in line_rows), ZERO)
    view.overrun_allowed = sum((r.overrun_allowed for r in line_rows), ZERO)
    view.committed = sum((r.committed for r in line_rows), ZERO) + unallocated.committed
    view.spent = sum((r.spent for r in line_rows), ZERO) + unallocated.spent
    view.warnings = [r for r in line_rows if r.warning]
    return view


def _month_add(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def budget_burn(project: Project, *, today: datetime.date | None = None) -> dict:
    """Month by month, in the project's currency: `committed` (costs committed or spent that
    month, by the date of their commitment or, for costs spent at once, of their payment) and
    `spent` (by the date of payment), each also cumulative; from the project's first month (or
    earlier costs) to this month (or the project's end, or later costs). Converted, not released
    charges; two queries."""
    base = Charge.objects.filter(project=project, project_amount__isnull=False).order_by()
    spent = dict(
        base.filter(stage=ChargeStage.SPENT, spent_on__isnull=False)
        .annotate(month=TruncMonth("spent_on"))
        .values("month")
        .annotate(total=Sum("project_amount"))
        .values_list("month", "total")
    )
    committed = dict(
        base.filter(stage__in=ACTIVE)
        .annotate(month=TruncMonth(Coalesce("committed_on", "spent_on")))
        .values("month")
        .annotate(total=Sum("project_amount"))
        .values_list("month", "total")
    )
    spent = {_as_date(k): v for k, v in spent.items() if k is not None}
    committed = {_as_date(k): v for k, v in committed.items() if k is not None}
    today = today or timezone.localdate()
    first = project.start_date.replace(day=1)
    last = min(today, project.end_date).replace(day=1)
    months = set(spent) | set(committed)
    if months:
        first, last = min(first, min(months)), max(last, max(months))
    if last < first:
        last = first
    labels, c_month, s_month, c_cum, s_cum = [], [], [], [], []
    c_total = s_total = ZERO
    month = first
    while month <= last:
        c = committed.get(month, ZERO) or ZERO
        s = spent.get(month, ZERO) or ZERO
        c_total += c
        s_total += s
        labels.append(month.strftime("%Y-%m"))
        c_month.append(c)
        s_month.append(s)
        c_cum.append(c_total)
        s_cum.append(s_total)
        month = _month_add(month, 1)
    return {
        "currency": project.currency,
        "labels": labels,
        "committed": c_month,
        "spent": s_month,
        "committed_cumulative": c_cum,
        "spent_cumulative": s_cum,
        "rows": [
            {
                "month": labels[i],
                "committed": c_month[i],
                "spent": s_month[i],
                "committed_cumulative": c_cum[i],
                "spent_cumulative": s_cum[i],
            }
            for i in range(len(labels))
        ],
    }


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):  # some backends give text for a truncated date
        return datetime.date.fromisoformat(value[:10])
    return value


def burn_chart_data(burn: dict, allocated: Decimal) -> dict:
    """The burn as plain numbers for Chart.js (json_script)."""
    return {
        "labels": burn["labels"],
        "committed": [float(v) for v in burn["committed_cumulative"]],
        "spent": [float(v) for v in burn["spent_cumulative"]],
        "allocated": float(allocated),
        "currency": burn["currency"],
    }


# ---- what is behind the figures -----------------------------------------------------------------

UNALLOCATED = "none"


def project_charges(
    project: Project,
    *,
    line=None,
    stage: str | None = None,
    awaiting: bool | None = None,
    currency: str | None = None,
    flagged: bool | None = None,
):
    """The project's charges, newest first, with their case, person, line and recorder
    (finance.charges). `line` is a line id or UNALLOCATED (costs on no line); `awaiting` True
    keeps the charges awaiting a rate, False the converted ones; `flagged` True the charges
    flagged over budget or over a person's cap, False the others."""
    qs = Charge.objects.filter(project=project).select_related("case", "budget_line", "recorded_by")
    if line == UNALLOCATED:
        qs = qs.filter(budget_line__isnull=True)
    elif line is not None:
        qs = qs.filter(budget_line_id=line)
    if stage:
        qs = qs.filter(stage=stage)
    if awaiting is not None:
        qs = qs.filter(project_amount__isnull=awaiting)
    if currency:
        qs = qs.filter(currency=currency)
    if flagged is not None:
        flag = Q(over_budget=True) | Q(over_cap=True)
        qs = qs.filter(flag) if flagged else qs.exclude(flag)
    return qs.order_by("-created_at", "-id")


def charge_get_for(user, pk, *, action: str = "finance.charges") -> Charge:
    """A charge of a project the user may see the charges of (NotFound / PermissionDenied as
    project_get_for)."""
    charge = (
        Charge.objects.select_related("project", "budget_line", "case")
        .filter(pk=pk, project__mission_id__in=user_scope(user).mission_ids)
        .first()
        if str(pk).isdigit()
        else None
    )
    if charge is None:
        raise NotFound()
    if not policies.can(user, action, charge.project):
        raise PermissionDenied()
    return charge


def project_overrides(project: Project):
    return (
        BudgetOverride.objects.filter(line__project=project)
        .select_related("line", "granted_by")
        .order_by("-created_at", "-id")
    )


def project_contributions(project: Project):
    return (
        Contribution.objects.filter(project=project)
        .select_related("donor", "recorded_by")
        .order_by("-received_on", "-id")
    )


def contribution_totals(contributions) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for c in contributions:
        totals[c.currency] = totals.get(c.currency, ZERO) + c.amount
    return dict(sorted(totals.items()))


def project_caps(project: Project):
    return PersonCap.objects.filter(project=project).order_by("category")


def project_lines(project: Project):
    return BudgetLine.objects.filter(project=project).order_by("code", "id")


# ---- exchange rates -----------------------------------------------------------------------------


def rate_list_for(user, *, currency: str | None = None):
    """Every recorded rate (rates are shared by all projects) for whoever has finance.view in
    some mission; none otherwise. `currency` keeps the rates where it is on either side."""
    if not policies.may_view_rates(user):
        return ExchangeRate.objects.none()
    qs = ExchangeRate.objects.select_related("recorded_by")
    if currency:
        qs = qs.filter(Q(currency=currency) | Q(to_currency=currency))
    return qs.order_by("-valid_from", "currency", "to_currency", "-id")


def awaiting_currencies_for(user) -> list[dict]:
    """Per currency pair still missing a rate (charge currency -> project currency): how many
    charges of the user's projects wait and since when. One query."""
    missions = policies.missions_with(user, "finance.view")
    rows = (
        Charge.objects.filter(
            project__mission_id__in=missions, stage__in=ACTIVE, project_amount__isnull=True
        )
        .order_by()
        .values("currency", "project__currency")
        .annotate(
            n=Count("id"), total=Sum("amount"), since=Min(Coalesce("committed_on", "spent_on"))
        )
        .order_by("currency", "project__currency")
    )
    return [
        {
            "currency": r["currency"],
            "to_currency": r["project__currency"],
            "charges": r["n"],
            "amount": r["total"],
            "since": r["since"],
        }
        for r in rows
    ]


def line_get_for(user, pk, *, action: str = "finance.manage") -> BudgetLine:
    """A budget line of a project of the user's missions (NotFound / PermissionDenied as
    project_get_for)."""
    line = (
        BudgetLine.objects.select_related("project", "project__mission")
        .filter(pk=pk, project__mission_id__in=user_scope(user).mission_ids)
        .first()
        if str(pk).isdigit()
        else None
    )
    if line is None:
        raise NotFound()
    if not policies.can(user, action, line.project):
        raise PermissionDenied()
    return line


def cap_get_for(user, pk, *, action: str = "finance.manage") -> PersonCap:
    cap = (
        PersonCap.objects.select_related("project")
        .filter(pk=pk, project__mission_id__in=user_scope(user).mission_ids)
        .first()
        if str(pk).isdigit()
        else None
    )
    if cap is None:
        raise NotFound()
    if not policies.can(user, action, cap.project):
        raise PermissionDenied()
    return cap
