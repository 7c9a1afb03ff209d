"""Turn the grouped query results into an IndicatorTable: the rows (dimension columns, then the
measures), their labels and order, the totals, and the case-list filters of each row."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from awda.core.errors import ValidationFailed

from .base import Column, Filters, IndicatorTable
from .dimensions import DIMENSIONS, Part, dimension_columns, grouped, totals


def check_by(filters: Filters, allowed: tuple[str, ...], default: str) -> Filters:
    """The filters with `by` resolved: the indicator's default when empty; refused
    (ValidationFailed on "by") when the indicator cannot be grouped that way."""
    if not filters.by:
        return filters.with_by(default)
    if filters.by not in allowed:
        raise ValidationFailed(
            fields={
                "by": [
                    _("This indicator cannot be grouped by “%(by)s”; choose one of: %(allowed)s.")
                    % {"by": filters.by, "allowed": ", ".join(allowed)}
                ]
            }
        )
    return filters


def count_values(raw: dict, keys) -> dict:
    """Counts as whole numbers (an empty group counts 0)."""
    return {k: int(raw.get(k) or 0) for k in keys}


def build_table(
    *,
    code: str,
    title,
    filters: Filters,
    parts: list[Part],
    measures: list[Column],
    convert: Callable[[dict], dict],
    drill: Callable[[dict | None], dict | None] | None = None,
    extra_columns: list[Column] | None = None,
    note="",
) -> IndicatorTable:
    """Run the parts grouped by filters.by (one query each) and ungrouped for the totals (one
    query each), and assemble the table. `convert` turns a group's raw aggregates into the
    measure columns' values; `drill` turns a row's dimension filters ({"office": id, "period":
    (from, to), ...}, {} for the totals, None when the case list cannot filter that group) into
    case-list query parameters, or None."""
    dimension = DIMENSIONS[filters.by]
    extra_columns = extra_columns or []
    columns = [*dimension_columns(filters.by), *extra_columns, *measures]
    blank_dimensions = {c.key: "" for c in dimension.columns}
    period = {"period_start": filters.date_from, "period_end": filters.date_to}

    def extra_values(extra: dict) -> dict:
        return {k.removeprefix("x_"): v for k, v in extra.items()}

    def drill_of(part):
        if drill is None or part is None:
            return None
        return drill(part)

    table = IndicatorTable(
        code=code, title=title, by=filters.by, filters=filters, columns=columns, note=note
    )
    total_rows = totals(parts)
    for t in total_rows:
        extra = {k: t[k] for k in t if k.startswith("x_")}
        table.totals.append({**period, **blank_dimensions, **extra_values(extra), **convert(t)})
        label = _("Total")
        if extra_values(extra).get("currency"):
            label = _("Total (%(currency)s)") % {"currency": extra_values(extra)["currency"]}
        table.total_labels.append(label)
        table.total_drill.append(drill_of({}))
    if filters.by == "total":
        table.rows = [dict(t) for t in table.totals]
        table.labels = list(table.total_labels)
        table.drill = list(table.total_drill)
        return table

    entries = []
    for g in grouped(parts, dimension, filters):
        row = {**g.values, **extra_values(g.extra), **convert(g.measures)}
        entries.append((row, g.label, drill_of(g.drill)))
    first = measures[0].key if measures else None
    if dimension.by_size and first:
        entries.sort(key=lambda e: (-(e[0].get(first) or 0), e[1].casefold()))
    else:
        entries.sort(key=lambda e: (dimension.sort_key(e[0], e[1]), e[0].get("currency", "")))
    table.rows = [e[0] for e in entries]
    table.labels = [e[1] for e in entries]
    table.drill = [e[2] for e in entries]
    return table


def departed_drill(filters: Filters):
    """Case-list filters for indicators counted on the departure date (returns, lead time):
    departed_from/to, office, nationality (the principal applicant's, as the case list filters
    it), project. None when a filter or the row's group cannot be expressed there (country of
    return, donor, sex, age group ...)."""

    def drill(part: dict) -> dict | None:
        if filters.country_of_return or filters.donor:
            return None
        start, end = part.get("period") or (filters.date_from, filters.date_to)
        params = {"departed_from": start.isoformat(), "departed_to": end.isoformat()}
        office = part.get("office") or filters.office
        nationality = part.get("nationality") or filters.nationality
        project = part.get("project") or filters.project
        if office:
            params["office"] = office
        if nationality:
            params["nationality"] = nationality
        if project:
            params["project"] = project
        return params

    return drill
