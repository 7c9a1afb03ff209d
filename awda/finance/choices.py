from django.db import models
from django.utils.translation import gettext_lazy as _


class CostCategory(models.TextChoices):
    """What a cost pays for. A budget line lists the categories it pays for; the pre-departure
    categories share their values with the assistance ledger's kinds."""

    MEDICAL = "medical", _("Medical care")
    ACCOMMODATION = "accommodation", _("Emergency accommodation")
    FOOD = "food", _("Food")
    NON_FOOD = "non_food", _("Non-food items")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    ADMINISTRATIVE = "administrative", _("Administrative help")
    CASH = "cash", _("Cash allowance")
    TRANSPORT = "transport", _("Local transport")
    TICKET = "ticket", _("Air tickets")
    POCKET_MONEY = "pocket_money", _("Pocket money")
    REINTEGRATION_IN_KIND = "reintegration_in_kind", _("Reintegration: in-kind purchases")
    REINTEGRATION_CASH = "reintegration_cash", _("Reintegration: cash grants")
    REINTEGRATION_REFERRAL = "reintegration_referral", _("Reintegration: paid referrals")


# Categories whose costs are never charged to a person (a reintegration purchase is bought for
# the plan, that is the case: awda/reintegration/delivery/charges.py), so a per-person cap on
# them could never apply: budget.person_cap_set refuses one.
NOT_PER_PERSON = frozenset({CostCategory.REINTEGRATION_IN_KIND})


def person_cap_choices():
    """The categories a per-person cap may be set on (CostCategory.choices order)."""
    return [(v, label) for v, label in CostCategory.choices if v not in NOT_PER_PERSON]


class ChargeSource(models.TextChoices):
    """The record a charge comes from (Charge.source_id is its primary key)."""

    ASSISTANCE_LINE = "assistance_line", _("Assistance line")
    TICKET = "ticket", _("Ticket")
    POCKET_MONEY = "pocket_money", _("Pocket money")
    PURCHASE = "purchase", _("Reintegration purchase")
    CASH_TRANCHE = "cash_tranche", _("Cash tranche")
    REFERRAL = "referral", _("Paid referral")


class ChargeStage(models.TextChoices):
    """committed: the money is promised (a purchase ordered, a tranche planned); spent: it has
    gone (goods delivered, cash paid, assistance given); released: the commitment or the cost
    was cancelled (the record is kept, it no longer counts)."""

    COMMITTED = "committed", _("Committed")
    SPENT = "spent", _("Spent")
    RELEASED = "released", _("Released")
