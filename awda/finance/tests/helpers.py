"""Helpers shared by the finance tests (fixtures are in conftest.py)."""

import datetime
from decimal import Decimal

from awda.factories import UserFactory
from awda.finance.models import BudgetLine, ExchangeRate
from awda.finance.services.charges import CostSpec, charge_post

DAY = datetime.date(2026, 3, 10)
_ids = iter(range(1, 10**9))


def line(project, code, amount, categories, **kwargs) -> BudgetLine:
    return BudgetLine.objects.create(
        project=project,
        code=code,
        name=kwargs.pop("name", f"Line {code}"),
        amount=Decimal(amount),
        categories=categories,
        **kwargs,
    )


def rate(currency, to_currency, value, valid_from) -> ExchangeRate:
    return ExchangeRate.objects.create(
        currency=currency,
        to_currency=to_currency,
        rate=Decimal(value),
        valid_from=valid_from,
        recorded_by=UserFactory(username="rates.loader"),
    )


def spec(
    case,
    project,
    amount,
    *,
    currency="EUR",
    category="food",
    stage="spent",
    person=None,
    on_date=DAY,
    source="assistance_line",
    source_id=None,
    description="",
) -> CostSpec:
    return CostSpec(
        source=source,
        source_id=source_id if source_id is not None else next(_ids),
        category=category,
        case=case,
        person=person,
        project=project,
        amount=Decimal(amount),
        currency=currency,
        stage=stage,
        on_date=on_date,
        description=description,
    )


def post(user, case, project, amount, **kwargs):
    """charge_post of a new (or, with source_id, the same) source record."""
    budget_line = kwargs.pop("budget_line", None)
    enforce = kwargs.pop("enforce", True)
    return charge_post(
        user, spec=spec(case, project, amount, **kwargs), budget_line=budget_line, enforce=enforce
    )


def principal(case):
    return case.members.select_related("person").get(is_principal=True).person
