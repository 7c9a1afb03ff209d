"""Each indicator over the hand-built world of conftest.py, whose figures are worked out here.

2025, offices of Rabat and Oujda (the M&E officer `me_both` counts both):
- A (Rabat, project P, handed over to Guinea): Mamadou, male, 44; Fatou, female, 9. Arrived.
- B (Rabat, project Q co-funded by SEM and EU): Awa, Ivorian, female, 18 on the day she flies.
- C (Oujda, P): Kouassi, Ivorian, male, born in 1960 (year only): 65, returns to Guinea.
- D (Rabat, R in MAD, handed over): Ibrahima, male, 16 (17 the day after he flies).
- G (Rabat, P): Sekou, male, age unknown.
Not counted: a no-show and a cancelled seat (E), a departure on 31 December 2024 (F), and a case
of the Tunisian mission (T)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awda.assistance.choices import AssistanceKind
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import ProjectFactory
from awda.reports.indicators import assistance, reintegration, returns, spending
from awda.reports.indicators.base import SUPPRESSED, Filters
from awda.reports.indicators.registry import INDICATORS, compute
from awda.reports.indicators.returns import median, percentile

from . import helpers as h
from .conftest import YEAR

D = datetime.date


def year(**kwargs):
    return Filters(**YEAR, **kwargs)


def by_label(table):
    return dict(zip(table.labels, table.rows, strict=True))


# ---- returns ------------------------------------------------------------------------------------


def test_returns_counts_departed_and_arrived_travellers_of_the_period(world, me_both):
    table = returns.returns(me_both, year(by="total"))
    assert table.totals == table.rows
    total = table.totals[0]
    assert {k: total[k] for k in ("returnees", "female", "male", "cases")} == {
        "returnees": 6,  # Mamadou, Fatou, Awa, Kouassi, Ibrahima, Sekou
        "female": 2,
        "male": 4,
        "cases": 5,  # A, B, C, D, G
    }
    # children: Fatou (9), Ibrahima (16); adults: Mamadou (44), Awa (18); elderly: Kouassi (65)
    assert (total["children"], total["adults"], total["elderly"]) == (2, 2, 1)


def test_returns_by_nationality_uses_each_travellers_nationality(world, me_both):
    rows = by_label(returns.returns(me_both, year(by="nationality")))
    assert list(rows) == ["Guinea", "Côte d'Ivoire"]  # the largest first
    assert rows["Guinea"]["returnees"] == 4
    assert rows["Guinea"]["nationality_iso3"] == "GIN"
    assert rows["Côte d'Ivoire"]["returnees"] == 2  # Awa and Kouassi (returned to Guinea)


def test_returns_by_country_of_return_uses_the_case(world, me_both):
    rows = by_label(returns.returns(me_both, year(by="country_of_return")))
    assert rows["Guinea"]["returnees"] == 5 and rows["Guinea"]["country_iso3"] == "GIN"
    assert rows["Côte d'Ivoire"]["returnees"] == 1


def test_age_groups_are_the_age_on_the_day_of_departure(world, me_both):
    rows = by_label(returns.returns(me_both, year(by="age_group")))
    # Awa turns 18 the day she flies; Ibrahima turns 17 the day after; Sekou has no birth date.
    assert {k: v["returnees"] for k, v in rows.items()} == {
        "5-11": 1,
        "12-17": 1,
        "18-24": 1,
        "25-59": 1,
        "60+": 1,
        "age unknown": 1,
    }
    assert list(rows) == ["5-11", "12-17", "18-24", "25-59", "60+", "age unknown"]


def test_returns_by_month_lists_every_month_of_the_period(world, me_both):
    table = returns.returns(me_both, year(by="month"))
    assert len(table.rows) == 12
    assert [r["returnees"] for r in table.rows] == [0, 1, 2, 0, 2, 0, 1, 0, 0, 0, 0, 0]
    may = table.rows[4]
    assert (may["period_start"], may["period_end"]) == (D(2025, 5, 1), D(2025, 5, 31))


def test_a_period_cut_inside_a_month_keeps_its_bounds(world, me_both):
    table = returns.returns(
        me_both, Filters(date_from=D(2025, 3, 5), date_to=D(2025, 5, 20), by="month")
    )
    assert [(r["period_start"], r["period_end"], r["returnees"]) for r in table.rows] == [
        (D(2025, 3, 5), D(2025, 3, 31), 2),
        (D(2025, 4, 1), D(2025, 4, 30), 0),
        (D(2025, 5, 1), D(2025, 5, 20), 2),
    ]


def test_returns_filters(world, me_both, rabat, projects, donors):
    def total(**kw):
        return returns.returns(me_both, year(by="total", **kw)).totals[0]["returnees"]

    assert total(office=rabat.pk) == 5
    assert total(nationality="CI") == 2
    assert total(country_of_return="CI") == 1
    assert total(project=projects["P"].pk) == 4
    assert total(donor=donors["EU"].pk) == 2  # projects Q (Awa) and R (Ibrahima)


def test_a_co_funded_project_counts_under_each_donor_and_once_in_the_total(world, me_both):
    table = returns.returns(me_both, year(by="donor"))
    rows = by_label(table)
    assert rows["SEM"]["returnees"] == 5  # P and Q
    assert rows["EU"]["returnees"] == 2  # Q and R
    assert table.totals[0]["returnees"] == 6


def test_destination_groups_by_p_code(world, me_both):
    rows = by_label(returns.returns(me_both, year(by="destination")))
    assert rows["Guinea · GN001"]["returnees"] == 2
    assert rows["Guinea · no P-code"]["returnees"] == 3


# ---- vulnerable categories ----------------------------------------------------------------------


def test_vulnerable_categories_read_the_current_screening(world, me_both, settings):
    settings.AWDA_HXL_MIN_CELL = 1  # the raw figures (the world is under the threshold)
    total = returns.vulnerable_returnees(me_both, year(by="total")).totals[0]
    assert total["returnees"] == 6
    assert total["screened"] == 4  # Sekou and Kouassi were never screened
    # Fatou (health), Awa (trafficking, single parent), Ibrahima (unaccompanied child);
    # Mamadou's disability was cleared by his later screening.
    assert total["vulnerable"] == 3
    assert (total["uasc"], total["health"], total["disability"], total["single_parent"]) == (
        1,
        1,
        0,
        1,
    )


RESTRICTED = ("vulnerable", "uasc", "vot", "health", "disability")


def test_restricted_categories_of_fewer_than_k_returnees_are_never_shown(world, me_both):
    """Guinea's 4 returnees have no trafficking indicators, Côte d'Ivoire's 2 have one (Awa):
    under k returnees both are hidden, the zero too, or "0 shown, 1 hidden" would tell."""
    table = returns.vulnerable_returnees(me_both, year(by="nationality"))
    rows = by_label(table)
    for key in RESTRICTED:
        assert rows["Côte d'Ivoire"][key] is SUPPRESSED, key
        assert rows["Guinea"][key] is SUPPRESSED, key
        assert table.totals[0][key] is SUPPRESSED, key  # 6 returnees
    # the returnees, the screened and the single parents are not restricted
    assert (rows["Guinea"]["returnees"], rows["Côte d'Ivoire"]["returnees"]) == (4, 2)
    assert rows["Côte d'Ivoire"]["single_parent"] == 1


def test_one_returnee_on_one_day_does_not_give_away_a_trafficking_victim(world, me_both, rabat):
    """The reviewer's scenario: one day, one office, by nationality: a group of one returnee
    each. Awa (Ivorian, trafficking indicators) and Ibrahima (Guinean, unaccompanied child, no
    trafficking indicators) flew from Rabat on 20 May 2025."""
    day = Filters(
        date_from=D(2025, 5, 20), date_to=D(2025, 5, 20), by="nationality", office=rabat.pk
    )
    table = returns.vulnerable_returnees(me_both, day)
    rows = by_label(table)
    assert (rows["Guinea"]["returnees"], rows["Côte d'Ivoire"]["returnees"]) == (1, 1)
    for key in RESTRICTED:
        assert rows["Guinea"][key] is SUPPRESSED and rows["Côte d'Ivoire"][key] is SUPPRESSED
    # the same on every output: the API, the CSV (not only the HXL file)
    from awda.reports.indicators.api import table_data
    from awda.reports.indicators.downloads import to_csv

    body = table_data(table)
    assert all(r["vot"] is None and "vot" in r["suppressed"] for r in body["rows"])
    lines = to_csv(table).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    vot = header.index("Trafficking indicators")
    assert all(line.split(",")[vot] == "" for line in lines[1:])


def test_restricted_categories_are_shown_from_k_returnees(world, me_both, settings):
    settings.AWDA_HXL_MIN_CELL = 2
    rows = by_label(returns.vulnerable_returnees(me_both, year(by="nationality")))
    guinea = rows["Guinea"]  # 4 returnees: Fatou (health), Ibrahima (unaccompanied child)
    # 1 each: under k, hidden; and 0 (trafficking, disability) stays shown for 4 returnees
    assert (guinea["vot"], guinea["disability"]) == (0, 0)
    assert guinea["health"] is SUPPRESSED and guinea["uasc"] is SUPPRESSED


@pytest.mark.parametrize("persona", ["finance_rabat", "admin_rabat"])
def test_no_vulnerability_figures_for_roles_that_do_not_read_screenings(world, rabat, persona):
    """Finance officers (no screening.view) count cases, but not their vulnerabilities."""
    from awda.accounts.choices import Role
    from awda.factories import member_of

    role = Role.FINANCE if persona == "finance_rabat" else Role.ADMIN
    user = member_of(rabat, role, persona)
    with pytest.raises(PermissionDenied):
        compute("vulnerable", user, year())
    assert not INDICATORS["vulnerable"].visible_to(user)


def test_vulnerability_figures_cover_only_the_offices_where_the_user_reads_screenings(
    world, rabat, oujda, settings
):
    """A finance officer of Rabat who is a caseworker in Oujda counts Oujda's returnees only."""
    from awda.accounts.choices import Role
    from awda.accounts.models import Membership
    from awda.factories import member_of

    settings.AWDA_HXL_MIN_CELL = 1
    user = member_of(rabat, Role.FINANCE, "finance.rabat.caseworker.oujda")
    Membership.objects.create(user=user, office=oujda, role=Role.CASEWORKER)
    total = compute("vulnerable", user, year(by="total")).totals[0]
    assert total["returnees"] == 1  # Kouassi, Oujda
    assert compute("returns", user, year(by="total")).totals[0]["returnees"] == 6


# ---- assistance ---------------------------------------------------------------------------------


def test_assistance_counts_distinct_persons_per_type(world, me_both):
    total = assistance.assistance_by_type(me_both, year(by="total")).totals[0]
    # Fatou twice medical (one person), Mamadou accommodation (his medical line was cancelled),
    # Awa food; Ibrahima's line was in 2024; the Tunisian line is not ours.
    assert total["persons"] == 3
    assert total["kind_medical"] == 1
    assert total["kind_accommodation"] == 1
    assert total["kind_food"] == 1
    assert total["kind_non_food"] == 0


def test_a_person_assisted_in_two_months_is_one_person_in_the_total(
    world, me_both, rabat, projects
):
    h.assist(world["A"], world["fatou"], AssistanceKind.FOOD, D(2025, 4, 1), project=projects["P"])
    table = assistance.assistance_by_type(me_both, year(by="month"))
    assert table.rows[1]["persons"] == 2  # February: Fatou, Mamadou
    assert table.rows[3]["persons"] == 2  # April: Awa, Fatou
    assert table.totals[0]["persons"] == 3


# ---- lead time ----------------------------------------------------------------------------------


def test_median_and_nearest_rank_percentile():
    assert median([]) is None and percentile([], 90) is None
    assert median([12, 49, 59, 108]) == 54
    assert median([30, 49]) == 39.5
    assert percentile([12, 49, 59, 108], 90) == 108  # rank ceil(3.6) = 4
    assert percentile(list(range(1, 11)), 90) == 9  # rank 9 of 10
    assert percentile(list(range(1, 21)), 90) == 18
    assert percentile([7], 90) == 7


def test_lead_time_from_registration_to_departure(world, me_both):
    table = returns.lead_time(me_both, year(by="office"))
    rows = by_label(table)
    # Rabat: G 12, B 49, A 59, D 108 days; Oujda: C 30 days.
    assert (rows["Rabat"]["cases"], rows["Rabat"]["median_days"], rows["Rabat"]["p90_days"]) == (
        4,
        54,
        108,
    )
    assert (rows["Oujda"]["median_days"], rows["Oujda"]["p90_days"]) == (30, 30)
    total = table.totals[0]
    assert (total["cases"], total["median_days"], total["p90_days"]) == (5, 49, 108)


def test_lead_time_months_without_departures_have_no_figure(world, me_both):
    table = returns.lead_time(me_both, year(by="month"))
    assert (table.rows[0]["cases"], table.rows[0]["median_days"]) == (0, None)


# ---- reintegration ------------------------------------------------------------------------------


def test_reintegration_started_and_completed(world, me_both):
    table = reintegration.reintegration_outcomes(me_both, year(by="month"))
    total = table.totals[0]
    assert (total["started"], total["received"], total["completed"], total["closed_other"]) == (
        2,
        1,
        1,
        1,
    )
    march, may, sept, october = table.rows[2], table.rows[4], table.rows[8], table.rows[9]
    assert (march["started"], march["received"]) == (1, 1)
    assert may["started"] == 1
    assert sept["completed"] == 1
    assert october["closed_other"] == 1  # Ibrahima re-migrated


def test_reintegration_assistance_delivered(world, me_both):
    table = assistance.reintegration_assistance(me_both, year())
    rows = by_label(table)
    assert rows["Micro-business"]["inkind_cases"] == 1
    assert rows["Type not specified"]["inkind_cases"] == 1  # the delivery line has no plan item
    assert rows["Cash"]["cash_persons"] == 1  # the planned tranche is not paid
    assert rows["Education"]["referral_persons"] == 1
    total = table.totals[0]
    assert (total["inkind_cases"], total["cash_persons"], total["referral_persons"]) == (1, 1, 1)


# ---- sustainability -----------------------------------------------------------------------------


def test_sustainability_averages_each_returnees_latest_valid_survey(world, me_both):
    other = world["other_instrument"]
    total = reintegration.sustainability(me_both, year(by="total")).totals[0]
    assert total["respondents"] == 2
    assert (total["economic"], total["social"], total["psychosocial"], total["composite"]) == (
        Decimal("0.5000"),
        Decimal("0.4500"),
        Decimal("0.5500"),
        Decimal("0.5000"),
    )
    by_age = by_label(reintegration.sustainability(me_both, year(by="age_group")))
    assert by_age["5-11"]["respondents"] == 1 and by_age["25-59"]["respondents"] == 1
    # the other version on its own
    chosen = reintegration.sustainability(me_both, year(by="total", instrument=other.pk))
    assert chosen.totals[0]["respondents"] == 1
    assert chosen.totals[0]["composite"] == Decimal("0.0000")


# ---- spending -----------------------------------------------------------------------------------


def test_spending_by_project_in_its_currency(world, me_both):
    table = spending.spending(me_both, year(by="project"))
    rows = by_label(table)
    p, q, r = rows["AVRR-P · AVRR P"], rows["AVRR-Q · AVRR Q"], rows["AVRR-R · AVRR R"]
    assert (p["currency"], p["spent"], p["committed"], p["cases"]) == (
        "EUR",
        Decimal("100.00"),
        Decimal("50.00"),
        1,
    )
    assert (q["spent"], q["committed"]) == (Decimal("200.00"), Decimal("0.00"))  # released: out
    assert (r["currency"], r["spent"], r["awaiting_rate"]) == ("MAD", Decimal("1000.00"), 1)
    assert [(t["currency"], t["spent"], t["committed"]) for t in table.totals] == [
        ("EUR", Decimal("300.00"), Decimal("50.00")),
        ("MAD", Decimal("1000.00"), Decimal("0.00")),
    ]
    assert table.total_labels == ["Total (EUR)", "Total (MAD)"]


def test_spending_by_donor_shows_a_co_funded_project_under_each_donor_once_in_the_total(
    world, me_both
):
    table = spending.spending(me_both, year(by="donor"))
    rows = {(label, r["currency"]): r for label, r in zip(table.labels, table.rows, strict=True)}
    assert rows[("SEM", "EUR")]["spent"] == Decimal("300.00")  # P and Q
    assert rows[("SEM", "EUR")]["co_funded"] is True
    assert rows[("EU", "EUR")]["spent"] == Decimal("200.00")  # Q, shared with SEM
    assert rows[("EU", "MAD")]["co_funded"] is False  # R has EU alone
    eur = next(t for t in table.totals if t["currency"] == "EUR")
    assert eur["spent"] == Decimal("300.00")  # not 500: Q once


def test_spending_is_the_whole_missions_like_the_budget_view(world, me_both, auditor, oujda):
    """A Rabat-only M&E officer sees the costs recorded in Oujda too (budgets are mission-wide),
    never another mission's project."""
    h.charge(world["C"], project=world["A"].project, amount=40, on=D(2025, 7, 2))
    mine = spending.spending(auditor, year(by="project"))
    both = spending.spending(me_both, year(by="project"))
    assert mine.rows == both.rows and mine.totals == both.totals
    p = by_label(mine)["AVRR-P · AVRR P"]
    assert (p["spent"], p["cases"]) == (Decimal("140.00"), 2)  # A (Rabat) and C (Oujda)
    assert "AVRR-TN · AVRR TN" not in by_label(mine)


@pytest.mark.parametrize(
    "persona", ["caseworker", "medical_officer", "movement_officer", "origin_officer"]
)
def test_spending_is_refused_without_finance_view(world, request, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        spending.spending(user, year())
    with pytest.raises(PermissionDenied):
        compute("spending", user, year())


def test_an_origin_missions_finance_officer_sees_its_own_projects_only(world, conakry):
    """Guinea's finance officer: the Moroccan projects' costs of the cases handed over to
    Guinea are Morocco's budget, not Guinea's."""
    from awda.accounts.choices import Role
    from awda.factories import member_of

    finance = member_of(conakry, Role.FINANCE, "finance.conakry")
    assert spending.spending(finance, year(by="project")).rows == []
    gn = ProjectFactory(code="AVRR-GN", name="AVRR GN", mission=conakry.mission, currency="EUR")
    h.charge(world["A"], project=gn, amount=75, on=D(2025, 6, 1))
    rows = by_label(spending.spending(finance, year(by="project")))
    assert list(rows) == ["AVRR-GN · AVRR GN"] and rows["AVRR-GN · AVRR GN"]["spent"] == 75


def test_spending_by_budget_line(world, me_both):
    rows = by_label(spending.spending(me_both, year(by="budget_line")))
    assert rows["AVRR-P · L1 Medical"]["spent"] == Decimal("100.00")
    assert rows["AVRR-R · no budget line"]["spent"] == Decimal("1000.00")


# ---- every selector -------------------------------------------------------------------------------


def test_an_unknown_dimension_is_refused(world, me_both):
    with pytest.raises(ValidationFailed) as exc:
        spending.spending(me_both, year(by="sex"))
    assert "by" in exc.value.fields


@pytest.mark.parametrize("code", list(INDICATORS))
def test_a_user_without_a_counting_role_is_refused(db, rabat, code):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    admin = member_of(rabat, Role.ADMIN, "admin.rabat")
    with pytest.raises(PermissionDenied):
        compute(code, admin, year())


def _count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("code", "by"),
    [(code, by) for code, i in INDICATORS.items() for by in i.dimensions],
)
def test_a_fixed_number_of_queries_whatever_the_rows(world, me_both, rabat, projects, code, by):
    filters = year(by=by)

    def run():
        me_both._awda_scope = None  # the user's scope is read afresh each time
        compute(code, me_both, filters)

    before = _count_queries(run)
    # more of everything: travellers, screenings, assistance, charges, surveys
    for i in range(3):
        p = h.person(
            rabat, given=f"Extra{i}", family="Person", born=D(1990 + i, 1, 1), nationality="SN"
        )
        c = h.case(
            rabat, [p], departed_on=D(2025, 8, 1 + i), project=projects["Q"], country_of_return="SN"
        )
        h.depart(c, p, D(2025, 8, 1 + i))
        h.screen(c, p, health_needs=True)
        h.assist(c, p, AssistanceKind.MEDICAL, D(2025, 7, 1), project=projects["Q"])
        h.charge(c, project=projects["Q"], amount=10, on=D(2025, 8, 1))
        h.survey(c, p, D(2025, 9, 1), (0.5, 0.5, 0.5, 0.5))
    after = _count_queries(run)
    assert after == before
    assert before <= 8
