"""The donor report's figures are the dashboard's: the indicator selectors (registry.compute,
with the project and the period as filters) and the finance budget view; people counts are
suppressed under the small-cell threshold, amounts are not."""

from decimal import Decimal

from awda.finance.budget_selectors import budget_view
from awda.reports.donor.report import donor_report
from awda.reports.indicators.base import SUPPRESSED, Filters
from awda.reports.indicators.registry import compute

from .conftest import PERIOD


def figures(activity, user, code, by):
    return compute(code, user, Filters(by=by, project=activity.pk, **PERIOD))


def rows_of(section):
    return {row[0]: row[1:] for row in section.rows}


def test_figures_agree_with_the_dashboard_selectors(activity, auditor, settings):
    settings.AWDA_HXL_MIN_CELL = 1  # no suppression: every figure is comparable
    report = donor_report(auditor, activity, **PERIOD)

    returns = figures(activity, auditor, "returns", "total").totals[0]
    outcomes = figures(activity, auditor, "reintegration", "total").totals[0]
    activities = rows_of(report.section("activities"))
    assert activities["Returnees"] == [returns["returnees"]]
    assert activities["Cases returned"] == [returns["cases"]]
    assert activities["Reintegration started (handover accepted)"] == [outcomes["started"]]
    assert activities["Reintegration completed"] == [outcomes["completed"]]
    caseload = figures(activity, auditor, "caseload", "total")
    for column in caseload.measures:  # registered, counselled, eligible, not eligible, withdrawn
        assert activities[str(column.label)] == [caseload.totals[0][column.key]]
    assert activities["Cases registered"] == [4] and activities["Persons registered"] == [5]

    by_age = figures(activity, auditor, "returns", "age_group")
    section = report.section("people_by_age")
    assert [r[0] for r in section.rows] == by_age.labels
    assert [r[1:] for r in section.rows] == [
        [row["returnees"], row["female"], row["male"]] for row in by_age.rows
    ]
    t = by_age.totals[0]
    assert section.total == ["Total", t["returnees"], t["female"], t["male"]]

    by_sex = figures(activity, auditor, "returns", "sex")
    assert [r[1] for r in report.section("people_by_sex").rows] == [
        row["returnees"] for row in by_sex.rows
    ]

    assistance = figures(activity, auditor, "assistance", "total")
    shown = rows_of(report.section("assistance"))
    for column in assistance.measures:
        assert shown[str(column.label)] == [assistance.totals[0][column.key]]

    budget = budget_view(activity)
    spending = figures(activity, auditor, "spending", "budget_line")
    lines = {r[0]: r for r in report.section("budget").rows}
    for row in budget.lines:
        code = row.line.code
        assert lines[code][2:6] == [row.allocated, row.committed, row.spent, row.remaining]
        in_period = next(s for s in spending.rows if s["budget_line_code"] == code)
        assert lines[code][6:8] == [in_period["spent"], in_period["committed"]]
    total = report.section("budget").total
    assert total[2:6] == [budget.allocated, budget.committed, budget.spent, budget.remaining]
    assert total[6] == spending.totals[0]["spent"]
    assert total[7] == spending.totals[0]["committed"]


def test_known_figures_of_the_period(activity, auditor, settings):
    """Returns of 2025 and of another project are left out; a cost of 2025 counts to date
    only; a cost awaiting a rate is left out and said."""
    settings.AWDA_HXL_MIN_CELL = 1
    report = donor_report(auditor, activity, **PERIOD)
    assert rows_of(report.section("activities"))["Returnees"] == [4]
    assert rows_of(report.section("people_by_age")) == {
        "5-11": [1, 1, 0],
        "25-59": [2, 1, 1],
        "60+": [1, 0, 1],
    }
    assert rows_of(report.section("assistance"))["Medical care"] == [3]
    budget = report.section("budget")
    lines = {r[0]: r for r in budget.rows}
    d = Decimal
    assert lines["01"][2:] == [d("10000"), d("1200"), d("600"), d("8200"), d("600"), d("1200")]
    # 2025's food (40) counts in the spending to date, not in the period
    assert lines["02"][2:] == [d("5000"), d("0"), d("120"), d("4880"), d("80"), d("0")]
    no_line = lines[""]
    assert no_line[1] == "Not on a budget line"
    assert no_line[2:] == [None, d("0"), d("25"), None, d("25"), d("0")]
    assert budget.total[2:] == [d("15000"), d("1200"), d("745"), d("13055"), d("705"), d("1200")]
    assert report.awaiting_rate == 1
    assert "1 cost(s) awaiting an exchange rate" in budget.note


def test_small_counts_are_suppressed_but_amounts_are_not(activity, auditor):
    report = donor_report(auditor, activity, **PERIOD)  # threshold 11 by default
    assert report.min_cell == 11
    assert rows_of(report.section("activities"))["Returnees"] == [SUPPRESSED]
    assert all(
        v is SUPPRESSED or v == 0 for row in report.section("people_by_age").rows for v in row[1:]
    )
    # zero stays zero: nobody to identify
    assert rows_of(report.section("assistance"))["Food"] == [0]
    lines = {r[0]: r for r in report.section("budget").rows}
    assert lines["01"][4] == Decimal("600.00")


def test_a_period_with_nothing_gives_empty_sections(activity, auditor, settings):
    import datetime

    settings.AWDA_HXL_MIN_CELL = 1
    report = donor_report(
        auditor,
        activity,
        date_from=datetime.date(2024, 1, 1),
        date_to=datetime.date(2024, 12, 31),
    )
    assert rows_of(report.section("activities"))["Returnees"] == [0]
    assert report.section("people_by_age").rows == []
    budget = report.section("budget")
    assert [r[6:] for r in budget.rows if r[0]] == [[Decimal("0.00")] * 2] * 2


def test_figures_follow_the_users_scope_like_the_dashboard(activity, oujda, caseworker, settings):
    """An M&E officer of another office of the mission counts that office's cases only, as on
    the dashboard; the money is the whole project's, whatever the office: the budget lines and
    the spending in the period alike (costs recorded in Rabat)."""
    from awda.accounts.choices import Role
    from awda.factories import member_of

    settings.AWDA_HXL_MIN_CELL = 1
    me_oujda = member_of(oujda, Role.ME, "me.oujda")
    report = donor_report(me_oujda, activity, **PERIOD)
    assert rows_of(report.section("activities"))["Returnees"] == [0]
    budget = report.section("budget")
    lines = {r[0]: r for r in budget.rows}
    assert lines["01"][4] == Decimal("600.00")
    # spent and committed in the period: the same as for the Rabat officer, never only Oujda's
    assert lines["01"][6:] == [Decimal("600.00"), Decimal("1200.00")]
    assert lines[""][6] == Decimal("25.00")
    assert budget.total[6:] == [Decimal("705.00"), Decimal("1200.00")]


def _age_and_sex_tables():
    """The reviewer's example: by age group 0-4 = 5, 25-59 = 40, 60+ = 30 (total 75); by sex
    female 5, male 40 (total 45)."""
    import datetime

    from awda.reports.indicators.base import Column, IndicatorTable
    from awda.reports.indicators.returns import RETURN_COLUMNS

    filters = Filters(date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 12, 31))

    def returns_row(returnees, female, male, children, adults, elderly):
        return dict(
            returnees=returnees,
            female=female,
            male=male,
            children=children,
            adults=adults,
            elderly=elderly,
            cases=returnees,
        )

    by_age = IndicatorTable(
        code="returns",
        title="Returns",
        by="age_group",
        filters=filters,
        columns=[Column("age_group", "Age", "#group+age", "code", dimension=True), *RETURN_COLUMNS],
        rows=[
            {"age_group": "0-4", **returns_row(5, 2, 3, 5, 0, 0)},
            {"age_group": "25-59", **returns_row(40, 20, 20, 0, 40, 0)},
            {"age_group": "60+", **returns_row(30, 15, 15, 0, 0, 30)},
        ],
        labels=["0-4", "25-59", "60+"],
        totals=[{"age_group": "", **returns_row(75, 37, 38, 5, 40, 30)}],
        total_labels=["Total"],
    )
    by_sex = IndicatorTable(
        code="returns",
        title="Returns",
        by="sex",
        filters=filters,
        columns=[Column("sex", "Sex", "#group+sex", "code", dimension=True), *RETURN_COLUMNS],
        rows=[
            {"sex": "female", **returns_row(5, 5, 0, 2, 3, 0)},
            {"sex": "male", **returns_row(40, 0, 40, 12, 16, 12)},
        ],
        labels=["Female", "Male"],
        totals=[{"sex": "", **returns_row(45, 5, 40, 14, 19, 12)}],
        total_labels=["Total"],
    )
    return by_age, by_sex


def test_the_total_rows_do_not_give_a_suppressed_count_away():
    """The sections' Total rows stay, so a second count of each column is suppressed."""
    from awda.reports.donor.report import _grouped
    from awda.reports.indicators.suppression import suppress

    by_age, by_sex = _age_and_sex_tables()
    section = _grouped(
        "people_by_age",
        "People",
        suppress(by_age, 11),
        first="Age group",
        measures=("returnees", "female", "male"),
    )
    assert rows_of(section)["0-4"][0] is SUPPRESSED  # 5
    assert rows_of(section)["60+"][0] is SUPPRESSED  # else 75 - 40 - 30 = 5
    assert rows_of(section)["25-59"][0] == 40
    assert section.total[1] == 75
    for column in (1, 2, 3):  # returnees, female, male: never one suppressed cell alone
        hidden = [row[column] for row in section.rows if row[column] is SUPPRESSED]
        assert len(hidden) != 1

    section = _grouped(
        "people_by_sex",
        "People",
        suppress(by_sex, 11),
        first="Sex",
        measures=("returnees", "children", "adults", "elderly"),
    )
    assert rows_of(section)["Female"][0] is SUPPRESSED
    assert rows_of(section)["Male"][0] is SUPPRESSED  # else 45 - 40 = 5
    assert section.total[1] == 45
    for column in (1, 2, 3, 4):
        hidden = [row[column] for row in section.rows if row[column] is SUPPRESSED]
        assert len(hidden) != 1


def test_query_count_does_not_grow_with_the_data(activity, auditor, caseworker, rabat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..iati.helpers import departed

    def count():
        with CaptureQueriesContext(connection) as ctx:
            donor_report(auditor, activity, **PERIOD)
        return len(ctx.captured_queries)

    count()  # the user's scope is loaded once, then cached on the user
    before = count()
    for country in ("GN", "SN", "ML", "CI"):
        departed(caseworker, rabat, country=country, travellers=2, project=activity)
    assert count() == before
    assert before <= 25
