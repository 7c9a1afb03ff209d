"""The cost ledger's rules (charges.charge_post): upsert by source, stages, conversion at the
day's rate, budget and per-person cap refusals, overrides, reallocated lines kept."""

import datetime
from decimal import Decimal

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import ValidationFailed
from awda.factories import ProjectFactory
from awda.finance.models import BudgetLine, Charge, PersonCap
from awda.finance.services.charges import (
    SOURCES,
    charges_convert_pending,
    charges_rebuild,
    register_source,
)
from awda.finance.services.rates import convert, rate_for

from ..helpers import DAY, line, post, principal, rate, spec


def test_a_new_cost_is_charged_to_the_line_of_its_category(caseworker, case, project, lines):
    charge = post(caseworker, case, project, "120.00", category="food")
    assert charge.budget_line == lines["PD"]
    assert (charge.stage, charge.spent_on, charge.committed_on) == ("spent", DAY, None)
    assert (charge.rate, charge.project_amount) == (Decimal(1), Decimal("120.00"))
    assert charge.office_id == case.office_id and charge.warning == ""


def test_a_category_no_line_lists_goes_to_the_general_line(caseworker, case, project, lines):
    assert (
        post(caseworker, case, project, "10", category="psychosocial").budget_line == lines["GEN"]
    )


def test_without_a_line_the_cost_is_not_on_a_budget_line(caseworker, case, project):
    line(project, "TK", "100", ["ticket"])
    charge = post(caseworker, case, project, "10", category="food")
    assert charge.budget_line is None and charge.project_amount == Decimal("10.00")


def test_posting_the_same_source_updates_its_charge(caseworker, case, project, lines):
    first = post(caseworker, case, project, "100", stage="committed", source_id=7)
    later = DAY + datetime.timedelta(days=20)
    again = post(caseworker, case, project, "90", stage="spent", source_id=7, on_date=later)
    assert again.pk == first.pk and Charge.objects.count() == 1
    again.refresh_from_db()
    assert (again.stage, again.committed_on, again.spent_on) == ("spent", DAY, later)
    assert again.project_amount == Decimal("90.00")


def test_a_released_cost_is_kept_and_no_longer_counted(caseworker, case, project, lines):
    post(caseworker, case, project, "100", source_id=8)
    released = post(caseworker, case, project, "100", source_id=8, stage="released")
    assert (released.stage, released.released_on) == ("released", DAY)
    assert Charge.objects.filter(stage="released").count() == 1
    # nothing to release for a source that was never charged
    assert post(caseworker, case, project, "5", source_id=9, stage="released") is None
    assert Charge.objects.count() == 1


def test_a_foreign_currency_is_converted_at_the_rate_of_the_day(caseworker, case, project, lines):
    rate("MAD", "EUR", "0.0925", datetime.date(2026, 1, 1))
    rate("MAD", "EUR", "0.0910", datetime.date(2026, 4, 1))
    march = post(caseworker, case, project, "1000.00", currency="MAD")
    april = post(
        caseworker, case, project, "1000.00", currency="MAD", on_date=datetime.date(2026, 4, 2)
    )
    assert (march.rate, march.rate_on, march.project_amount) == (
        Decimal("0.0925"),
        datetime.date(2026, 1, 1),
        Decimal("92.50"),
    )
    assert (april.rate, april.project_amount) == (Decimal("0.0910"), Decimal("91.00"))
    assert march.amount == Decimal("1000.00") and march.currency == "MAD"


def test_the_inverse_rate_is_used_when_only_it_is_known(caseworker, case, project, lines, eur_mad):
    charge = post(caseworker, case, project, "540.00", currency="MAD")
    # the rate as recorded (1 EUR = 10.8 MAD) and that the amount was divided by it
    assert (charge.rate, charge.rate_inverted) == (Decimal("10.8"), True)
    assert charge.project_amount == Decimal("50.00")
    assert charge.rate_on == datetime.date(2026, 1, 1)


def test_an_inverse_rate_divides_by_the_stored_rate_to_the_cent(caseworker, case, project):
    """50,000,000 GNF at EUR/GNF 9,300 is 5,376.344 EUR: 5,376.34, not the 5,376.35 that a
    1 / 9,300 rounded to ten decimals gives."""
    rate("EUR", "GNF", "9300", datetime.date(2026, 1, 1))
    line(project, "ALL", "10000", [])
    charge = post(caseworker, case, project, "50000000.00", currency="GNF")
    assert charge.project_amount == Decimal("5376.34")
    assert (charge.rate, charge.rate_inverted) == (Decimal("9300"), True)
    charge.refresh_from_db()
    assert convert(charge.amount, charge.rate, inverted=charge.rate_inverted) == Decimal("5376.34")


def test_a_direct_rate_is_applied_as_recorded(caseworker, case, project, lines):
    rate("GNF", "EUR", "0.0001075269", datetime.date(2026, 1, 1))
    charge = post(caseworker, case, project, "1000000", currency="GNF", category="ticket")
    assert (charge.rate, charge.rate_inverted, charge.project_amount) == (
        Decimal("0.0001075269"),
        False,
        Decimal("107.53"),
    )


def test_convert_rounds_half_up_to_the_cent():
    assert convert(Decimal("50000000"), Decimal("9300"), inverted=True) == Decimal("5376.34")
    assert convert(Decimal("1"), Decimal("8"), inverted=True) == Decimal("0.13")  # 0.125
    assert convert(Decimal("0.5"), Decimal("0.05")) == Decimal("0.03")  # 0.025
    assert rate_for("EUR", "EUR", DAY) == (Decimal(1), None, False)


def test_without_a_rate_the_cost_awaits_one_then_is_converted(caseworker, case, project, lines):
    charge = post(caseworker, case, project, "1000", currency="GNF")
    assert (charge.project_amount, charge.rate) == (None, None)
    assert charges_convert_pending(currency="GNF") == 0
    rate("EUR", "GNF", "10000", datetime.date(2026, 1, 1))
    assert charges_convert_pending(currency="GNF") == 1
    charge.refresh_from_db()
    assert (charge.project_amount, charge.rate_on) == (Decimal("0.10"), datetime.date(2026, 1, 1))
    assert (charge.rate, charge.rate_inverted) == (Decimal("10000"), True)


def test_a_rate_later_than_the_day_does_not_convert(caseworker, case, project, lines):
    rate("MAD", "EUR", "0.09", DAY + datetime.timedelta(days=1))
    assert post(caseworker, case, project, "100", currency="MAD").project_amount is None


def test_a_cost_past_the_line_is_refused(caseworker, case, project, lines):
    post(caseworker, case, project, "900", category="medical")
    with pytest.raises(ValidationFailed) as exc:
        post(caseworker, case, project, "100.01", category="food")
    assert exc.value.code == "budget_exceeded"
    assert exc.value.details["budget_line"] == lines["PD"].pk
    assert "PD" in str(exc.value.message)
    assert Charge.objects.count() == 1
    assert post(caseworker, case, project, "100.00", category="food").over_budget is False


def test_an_override_lets_the_line_take_more_and_flags_the_cost(caseworker, case, project, lines):
    post(caseworker, case, project, "1000", category="medical")
    BudgetLine.objects.filter(pk=lines["PD"].pk).update(overrun_allowed=Decimal("50"))
    charge = post(caseworker, case, project, "50", category="food")
    assert charge.over_budget is True
    assert "PD" in charge.warning
    with pytest.raises(ValidationFailed):
        post(caseworker, case, project, "0.01", category="food")


def test_growing_an_existing_cost_is_checked_but_shrinking_it_is_not(
    caseworker, case, project, lines
):
    post(caseworker, case, project, "900", category="food", source_id=21)
    with pytest.raises(ValidationFailed):
        post(caseworker, case, project, "1000.01", category="food", source_id=21)
    BudgetLine.objects.filter(pk=lines["PD"].pk).update(amount=Decimal("100"))
    assert post(
        caseworker, case, project, "800", category="food", source_id=21
    ).project_amount == Decimal("800.00")


def test_the_warning_says_when_the_line_passes_its_threshold(caseworker, case, project, lines):
    assert post(caseworker, case, project, "899", category="food").warning == ""
    warning = post(caseworker, case, project, "1", category="food").warning
    assert "PD" in warning and "90" in warning


def test_enforce_false_accepts_and_flags(caseworker, case, project, lines):
    charge = post(caseworker, case, project, "1500", category="food", enforce=False)
    assert charge.over_budget is True and charge.project_amount == Decimal("1500.00")


def test_the_per_person_cap_is_refused_past_its_amount(caseworker, case, project, lines):
    PersonCap.objects.create(project=project, category="food", amount=Decimal("200"))
    person = principal(case)
    post(caseworker, case, project, "150", category="food", person=person)
    with pytest.raises(ValidationFailed) as exc:
        post(caseworker, case, project, "50.01", category="food", person=person)
    assert exc.value.code == "over_person_cap"
    # another category, or no person, is not capped
    post(caseworker, case, project, "300", category="medical", person=person)
    post(caseworker, case, project, "300", category="food")
    post(caseworker, case, project, "50", category="food", person=person)


def test_a_reallocated_charge_keeps_its_line_when_posted_again(caseworker, case, project, lines):
    charge = post(caseworker, case, project, "10", category="food", source_id=31)
    Charge.objects.filter(pk=charge.pk).update(budget_line=lines["GEN"])
    again = post(caseworker, case, project, "12", category="food", source_id=31)
    assert again.budget_line == lines["GEN"]


def test_a_charge_moved_to_another_project_takes_a_line_of_it(
    caseworker, case, project, lines, morocco
):
    other = ProjectFactory(code="OTHER", mission=morocco, currency="EUR")
    other_line = line(other, "ALL", "100", [])
    post(caseworker, case, project, "10", category="food", source_id=32)
    moved = post(caseworker, case, other, "10", category="food", source_id=32)
    assert (moved.project, moved.budget_line) == (other, other_line)


def test_an_explicit_line_of_another_project_is_refused(caseworker, case, project, lines, morocco):
    other = ProjectFactory(code="OTHER2", mission=morocco)
    with pytest.raises(ValidationFailed) as exc:
        post(caseworker, case, other, "10", budget_line=lines["PD"])
    assert "budget_line" in exc.value.fields


def test_the_ledger_is_rebuilt_from_the_registered_sources(caseworker, case, project, lines):
    specs = [spec(case, project, "700", source_id=41), spec(case, project, "700", source_id=42)]
    register_source("test_source", lambda: [(caseworker, s) for s in specs])
    try:
        assert charges_rebuild(sources=["test_source"]) == {"test_source": 2}
        assert charges_rebuild(sources=["test_source"]) == {"test_source": 2}
    finally:
        SOURCES.pop("test_source")
    flags = sorted(Charge.objects.values_list("over_budget", flat=True))
    assert Charge.objects.count() == 2 and flags == [False, True]
    events = AuditEvent.objects.filter(action="finance.charges.rebuilt")
    assert events.count() == 2
    event = events.first()
    assert event.actor is None and event.actor_username == "system"
    assert event.changes == {"postings": {"test_source": 2}, "total": 2}


def test_a_rebuild_is_audited_as_the_user_who_ran_it(finance_officer):
    register_source("test_source", lambda: [])
    try:
        charges_rebuild(sources=["test_source"], user=finance_officer)
    finally:
        SOURCES.pop("test_source")
    event = AuditEvent.objects.get(action="finance.charges.rebuilt")
    assert event.actor == finance_officer and event.changes["total"] == 0
