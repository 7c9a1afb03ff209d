"""The IATI activity file: valid against the IATI 2.03 activity schema (kept in schema/), with the
project's organisations, dates, countries, sector, budgets and transactions, and no personal data."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation
from lxml import etree

from awda.finance.models import Project
from awda.reports.iati.builder import (
    activity_dates,
    activity_status,
    budget_periods,
    build_activity_xml,
    month_date,
    split_percentages,
)

SCHEMA = Path(__file__).resolve().parent / "schema" / "iati-activities-schema.xsd"
D = datetime.date
AT = datetime.datetime(2026, 5, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def parse(data: bytes):
    return etree.fromstring(data)


def transactions(root, code):
    return [
        (
            t.find("transaction-date").get("iso-date"),
            Decimal(t.find("value").text),
            t.find("value").get("currency"),
        )
        for t in root.iter("transaction")
        if t.find("transaction-type").get("code") == code
    ]


def test_the_file_validates_against_the_iati_activity_schema(ledger, schema):
    data = build_activity_xml(ledger, generated_at=AT)
    doc = etree.fromstring(data)
    assert schema.validate(doc), schema.error_log


def test_a_project_without_budget_money_or_returnees_still_validates(project, schema):
    doc = parse(build_activity_xml(project, generated_at=AT))
    assert schema.validate(doc), schema.error_log
    assert doc.find(".//budget") is None
    assert doc.find(".//transaction") is None
    # no returnee yet: the mission's country, 100 %
    countries = [(c.get("code"), c.get("percentage")) for c in doc.iter("recipient-country")]
    assert countries == [("MA", "100.00")]


def test_a_schema_violation_is_caught_by_the_test_schema(ledger, schema):
    """The schema kept in the repository does reject a broken file (the check can fail)."""
    doc = parse(build_activity_xml(ledger, generated_at=AT))
    activity = doc.find("iati-activity")
    activity.remove(activity.find("activity-status"))
    assert not schema.validate(doc)


def test_identifier_reporting_and_participating_organisations(ledger, settings):
    settings.AWDA_IATI_REPORTING_ORG = {"ref": "XM-DAC-47066", "type": "40", "name": "OIM"}
    doc = parse(build_activity_xml(ledger, generated_at=AT))
    assert doc.get("version") == "2.03"
    activity = doc.find("iati-activity")
    assert activity.get("default-currency") == "EUR"
    assert activity.findtext("iati-identifier") == "XM-DAC-47066-AVRR-MA-2026"
    reporting = activity.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == ("XM-DAC-47066", "40")
    assert reporting.findtext("narrative") == "OIM"
    assert activity.find("title").findtext("narrative") == "AVRR Maroc – SEM 2026"
    orgs = [
        (o.get("role"), o.get("ref"), o.findtext("narrative"))
        for o in activity.iter("participating-org")
    ]
    assert orgs == [
        ("1", None, "Fondation Éole"),
        ("1", "CH-4-SEM", "State Secretariat for Migration"),
        ("4", "XM-DAC-47066", "OIM"),
    ]


def test_sector_is_dac_15190_at_100_percent(ledger):
    doc = parse(build_activity_xml(ledger, generated_at=AT))
    sectors = [
        (s.get("vocabulary"), s.get("code"), s.get("percentage")) for s in doc.iter("sector")
    ]
    assert sectors == [("1", "15190", "100")]


def test_recipient_countries_are_the_returnees_countries_of_return_summing_to_100(ledger):
    doc = parse(build_activity_xml(ledger, generated_at=AT))
    countries = {c.get("code"): Decimal(c.get("percentage")) for c in doc.iter("recipient-country")}
    # 3 travellers back to Guinea, 1 to Senegal; the other project's Malians and the case that
    # has not departed do not count
    assert countries == {"GN": Decimal("75.00"), "SN": Decimal("25.00")}
    assert sum(countries.values()) == 100


@pytest.mark.parametrize(
    "weights",
    [
        {"GN": 1, "SN": 1, "ML": 1},
        {"GN": 2, "SN": 1, "ML": 1, "CI": 3, "CM": 7, "NE": 11},
        {"GN": 1, "SN": 9999},
        {"GN": 1},
        {"GN": 17, "SN": 13, "ML": 29, "CI": 31, "CM": 37, "NE": 41, "BF": 43},
    ],
)
def test_split_percentages_always_sum_to_exactly_100(weights):
    shares = split_percentages(weights)
    assert sum(shares.values()) == Decimal("100.00")
    assert all(v == v.quantize(Decimal("0.01")) and v > 0 for v in shares.values())


def test_split_percentages_rounds_by_largest_remainder():
    assert split_percentages({"GN": 1, "SN": 1, "ML": 1}) == {
        "GN": Decimal("33.34"),
        "ML": Decimal("33.33"),
        "SN": Decimal("33.33"),
    }
    assert split_percentages({"GN": 0}) == {}


def test_budgets_are_yearly_periods_whose_values_sum_to_the_budget_lines(ledger, schema):
    doc = parse(build_activity_xml(ledger, generated_at=AT))
    budgets = [
        (
            b.get("type"),
            b.find("period-start").get("iso-date"),
            b.find("period-end").get("iso-date"),
            Decimal(b.find("value").text),
            b.find("value").get("currency"),
        )
        for b in doc.iter("budget")
    ]
    assert budgets == [
        ("1", "2025-07-01", "2026-06-30", Decimal("60000.00"), "EUR"),
        ("1", "2026-07-01", "2027-06-30", Decimal("60000.00"), "EUR"),
    ]


def test_budget_periods_never_pass_a_year_and_share_the_total_to_the_cent():
    periods = budget_periods(D(2024, 2, 29), D(2026, 8, 15), Decimal("1000.00"))
    assert [(a, b) for a, b, _v in periods] == [
        (D(2024, 2, 29), D(2025, 2, 27)),
        (D(2025, 2, 28), D(2026, 2, 27)),
        (D(2026, 2, 28), D(2026, 8, 15)),
    ]
    assert sum(v for *_p, v in periods) == Decimal("1000.00")
    assert all((b - a).days < 366 for a, b, _v in periods)


def test_incoming_funds_are_the_contributions_with_the_donor_as_provider(ledger):
    doc = parse(build_activity_xml(ledger, generated_at=AT))
    assert transactions(doc, "1") == [
        ("2025-07-15", Decimal("50000.00"), "EUR"),
        ("2025-09-01", Decimal("20000.00"), "CHF"),
    ]
    first = next(t for t in doc.iter("transaction") if t.get("ref") == "SEM-1")
    provider = first.find("provider-org")
    assert provider.get("ref") == "CH-4-SEM"
    assert provider.findtext("narrative") == "State Secretariat for Migration"
    assert first.find("receiver-org").get("ref") == "XM-DAC-47066"


def test_commitments_disbursements_and_expenditure_come_from_the_charges(ledger):
    doc = parse(build_activity_xml(ledger, generated_at=AT))
    # every committed or spent charge is committed: in the month of its commitment, or of its
    # spending when it was spent at once; summed per month and category, dated the month's last
    # day: the two tickets committed in February are one transaction
    assert transactions(doc, "2") == [
        ("2026-01-31", Decimal("120.00"), "EUR"),
        ("2026-02-28", Decimal("1750.00"), "EUR"),
        ("2026-03-31", Decimal("50.00"), "EUR"),
        ("2026-04-30", Decimal("300.00"), "EUR"),
    ]
    # cash (pocket money) and a paid referral are disbursements
    assert transactions(doc, "3") == [
        ("2026-03-31", Decimal("50.00"), "EUR"),
        ("2026-04-30", Decimal("300.00"), "EUR"),
    ]
    # goods and services (ticket, medical care) are expenditure
    assert transactions(doc, "4") == [
        ("2026-01-31", Decimal("120.00"), "EUR"),
        ("2026-03-31", Decimal("850.00"), "EUR"),
    ]


def test_charges_are_summed_per_month_and_category_never_per_day(ledger, finance_officer):
    """Two pocket-money payments on different days of March are one disbursement; another
    category of the same month is another transaction; the value date is the transaction's."""
    from awda.cases.models import Case

    from .helpers import charge

    case = Case.objects.filter(project=ledger, departed_on__isnull=False).first()
    charge(
        case,
        ledger,
        finance_officer,
        n=20,
        category="pocket_money",
        amount="25.00",
        stage="spent",
        spent_on=D(2026, 3, 17),
    )
    charge(
        case,
        ledger,
        finance_officer,
        n=21,
        category="medical",
        amount="60.00",
        stage="spent",
        spent_on=D(2026, 3, 20),
    )
    with translation.override("en"):
        doc = parse(build_activity_xml(ledger, generated_at=AT))
    march = [
        (
            t.find("transaction-type").get("code"),
            t.findtext("description/narrative"),
            Decimal(t.find("value").text),
        )
        for t in doc.iter("transaction")
        if t.find("transaction-date").get("iso-date") == "2026-03-31"
    ]
    assert ("3", "Pocket money", Decimal("75.00")) in march  # 50 on the 2nd, 25 on the 17th
    assert ("4", "Medical care", Decimal("60.00")) in march
    assert ("4", "Air tickets", Decimal("850.00")) in march
    days = {t.find("transaction-date").get("iso-date") for t in doc.iter("transaction")}
    charge_days = {d for d in days if d >= "2026-01-01"}
    assert charge_days == {"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"}
    for t in doc.iter("transaction"):
        assert t.find("value").get("value-date") == t.find("transaction-date").get("iso-date")


def test_the_month_in_progress_is_dated_the_day_of_the_file(ledger, schema):
    """A transaction date is never in the future (IATI): April's costs, in a file of 15 April,
    are dated 15 April."""
    generated = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC)
    doc = parse(build_activity_xml(ledger, generated_at=generated))
    assert ("2026-04-15", Decimal("300.00"), "EUR") in transactions(doc, "2")
    assert ("2026-03-31", Decimal("50.00"), "EUR") in transactions(doc, "3")
    assert schema.validate(doc), schema.error_log


@pytest.mark.parametrize(
    ("day", "today", "expected"),
    [
        (D(2026, 2, 3), D(2026, 5, 1), D(2026, 2, 28)),
        (D(2024, 2, 29), D(2026, 5, 1), D(2024, 2, 29)),
        (D(2026, 12, 1), D(2027, 1, 1), D(2026, 12, 31)),
        (D(2026, 4, 1), D(2026, 4, 15), D(2026, 4, 15)),
        (D(2026, 4, 1), D(2026, 4, 30), D(2026, 4, 30)),
    ],
)
def test_month_date_is_the_last_day_never_after_today(day, today, expected):
    assert month_date(day, today) == expected


def test_charges_awaiting_a_rate_are_left_out_and_counted_in_a_comment(ledger):
    data = build_activity_xml(ledger, generated_at=AT)
    assert b"2 charge(s) awaiting an exchange rate are not included" in data
    # released (999) and unconverted (500, 700) charges appear nowhere, nor another project's
    for amount in (b"999.00", b"500.00", b"700.00", b"777.00"):
        assert amount not in data


def test_no_personal_data_in_the_file(ledger):
    from awda.cases.models import Case

    data = build_activity_xml(ledger, generated_at=AT).decode()
    assert "Ousmane" not in data and "Diallo" not in data and "Enfant" not in data
    for number in Case.objects.values_list("number", flat=True):
        assert number not in data


def test_narratives_follow_the_active_language(ledger):
    with translation.override("en"):
        doc = parse(build_activity_xml(ledger, generated_at=AT))
    activity = doc.find("iati-activity")
    assert activity.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert "Assisted voluntary return" in activity.find("description").findtext("narrative")


def test_generated_and_last_updated_datetimes(ledger):
    doc = parse(build_activity_xml(ledger, generated_at=AT))
    assert doc.get("generated-datetime").startswith("2026-05-01T")
    updated = doc.find("iati-activity").get("last-updated-datetime")
    assert datetime.datetime.fromisoformat(updated) == ledger.updated_at.replace(microsecond=0)


@pytest.mark.parametrize(
    ("today", "is_active", "status", "types"),
    [
        (D(2025, 6, 1), True, "1", ["1", "3"]),
        (D(2025, 7, 1), True, "2", ["1", "2", "3"]),
        (D(2027, 6, 30), True, "2", ["1", "2", "3"]),
        (D(2027, 7, 1), True, "3", ["1", "2", "3"]),
        (D(2027, 9, 1), False, "4", ["1", "2", "3", "4"]),
        (D(2026, 9, 1), False, "4", ["1", "2", "3"]),
    ],
)
def test_status_and_dates_follow_the_project_period(today, is_active, status, types):
    project = Project(start_date=D(2025, 7, 1), end_date=D(2027, 6, 30), is_active=is_active)
    assert activity_status(project, today) == status
    assert [t for t, _d in activity_dates(project, today)] == types


def test_default_generation_time_is_now(project):
    doc = parse(build_activity_xml(project))
    generated = datetime.datetime.fromisoformat(doc.get("generated-datetime"))
    assert abs((generated - timezone.now()).total_seconds()) < 60


def test_query_count_does_not_grow_with_the_ledger(ledger, caseworker, rabat, finance_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .helpers import charge, departed

    def count():
        with CaptureQueriesContext(connection) as ctx:
            build_activity_xml(ledger, generated_at=AT)
        return len(ctx.captured_queries)

    before = count()
    for i, country in enumerate(("ML", "CI", "CM")):
        case = departed(caseworker, rabat, country=country, travellers=2, project=ledger)
        charge(
            case,
            ledger,
            finance_officer,
            n=100 + i,
            category="food",
            amount="10.00",
            stage="spent",
            spent_on=D(2026, 4, 1 + i),
        )
    assert count() == before
    assert before <= 8
