"""Reads of reintegration delivery: a case's purchases (with lines and documents), cash
tranches and referrals; money totals per currency; the purchases waiting for delivery in the
user's offices.

The callers have resolved the case through the scoped case selectors (404 otherwise) and checked
reintegration.view. Amounts in different currencies are never added up.

Totals (per currency):
- committed: what is engaged and not paid yet: ordered purchases, planned tranches, the costs of
  referrals still open (referred, accepted);
- spent: delivered purchases, paid tranches, the costs of completed referrals;
- total = committed + spent, compared with the approved plan's total (in the plan's currency).
Cancelled purchases and tranches, and declined or dropped referrals, count nowhere."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from awda.cases.selectors import case_get_for
from awda.core.errors import NotFound

from .. import policies
from ..choices import PlanStatus, PurchaseStatus, ReferralStatus, TrancheStatus
from ..models import CashTranche, DeliveryDocument, Plan, Purchase, PurchaseLine, Referral

ZERO = Decimal("0.00")


def case_purchases(case):
    """The purchases of a case, newest first, with supplier, project, authors, lines and
    documents: three queries."""
    return (
        Purchase.objects.filter(case_id=case.pk)
        .select_related("supplier", "project", "recorded_by", "cancelled_by")
        .prefetch_related(
            Prefetch("lines", PurchaseLine.objects.order_by("id")),
            Prefetch(
                "documents", DeliveryDocument.objects.select_related("uploaded_by").order_by("id")
            ),
        )
        .order_by("-ordered_on", "-id")
    )


def case_tranches(case):
    return (
        CashTranche.objects.filter(case_id=case.pk)
        .select_related("person", "project", "recorded_by", "cancelled_by")
        .order_by("due_on", "id")
    )


def case_referrals(case):
    return (
        Referral.objects.filter(case_id=case.pk)
        .select_related("person", "organisation", "project", "recorded_by")
        .order_by("-referred_on", "-id")
    )


def approved_plan(case) -> Plan | None:
    return (
        Plan.objects.select_related("project")
        .filter(case_id=case.pk, status=PlanStatus.APPROVED)
        .first()
    )


@dataclass
class CurrencyTotal:
    currency: str
    committed: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.committed + self.spent


@dataclass
class DeliveryTotals:
    currencies: list[CurrencyTotal] = field(default_factory=list)
    plan_total: Decimal | None = None
    plan_currency: str = ""

    def of(self, currency: str) -> CurrencyTotal:
        for row in self.currencies:
            if row.currency == currency:
                return row
        return CurrencyTotal(currency)

    @property
    def plan_used(self) -> Decimal | None:
        """committed + spent in the plan's currency."""
        return None if self.plan_total is None else self.of(self.plan_currency).total

    @property
    def plan_remaining(self) -> Decimal | None:
        return None if self.plan_total is None else self.plan_total - self.plan_used

    @property
    def over_plan(self) -> bool:
        return self.plan_total is not None and self.plan_remaining < 0

    @property
    def other_currencies(self) -> list[CurrencyTotal]:
        """Totals in currencies other than the plan's (not comparable with it)."""
        return [r for r in self.currencies if r.currency != self.plan_currency]


def totals_of(purchases, tranches, referrals, plan: Plan | None = None) -> DeliveryTotals:
    """Totals per currency of records already read (no query)."""
    rows: dict[str, CurrencyTotal] = {}

    def add(currency, amount, spent: bool):
        row = rows.setdefault(currency, CurrencyTotal(currency))
        if spent:
            row.spent += amount
        else:
            row.committed += amount

    for p in purchases:
        if p.status == PurchaseStatus.ORDERED:
            add(p.currency, p.total, False)
        elif p.status == PurchaseStatus.DELIVERED:
            add(p.currency, p.total, True)
    for t in tranches:
        if t.status == TrancheStatus.PLANNED:
            add(t.currency, t.amount, False)
        elif t.status == TrancheStatus.PAID:
            add(t.currency, t.amount, True)
    for r in referrals:
        if r.cost is None:
            continue
        if r.status in (ReferralStatus.REFERRED, ReferralStatus.ACCEPTED):
            add(r.currency, r.cost, False)
        elif r.status == ReferralStatus.COMPLETED:
            add(r.currency, r.cost, True)
    return DeliveryTotals(
        currencies=[rows[c] for c in sorted(rows)],
        plan_total=plan.total if plan else None,
        plan_currency=plan.currency if plan else "",
    )


def case_totals(case) -> DeliveryTotals:
    """The money totals of a case (four queries: aggregation is done in Python over the
    status/currency/amount columns only)."""
    purchases = Purchase.objects.filter(case_id=case.pk).only("status", "currency", "total")
    tranches = CashTranche.objects.filter(case_id=case.pk).only("status", "currency", "amount")
    referrals = Referral.objects.filter(case_id=case.pk, cost__isnull=False).only(
        "status", "currency", "cost"
    )
    return totals_of(purchases, tranches, referrals, approved_plan(case))


@dataclass
class CaseDelivery:
    plan: Plan | None
    purchases: list
    tranches: list
    referrals: list
    totals: DeliveryTotals


def case_delivery(case) -> CaseDelivery:
    """Everything the Delivery tab shows, in a fixed number of queries (seven) whatever the
    number of records: the approved plan, purchases (with lines and documents), tranches,
    referrals; totals computed from what was read."""
    plan = approved_plan(case)
    purchases = list(case_purchases(case))
    tranches = list(case_tranches(case))
    referrals = list(case_referrals(case))
    for record in (*purchases, *tranches, *referrals):
        record.case = case
    return CaseDelivery(
        plan=plan,
        purchases=purchases,
        tranches=tranches,
        referrals=referrals,
        totals=totals_of(purchases, tranches, referrals, plan),
    )


def purchases_to_deliver(user):
    """Ordered purchases not delivered yet, of the cases followed by the offices where `user`
    works on reintegration (ReintegrationFile.office), oldest order first: the queue of the
    reintegration workspace."""
    offices = policies.offices_recording(user)
    if not offices:
        return Purchase.objects.none()
    return (
        Purchase.objects.filter(
            status=PurchaseStatus.ORDERED, case__reintegration__office_id__in=offices
        )
        .select_related("case", "case__principal", "supplier", "case__reintegration__office")
        .order_by("ordered_on", "id")
    )


def _scoped(user, obj):
    if obj is None:
        raise NotFound()
    case = case_get_for(user, obj.case_id)
    if not policies.may_view(user, case):
        raise NotFound()
    obj.case = case
    return obj


def purchase_get_for(user, pk) -> Purchase:
    """A purchase (with lines and documents) of a case `user` may see; NotFound otherwise."""
    try:
        obj = (
            Purchase.objects.select_related("supplier", "project", "recorded_by", "cancelled_by")
            .prefetch_related(
                Prefetch("lines", PurchaseLine.objects.order_by("id")),
                Prefetch(
                    "documents",
                    DeliveryDocument.objects.select_related("uploaded_by").order_by("id"),
                ),
            )
            .filter(pk=int(pk))
            .first()
        )
    except (TypeError, ValueError, OverflowError):
        obj = None
    return _scoped(user, obj)


def tranche_get_for(user, pk) -> CashTranche:
    try:
        obj = case_tranches_all().filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        obj = None
    return _scoped(user, obj)


def referral_get_for(user, pk) -> Referral:
    try:
        obj = case_referrals_all().filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        obj = None
    return _scoped(user, obj)


def case_tranches_all():
    return CashTranche.objects.select_related("person", "project", "recorded_by", "cancelled_by")


def case_referrals_all():
    return Referral.objects.select_related("person", "organisation", "project", "recorded_by")


def document_of(purchase, document_pk) -> DeliveryDocument:
    """A document of `purchase` (already scoped); NotFound otherwise."""
    try:
        doc = DeliveryDocument.objects.filter(purchase_id=purchase.pk, pk=int(document_pk)).first()
    except (TypeError, ValueError, OverflowError):
        doc = None
    if doc is None:
        raise NotFound()
    doc.purchase = purchase
    return doc


def totals_by_currency(totals: DeliveryTotals) -> dict:
    """{currency: {committed, spent, total}} (for the API)."""
    out = defaultdict(dict)
    for row in totals.currencies:
        out[row.currency] = {"committed": row.committed, "spent": row.spent, "total": row.total}
    return dict(out)
