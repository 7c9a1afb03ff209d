"""The budget view agrees to the cent with the sum of the case-level costs."""

import datetime
import random
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from awda.factories import ProjectFactory, person_data, register_case
from awda.finance.budget_selectors import (
    budget_burn,
    budget_view,
    project_budget_list_for,
    with_remaining,
)
from awda.finance.cost_selectors import case_costs
from awda.finance.models import BudgetLine

from ..helpers import line, post, principal, rate

ZERO = Decimal("0.00")


def _rates():
    rate("MAD", "EUR", "0.0924513", datetime.date(2026, 1, 1))
    rate("MAD", "EUR", "0.0917777", datetime.date(2026, 3, 1))
    rate("EUR", "GNF", "9351.37", datetime.date(2026, 1, 1))  # used inversely
    rate("USD", "EUR", "0.9213", datetime.date(2026, 1, 1))


def _cases(caseworker, rabat, n=4):
    cases = []
    for i in range(n):
        case = register_case(
            caseworker,
            rabat,
            principal=person_data(given_name=f"P{i}"),
            members=[{"relationship": "child", "person": person_data(given_name=f"C{i}")}],
        )
        cases.append(case)
    return cases


def test_the_budget_view_agrees_with_the_case_costs_to_the_cent(caseworker, rabat, project, lines):
    _rates()
    cases = _cases(caseworker, rabat)
    rng = random.Random(2026)
    categories = ["food", "medical", "ticket", "psychosocial", "pocket_money", "cash"]
    currencies = ["MAD", "EUR", "GNF", "USD", "XOF"]  # XOF has no rate: awaiting
    for i in range(60):
        case = cases[i % len(cases)]
        person = principal(case) if i % 3 else None
        post(
            caseworker,
            case,
            project,
            f"{rng.randint(1, 30000) / 100:.2f}",
            currency=currencies[i % len(currencies)],
            category=categories[i % len(categories)],
            stage=["committed", "spent", "spent", "released"][i % 4],
            person=person,
            on_date=datetime.date(2026, 1 + i % 6, 1 + i % 27),
            enforce=False,
        )
    view = budget_view(project)
    committed = spent = ZERO
    for case in cases:
        for p in case_costs(case).projects:
            assert p.project == project
            committed += p.committed
            spent += p.spent
    assert (view.committed, view.spent) == (committed, spent)
    assert view.committed > 0 and view.spent > 0
    assert view.awaiting and [a.currency for a in view.awaiting] == ["XOF"]
    assert sum(r.used for r in view.lines) + view.unallocated.used == view.used
    burn = budget_burn(project, today=datetime.date(2026, 12, 1))
    assert burn["committed_cumulative"][-1] == view.used
    assert burn["spent_cumulative"][-1] == view.spent
    assert len(burn["labels"]) == 12 and burn["labels"][0] == "2026-01"


def test_each_line_shows_allocated_committed_spent_remaining_and_flags(
    caseworker, case, project, lines
):
    post(caseworker, case, project, "300", category="food", stage="committed")
    post(caseworker, case, project, "650", category="medical")
    post(caseworker, case, project, "200", category="ticket")
    BudgetLine.objects.filter(pk=lines["GEN"].pk).update(amount=Decimal("100"))
    post(caseworker, case, project, "150", category="cash", enforce=False)
    view = budget_view(project)
    gen, pd, tk = view.lines  # by code
    assert (pd.allocated, pd.committed, pd.spent, pd.remaining) == (
        Decimal("1000.00"),
        Decimal("300.00"),
        Decimal("650.00"),
        Decimal("50.00"),
    )
    assert pd.percent == Decimal("95.0") and pd.warning and not pd.over
    assert tk.percent == Decimal("10.0") and not tk.warning
    assert gen.over and gen.remaining == Decimal("-50.00") and gen.bar_percent == 100
    assert [r.line.code for r in view.warnings] == ["GEN", "PD"]
    assert view.allocated == Decimal("3100.00") and view.remaining == Decimal("1800.00")


def test_costs_on_no_line_and_awaiting_a_rate_are_shown_apart(caseworker, case, project):
    line(project, "TK", "1000", ["ticket"])
    post(caseworker, case, project, "40", category="food")
    post(caseworker, case, project, "10", category="food", stage="committed")
    post(caseworker, case, project, "500", category="ticket", currency="GNF")
    post(caseworker, case, project, "700", category="ticket", currency="GNF", stage="committed")
    view = budget_view(project)
    assert (view.unallocated.committed, view.unallocated.spent) == (Decimal("10"), Decimal("40"))
    [gnf] = view.awaiting
    assert (gnf.currency, gnf.committed, gnf.spent, gnf.charges) == ("GNF", 700, 500, 2)
    assert view.committed == Decimal("10.00") and view.spent == Decimal("40.00")
    assert view.lines[0].used == 0


def test_the_budget_view_costs_three_queries(caseworker, case, project, lines):
    for i in range(10):
        post(caseworker, case, project, "1", category=["food", "ticket", "cash"][i % 3])
    with CaptureQueriesContext(connection) as ctx:
        budget_view(project)
        budget_burn(project)
    assert len(ctx.captured_queries) == 5


def test_the_project_list_has_totals_in_one_query(
    caseworker, case, project, lines, morocco, guinea, finance_officer, auditor, manager
):
    post(caseworker, case, project, "100", category="food", stage="committed")
    post(caseworker, case, project, "50", category="ticket")
    post(caseworker, case, project, "5", category="ticket", currency="GNF")
    ProjectFactory(code="MA-EMPTY", mission=morocco)
    ProjectFactory(code="GN-OTHER", mission=guinea)
    with CaptureQueriesContext(connection) as ctx:
        rows = with_remaining(project_budget_list_for(finance_officer))
    assert len(ctx.captured_queries) <= 3  # scope, projects, donors
    by_code = {p.code: p for p in rows}
    assert set(by_code) == {"AVRR-MA-SEM", "MA-EMPTY"}
    sem = by_code["AVRR-MA-SEM"]
    assert (sem.allocated, sem.committed, sem.spent, sem.remaining, sem.awaiting) == (
        Decimal("3500.00"),
        Decimal("100.00"),
        Decimal("50.00"),
        Decimal("3350.00"),
        1,
    )
    assert by_code["MA-EMPTY"].allocated == 0 and by_code["MA-EMPTY"].percent is None
    assert {p.code for p in project_budget_list_for(auditor)} == set(by_code)
    assert {p.code for p in project_budget_list_for(manager)} == set(by_code)
    assert not project_budget_list_for(caseworker).exists()


def test_the_burn_counts_commitments_by_their_date_and_spending_by_payment(
    caseworker, case, project, lines
):
    post(
        caseworker,
        case,
        project,
        "100",
        stage="committed",
        source_id=1,
        on_date=datetime.date(2026, 1, 15),
    )
    post(
        caseworker,
        case,
        project,
        "100",
        stage="spent",
        source_id=1,
        on_date=datetime.date(2026, 3, 2),
    )
    post(caseworker, case, project, "40", stage="spent", on_date=datetime.date(2026, 2, 5))
    post(caseworker, case, project, "999", stage="released", source_id=9)
    burn = budget_burn(project, today=datetime.date(2026, 4, 10))
    assert burn["labels"] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert burn["committed"] == [Decimal("100.00"), Decimal("40.00"), 0, 0]
    assert burn["spent"] == [0, Decimal("40.00"), Decimal("100.00"), 0]
    assert burn["spent_cumulative"] == [0, Decimal("40.00"), Decimal("140.00"), Decimal("140.00")]
