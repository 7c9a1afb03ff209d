"""Every assistance line is charged to its project's budget (awda.assistance.charges)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from awda.assistance.models import AssistanceLine, Distribution
from awda.assistance.services import assistance_cancel, assistance_distribute
from awda.audit.models import AuditEvent
from awda.core.errors import ValidationFailed
from awda.factories import BudgetLineFactory, ExchangeRateFactory, PersonCapFactory
from awda.finance.models import Charge

from ..helpers import fresh, persons, principal, record

TODAY = timezone.localdate()


@pytest.fixture
def rate(db):
    """1 EUR = 10.00 MAD since a year ago (lines in MAD on the EUR project are divided by 10)."""
    return ExchangeRateFactory(currency="EUR", to_currency="MAD", rate=Decimal("10"))


def written(case) -> dict:
    return {
        "lines": AssistanceLine.objects.count(),
        "distributions": Distribution.objects.count(),
        "charges": Charge.objects.count(),
        "events": AuditEvent.objects.count(),
        "version": fresh(case).version,
    }


def test_a_line_is_spent_on_its_date_for_the_person_in_its_category(
    caseworker, funded_case, project, rate
):
    food = BudgetLineFactory(project=project, code="1.1", categories=["food", "non_food"])
    day = TODAY - datetime.timedelta(days=3)
    line = record(caseworker, funded_case, start_date=day)  # 2 x 150 MAD
    charge = Charge.objects.get(source="assistance_line", source_id=line.pk)
    assert charge.stage == "spent" and charge.spent_on == day and charge.committed_on is None
    assert charge.category == "food" and charge.person == principal(funded_case)
    assert charge.case_id == funded_case.pk and charge.office_id == funded_case.office_id
    assert charge.project == project and charge.budget_line == food
    assert (charge.amount, charge.currency) == (Decimal("300.00"), "MAD")
    # converted at the rate of the day, kept as recorded (EUR/MAD, so the amount was divided)
    assert (charge.rate, charge.rate_inverted) == (Decimal("10"), True)
    assert charge.rate_on == rate.valid_from
    assert charge.project_amount == Decimal("30.00")
    assert charge.recorded_by == caseworker and line.charge_warning == ""


def test_without_a_budget_line_the_cost_is_charged_and_never_refused(
    caseworker, funded_case, project
):
    line = record(caseworker, funded_case, unit_cost=Decimal("99999.00"))
    charge = Charge.objects.get(source_id=line.pk)
    assert charge.budget_line is None and charge.project == project
    assert charge.project_amount is None  # no MAD rate: awaiting one


def test_a_cancelled_line_releases_its_charge(caseworker, funded_case, project):
    BudgetLineFactory(project=project, categories=[])
    line = record(caseworker, funded_case, currency="EUR")
    assistance_cancel(caseworker, line=line, reason="Duplicate", expected_version=line.version)
    charge = Charge.objects.get(source_id=line.pk)
    assert charge.stage == "released" and charge.released_on == TODAY
    assert charge.spent_on == line.start_date  # the history is kept


def test_a_line_past_the_allocation_is_refused_and_nothing_is_written(
    caseworker, funded_case, project
):
    BudgetLineFactory(project=project, categories=["food"], amount=Decimal("250.00"))
    record(caseworker, funded_case, currency="EUR", unit_cost=Decimal("100.00"))  # 200 of 250
    before = written(funded_case)
    with pytest.raises(ValidationFailed) as err:
        record(caseworker, funded_case, currency="EUR", unit_cost=Decimal("30.00"))  # 60 more
    assert err.value.code == "budget_exceeded"
    assert "260.00 EUR" in err.value.message and "250.00 EUR" in err.value.message
    assert written(funded_case) == before


def test_an_override_lets_the_line_go_past_its_allocation(caseworker, funded_case, project):
    BudgetLineFactory(
        project=project, categories=["food"], amount=Decimal("250.00"), overrun_allowed=100
    )
    line = record(caseworker, funded_case, currency="EUR", unit_cost=Decimal("150.00"))
    charge = Charge.objects.get(source_id=line.pk)
    assert charge.over_budget and charge.project_amount == Decimal("300.00")
    assert "120%" in line.charge_warning  # past the warning threshold


def test_the_warning_threshold_is_reported_with_the_line(caseworker, funded_case, project):
    BudgetLineFactory(project=project, code="PRE", categories=["food"], amount=Decimal("1000.00"))
    first = record(caseworker, funded_case, currency="EUR", unit_cost=Decimal("400.00"))
    assert first.charge_warning == ""  # 80 %
    second = record(caseworker, funded_case, currency="EUR", unit_cost=Decimal("60.00"))
    assert "PRE" in second.charge_warning and "92" in second.charge_warning


def test_a_person_cap_refuses_more_for_the_same_person(caseworker, family, project):
    PersonCapFactory(project=project, category="cash", amount=Decimal("150.00"))
    mother, child, _other = persons(family)
    cash = {"kind": "cash", "description": "Allowance", "currency": "EUR", "quantity": 1}
    record(caseworker, family, mother, unit_cost=Decimal("100.00"), **cash)
    record(caseworker, family, child, unit_cost=Decimal("150.00"), **cash)  # another person
    before = written(family)
    with pytest.raises(ValidationFailed) as err:
        record(caseworker, family, mother, unit_cost=Decimal("60.00"), **cash)
    assert err.value.code == "over_person_cap" and "150.00 EUR" in err.value.message
    assert written(family) == before


def test_a_distribution_charges_each_line(caseworker, rabat, family, project):
    BudgetLineFactory(project=project, categories=["non_food"])
    recipients = [(family, p) for p in persons(family)]
    distribution = assistance_distribute(
        caseworker,
        office=rabat,
        recipients=recipients,
        kind="non_food",
        description="Hygiene kit",
        quantity=Decimal("1"),
        unit_cost=Decimal("12.50"),
        currency="EUR",
    )
    charges = Charge.objects.filter(source="assistance_line").order_by("source_id")
    assert [c.source_id for c in charges] == sorted(distribution.lines.values_list("pk", flat=True))
    assert {c.person_id for c in charges} == {p.pk for p in persons(family)}
    assert all(c.project_amount == Decimal("12.50") and c.stage == "spent" for c in charges)
    assert distribution.charge_warnings == []


def test_a_distribution_past_the_allocation_records_nothing_and_names_the_row(
    caseworker, rabat, family, project
):
    BudgetLineFactory(project=project, categories=["non_food"], amount=Decimal("30.00"))
    before = written(family)
    with pytest.raises(ValidationFailed) as err:
        assistance_distribute(
            caseworker,
            office=rabat,
            recipients=[(family, p) for p in persons(family)],
            kind="non_food",
            description="Hygiene kit",
            quantity=Decimal("1"),
            unit_cost=Decimal("12.50"),
            currency="EUR",
        )
    assert err.value.code == "budget_exceeded"
    assert err.value.message.startswith("Row 3") and err.value.details["row"] == 3
    assert written(family) == before
