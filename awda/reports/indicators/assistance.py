"""Indicators of the assistance given: pre-departure assistance by type (persons who received
it: "N received medical assistance, N emergency accommodation") and reintegration assistance
delivered in the country of return. Definitions: docs/indicators.md."""

from django.db.models import CharField, Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from awda.assistance.choices import AssistanceKind, LineStatus
from awda.assistance.models import AssistanceLine
from awda.reintegration.choices import (
    AssistanceType,
    PurchaseStatus,
    ReferralStatus,
    TrancheStatus,
)
from awda.reintegration.models import CashTranche, PurchaseLine, Referral

from .base import Column, Filters, IndicatorTable, countable_case_q, require_counter
from .dimensions import Facts, Part, age_at, filter_q
from .tables import build_table, check_by, count_values

LINE_FACTS = Facts(
    case="case__",
    person="person__",
    date="start_date",
    project="project",
    age=age_at("person__", "start_date"),
)
LINE_DIMENSIONS = (
    "office",
    "total",
    "month",
    "nationality",
    "country_of_return",
    "sex",
    "age_group",
    "project",
    "donor",
)

# HXL attribute of each kind (the kind's code, with the usual HXL "nfi" for non-food items)
_KIND_ATTRIBUTE = {AssistanceKind.NON_FOOD: "nfi"}


def _kind_columns() -> list[Column]:
    return [
        Column(
            f"kind_{k.value}",
            k.label,
            f"#reached+ind+{_KIND_ATTRIBUTE.get(k, k.value)}",
        )
        for k in AssistanceKind
    ]


ASSISTANCE_COLUMNS = [
    Column("persons", _("Persons assisted"), "#reached+ind"),
    *_kind_columns(),
]


def assistance_by_type(user, filters: Filters) -> IndicatorTable:
    """Distinct persons who received each type of pre-departure assistance in the period: a
    ledger line not cancelled, dated (start date) in the period; `persons`: any type."""
    require_counter(user)
    filters = check_by(filters, LINE_DIMENSIONS, "office")
    q = countable_case_q(user, "case__")
    qs = AssistanceLine.objects.none() if q is None else AssistanceLine.objects.filter(q)
    qs = qs.filter(
        status=LineStatus.RECORDED,
        start_date__gte=filters.date_from,
        start_date__lte=filters.date_to,
    ).filter(filter_q(filters, LINE_FACTS))
    aggregates = {"persons": Count("person_id", distinct=True)}
    for k in AssistanceKind:
        aggregates[f"kind_{k.value}"] = Count("person_id", distinct=True, filter=Q(kind=k))
    return build_table(
        code="assistance",
        title=_("Pre-departure assistance by type"),
        filters=filters,
        parts=[Part(qs, LINE_FACTS, aggregates)],
        measures=ASSISTANCE_COLUMNS,
        convert=lambda raw: count_values(raw, aggregates),
        note=_("Persons, each counted once per type and once in the total of the period."),
    )


# ---- reintegration assistance delivered -------------------------------------------------------

PURCHASE_FACTS = Facts(
    case="purchase__case__",
    person=None,
    date="purchase__delivered_on",
    project="purchase__project",
    kind=Coalesce(F("plan_item__kind"), Value(""), output_field=CharField()),
)
TRANCHE_FACTS = Facts(
    case="case__",
    person=None,
    date="paid_on",
    project="project",
    kind=Value(AssistanceType.CASH.value, output_field=CharField()),
)
REFERRAL_FACTS = Facts(
    case="case__",
    person=None,
    date="referred_on",
    project="case__project",
    kind=F("kind"),
)
REINTEGRATION_DIMENSIONS = (
    "assistance_type",
    "total",
    "month",
    "office",
    "nationality",
    "country_of_return",
    "project",
    "donor",
)
REINTEGRATION_ASSISTANCE_COLUMNS = [
    Column("inkind_cases", _("Cases: in-kind purchases delivered"), "#reached+hh+inkind"),
    Column("cash_persons", _("Persons: cash tranches paid"), "#reached+ind+cash"),
    Column("referral_persons", _("Persons: referrals completed"), "#reached+ind+referral"),
]


def reintegration_assistance(user, filters: Filters) -> IndicatorTable:
    """Reintegration assistance delivered in the period: cases with an in-kind purchase
    delivered (delivery date), persons paid a cash tranche (payment date), persons whose
    referral was completed (referral date); by assistance type (a purchase line's plan item)."""
    require_counter(user)
    filters = check_by(filters, REINTEGRATION_DIMENSIONS, "assistance_type")
    period = (filters.date_from, filters.date_to)

    def scoped(model, facts, **conditions):
        q = countable_case_q(user, facts.case)
        if q is None:
            return model.objects.none()
        return model.objects.filter(q, **conditions).filter(filter_q(filters, facts))

    purchases = scoped(
        PurchaseLine,
        PURCHASE_FACTS,
        purchase__status=PurchaseStatus.DELIVERED,
        purchase__delivered_on__range=period,
    )
    tranches = scoped(CashTranche, TRANCHE_FACTS, status=TrancheStatus.PAID, paid_on__range=period)
    referrals = scoped(
        Referral, REFERRAL_FACTS, status=ReferralStatus.COMPLETED, referred_on__range=period
    )
    parts = [
        Part(
            purchases, PURCHASE_FACTS, {"inkind_cases": Count("purchase__case_id", distinct=True)}
        ),
        Part(tranches, TRANCHE_FACTS, {"cash_persons": Count("person_id", distinct=True)}),
        Part(referrals, REFERRAL_FACTS, {"referral_persons": Count("person_id", distinct=True)}),
    ]
    keys = [c.key for c in REINTEGRATION_ASSISTANCE_COLUMNS]
    return build_table(
        code="reintegration_assistance",
        title=_("Reintegration assistance delivered"),
        filters=filters,
        parts=parts,
        measures=REINTEGRATION_ASSISTANCE_COLUMNS,
        convert=lambda raw: count_values(raw, keys),
    )
