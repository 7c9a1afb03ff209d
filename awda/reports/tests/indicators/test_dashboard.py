"""The indicators dashboard: every indicator's chart and table, the filters, the links to the
case list for those who see cases, figures only (never a name) for the M&E officer."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awda.accounts.choices import Role
from awda.factories import member_of
from awda.reports.indicators.registry import INDICATORS

from . import helpers as h

D = datetime.date
URL = reverse("reports:dashboard")
YEAR_PARAMS = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
PERSONS = ("mamadou", "fatou", "awa", "kouassi", "ibrahima", "sekou", "kadiatou", "moussa", "salah")


def get(client, user, params=None, **extra):
    client.force_login(user)
    return client.get(URL, YEAR_PARAMS if params is None else params, **extra)


def section(html, code):
    match = re.search(rf'data-code="{code}".*?</section>', html, re.S)
    assert match, code
    return match.group(0)


def test_every_indicator_has_a_chart_a_table_and_downloads(client, world, me_both):
    response = get(client, me_both)
    assert response.status_code == 200
    html = response.content.decode()
    for code in INDICATORS:
        part = section(html, code)
        assert 'data-testid="indicator-table"' in part
        for fmt in ("csv", "xlsx", "hxl"):
            assert f'data-testid="download-{fmt}"' in part
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in html
    assert 'id="chart-data-returns"' in html


def test_the_returns_table_shows_the_figures(client, world, me_both):
    response = get(client, me_both)
    cards = {c["code"]: c for c in response.context["cards"]}
    rows = {r["label"]: r for r in cards["returns"]["rows"]}
    cells = {c["key"]: c["text"] for c in rows["Guinea"]["cells"]}
    assert cells["returnees"] == "4"
    totals = {c["key"]: c["text"] for c in cards["returns"]["totals"][0]["cells"]}
    assert totals["returnees"] == "6"


def test_group_by_and_filters_apply(client, world, me_both, rabat):
    response = get(client, me_both, {**YEAR_PARAMS, "by": "sex", "office": rabat.pk})
    cards = {c["code"]: c for c in response.context["cards"]}
    assert [r["label"] for r in cards["returns"]["rows"]] == ["Female", "Male"]
    assert cards["returns"]["totals"][0]["cells"][0]["text"] == "5"  # Rabat only
    # an indicator that cannot be grouped by sex keeps its default
    assert cards["spending"]["table"].by == "project"
    assert 'value="sex" selected' in response.content.decode()


def test_the_period_defaults_to_the_current_year(client, world, me_both):
    response = get(client, me_both, {})
    filters = response.context["filters"]
    today = timezone.localdate()
    assert (filters.date_from, filters.date_to) == (D(today.year, 1, 1), D(today.year, 12, 31))


def test_invalid_filters_are_reported_and_the_valid_ones_apply(client, world, me_both):
    response = get(
        client, me_both, {"date_from": "2025-12-31", "date_to": "2025-01-01", "nationality": "GN"}
    )
    assert response.status_code == 200
    assert "The end of the period is before its start." in response.content.decode()
    filters = response.context["filters"]
    assert filters.nationality == "GN"
    assert filters.date_from.year == timezone.localdate().year


def test_figures_link_to_the_case_list_for_case_viewers(client, world, manager):
    html = get(client, manager, {**YEAR_PARAMS, "by": "month"}).content.decode()
    part = section(html, "returns")
    assert (
        'href="/cases/?departed_from=2025-03-01&amp;departed_to=2025-03-31" data-testid="drill-down"'
        in part
    )
    html = get(client, manager).content.decode()
    assert "departed_from=2025-01-01&amp;departed_to=2025-12-31&amp;nationality=GN" in section(
        html, "returns"
    )
    assert 'data-testid="drill-down"' in section(html, "lead_time")


def test_no_link_where_the_case_list_cannot_filter(client, world, manager):
    html = get(client, manager, {**YEAR_PARAMS, "by": "sex"}).content.decode()
    part = section(html, "returns")
    rows = re.findall(r'<tr data-testid="indicator-row".*?</tr>', part, re.S)
    assert rows and not any("drill-down" in r for r in rows)
    assert "drill-down" in re.search(r"<tfoot>.*?</tfoot>", part, re.S).group(0)


def test_the_me_officer_sees_figures_without_links_or_names(client, world, auditor, me_both):
    for user in (auditor, me_both):
        for by in ("nationality", "month", "age_group"):
            response = get(client, user, {**YEAR_PARAMS, "by": by})
            html = response.content.decode()
            assert 'data-testid="aggregates-only"' in html
            assert "drill-down" not in html and "/cases/?" not in html
            for key in PERSONS:
                person = world[key]
                assert person.full_name not in html
                assert person.given_name not in html


def test_the_me_officer_gets_the_reports_link(client, world, me_both):
    html = get(client, me_both).content.decode()
    assert 'data-testid="nav-reports"' in html


def test_a_role_without_figures_is_refused(client, db, rabat):
    admin = member_of(rabat, Role.ADMIN, "admin.rabat")
    client.force_login(admin)
    assert client.get(URL).status_code == 403
    assert (
        'data-testid="nav-reports"' not in client.get(reverse("cases:dashboard")).content.decode()
    )


def test_htmx_gets_the_body_only(client, world, me_both):
    response = get(client, me_both, YEAR_PARAMS, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="reports-body"' in html


def _queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, YEAR_PARAMS)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["me_both", "manager"])
def test_a_fixed_number_of_queries_whatever_the_data(
    client, world, rabat, projects, request, persona, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    before = _queries(client, user)
    for i in range(4):
        p = h.person(
            rabat, given=f"Extra{i}", family="Person", born=D(1990, 1, 1), nationality="SN"
        )
        c = h.case(rabat, [p], departed_on=D(2025, 8, 1), project=projects["Q"])
        h.depart(c, p, D(2025, 8, 1))
        h.charge(c, project=projects["Q"], amount=10, on=D(2025, 8, 1))
    assert _queries(client, user) == before
    client.force_login(user)
    with django_assert_max_num_queries(50):
        client.get(URL, YEAR_PARAMS)


def test_spending_is_shown_to_finance_view_holders_only(client, world, caseworker, rabat):
    codes = [c["code"] for c in get(client, caseworker).context["cards"]]
    assert "spending" not in codes and "returns" in codes and "vulnerable" in codes
    html = get(client, caseworker).content.decode()
    assert 'data-code="spending"' not in html
    assert 'value="budget_line"' not in html  # spending's only dimension: not offered
    finance = member_of(rabat, Role.FINANCE, "finance.rabat")
    codes = [c["code"] for c in get(client, finance).context["cards"]]
    assert "spending" in codes
    # finance officers do not read screenings: no vulnerability categories
    assert "vulnerable" not in codes


def test_origin_mission_staff_see_the_cases_handed_over_to_them(client, world, origin_officer):
    response = get(client, origin_officer)
    assert response.status_code == 200
    cards = {c["code"]: c for c in response.context["cards"]}
    assert cards["returns"]["totals"][0]["cells"][0]["text"] == "3"  # A and D
    offices = dict(response.context["form"].fields["office"].choices)
    assert "Rabat" in offices.values()  # the host office that handed them over
    assert "Oujda" not in offices.values()
