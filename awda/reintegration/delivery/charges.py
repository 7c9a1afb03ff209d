"""Reintegration delivery's costs on the finance ledger (awda.finance.services.charges).

- A purchase (in kind) is committed on the day it is ordered, spent on the day it is delivered,
  released when cancelled. It is bought for the plan, that is for the case (a household's plan
  covers all its returnees): its charge names no person, so per-person caps do not apply to it
  (the plan's own cap, ReintegrationCap, governs what a case receives in kind).
- A cash tranche is committed on the day it is planned, spent on the day it is paid, released
  when cancelled; it is paid to a person (per-person caps apply).
- A referral with a cost (and so a project) is committed while the service is referred or
  accepted (from the day of the referral), spent once the service is provided (on the day that
  is recorded), released when the service declines it or the person does not attend.

The services call these functions in their transaction after writing: a refusal of the budget
(budget_exceeded, over_person_cap) rolls the write back. `*_specs` give the stages of every
record's cost, oldest first, to `charges_rebuild` (registered by delivery.setup), which so
rebuilds the ledger the services built."""

import datetime
from dataclasses import replace

from django.utils import timezone

from awda.finance.choices import ChargeSource, ChargeStage, CostCategory
from awda.finance.models import Charge
from awda.finance.services.charges import CostSpec, charge_post_history

from ..choices import PurchaseStatus, ReferralStatus, TrancheStatus
from ..models import CashTranche, Purchase, Referral


def _day(moment, fallback=None) -> datetime.date:
    return timezone.localdate(moment) if moment else (fallback or timezone.localdate())


def purchase_history(purchase: Purchase) -> list[CostSpec]:
    """Committed on the day ordered, then spent on the day delivered or released when
    cancelled (its case, project and supplier loaded)."""
    parts = [f"#{purchase.pk}", purchase.supplier.name]
    if purchase.invoice_number:
        parts.append(purchase.invoice_number)
    committed = CostSpec(
        source=ChargeSource.PURCHASE,
        source_id=purchase.pk,
        category=CostCategory.REINTEGRATION_IN_KIND,
        case=purchase.case,
        person=None,
        project=purchase.project,
        amount=purchase.total,
        currency=purchase.currency,
        stage=ChargeStage.COMMITTED,
        on_date=purchase.ordered_on,
        description=" · ".join(parts),
    )
    if purchase.status == PurchaseStatus.DELIVERED:
        return [committed, _then(committed, ChargeStage.SPENT, purchase.delivered_on)]
    if purchase.status == PurchaseStatus.CANCELLED:
        return [committed, _then(committed, ChargeStage.RELEASED, _day(purchase.cancelled_at))]
    return [committed]


def tranche_history(tranche: CashTranche) -> list[CostSpec]:
    """Committed on the day planned, then spent on the day paid or released when cancelled."""
    parts = [f"#{tranche.pk}", tranche.channel]
    if tranche.reference:
        parts.append(tranche.reference)
    committed = CostSpec(
        source=ChargeSource.CASH_TRANCHE,
        source_id=tranche.pk,
        category=CostCategory.REINTEGRATION_CASH,
        case=tranche.case,
        person=tranche.person,
        project=tranche.project,
        amount=tranche.amount,
        currency=tranche.currency,
        stage=ChargeStage.COMMITTED,
        on_date=_day(tranche.created_at),
        description=" · ".join(parts),
    )
    if tranche.status == TrancheStatus.PAID:
        return [committed, _then(committed, ChargeStage.SPENT, tranche.paid_on)]
    if tranche.status == TrancheStatus.CANCELLED:
        return [committed, _then(committed, ChargeStage.RELEASED, _day(tranche.cancelled_at))]
    return [committed]


def referral_history(referral: Referral, *, completed_on=None) -> list[CostSpec]:
    """[] for a referral without a cost; else committed from the day of the referral, then
    spent once the service is provided or released when declined or not attended. The records
    keep no date for the service provided: `completed_on` is the day the ledger already holds
    (rebuild), else the referral's last change (the day it was recorded as completed)."""
    if referral.cost is None or referral.project_id is None:
        return []
    committed = CostSpec(
        source=ChargeSource.REFERRAL,
        source_id=referral.pk,
        category=CostCategory.REINTEGRATION_REFERRAL,
        case=referral.case,
        person=referral.person,
        project=referral.project,
        amount=referral.cost,
        currency=referral.currency,
        stage=ChargeStage.COMMITTED,
        on_date=referral.referred_on,
        description=f"#{referral.pk} · {referral.organisation.name}",
    )
    if referral.status == ReferralStatus.COMPLETED:
        day = completed_on or _day(referral.updated_at)
        return [committed, _then(committed, ChargeStage.SPENT, day)]
    if referral.status in (ReferralStatus.DECLINED, ReferralStatus.DROPPED):
        return [committed, _then(committed, ChargeStage.RELEASED, _day(referral.updated_at))]
    return [committed]


def _then(spec: CostSpec, stage: str, on_date) -> CostSpec:
    return replace(spec, stage=stage, on_date=on_date)


def purchase_charge(user, purchase: Purchase):
    """Post the charge of `purchase` (in the caller's transaction): the Charge (`.warning`)."""
    return charge_post_history(user, purchase_history(purchase))


def tranche_charge(user, tranche: CashTranche):
    return charge_post_history(user, tranche_history(tranche))


def referral_charge(user, referral: Referral):
    history = referral_history(referral)
    return charge_post_history(user, history) if history else None


def purchase_specs():
    rows = (
        Purchase.objects.select_related("case", "project", "supplier", "recorded_by")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for purchase in rows:
        for spec in purchase_history(purchase):
            yield purchase.recorded_by, spec


def tranche_specs():
    rows = (
        CashTranche.objects.select_related("case", "person", "project", "recorded_by")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for tranche in rows:
        for spec in tranche_history(tranche):
            yield tranche.recorded_by, spec


def referral_specs():
    """Referrals with a cost; a completed one keeps the day of its charge already spent."""
    spent = dict(
        Charge.objects.filter(
            source=ChargeSource.REFERRAL, stage=ChargeStage.SPENT, spent_on__isnull=False
        ).values_list("source_id", "spent_on")
    )
    rows = (
        Referral.objects.filter(cost__isnull=False, project__isnull=False)
        .select_related("case", "person", "project", "organisation", "recorded_by")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for referral in rows:
        for spec in referral_history(referral, completed_on=spent.get(referral.pk)):
            yield referral.recorded_by, spec


def register() -> None:
    from awda.finance.services.charges import register_source

    register_source(ChargeSource.PURCHASE, purchase_specs)
    register_source(ChargeSource.CASH_TRANCHE, tranche_specs)
    register_source(ChargeSource.REFERRAL, referral_specs)
