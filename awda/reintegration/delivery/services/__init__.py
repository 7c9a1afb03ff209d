"""The one write path of reintegration delivery: in-kind purchases, cash tranches and
referrals, every cost charged to the project of the case's approved plan.

Every function: acting user first, keyword arguments; checks reintegration.record (reintegration
officers and managers of the receiving mission, after the handover), refuses a case not in the
right status, locks the case row, writes, bumps the case version and audits
`reintegration.<entity>.<verb>` in one transaction. Edits of an existing record take the version
read (StaleEdit, 409, otherwise). Money records are never deleted: cancelled, with a reason.

Statuses: purchases and tranches need an approved plan, so the case is in reintegration or
monitoring (MONEY_STATUSES); a referral needs no plan and may be made from the arrival
(REFERRAL_STATUSES). In every case the origin office must have accepted the handover.

Import from `awda.reintegration.delivery.services` (names are re-exported)."""

from ._common import (
    ACKNOWLEDGEMENT_PRINTED,
    DOCUMENT_ATTACHED,
    DOCUMENT_DOWNLOADED,
    MONEY_STATUSES,
    PURCHASE_ACKNOWLEDGED,
    PURCHASE_CANCELLED,
    PURCHASE_CREATED,
    PURCHASE_DELIVERED,
    REFERRAL_CREATED,
    REFERRAL_STATUSES,
    REFERRAL_UPDATED,
    TRANCHE_CANCELLED,
    TRANCHE_PAID,
    TRANCHE_PLANNED,
    approved_plan,
    status_refusal,
)
from .documents import acknowledgement_print, delivery_document_attach, delivery_document_viewed
from .purchases import purchase_acknowledge, purchase_cancel, purchase_create, purchase_deliver
from .referrals import COSTED_STATUSES, REFERRAL_MOVES, referral_create, referral_update
from .tranches import tranche_cancel, tranche_pay, tranche_plan

__all__ = [
    "ACKNOWLEDGEMENT_PRINTED",
    "COSTED_STATUSES",
    "DOCUMENT_ATTACHED",
    "DOCUMENT_DOWNLOADED",
    "MONEY_STATUSES",
    "PURCHASE_ACKNOWLEDGED",
    "PURCHASE_CANCELLED",
    "PURCHASE_CREATED",
    "PURCHASE_DELIVERED",
    "REFERRAL_CREATED",
    "REFERRAL_MOVES",
    "REFERRAL_STATUSES",
    "REFERRAL_UPDATED",
    "TRANCHE_CANCELLED",
    "TRANCHE_PAID",
    "TRANCHE_PLANNED",
    "acknowledgement_print",
    "approved_plan",
    "delivery_document_attach",
    "delivery_document_viewed",
    "purchase_acknowledge",
    "purchase_cancel",
    "purchase_create",
    "purchase_deliver",
    "referral_create",
    "referral_update",
    "status_refusal",
    "tranche_cancel",
    "tranche_pay",
    "tranche_plan",
]
