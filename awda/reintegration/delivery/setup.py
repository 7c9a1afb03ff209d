"""Registrations of this area with the case page and the timeline (tabs, event labels), called
from ReintegrationConfig.ready."""

from django.utils.translation import gettext_lazy as _


def register():
    from awda.cases.views.detail import register_tab
    from awda.cases.views.timeline import PARTS, register_actions, register_value_labels

    from ..choices import AssistanceType, DeliveryDocumentKind, ReferralStatus
    from . import charges
    from .views import tab_delivery

    # Purchases', tranches' and paid referrals' charges, for the rebuild of the finance ledger.
    charges.register()

    register_tab(
        "delivery",
        _("Delivery"),
        "bi-truck",
        builder=tab_delivery,
        template="reintegration/delivery/tab.html",
        action="reintegration.view",
        before="monitoring",
    )
    # the label of the audited read of the tab on the timeline ("show views")
    PARTS.setdefault("delivery", _("Delivery"))
    kinds = dict(DeliveryDocumentKind.choices)
    types = dict(AssistanceType.choices)
    register_value_labels("purchase", _("purchase"), lambda v: f"#{v}")
    register_value_labels("tranche", _("cash tranche"), lambda v: f"#{v}")
    register_value_labels("referral", _("referral"), lambda v: f"#{v}")
    register_value_labels("document_kind", _("document"), lambda c: kinds.get(c, c))
    register_value_labels("assistance_type", _("assistance type"), lambda c: types.get(c, c))
    statuses = dict(ReferralStatus.choices)
    register_value_labels("referral_status", _("status"), lambda c: statuses.get(c, c))
    register_value_labels("delivered_on", _("delivered on"), str)
    register_value_labels("acknowledged_on", _("acknowledged on"), str)
    register_value_labels("paid_on", _("paid on"), str)
    register_value_labels("amount", _("amount"), str)
    register_actions(
        {
            "reintegration.purchase.created": (_("Purchase ordered"), "bi-cart", "primary"),
            "reintegration.purchase.delivered": (_("Purchase delivered"), "bi-truck", "success"),
            "reintegration.purchase.acknowledged": (
                _("Receipt acknowledged by the returnee"),
                "bi-pen",
                "success",
            ),
            "reintegration.purchase.cancelled": (_("Purchase cancelled"), "bi-x-circle", "danger"),
            "reintegration.delivery_document.attached": (
                _("Delivery document attached"),
                "bi-paperclip",
                "secondary",
            ),
            "reintegration.delivery_document.downloaded": (
                _("Delivery document downloaded"),
                "bi-download",
                "secondary",
            ),
            "reintegration.acknowledgement.printed": (
                _("Acknowledgement of receipt printed"),
                "bi-printer",
                "secondary",
            ),
            "reintegration.tranche.planned": (_("Cash tranche planned"), "bi-cash", "primary"),
            "reintegration.tranche.paid": (_("Cash tranche paid"), "bi-cash-coin", "success"),
            "reintegration.tranche.cancelled": (
                _("Cash tranche cancelled"),
                "bi-x-circle",
                "danger",
            ),
            "reintegration.referral.created": (_("Referral made"), "bi-signpost", "primary"),
            "reintegration.referral.updated": (
                _("Referral followed up"),
                "bi-signpost-split",
                "secondary",
            ),
        }
    )
