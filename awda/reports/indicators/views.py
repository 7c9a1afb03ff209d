"""The indicators dashboard and the downloads. Thin: parse the filters, call the selectors
through the registry (the API and the donor reports call the same), render.

Users who see cases get links from a figure to the matching case list; M&E officers and other
aggregate-only roles get figures only (the tables never hold names)."""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.core.htmx import render_page_or_fragment

from . import downloads, services
from .base import SUPPRESSED, Column, IndicatorTable, may_count, shows_cases
from .dimensions import DIMENSIONS
from .forms import IndicatorFilterForm
from .registry import Indicator, effective_filters, indicator_get, indicators_for
from .suppression import min_cell

DOWNLOAD_LABELS = {"csv": "CSV", "xlsx": "XLSX", "hxl": "HXL"}


def display(value, column: Column) -> str:
    """A cell as shown on the page (localised numbers)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if column.kind == "amount":
        return number_format(value, 2, force_grouping=True)
    if isinstance(value, Decimal):
        return number_format(value, 2)
    if isinstance(value, float):
        return number_format(value, 1)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return str(value)


def _screen_columns(table: IndicatorTable) -> list[Column]:
    """The row label stands for the dimension; the currency and the co-funded flag stay."""
    return [c for c in table.columns if c.is_measure or c.kind in ("currency", "bool")]


def _cells(row: dict, columns: list[Column]) -> list[dict]:
    out = []
    for c in columns:
        value = row.get(c.key)
        hidden = value is SUPPRESSED
        out.append(
            {
                "key": c.key,
                "text": "" if hidden else display(value, c),
                "suppressed": hidden,
                "numeric": c.kind in ("count", "number", "stat", "amount"),
                "linkable": bool(value) and not hidden,  # no link to an empty list
            }
        )
    return out


def _case_list_url(params: dict | None) -> str | None:
    if params is None:
        return None
    return f"{reverse('cases:case_list')}?{urlencode(params)}"


def _chart_value(value):
    if value is SUPPRESSED or value is None or value == "":
        return None
    return float(value) if isinstance(value, Decimal | float) else value


def _chart(indicator: Indicator, table: IndicatorTable) -> dict:
    """The chart's data (read by the page's script from a json_script element): the row
    labels and one dataset per charted measure; a table of totals only is drawn measure by
    measure."""
    measures = [table.column(k) for k in indicator.chart if any(c.key == k for c in table.columns)]
    if table.by == "total" or not table.rows:
        rows = table.rows or table.totals
        return {
            "labels": [str(c.label) for c in measures],
            "datasets": [
                {"label": label, "data": [_chart_value(row.get(c.key)) for c in measures]}
                for label, row in zip(table.labels or table.total_labels, rows, strict=False)
            ],
        }
    return {
        "labels": table.labels,
        "datasets": [
            {"label": str(c.label), "data": [_chart_value(r.get(c.key)) for r in table.rows]}
            for c in measures
        ],
    }


def card(indicator: Indicator, table: IndicatorTable, *, links: bool) -> dict:
    """What the dashboard shows of one indicator: table, chart, downloads, case-list links."""
    columns = _screen_columns(table)
    first = next((c.key for c in columns if c.is_measure), None)
    params = urlencode(table.filters.with_by(table.by).as_params())

    def entry(label, row, drill):
        return {
            "label": label,
            "cells": _cells(row, columns),
            "url": _case_list_url(drill) if links else None,
        }

    return {
        "indicator": indicator,
        "code": indicator.code,
        "table": table,
        "by_label": DIMENSIONS[table.by].label,
        "columns": columns,
        "link_column": first,
        "rows": [entry(*e) for e in zip(table.labels, table.rows, table.drill, strict=True)],
        "totals": [
            entry(*e) for e in zip(table.total_labels, table.totals, table.total_drill, strict=True)
        ]
        if table.shows_totals
        else [],
        "chart": _chart(indicator, table),
        "chart_id": f"chart-data-{indicator.code}",
        "downloads": [
            {
                "fmt": fmt,
                "label": DOWNLOAD_LABELS[fmt],
                "url": f"{reverse('reports:indicator_download', args=[indicator.code, fmt])}?{params}",
            }
            for fmt in downloads.FORMATS
        ],
    }


def dashboard_cards(user, filters) -> list[dict]:
    """Every indicator of the pack that `user` may see (no spending without finance.view, no
    vulnerability categories for finance officers), each grouped by filters.by where it can
    be."""
    links = shows_cases(user)
    return [
        card(i, i.selector(user, effective_filters(i, filters)), links=links)
        for i in indicators_for(user)
    ]


@require_GET
@login_required
def dashboard(request):
    """The indicators with their charts and tables; the filter form reloads the body (htmx)."""
    if not may_count(request.user):
        raise DjangoPermissionDenied(_("Your role does not give access to figures."))
    form = IndicatorFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    context = {
        "form": form,
        "filters": filters,
        "cards": dashboard_cards(request.user, filters),
        "sees_cases": shows_cases(request.user),
        "min_cell": min_cell(),
    }
    return render_page_or_fragment(
        request, "reports/dashboard.html", "reports/_dashboard_body.html", context
    )


@require_GET
@login_required
def indicator_download(request, code: str, fmt: str):
    """One indicator as CSV, XLSX or HXL, with the dashboard's filters (audited); 403 for an
    indicator the user may not see."""
    if fmt not in downloads.FORMATS:
        raise Http404()
    try:
        indicator = indicator_get(code)
    except NotFound:
        raise Http404() from None
    if not indicator.visible_to(request.user):
        raise DjangoPermissionDenied()
    form = IndicatorFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    try:
        export = services.indicator_export(request.user, code=code, fmt=fmt, filters=form.filters())
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    except ValidationFailed as exc:
        text = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.fields.items())
        return HttpResponseBadRequest(text or str(exc.message), content_type="text/plain")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response
