import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from awda.reintegration.delivery import selectors, services

from ..helpers import fresh, order, principal, tranche

TODAY = datetime.date.today


def test_totals_per_currency_committed_and_spent(
    origin_officer, reint_case, plan, supplier, clinic
):
    delivered = order(origin_officer, reint_case, supplier)  # 54.00 + 85.50 = 139.50
    services.purchase_deliver(
        origin_officer, purchase=delivered, delivered_on=TODAY(), expected_version=1
    )
    order(origin_officer, reint_case, supplier)  # ordered: 139.50
    cancelled = order(origin_officer, reint_case, supplier)
    services.purchase_cancel(origin_officer, purchase=cancelled, reason="x", expected_version=1)
    paid = tranche(origin_officer, reint_case, amount="100.10")
    services.tranche_pay(origin_officer, tranche=paid, paid_on=TODAY(), expected_version=1)
    tranche(origin_officer, reint_case, amount="0.01")
    tranche(origin_officer, reint_case, amount="1000000", currency="GNF")
    services.referral_create(
        origin_officer,
        case=fresh(reint_case),
        person=principal(reint_case),
        organisation=clinic,
        kind="medical",
        service="Consultation",
        cost="10.00",
    )
    totals = selectors.case_totals(reint_case)
    eur = totals.of("EUR")
    assert eur.committed == Decimal("149.51")  # 139.50 + 0.01 + 10.00
    assert eur.spent == Decimal("239.60")  # 139.50 + 100.10
    assert eur.total == Decimal("389.11")
    assert totals.of("GNF").committed == Decimal("1000000.00")
    assert totals.plan_total == Decimal("485.00") and totals.plan_remaining == Decimal("95.89")
    assert not totals.over_plan
    assert [r.currency for r in totals.other_currencies] == ["GNF"]
    view = selectors.case_delivery(reint_case)
    assert view.totals.of("EUR").total == eur.total


def test_case_delivery_reads_a_fixed_number_of_queries(origin_officer, reint_case, plan, supplier):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            data = selectors.case_delivery(reint_case)
            seen = [
                (list(p.lines.all()), list(p.documents.all()), p.supplier.name)
                for p in data.purchases
            ]
            seen += [t.person.full_name for t in data.tranches]
        return len(ctx.captured_queries)

    order(origin_officer, reint_case, supplier)
    tranche(origin_officer, reint_case)
    before = count()
    for _ in range(3):
        order(origin_officer, reint_case, supplier)
        tranche(origin_officer, reint_case)
    assert count() == before <= 7


def test_purchases_to_deliver_in_the_users_offices(
    origin_officer, origin_manager, caseworker, senegal_officer, reint_case, plan, supplier
):
    waiting = order(origin_officer, reint_case, supplier)
    done = order(origin_officer, reint_case, supplier)
    services.purchase_deliver(
        origin_officer, purchase=done, delivered_on=TODAY(), expected_version=1
    )
    assert list(selectors.purchases_to_deliver(origin_officer)) == [waiting]
    assert list(selectors.purchases_to_deliver(origin_manager)) == [waiting]
    assert not selectors.purchases_to_deliver(caseworker).exists()
    assert not selectors.purchases_to_deliver(senegal_officer).exists()
