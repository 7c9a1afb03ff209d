"""The demo's finance data: exchange rates, budgets sized on the story's costs, contributions,
per-person caps, and projects with vulnerability and age rules."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from awda.assistance.models import AssistanceLine
from awda.finance.models import BudgetLine, Charge, Contribution, ExchangeRate, PersonCap, Project
from awda.movements.models import Booking, PocketMoney
from awda.reintegration.models import Purchase
from awda.screening.selectors import current_screenings

from .test_seed_demo import REFERENCE, seed

pytestmark = pytest.mark.django_db


def rates(currency, to_currency):
    return list(
        ExchangeRate.objects.filter(currency=currency, to_currency=to_currency)
        .order_by("valid_from")
        .values_list("valid_from", "rate")
    )


def test_monthly_exchange_rates_cover_the_demo_period():
    seed(cases=0)
    eur_mad = rates("EUR", "MAD")
    first = datetime.date(REFERENCE.year - 4, 1, 1)
    assert eur_mad[0][0] == first and eur_mad[-1][0] == REFERENCE.replace(day=1)
    assert len(eur_mad) == (REFERENCE.year - first.year) * 12 + REFERENCE.month
    assert all(Decimal("10.8") <= r <= Decimal("11.0") for _d, r in eur_mad)
    assert len({r for _d, r in eur_mad}) > 12  # it moves
    assert {r for _d, r in rates("EUR", "XOF")} == {Decimal("655.957")}
    assert all(Decimal("9300") <= r <= Decimal("9500") for _d, r in rates("EUR", "GNF"))
    for pair in (("CHF", "MAD"), ("USD", "MAD"), ("NOK", "MAD"), ("EUR", "CHF"), ("EUR", "USD")):
        assert len(rates(*pair)) == len(eur_mad)
    count = ExchangeRate.objects.count()
    seed(cases=0)  # created once
    assert ExchangeRate.objects.count() == count


def test_every_cost_of_the_story_is_on_a_budget_sized_to_show_it():
    seed(cases=24, seed=7)
    charges = Charge.objects.all()
    assert charges.filter(source="assistance_line").count() == AssistanceLine.objects.count() > 0
    assert (
        charges.filter(source="ticket").count()
        == Booking.objects.filter(ticket_cost__isnull=False, project__isnull=False).count()
        > 0
    )
    assert charges.filter(source="pocket_money").count() == PocketMoney.objects.count() > 0
    assert charges.filter(source="purchase").count() == Purchase.objects.count() > 0
    assert not charges.filter(project_amount__isnull=True).exists()  # every rate is known
    assert not charges.filter(budget_line__isnull=True).exists()
    assert not charges.filter(over_budget=True).exists()
    # every line left is used at 40 to 95 %; one is past its warning threshold
    lines = list(BudgetLine.objects.select_related("project"))
    assert lines
    used = dict(
        charges.filter(stage__in=["committed", "spent"])
        .values("budget_line")
        .annotate(total=Sum("project_amount"))
        .values_list("budget_line", "total")
    )
    shares = {line.pk: used.get(line.pk, 0) * 100 / line.amount for line in lines}
    assert all(40 <= share <= 95 for share in shares.values()), shares
    warned = [line for line in lines if shares[line.pk] >= line.warning_percent]
    assert len(warned) == 1
    # the donors' contributions to the projects with a budget, received by the reference date
    funded = {line.project for line in lines}
    for project in funded:
        received = Contribution.objects.filter(project=project)
        assert received.exists() and all(c.received_on <= REFERENCE for c in received)
        assert {c.donor_id for c in received} <= set(project.donors.values_list("pk", flat=True))
        assert all(c.currency == project.currency for c in received)
    assert PersonCap.objects.filter(category="pocket_money").count() == Project.objects.count()


def test_projects_with_vulnerability_and_age_rules_fund_cases_that_meet_them():
    seed(cases=24, seed=7)
    vulnerable = Project.objects.get(code__startswith="MA-BE-VUL-")
    assert vulnerable.eligible_vulnerabilities
    adults = Project.objects.get(code__startswith="MA-NO-AVRR-")
    assert adults.min_age == 18
    from awda.cases.models import Case

    assert Case.objects.filter(project__in=[vulnerable, adults]).exists()
    for case in Case.objects.filter(project=vulnerable):
        flags = set()
        for screening in current_screenings(case).values():
            flags.update(screening.flags or [])
        assert flags & set(vulnerable.eligible_vulnerabilities)
    for case in Case.objects.filter(project=adults).select_related("principal"):
        approved = case.transitions.get(name="approve_eligibility").occurred_at.date()
        assert case.principal.age_on(approved) >= 18
