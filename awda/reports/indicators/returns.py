"""Indicators of the return itself: returns (persons who departed), vulnerable categories among
the returnees, and the lead time from registration to departure. Definitions:
docs/indicators.md."""

import math
import statistics

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from awda.cases.models import Case
from awda.core.errors import PermissionDenied
from awda.movements.choices import BookingStatus
from awda.movements.models import Booking
from awda.registry.choices import Sex
from awda.screening.factors import FACTORS, Flag
from awda.screening.models import VulnerabilityScreening

from .base import (
    COUNTING_ROLES,
    VULNERABILITY_ROLES,
    Column,
    Filters,
    IndicatorTable,
    countable_case_q,
    may_count_vulnerabilities,
    require_counter,
)
from .dimensions import (
    ADULT_GROUPS,
    CHILD_GROUPS,
    DIMENSIONS,
    ELDERLY_GROUPS,
    Facts,
    Group,
    age_at,
    age_group,
    dimension_columns,
    filter_q,
)
from .suppression import suppress_restricted
from .tables import build_table, check_by, count_values, departed_drill

# A traveller whose seat went (departed) or who was confirmed at home (arrived) has returned.
RETURNED_BOOKINGS = (BookingStatus.DEPARTED, BookingStatus.ARRIVED)

RETURN_FACTS = Facts(
    case="case__",
    person="person__",
    date="travel_date",
    project="case__project",
    age=age_at("person__", "travel_date"),
)
PERSON_DIMENSIONS = (
    "nationality",
    "total",
    "month",
    "office",
    "country_of_return",
    "destination",
    "sex",
    "age_group",
    "project",
    "donor",
)


def departed_bookings(user, filters: Filters, *, roles=COUNTING_ROLES):
    """The seats of the travellers who departed in the period (travel date), on the cases
    `user` may count (with one of `roles`), with the filters applied."""
    q = countable_case_q(user, "case__", roles=roles)
    if q is None:
        return Booking.objects.none()
    return Booking.objects.filter(
        q,
        status__in=RETURNED_BOOKINGS,
        travel_date__gte=filters.date_from,
        travel_date__lte=filters.date_to,
    ).filter(filter_q(filters, RETURN_FACTS))


# ---- returns ----------------------------------------------------------------------------------

RETURN_COLUMNS = [
    Column("returnees", _("Returnees"), "#reached+returnees"),
    Column("female", _("Female"), "#reached+returnees+f", group="sex", within="returnees"),
    Column("male", _("Male"), "#reached+returnees+m", group="sex", within="returnees"),
    Column(
        "children",
        _("Children (0-17)"),
        "#reached+returnees+children",
        group="age",
        within="returnees",
    ),
    Column(
        "adults", _("Adults (18-59)"), "#reached+returnees+adults", group="age", within="returnees"
    ),
    Column(
        "elderly",
        _("Older persons (60+)"),
        "#reached+returnees+elderly",
        group="age",
        within="returnees",
    ),
    Column("cases", _("Cases"), "#reached+hh+returnees"),
]


def returns(user, filters: Filters) -> IndicatorTable:
    """Returns: travellers who departed in the period (a departed or arrived booking, by its
    travel date), by sex and age at departure, and the cases they travelled on."""
    require_counter(user)
    filters = check_by(filters, PERSON_DIMENSIONS, "nationality")
    qs = departed_bookings(user, filters).alias(age_band=age_group(RETURN_FACTS.age))
    aggregates = {
        "returnees": Count("id"),
        "female": Count("id", filter=Q(person__sex=Sex.FEMALE)),
        "male": Count("id", filter=Q(person__sex=Sex.MALE)),
        "children": Count("id", filter=Q(age_band__in=CHILD_GROUPS)),
        "adults": Count("id", filter=Q(age_band__in=ADULT_GROUPS)),
        "elderly": Count("id", filter=Q(age_band__in=ELDERLY_GROUPS)),
        "cases": Count("case_id", distinct=True),
    }
    from .dimensions import Part

    return build_table(
        code="returns",
        title=_("Returns"),
        filters=filters,
        parts=[Part(qs, RETURN_FACTS, aggregates)],
        measures=RETURN_COLUMNS,
        convert=lambda raw: count_values(raw, aggregates),
        drill=departed_drill(filters),
    )


# ---- vulnerable categories --------------------------------------------------------------------


def _factor_q(codes) -> Q:
    q = Q()
    for code in codes:
        q |= Q(**{code: True})
    return q


def _flag_factors(flag) -> list[str]:
    return [f.code for f in FACTORS if f.flag == flag]


# category -> the factors of the person's latest screening that put them in it
CATEGORIES = {
    "vulnerable": [f.code for f in FACTORS],
    "uasc": _flag_factors(Flag.UASC),
    "vot": _flag_factors(Flag.VOT),
    "health": _flag_factors(Flag.HEALTH),
    "disability": _flag_factors(Flag.DISABILITY),
    "single_parent": ["single_parent"],
}


def _restricted(key, label, hxl) -> Column:
    """A count of a restricted category: suppressed on every output under the threshold, and
    whenever the row's returnees are under it (suppression.py)."""
    return Column(key, label, hxl, basis="returnees", restricted=True)


# Restricted: the categories of restricted data (domain.md section 10: child protection,
# trafficking, medical, disability being medical data) and "any vulnerability", which adds them up.
VULNERABLE_COLUMNS = [
    Column("returnees", _("Returnees"), "#reached+returnees"),
    Column("screened", _("Screened"), "#reached+returnees+screened"),
    _restricted("vulnerable", _("With a vulnerability"), "#reached+returnees+vulnerable"),
    _restricted("uasc", _("Unaccompanied or separated children"), "#reached+returnees+uasc"),
    _restricted("vot", _("Trafficking indicators"), "#reached+returnees+vot"),
    _restricted("health", _("Health needs"), "#reached+returnees+health"),
    _restricted("disability", _("Disability"), "#reached+returnees+disabled"),
    Column("single_parent", _("Single parents"), "#reached+returnees+single_parent"),
]


def _current_screening():
    """Screenings of the traveller in the booking's case that no later screening replaces (the
    person's current screening in that case), correlated on the booking."""
    newer = VulnerabilityScreening.objects.filter(
        case_id=OuterRef("case_id"), person_id=OuterRef("person_id")
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id"))
    )
    return VulnerabilityScreening.objects.filter(
        case_id=OuterRef("case_id"), person_id=OuterRef("person_id")
    ).filter(~Exists(newer))


def vulnerable_returnees(user, filters: Filters) -> IndicatorTable:
    """Returnees (as in `returns`) whose current vulnerability screening in their case records
    a factor of each category, over the cases of the offices (and origin missions) where `user`
    holds one of VULNERABILITY_ROLES (not finance officers: PermissionDenied without one). The
    restricted categories are suppressed on every output (suppression.suppress_restricted)."""
    if not may_count_vulnerabilities(user):
        raise PermissionDenied()
    filters = check_by(filters, PERSON_DIMENSIONS, "nationality")
    qs = departed_bookings(user, filters, roles=VULNERABILITY_ROLES)
    aggregates = {
        "returnees": Count("id"),
        "screened": Count("id", filter=Q(Exists(_current_screening()))),
    }
    for key, factors in CATEGORIES.items():
        aggregates[key] = Count(
            "id", filter=Q(Exists(_current_screening().filter(_factor_q(factors))))
        )
    from .dimensions import Part

    table = build_table(
        code="vulnerable",
        title=_("Vulnerable categories among returnees"),
        filters=filters,
        parts=[Part(qs, RETURN_FACTS, aggregates)],
        measures=VULNERABLE_COLUMNS,
        convert=lambda raw: count_values(raw, aggregates),
        drill=None,
    )
    return suppress_restricted(table)


# ---- lead time ----------------------------------------------------------------------------------

CASE_FACTS = Facts(case="", person=None, date="departed_on", project="project")
CASE_DIMENSIONS = (
    "office",
    "total",
    "month",
    "nationality",
    "country_of_return",
    "project",
    "donor",
)

LEAD_TIME_COLUMNS = [
    Column("cases", _("Cases departed"), "#reached+hh+returnees"),
    Column("median_days", _("Median (days)"), "#indicator+days+median", kind="stat", basis="cases"),
    Column(
        "p90_days", _("90th percentile (days)"), "#indicator+days+p90", kind="stat", basis="cases"
    ),
]


def median(values: list[int]):
    """The median (the mean of the two middle values for an even count), None when empty."""
    if not values:
        return None
    m = statistics.median(values)
    return int(m) if float(m).is_integer() else float(m)


def percentile(values: list[int], p: float):
    """The nearest-rank percentile: the smallest value with at least p % of the values at or
    below it (sorted[ceil(p/100 x n) - 1]); an observed value, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _lead_stats(days: list[int]) -> dict:
    return {"cases": len(days), "median_days": median(days), "p90_days": percentile(days, 90)}


def lead_time(user, filters: Filters) -> IndicatorTable:
    """Days from registration to departure of the cases that departed in the period (the
    case's departure date): median and 90th percentile. Read as (group, dates) pairs and
    computed in Python (the same on every database); one query, plus none per group."""
    require_counter(user)
    filters = check_by(filters, CASE_DIMENSIONS, "office")
    q = countable_case_q(user)
    qs = Case.objects.none() if q is None else Case.objects.filter(q)
    qs = qs.filter(
        departed_on__isnull=False,
        departed_on__gte=filters.date_from,
        departed_on__lte=filters.date_to,
    ).filter(filter_q(filters, CASE_FACTS))
    dimension = DIMENSIONS[filters.by]
    expressions = dimension.expressions(CASE_FACTS)
    keys = list(expressions)
    columns = [*dimension_columns(filters.by), *LEAD_TIME_COLUMNS]
    drill = departed_drill(filters)
    table = IndicatorTable(
        code="lead_time",
        title=_("Lead time from registration to departure"),
        by=filters.by,
        filters=filters,
        columns=columns,
    )
    groups: dict[tuple, Group] = {}
    order: list[tuple] = []
    every: dict[int, int] = {}
    rows = qs.values(**expressions, _case=F("pk"), _reg=F("registered_on"), _dep=F("departed_on"))
    for raw in rows.order_by(*keys, "pk") if keys else rows.order_by("pk"):
        days = (raw["_dep"] - raw["_reg"]).days
        every[raw["_case"]] = days
        if not keys:
            continue
        key = tuple(raw[k] for k in keys)
        if key not in groups:
            values, label, part = dimension.finish(raw, filters)
            groups[key] = Group(values, label, part, {"days": []}, {})
            order.append(key)
        groups[key].measures["days"].append(days)
    period = {"period_start": filters.date_from, "period_end": filters.date_to}
    blank = {c.key: "" for c in dimension.columns}
    table.totals = [{**period, **blank, **_lead_stats(list(every.values()))}]
    table.total_labels = [str(_("Total"))]
    table.total_drill = [drill({})]
    if filters.by == "total":
        table.rows = [dict(table.totals[0])]
        table.labels = list(table.total_labels)
        table.drill = list(table.total_drill)
        return table
    wanted = dimension.all_keys(filters)
    for key in wanted or []:
        if key not in groups:
            raw = dict(zip(keys, key, strict=True))
            values, label, part = dimension.finish(raw, filters)
            groups[key] = Group(values, label, part, {"days": []}, {})
            order.append(key)
    entries = []
    for key in order:
        g = groups[key]
        row = {**g.values, **_lead_stats(g.measures["days"])}
        entries.append((row, g.label, drill(g.drill) if g.drill is not None else None))
    if dimension.by_size:
        entries.sort(key=lambda e: (-e[0]["cases"], e[1].casefold()))
    else:
        entries.sort(key=lambda e: dimension.sort_key(e[0], e[1]))
    table.rows = [e[0] for e in entries]
    table.labels = [e[1] for e in entries]
    table.drill = [e[2] for e in entries]
    return table
