"""Purchases, cash tranches and paid referrals are charged to their project's budget
(awda.reintegration.delivery.charges)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.core.errors import ValidationFailed
from awda.factories import BudgetLineFactory, ExchangeRateFactory, PersonCapFactory
from awda.finance.models import Charge
from awda.reintegration.delivery import services
from awda.reintegration.models import CashTranche, Purchase, PurchaseLine, Referral

from ..helpers import fresh, order, principal, tranche

TODAY = timezone.localdate()


def charge_of(source, row) -> Charge:
    return Charge.objects.get(source=source, source_id=row.pk)


def written(case) -> dict:
    return {
        "purchases": Purchase.objects.count(),
        "lines": PurchaseLine.objects.count(),
        "tranches": CashTranche.objects.count(),
        "referrals": Referral.objects.count(),
        "charges": Charge.objects.count(),
        "events": AuditEvent.objects.count(),
        "version": fresh(case).version,
    }


def refer(user, case, clinic, **kwargs):
    data = {
        "person": principal(case),
        "organisation": clinic,
        "kind": "medical",
        "service": "Consultation",
        "cost": "40.00",
    }
    return services.referral_create(user, case=fresh(case), **data | kwargs)


def test_a_purchase_is_committed_when_ordered_and_spent_when_delivered(
    origin_officer, reint_case, plan, project, supplier
):
    line = BudgetLineFactory(project=project, code="2.1", categories=["reintegration_in_kind"])
    ordered = TODAY - datetime.timedelta(days=4)
    purchase = order(origin_officer, reint_case, supplier, ordered_on=ordered)
    charge = charge_of("purchase", purchase)
    assert (charge.stage, charge.committed_on, charge.spent_on) == ("committed", ordered, None)
    assert charge.category == "reintegration_in_kind" and charge.person is None
    assert charge.budget_line == line and charge.project_amount == Decimal("139.50")
    assert charge.case_id == reint_case.pk and purchase.charge_warning == ""
    delivered = TODAY - datetime.timedelta(days=1)
    services.purchase_deliver(
        origin_officer, purchase=purchase, delivered_on=delivered, expected_version=1
    )
    charge.refresh_from_db()
    assert (charge.stage, charge.committed_on, charge.spent_on) == ("spent", ordered, delivered)


def test_a_cancelled_purchase_releases_its_commitment(origin_officer, reint_case, plan, supplier):
    purchase = order(origin_officer, reint_case, supplier)
    services.purchase_cancel(
        origin_officer, purchase=purchase, reason="Shop closed", expected_version=1
    )
    charge = charge_of("purchase", purchase)
    assert charge.stage == "released" and charge.released_on == TODAY


def test_a_purchase_in_another_currency_keeps_the_rate_used(
    origin_officer, reint_case, plan, supplier
):
    rate = ExchangeRateFactory(currency="EUR", to_currency="GNF", rate=Decimal("9400"))
    purchase = order(
        origin_officer,
        reint_case,
        supplier,
        currency="GNF",
        lines=[{"description": "Stock", "quantity": "1", "unit": "lot", "unit_price": "940000"}],
    )
    charge = charge_of("purchase", purchase)
    assert (charge.amount, charge.currency) == (Decimal("940000.00"), "GNF")
    assert charge.project_amount == Decimal("100.00") and charge.rate_on == rate.valid_from


def test_a_purchase_past_the_budget_records_nothing(
    origin_officer, reint_case, plan, project, supplier
):
    BudgetLineFactory(project=project, code="2.1", categories=[], amount=Decimal("100.00"))
    before = written(reint_case)
    with pytest.raises(ValidationFailed) as err:
        order(origin_officer, reint_case, supplier)
    assert err.value.code == "budget_exceeded" and "139.50 EUR" in err.value.message
    assert written(reint_case) == before


def test_a_tranche_is_committed_when_planned_spent_when_paid_released_when_cancelled(
    origin_officer, reint_case, plan, project
):
    first = tranche(origin_officer, reint_case, amount="150.00")
    charge = charge_of("cash_tranche", first)
    assert (charge.stage, charge.committed_on) == ("committed", TODAY)
    assert charge.category == "reintegration_cash" and charge.person == principal(reint_case)
    paid = TODAY - datetime.timedelta(days=2)
    services.tranche_pay(origin_officer, tranche=first, paid_on=paid, expected_version=1)
    charge.refresh_from_db()
    assert (charge.stage, charge.spent_on) == ("spent", paid)
    second = tranche(origin_officer, reint_case, amount="100.00")
    services.tranche_cancel(origin_officer, tranche=second, reason="Merged", expected_version=1)
    assert charge_of("cash_tranche", second).stage == "released"


def test_a_tranche_past_the_per_person_cap_records_nothing(
    origin_officer, reint_case, plan, project
):
    PersonCapFactory(project=project, category="reintegration_cash", amount=Decimal("300.00"))
    tranche(origin_officer, reint_case, amount="200.00")
    before = written(reint_case)
    with pytest.raises(ValidationFailed) as err:
        tranche(origin_officer, reint_case, amount="150.00")
    assert err.value.code == "over_person_cap" and "350.00 EUR" in err.value.message
    assert written(reint_case) == before


def test_a_paid_referral_follows_its_status(origin_officer, reint_case, plan, project, clinic):
    referral = refer(origin_officer, reint_case, clinic)
    charge = charge_of("referral", referral)
    assert (charge.stage, charge.committed_on) == ("committed", referral.referred_on)
    assert charge.category == "reintegration_referral" and charge.amount == Decimal("40.00")
    services.referral_update(
        origin_officer, referral=referral, status="accepted", expected_version=1
    )
    assert charge_of("referral", referral).stage == "committed"
    services.referral_update(
        origin_officer, referral=referral, status="completed", expected_version=2
    )
    charge.refresh_from_db()
    assert (charge.stage, charge.spent_on) == ("spent", TODAY)
    dropped = refer(origin_officer, reint_case, clinic, service="Follow-up")
    services.referral_update(origin_officer, referral=dropped, status="dropped", expected_version=1)
    assert charge_of("referral", dropped).stage == "released"


def test_a_referral_without_a_cost_has_no_charge(origin_officer, reint_case, plan, clinic):
    referral = refer(origin_officer, reint_case, clinic, cost=None)
    services.referral_update(
        origin_officer, referral=referral, status="completed", expected_version=1
    )
    assert not Charge.objects.exists()


def test_a_tranche_paid_when_the_rate_has_moved_is_recorded_and_flagged_over_the_cap(
    origin_officer, reint_case, plan, project, monkeypatch
):
    """Planned in GNF at EUR/GNF 9,400 (100 EUR, the whole cap), paid when the franc is worth
    more (9,000: 104.44 EUR): the payment has happened, so it is recorded and flagged over the
    person's cap rather than refused."""
    PersonCapFactory(project=project, category="reintegration_cash", amount=Decimal("100.00"))
    ExchangeRateFactory(
        currency="EUR",
        to_currency="GNF",
        rate=Decimal("9400"),
        valid_from=TODAY - datetime.timedelta(days=30),
    )
    ExchangeRateFactory(
        currency="EUR",
        to_currency="GNF",
        rate=Decimal("9000"),
        valid_from=TODAY - datetime.timedelta(days=2),
    )
    planned_at = timezone.now() - datetime.timedelta(days=5)
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: planned_at)
        planned = tranche(origin_officer, reint_case, amount="940000", currency="GNF")
    charge = charge_of("cash_tranche", planned)
    assert (charge.project_amount, charge.over_cap) == (Decimal("100.00"), False)
    services.tranche_pay(origin_officer, tranche=planned, paid_on=TODAY, expected_version=1)
    charge.refresh_from_db()
    assert (charge.stage, charge.project_amount, charge.over_cap) == (
        "spent",
        Decimal("104.44"),
        True,
    )
    assert (charge.rate, charge.rate_inverted) == (Decimal("9000"), True)
