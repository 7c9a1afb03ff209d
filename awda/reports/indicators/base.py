"""The building blocks every indicator shares: the filters, the result (an IndicatorTable of
columns, rows and totals), who may count which cases, and the cell that is suppressed.

Definitions of each indicator: docs/indicators.md."""

import datetime
from dataclasses import dataclass, field, replace

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.accounts.choices import Role
from awda.accounts.selectors import user_scope
from awda.cases.policies import CASE_VIEWERS, PERMISSIONS
from awda.core.errors import PermissionDenied

# The roles that count cases: those who see them (case.view) and those who see figures only
# (reports.aggregates: managers, M&E, finance).
COUNTING_ROLES = frozenset(CASE_VIEWERS | PERMISSIONS["reports.aggregates"])
# The roles that count the vulnerability categories (restricted data: trafficking, health, child
# protection): those who read screening results (screening.view: not finance officers) and M&E
# officers, whose work these figures are (domain.md section 9; aggregates only, always
# suppressed under the threshold).
VULNERABILITY_ROLES = frozenset(PERMISSIONS["screening.view"] | {Role.ME})


class _Suppressed:
    """A count (or a figure computed from one) under the small-cell threshold: not shown."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self):
        return False

    def __str__(self):
        return ""

    def __repr__(self):
        return "SUPPRESSED"


SUPPRESSED = _Suppressed()


@dataclass(frozen=True)
class Filters:
    """What to count: a period (inclusive dates), the dimension to group by ("" for the
    indicator's default) and optional filters. Country codes are ISO 3166 alpha-2."""

    date_from: datetime.date
    date_to: datetime.date
    by: str = ""
    office: int | None = None
    nationality: str = ""
    country_of_return: str = ""
    project: int | None = None
    donor: int | None = None
    instrument: int | None = None

    @classmethod
    def default(cls, today: datetime.date | None = None, **kwargs) -> "Filters":
        """The current calendar year."""
        today = today or timezone.localdate()
        return cls(
            date_from=datetime.date(today.year, 1, 1),
            date_to=datetime.date(today.year, 12, 31),
            **kwargs,
        )

    def with_by(self, by: str) -> "Filters":
        return replace(self, by=by)

    def as_params(self) -> dict:
        """The filters as query-string parameters (only those given): for links, downloads and
        the audit trail (ids and codes, never personal data)."""
        out = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}
        for key in ("by", "office", "nationality", "country_of_return", "project", "donor"):
            value = getattr(self, key)
            if value not in (None, ""):
                out[key] = value
        if self.instrument:
            out["instrument"] = self.instrument
        return out


@dataclass(frozen=True)
class Column:
    """A column of an indicator table.

    kind: "date", "code", "text", "bool" (dimension columns); "count" (a number of persons or
    cases: the cells the small-cell rule applies to); "stat" (a median, a percentile, a mean)
    and "amount" (money), both suppressed with their `basis` count; "currency".
    `group`: the count columns that together make up the row's total (e.g. female and male),
    `within` the key of that total (the returnees): when one of them is suppressed another is
    too, so that it cannot be recomputed (suppression.py).
    `restricted`: counts of a restricted category (trafficking, health, child protection),
    suppressed on every output, whoever looks (not only in the HXL file), under the threshold
    and whenever their `basis` (the row's returnees) is under it."""

    key: str
    label: object
    hxl: str
    kind: str = "count"
    basis: str | None = None
    group: str | None = None
    within: str | None = None
    restricted: bool = False
    dimension: bool = False

    @property
    def is_measure(self) -> bool:
        return not self.dimension

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": str(self.label),
            "hxl": self.hxl,
            "kind": self.kind,
            "dimension": self.dimension,
        }


@dataclass
class IndicatorTable:
    """What a selector returns: plain data, the same for the dashboard, the API, the CSV, XLSX
    and HXL files and the donor reports.

    rows: one dict per group of the `by` dimension ({column key: value}); `labels`: the
    display label of each row; `totals`: the whole filtered population (one row; one per
    currency for money), computed by the database, never the sum of the rows (a person counted
    in two months is one person in the total); `drill`: per row, the case-list filters that list
    its cases, or None."""

    code: str
    title: object
    by: str
    filters: Filters
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)
    total_labels: list[str] = field(default_factory=list)
    drill: list[dict | None] = field(default_factory=list)
    total_drill: list[dict | None] = field(default_factory=list)
    note: object = ""

    @property
    def measures(self) -> list[Column]:
        return [c for c in self.columns if c.is_measure]

    @property
    def dimension_columns(self) -> list[Column]:
        return [c for c in self.columns if c.dimension]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def shows_totals(self) -> bool:
        return self.by != "total"


def may_count(user) -> bool:
    """Whether `user` may see any indicator: a role that views cases or counts them."""
    return user_scope(user).has_role(*COUNTING_ROLES)


def require_counter(user) -> None:
    if not may_count(user):
        raise PermissionDenied()


def shows_cases(user) -> bool:
    """Whether figures may link to the case list (M&E officers see aggregates only)."""
    from awda.cases.policies import can

    return can(user, "case.view")


def may_count_vulnerabilities(user) -> bool:
    """Whether `user` may see the vulnerability categories (VULNERABILITY_ROLES somewhere)."""
    return user_scope(user).has_role(*VULNERABILITY_ROLES)


def countable_case_q(user, prefix: str = "", roles=COUNTING_ROLES) -> Q | None:
    """The cases whose figures `user` may count, as a filter on a model reaching Case through
    `prefix` ("case__", "" for Case itself): the cases of the offices where the user holds a
    role that views cases (cases.selectors.case_queryset_for) or the reports.aggregates right
    (aggregate_case_queryset_for), and the cases handed over to the origin missions where they
    hold one (reintegration.surveys.selectors.cohort_case_q does the same for surveys). None
    when there is none. `roles` narrows the roles that count (VULNERABILITY_ROLES for the
    vulnerability categories)."""
    scope = user_scope(user)
    offices = scope.offices_with(*roles)
    missions = scope.missions_with(*roles) & scope.origin_mission_ids
    if not offices and not missions:
        return None
    q = Q(**{f"{prefix}office_id__in": sorted(offices)})
    if missions:
        q |= Q(
            **{
                f"{prefix}receiving_mission_id__in": sorted(missions),
                f"{prefix}handed_over_at__isnull": False,
            }
        )
    return q


def months_between(date_from: datetime.date, date_to: datetime.date) -> list[datetime.date]:
    """The first day of every month the period touches."""
    out = []
    day = date_from.replace(day=1)
    while day <= date_to:
        out.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return out


def month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
        days=1
    )


PERIOD_COLUMNS = [
    Column("period_start", _("Period start"), "#date+start", kind="date", dimension=True),
    Column("period_end", _("Period end"), "#date+end", kind="date", dimension=True),
]
