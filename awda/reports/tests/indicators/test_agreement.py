"""A figure is the same on the dashboard, in the API and in the CSV download: all three call the
indicator's one selector (a donor report will too)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from awda.core.api.testing import api_client
from awda.reports.indicators.base import SUPPRESSED
from awda.reports.indicators.registry import INDICATORS

PARAMS = {"date_from": "2025-01-01", "date_to": "2025-12-31"}


def _number(value):
    """Dashboard values, API JSON and CSV text on one scale (None for empty or suppressed)."""
    if value is SUPPRESSED or value is None or value == "":
        return None
    if isinstance(value, bool) or value in ("true", "false"):
        return value in (True, "true")
    return Decimal(str(value))


def from_dashboard(client, user, code, params):
    """{row label: {measure: value}} of the indicator's card, after checking that the page
    prints those values; and the card's column labels."""
    client.force_login(user)
    response = client.get(reverse("reports:dashboard"), params)
    card = next(c for c in response.context["cards"] if c["code"] == code)
    table = card["table"]
    measures = [c.key for c in table.measures]
    rows = {
        label: {k: _number(r[k]) for k in measures}
        for label, r in zip(table.labels, table.rows, strict=True)
    }
    for entry in card["rows"]:  # the page prints those values (rounded to two places)
        for cell in entry["cells"]:
            if cell["key"] in measures and cell["text"] not in ("", "—"):
                printed = Decimal(cell["text"].replace(",", ""))
                assert printed == rows[entry["label"]][cell["key"]], (entry["label"], cell)
    labels = {c.key: str(c.label) for c in table.columns}
    return rows, labels, table.by


def from_api(user, code, params, measures):
    body = api_client(user).get(f"/api/v1/reports/indicators/{code}/", params).json()
    return {r["label"]: {k: _number(r[k]) for k in measures} for r in body["rows"]}


def from_csv(client, user, code, params, labels, measures):
    client.force_login(user)
    response = client.get(reverse("reports:indicator_download", args=[code, "csv"]), params)
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    header = next(reader)
    rows = {line[0]: dict(zip(header, line, strict=True)) for line in reader}
    return {label: {k: _number(row[labels[k]]) for k in measures} for label, row in rows.items()}


@pytest.mark.parametrize("code", list(INDICATORS))
@pytest.mark.parametrize("by", ["", "total", "month"])
def test_dashboard_api_and_csv_agree(client, world, me_both, code, by):
    params = {**PARAMS, "by": by} if by else dict(PARAMS)
    dashboard, labels, effective_by = from_dashboard(client, me_both, code, params)
    assert any(v for row in dashboard.values() for v in row.values()), "something was counted"
    measures = list(next(iter(dashboard.values())))
    effective = {**PARAMS, "by": effective_by}
    assert from_api(me_both, code, effective, measures) == dashboard
    in_csv = from_csv(client, me_both, code, effective, labels, measures)
    assert {label: in_csv[label] for label in dashboard} == dashboard


def test_the_returns_to_guinea_agree_everywhere(client, world, me_both):
    """The M&E officer's figure of the year: returns to Guinea (country of return)."""
    params = {**PARAMS, "by": "country_of_return"}
    dashboard, labels, _by = from_dashboard(client, me_both, "returns", params)
    api = from_api(me_both, "returns", params, ["returnees"])
    in_csv = from_csv(client, me_both, "returns", params, labels, ["returnees"])
    assert dashboard["Guinea"]["returnees"] == api["Guinea"]["returnees"] == 5
    assert in_csv["Guinea"]["returnees"] == 5
