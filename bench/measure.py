"""Timing through the real code paths: Django's test Client for pages and API (middleware, session,
views, selectors, templates, serializers), the ORM for the baselines. Scenarios are interleaved
round-robin, so a burst of noise on this shared machine hits every scenario alike."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from awda.cases.models import Case


@dataclass
class Scenario:
    key: str
    label: str
    run: Callable[[], object]  # one request or call; returns a response or None
    is_baseline: bool = False


@dataclass
class Result:
    key: str
    label: str
    times_ms: list[float] = field(default_factory=list)
    queries: int = 0
    slowest_sql: str = ""
    slowest_sql_ms: float = 0.0
    is_baseline: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _check(response, scenario):
    if response is not None and response.status_code != 200:
        raise AssertionError(
            f"{scenario.key}: HTTP {response.status_code}: {response.content[:500]!r}"
        )


def scenarios_for(ref, *, document_number: str, phone: str) -> list[Scenario]:
    client = Client()
    client.force_login(ref.caseworker)
    api = Client()
    api.force_login(ref.caseworker)
    case = ref.target_case
    nat = case.nationality

    def q(value):
        return urlencode({"q": value})

    def get(c, url, **extra):
        return lambda: c.get(url, **extra)

    def pk_fetch():
        Case.objects.get(pk=case.pk)

    def select_1():
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()

    return [
        Scenario("baseline_pk", "baseline: Case.objects.get(pk=...)", pk_fetch, True),
        Scenario("baseline_select1", "baseline: SELECT 1", select_1, True),
        Scenario("case_list", "case list, first page", get(client, "/cases/")),
        Scenario(
            "case_list_filtered",
            f"case list, status=pre_dep.+eligible & nat.={nat}",
            # the showcase case is eligible: the page is never empty, even at tiny scales
            get(client, f"/cases/?status=pre_departure&status=eligible&nationality={nat}"),
        ),
        Scenario(
            "api_case_list",
            "API /api/v1/cases/, first page",
            get(api, "/api/v1/cases/", HTTP_ACCEPT="application/json"),
        ),
        Scenario("search_name", "case list, q=traore", get(client, "/cases/?q=traore")),
        Scenario(
            "search_document",
            f"case list, q={document_number}",
            get(client, "/cases/?" + q(document_number)),
        ),
        Scenario("search_phone", f"case list, q={phone}", get(client, "/cases/?" + q(phone))),
        Scenario(
            "search_number",
            f"case list, q={case.number}",
            get(client, f"/cases/?q={case.number}"),
        ),
        Scenario("case_detail", "case detail page", get(client, f"/cases/{case.pk}/")),
        Scenario("person_search", "person search, q=traore", get(client, "/persons/?q=traore")),
        *movement_scenarios(ref),
        *reintegration_scenarios(ref),
        *report_scenarios(ref),
    ]


def movement_scenarios(ref) -> list[Scenario]:
    """Issue 4's pages: the movement officer of Rabat (departures, manifest, board, a case's
    Travel tab), the caseworker (Assistance tab) and the Guinea mission's reintegration officer
    (expected arrivals of the cases handed over to it)."""
    officer = Client()
    officer.force_login(ref.movement["RBA"])
    caseworker = Client()
    caseworker.force_login(ref.caseworker)
    origin = Client()
    origin.force_login(ref.origin_user)
    departure = ref.showcase_departure.pk
    case = ref.travel_case.pk
    json = {"HTTP_ACCEPT": "application/json"}
    return [
        Scenario(
            "departure_list",
            "departures, upcoming (movement officer)",
            lambda: officer.get("/movements/departures/"),
        ),
        Scenario(
            "manifest",
            "departure page = manifest (showcase)",
            lambda: officer.get(f"/movements/departures/{departure}/"),
        ),
        Scenario(
            "manifest_xlsx",
            "manifest.xlsx (showcase)",
            lambda: officer.get(f"/movements/departures/{departure}/manifest.xlsx"),
        ),
        Scenario(
            "board", "operations board (movement.rba)", lambda: officer.get("/movements/board/")
        ),
        Scenario(
            "travel_tab",
            "case page, Travel tab (showcase family)",
            lambda: officer.get(f"/cases/{case}/?tab=travel"),
        ),
        Scenario(
            "assistance_tab",
            "case page, Assistance tab (showcase family)",
            lambda: caseworker.get(f"/cases/{case}/?tab=assistance"),
        ),
        Scenario(
            "api_arrivals",
            "API /api/v1/movements/arrivals/ (Guinea)",
            lambda: origin.get("/api/v1/movements/arrivals/", **json),
        ),
        Scenario(
            "arrivals",
            "expected arrivals page (Guinea)",
            lambda: origin.get("/movements/arrivals/"),
        ),
    ]


def reintegration_scenarios(ref) -> list[Scenario]:
    """Issue 5's pages, as the Guinea mission's reintegration officer (reintegration.conakry):
    the workspace (queues, HTML and API), the five reintegration tabs of the showcase
    reintegration case, and the sustainability cohort averages by nationality (HTML and API)."""
    origin = Client()
    origin.force_login(ref.origin_user)
    case = ref.reintegration_case.pk
    json = {"HTTP_ACCEPT": "application/json"}

    def get(url, **extra):
        return lambda: origin.get(url, **extra)

    tabs = [
        Scenario(
            f"reint_tab_{tab}",
            f"case page, {tab.capitalize()} tab (showcase reint.)",
            get(f"/cases/{case}/?tab={tab}"),
        )
        for tab in ("reintegration", "plan", "delivery", "monitoring", "surveys")
    ]
    return [
        Scenario("reint_workspace", "reintegration workspace (Conakry)", get("/reintegration/")),
        Scenario(
            "api_reint_workspace",
            "API /api/v1/reintegration/workspace/",
            get("/api/v1/reintegration/workspace/", **json),
        ),
        *tabs,
        Scenario(
            "reint_cohorts",
            "sustainability cohorts, by nationality",
            get("/reintegration/sustainability/?group_by=nationality"),
        ),
        Scenario(
            "api_reint_cohorts",
            "API sustainability cohorts, by nationality",
            get("/api/v1/reintegration/sustainability/cohorts/?group_by=nationality", **json),
        ),
    ]


def report_scenarios(ref) -> list[Scenario]:
    """Issue 6's pages: the reports dashboard (default filters: the current year) as M&E officer
    (me.rabat) and manager (manager.rabat), also grouped by nationality; each indicator through
    `registry.compute` (as the M&E officer, who may see them all); the HXL download and the API
    of the returns; the finance pages as finance.rabat (project list, budget page and API); a
    case's Costs tab and its API as caseworker.rabat; the donor report PDF of the year."""
    from django.utils import timezone

    from awda.reports.indicators.base import Filters
    from awda.reports.indicators.registry import INDICATORS, compute, effective_filters

    me, manager, finance, caseworker = Client(), Client(), Client(), Client()
    me.force_login(ref.me_user)
    manager.force_login(ref.manager)
    finance.force_login(ref.finance_user)
    caseworker.force_login(ref.caseworker)
    project = ref.projects[0].pk
    case = ref.travel_case.pk
    today = timezone.localdate()
    year = f"date_from={today.year}-01-01&date_to={today.isoformat()}"
    json = {"HTTP_ACCEPT": "application/json"}

    def indicator(code):
        def run():
            filters = effective_filters(INDICATORS[code], Filters.default())
            compute(code, ref.me_user, filters)

        return Scenario(f"ind_{code}", f"indicator {code} (compute, M&E)", run)

    return [
        Scenario("reports_me", "reports dashboard (M&E officer)", lambda: me.get("/reports/")),
        Scenario(
            "reports_manager", "reports dashboard (manager)", lambda: manager.get("/reports/")
        ),
        Scenario(
            "reports_me_nat",
            "reports dashboard, by nationality (M&E)",
            lambda: me.get("/reports/?by=nationality"),
        ),
        *(indicator(code) for code in INDICATORS),
        Scenario(
            "ind_returns_hxl",
            "returns, HXL download (M&E)",
            lambda: me.get("/reports/indicators/returns/download/hxl/"),
        ),
        Scenario(
            "api_ind_returns",
            "API /api/v1/reports/indicators/returns/",
            lambda: me.get("/api/v1/reports/indicators/returns/", **json),
        ),
        Scenario(
            "finance_projects",
            "finance, project list (finance officer)",
            lambda: finance.get("/finance/projects/"),
        ),
        Scenario(
            "project_budget",
            "finance, project budget page",
            lambda: finance.get(f"/finance/projects/{project}/"),
        ),
        Scenario(
            "api_project_budget",
            "API finance/projects/<id>/budget/",
            lambda: finance.get(f"/api/v1/finance/projects/{project}/budget/", **json),
        ),
        Scenario(
            "costs_tab",
            "case page, Costs tab (showcase family)",
            lambda: caseworker.get(f"/cases/{case}/?tab=costs"),
        ),
        Scenario(
            "api_case_costs",
            "API /api/v1/cases/<id>/costs/",
            lambda: caseworker.get(f"/api/v1/cases/{case}/costs/", **json),
        ),
        Scenario(
            "donor_pdf",
            "donor report PDF, this year (finance)",
            lambda: finance.get(f"/reports/donor/projects/{project}/report.pdf?{year}"),
        ),
    ]


def measure(
    scenarios: list[Scenario],
    *,
    rounds: int,
    warmup: int = 3,
    budget_s: float = 20.0,
    min_rounds: int = 5,
    log=print,
    skip_missing: bool = False,
) -> dict:
    """`rounds` timed runs of each scenario, interleaved; a scenario that has used up `budget_s`
    seconds stops after `min_rounds` (so a slow page cannot blow the run's time budget; the table
    shows how many runs each figure is based on). With `skip_missing`, a page that answers 404
    (not built yet) is left out and reported instead of failing the run."""
    if skip_missing:
        present = []
        for s in scenarios:
            response = s.run()
            if response is not None and response.status_code == 404:
                log(f"  MISSING (404, left out): {s.key}: {s.label}")
            else:
                present.append(s)
        scenarios = present
    results = {
        s.key: Result(key=s.key, label=s.label, is_baseline=s.is_baseline) for s in scenarios
    }
    # Warm up (caches, connections, template loading), then count the queries of one run.
    for s in scenarios:
        for _ in range(warmup):
            _check(s.run(), s)
        with CaptureQueriesContext(connection) as ctx:
            _check(s.run(), s)
        r = results[s.key]
        r.queries = len(ctx.captured_queries)
        selects = [
            q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
        ]
        if selects:
            slowest = max(selects, key=lambda q: float(q["time"]))
            r.slowest_sql = slowest["sql"]
            r.slowest_sql_ms = float(slowest["time"]) * 1000
    started = time.monotonic()
    for i in range(rounds):
        for s in scenarios:
            r = results[s.key]
            if len(r.times_ms) >= min_rounds and sum(r.times_ms) > budget_s * 1000:
                continue
            t0 = time.perf_counter()
            s.run()
            r.times_ms.append((time.perf_counter() - t0) * 1000)
        if (i + 1) % 10 == 0:
            log(f"  round {i + 1}/{rounds} ({time.monotonic() - started:5.1f} s)")
    return results


def explain(sql: str) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cur.fetchall())
