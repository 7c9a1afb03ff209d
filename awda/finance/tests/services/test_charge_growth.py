"""The budget rules refuse a posting only when the cost grows in its own terms (a new cost, a
released one brought back, a larger amount in the same currency, another currency, project or
line); otherwise (a later day's rate when a commitment is spent, a rate recorded after the
cost) they flag the charge over_budget / over_cap, since the event has already happened."""

import datetime
from decimal import Decimal

import pytest

from awda.core.errors import ValidationFailed
from awda.factories import ProjectFactory
from awda.finance.budget_selectors import budget_view, project_charges
from awda.finance.models import BudgetLine, Charge, ExchangeRate, PersonCap
from awda.finance.services.charges import charges_convert_pending

from ..helpers import DAY, line, post, principal, rate

SRC = 10**9  # source ids the helpers never give
LATER = DAY + datetime.timedelta(days=10)  # 20 March: the MAD rose


@pytest.fixture
def mad_rates():
    """1 MAD = 0.09 EUR from January, 0.10 EUR from 15 March."""
    rate("MAD", "EUR", "0.09", datetime.date(2026, 1, 1))
    rate("MAD", "EUR", "0.10", datetime.date(2026, 3, 15))


def test_a_commitment_spent_at_a_higher_rate_is_flagged_not_refused(
    caseworker, case, project, lines, mad_rates
):
    ordered = post(
        caseworker, case, project, "9000", currency="MAD", stage="committed", source_id=SRC + 1
    )
    assert ordered.project_amount == Decimal("810.00")
    post(caseworker, case, project, "190", category="medical")  # the line is now full
    delivered = post(
        caseworker, case, project, "9000", currency="MAD", source_id=SRC + 1, on_date=LATER
    )
    assert (delivered.stage, delivered.project_amount) == ("spent", Decimal("900.00"))
    assert delivered.over_budget is True and "PD" in delivered.warning
    assert Charge.objects.get(pk=ordered.pk).over_budget is True
    # the same cost grown in its own currency is refused
    with pytest.raises(ValidationFailed) as exc:
        post(caseworker, case, project, "9000.01", currency="MAD", source_id=SRC + 1, on_date=LATER)
    assert exc.value.code == "budget_exceeded"


def test_a_tranche_paid_at_a_higher_rate_passes_the_cap_flagged(
    caseworker, case, project, lines, mad_rates
):
    PersonCap.objects.create(project=project, category="cash", amount=Decimal("95"))
    person = principal(case)
    kwargs = {"currency": "MAD", "category": "cash", "person": person, "source_id": SRC + 2}
    planned = post(caseworker, case, project, "1000", stage="committed", **kwargs)
    assert (planned.project_amount, planned.over_cap) == (Decimal("90.00"), False)
    paid = post(caseworker, case, project, "1000", on_date=LATER, **kwargs)
    assert (paid.stage, paid.project_amount, paid.over_cap) == ("spent", Decimal("100.00"), True)
    with pytest.raises(ValidationFailed) as exc:
        post(caseworker, case, project, "1001", on_date=LATER, **kwargs)
    assert exc.value.code == "over_person_cap"


@pytest.fixture
def over_line(caseworker, case, project, lines):
    """Line PD carries 1,000 EUR (source 10: 500, source 11: 500); then the donor cut it to
    900: it takes no new cost."""
    post(caseworker, case, project, "500", stage="committed", source_id=SRC + 10)
    post(caseworker, case, project, "500", source_id=SRC + 11)
    BudgetLine.objects.filter(pk=lines["PD"].pk).update(amount=Decimal("900"))
    return lines["PD"]


def test_a_cost_that_did_not_grow_is_accepted_on_a_line_past_its_allocation(
    caseworker, case, project, over_line
):
    spent = post(caseworker, case, project, "500", source_id=SRC + 10, on_date=LATER)
    assert (spent.stage, spent.project_amount) == ("spent", Decimal("500.00"))
    smaller = post(caseworker, case, project, "400", source_id=SRC + 10, on_date=LATER)
    assert smaller.project_amount == Decimal("400.00")


@pytest.mark.parametrize(
    "change",
    ["larger amount", "another currency", "released then back", "another line", "another project"],
)
def test_a_cost_that_grows_in_its_own_terms_is_refused(
    caseworker, case, project, lines, over_line, mad_rates, morocco, change
):
    kwargs = {"source_id": SRC + 10}
    if change == "larger amount":
        kwargs["amount"] = "500.01"
    elif change == "another currency":
        kwargs |= {"amount": "5000", "currency": "MAD"}  # 450 EUR: less, but in MAD now
    elif change == "released then back":
        post(caseworker, case, project, "500", stage="released", source_id=SRC + 10)
    elif change == "another line":
        post(caseworker, case, project, "1", category="psychosocial")  # GEN: 1 of 500
        kwargs["budget_line"] = lines["GEN"]
    else:
        other = ProjectFactory(code="OTHER", mission=morocco, currency="EUR")
        line(other, "ALL", "100", [])
        kwargs["project"] = other
    target = kwargs.pop("project", project)
    amount = kwargs.pop("amount", "500")
    with pytest.raises(ValidationFailed) as exc:
        post(caseworker, case, target, amount, **kwargs)
    assert exc.value.code == "budget_exceeded"
    charge = Charge.objects.get(source_id=SRC + 10)
    assert (charge.project_id, charge.budget_line_id) == (project.pk, over_line.pk)


def test_a_cost_awaiting_a_rate_and_converted_by_its_next_stage_is_flagged(
    caseworker, case, project, lines
):
    waiting = post(
        caseworker, case, project, "9000", currency="MAD", stage="committed", source_id=SRC + 3
    )
    assert waiting.project_amount is None
    post(caseworker, case, project, "950", category="medical")
    ExchangeRate.objects.create(
        currency="MAD",
        to_currency="EUR",
        rate=Decimal("0.1"),
        valid_from=DAY,
        recorded_by=caseworker,
    )
    spent = post(
        caseworker, case, project, "9000", currency="MAD", source_id=SRC + 3, on_date=LATER
    )
    assert (spent.project_amount, spent.over_budget) == (Decimal("900.00"), True)


def test_converting_costs_awaiting_a_rate_flags_line_and_person_cap(
    caseworker, case, project, lines
):
    PersonCap.objects.create(project=project, category="food", amount=Decimal("50"))
    person = principal(case)
    waiting = post(caseworker, case, project, "1000", currency="MAD", person=person)
    post(caseworker, case, project, "20", person=person)
    post(caseworker, case, project, "950", category="medical")
    rate("MAD", "EUR", "0.09", datetime.date(2026, 1, 1))
    assert charges_convert_pending(currency="MAD") == 1
    waiting.refresh_from_db()
    assert waiting.project_amount == Decimal("90.00")
    assert (waiting.over_budget, waiting.over_cap) == (True, True)
    view = budget_view(project)
    pd = next(r for r in view.lines if r.line.code == "PD")
    assert (pd.over_budget_charges, pd.over_cap_charges) == (1, 1)
    assert (view.over_budget_charges, view.over_cap_charges) == (1, 1)
    assert list(project_charges(project, flagged=True)) == [waiting]
    assert waiting not in project_charges(project, flagged=False)


def test_a_released_cost_loses_its_flags(caseworker, case, project, lines):
    PersonCap.objects.create(project=project, category="food", amount=Decimal("10"))
    person = principal(case)
    flagged = post(caseworker, case, project, "20", person=person, source_id=SRC + 4, enforce=False)
    assert flagged.over_cap is True
    released = post(
        caseworker, case, project, "20", person=person, source_id=SRC + 4, stage="released"
    )
    assert (released.over_cap, released.over_budget) == (False, False)


def test_the_rebuild_flags_a_person_past_the_cap(caseworker, case, project, lines):
    PersonCap.objects.create(project=project, category="food", amount=Decimal("10"))
    person = principal(case)
    charge = post(caseworker, case, project, "20", person=person, enforce=False)
    assert (charge.over_cap, charge.project_amount) == (True, Decimal("20.00"))
