"""The small-cell rules on hand-made tables (no database): primary suppression, restricted
columns, and complementary suppression in rows and down columns (the totals stay)."""

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from awda.reports.indicators.base import SUPPRESSED, Column, Filters, IndicatorTable
from awda.reports.indicators.returns import RETURN_COLUMNS, VULNERABLE_COLUMNS
from awda.reports.indicators.spending import CURRENCY_COLUMN, SPENDING_COLUMNS
from awda.reports.indicators.suppression import suppress, suppress_restricted

K = 11
COLUMNS = [
    Column("country", "Country", "#country+code", "code", dimension=True),
    Column("persons", "Persons", "#reached"),
    Column("female", "Female", "#reached+f", group="sex", within="persons"),
    Column("male", "Male", "#reached+m", group="sex", within="persons"),
    Column("median", "Median", "#indicator+days+median", kind="stat", basis="persons"),
    Column("vot", "Trafficking", "#reached+vot", basis="persons", restricted=True),
]
FILTERS = Filters(date_from=datetime.date(2025, 1, 1), date_to=datetime.date(2025, 12, 31))


def table(*rows, totals=None, by="country", columns=COLUMNS, label="country"):
    rows = [dict(r) for r in rows]
    if by == "total":
        totals = rows
    return IndicatorTable(
        code="t",
        title="T",
        by=by,
        filters=FILTERS,
        columns=columns,
        rows=rows,
        labels=[str(r.get(label, "")) for r in rows],
        totals=[dict(t) for t in (totals or [])],
    )


def row(country, persons, female, male, median, vot=0):
    return {
        "country": country,
        "persons": persons,
        "female": female,
        "male": male,
        "median": median,
        "vot": vot,
    }


def given_away(t: IndicatorTable, k: int = K, *, only_restricted: bool = False) -> list[str]:
    """The sets of cells adding up to a figure shown where a suppressed cell can be worked out:
    exactly one suppressed, or suppressed cells adding up to 1..k-1 or to one each (empty when
    safe)."""
    lines = t.rows + t.totals
    out = []

    def check(name, parts, total):
        cells = parts + ([total] if total is not None else [])
        hidden = [v for v in cells if v is SUPPRESSED]
        if not hidden:
            return
        if len(hidden) == 1:
            # (a cell alone among zeros is known to be what the total says: only a zero can be)
            if any(v not in (0, SUPPRESSED) for v in cells):
                out.append(f"{name}: one cell alone")
        elif all(v is SUPPRESSED or v == 0 for v in parts):
            pass  # nothing left to suppress but the total, which stays (a documented limit)
        elif isinstance(total, int) and total is not SUPPRESSED:
            rest = total - sum(v for v in parts if v is not SUPPRESSED)
            if 0 < rest < k or rest == len(hidden):
                out.append(f"{name}: suppressed cells add up to {rest}")

    counts = [c for c in t.columns if c.kind in ("count", "amount") and not c.dimension]
    if only_restricted:
        counts = [c for c in counts if c.restricted]
    if t.shows_totals:
        for c in counts:
            by_currency: dict = {}
            for r in t.rows:
                by_currency.setdefault(r.get("currency", ""), []).append(r.get(c.key))
            for currency, parts in by_currency.items():
                total = next(
                    (x.get(c.key) for x in t.totals if x.get("currency", "") == currency), None
                )
                check(f"column {c.key} {currency}", parts, total)
    if not only_restricted:
        groups: dict[str, list[Column]] = {}
        for c in t.columns:
            if c.group:
                groups.setdefault(c.group, []).append(c)
        for i, line in enumerate(lines):
            for name, members in groups.items():
                within = members[0].within
                check(
                    f"line {i} group {name}",
                    [line.get(c.key) for c in members],
                    line.get(within) if within else None,
                )
    return out


# ---- rule 1 and 3: primary ---------------------------------------------------------------------


def test_counts_under_k_are_suppressed_zero_and_k_are_shown():
    (gin,) = suppress(table(row("GIN", 11, 0, 11, 30), by="total"), K).rows
    assert (gin["persons"], gin["female"], gin["male"]) == (11, 0, 11)
    (civ,) = suppress(table(row("CIV", 10, 10, 0, 20), by="total"), K).rows
    assert civ["persons"] is SUPPRESSED and civ["female"] is SUPPRESSED
    assert civ["male"] == 0


def test_one_suppressed_cell_of_a_group_takes_the_smallest_other_with_it():
    (gin,) = suppress(table(row("GIN", 40, 3, 37, 30), by="total"), K).rows
    assert gin["female"] is SUPPRESSED and gin["male"] is SUPPRESSED
    assert gin["persons"] == 40


def test_two_suppressed_cells_of_a_group_hide_each_other():
    (gin,) = suppress(table(row("GIN", 14, 5, 9, 30), by="total"), K).rows
    assert (gin["persons"], gin["female"], gin["male"]) == (14, SUPPRESSED, SUPPRESSED)


def test_a_statistic_goes_with_its_count():
    small, big, other = suppress(
        table(
            row("CIV", 4, 0, 4, 12),
            row("GIN", 30, 15, 15, 50),
            row("SEN", 40, 20, 20, 40),
            totals=[row("", 74, 35, 39, 45)],
        ),
        K,
    ).rows
    assert small["median"] is SUPPRESSED
    assert other["median"] == 40


def test_the_original_table_is_left_as_it_was():
    t = table(row("CIV", 4, 0, 4, 12), by="total")
    suppress(t, K)
    suppress_restricted(t, K)
    assert t.rows[0]["persons"] == 4 and t.rows[0]["vot"] == 0


# ---- rule 4: complementary suppression down a column ---------------------------------------------


def _age_table():
    """The reviewer's example: returnees by age group, 0-4 = 5, 25-59 = 40, 60+ = 30, total 75."""
    columns = [
        Column("age_group", "Age group", "#group+age", "code", dimension=True),
        *RETURN_COLUMNS,
    ]

    def r(age, returnees, female, male):
        return {
            "age_group": age,
            "returnees": returnees,
            "female": female,
            "male": male,
            "children": returnees if age == "0-4" else 0,
            "adults": returnees if age == "25-59" else 0,
            "elderly": returnees if age == "60+" else 0,
            "cases": returnees,
        }

    return table(
        r("0-4", 5, 2, 3),
        r("25-59", 40, 20, 20),
        r("60+", 30, 15, 15),
        totals=[r("", 75, 37, 38) | {"children": 5, "adults": 40, "elderly": 30}],
        columns=columns,
        label="age_group",
        by="age_group",
    )


def test_a_column_total_cannot_give_the_one_suppressed_cell_away():
    out = suppress(_age_table(), K)
    rows = dict(zip(out.labels, out.rows, strict=True))
    assert rows["0-4"]["returnees"] is SUPPRESSED  # 5
    # 75 - 40 - 30 would give 5: the next smallest non-zero cell (30) is suppressed too
    assert rows["60+"]["returnees"] is SUPPRESSED
    assert rows["25-59"]["returnees"] == 40
    assert out.totals[0]["returnees"] == 75  # the total stays (by=total shows it anyway)
    assert given_away(out) == []


def test_the_sex_table_of_the_donor_report_is_protected_with_its_total():
    """People reached by sex: female 5, male 40, total 45."""
    columns = [Column("sex", "Sex", "#group+sex", "code", dimension=True), *RETURN_COLUMNS]

    def r(sex, returnees, female, male, children, adults, elderly):
        return {
            "sex": sex,
            "returnees": returnees,
            "female": female,
            "male": male,
            "children": children,
            "adults": adults,
            "elderly": elderly,
            "cases": returnees,
        }

    out = suppress(
        table(
            r("female", 5, 5, 0, 2, 3, 0),
            r("male", 40, 0, 40, 12, 16, 12),
            totals=[r("", 45, 5, 40, 14, 19, 12)],
            columns=columns,
            label="sex",
            by="sex",
        ),
        K,
    )
    female, male = out.rows
    assert female["returnees"] is SUPPRESSED
    assert male["returnees"] is SUPPRESSED  # else 45 - 40 = 5
    assert out.totals[0]["returnees"] == 45
    assert given_away(out) == []


def test_suppressed_cells_adding_up_to_under_k_take_another_with_them():
    """Two cells of 1 and a total: 22 - 20 = 2, so both are 1: a third cell goes."""
    out = suppress(
        table(
            row("CIV", 1, 0, 1, 1),
            row("SEN", 1, 1, 0, 1),
            row("GIN", 20, 10, 10, 1),
            row("MLI", 25, 12, 13, 1),
            totals=[row("", 47, 23, 24, 1)],
        ),
        K,
    )
    persons = [r["persons"] for r in out.rows]
    assert persons == [SUPPRESSED, SUPPRESSED, SUPPRESSED, 25]
    assert out.totals[0]["persons"] == 47
    assert given_away(out) == []


def test_amounts_are_protected_per_currency():
    """Spending in HXL: an amount goes with its cases; the other amount of its currency goes
    too, so that the total (per currency) does not give it away."""
    columns = [
        Column("project_code", "Project", "#activity+code", "code", dimension=True),
        CURRENCY_COLUMN,
        *SPENDING_COLUMNS,
    ]

    def r(code, currency, cases, spent):
        return {
            "project_code": code,
            "currency": currency,
            "cases": cases,
            "spent": Decimal(spent),
            "committed": Decimal("0.00"),
            "awaiting_rate": 0,
        }

    out = suppress(
        table(
            r("P", "EUR", 3, "100.00"),
            r("Q", "EUR", 20, "900.00"),
            r("R", "MAD", 30, "5000.00"),
            totals=[r("", "EUR", 23, "1000.00"), r("", "MAD", 30, "5000.00")],
            columns=columns,
            label="project_code",
            by="project",
        ),
        K,
    )
    p, q, r_ = out.rows
    assert p["spent"] is SUPPRESSED and q["spent"] is SUPPRESSED
    assert r_["spent"] == Decimal("5000.00")  # MAD: nothing hidden
    assert out.totals[0]["spent"] == Decimal("1000.00")
    assert given_away(out) == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        # female, male, and persons of another or unknown sex (in no column)
        st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 3)),
        min_size=1,
        max_size=8,
    ),
    st.integers(3, 12),  # (with k = 2 a suppressed count is 1: nothing to hide)
)
def test_no_suppressed_cell_can_be_worked_out_from_the_totals(counts, k):
    """Whatever the table, no row group or column (with its total) leaves one suppressed cell
    alone, or suppressed cells adding up to under k or to one each (but where nothing is left to
    suppress except the total, e.g. three rows of 1 and a total of 3: a documented limit)."""
    rows = [row(f"C{i}", f + m + u, f, m, 1) for i, (f, m, u) in enumerate(counts)]
    total = row("", *(sum(r[x] for r in rows) for x in ("persons", "female", "male")), 1)
    out = suppress(table(*rows, totals=[total]), k)
    assert given_away(out, k) == []
    # the totals are what the table grouped by "total" shows
    alone = suppress(table(total, by="total"), k)
    assert out.totals == alone.rows


# ---- restricted columns, on every output --------------------------------------------------------


def test_restricted_counts_under_k_are_hidden_and_a_total_does_not_give_them_away():
    t = table(
        row("GIN", 30, 15, 15, 50, vot=0),
        row("CIV", 40, 20, 20, 12, vot=2),
        row("SEN", 40, 20, 20, 40, vot=12),
        totals=[row("", 110, 55, 55, 45, vot=14)],
    )
    out = suppress_restricted(t, K)
    gin, civ, sen = out.rows
    assert civ["vot"] is SUPPRESSED
    # one cell hidden: 14 - 12 - 0 would give it away, so 12 goes too; the total stays
    assert sen["vot"] is SUPPRESSED
    assert gin["vot"] == 0 and out.totals[0]["vot"] == 14
    assert civ["persons"] == 40  # other columns untouched on every output
    assert given_away(out, only_restricted=True) == []


def test_restricted_counts_of_a_small_group_are_hidden_whatever_their_value():
    """The leak: a group of one returnee showing 0 while another group's 1 is hidden tells who
    has trafficking indicators. Under k returnees, the restricted count is hidden, 0 included."""
    out = suppress_restricted(
        table(
            row("GIN", 1, 0, 1, 12, vot=0),
            row("CIV", 1, 1, 0, 12, vot=1),
            row("SEN", 40, 20, 20, 40, vot=0),
            totals=[row("", 42, 21, 21, 30, vot=1)],
        ),
        K,
    )
    gin, civ, sen = out.rows
    assert gin["vot"] is SUPPRESSED and civ["vot"] is SUPPRESSED
    assert sen["vot"] == 0  # 40 returnees, none: nobody singled out
    assert out.totals[0]["vot"] is SUPPRESSED  # 1
    assert (gin["persons"], civ["persons"]) == (1, 1)  # returnees are not restricted


def test_no_returnee_shows_zero():
    (empty,) = suppress_restricted(table(row("GIN", 0, 0, 0, None, vot=0), by="total"), K).rows
    assert empty["vot"] == 0


def test_the_vulnerable_table_marks_its_restricted_categories():
    restricted = {c.key for c in VULNERABLE_COLUMNS if c.restricted}
    assert restricted == {"vulnerable", "uasc", "vot", "health", "disability"}
    assert all(c.basis == "returnees" for c in VULNERABLE_COLUMNS if c.restricted)


def test_a_table_without_restricted_columns_is_returned_as_it_is():
    t = table(row("GIN", 3, 1, 2, 1), by="total", columns=COLUMNS[:4])
    assert suppress_restricted(t, K) is t
