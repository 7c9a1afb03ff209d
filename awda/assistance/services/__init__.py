"""The one write path of the assistance ledger.

Every function: acting user first, keyword arguments; checks the policy (assistance.record, a
host-side act), refuses a case that no longer accepts lines, locks the case row, writes, bumps the
case version and audits `assistance.<entity>.<verb>` in one transaction.

Money: quantity and unit cost are Decimals with at most two decimals; the total is
quantity x unit cost rounded half up to the cent (line_total), stored on the line. Lines are
never edited nor deleted: a mistake is corrected by cancelling the line (assistance_cancel, with
a reason and the version read) and recording a new one.

Printing a receipt or a distribution sheet, and downloading a signed copy, are audited reads
(documents with personal data).

The package is split by area; import from `awda.assistance.services` (names are re-exported)."""

from ._common import (
    DISTRIBUTION_PRINTED,
    DISTRIBUTION_RECORDED,
    DISTRIBUTION_VIEWED,
    LINE_CANCELLED,
    LINE_RECORDED,
    MAX_RECIPIENTS,
    RECEIPT_ATTACHED,
    RECEIPT_DOWNLOADED,
    RECEIPT_PRINTED,
    line_total,
    status_refusal,
)
from .distributions import assistance_distribute, distribution_sheet_print, distribution_viewed
from .lines import assistance_cancel, assistance_record
from .receipts import (
    assistance_receipt_attach,
    assistance_receipt_print,
    assistance_receipt_viewed,
)

__all__ = [
    "DISTRIBUTION_PRINTED",
    "DISTRIBUTION_RECORDED",
    "DISTRIBUTION_VIEWED",
    "LINE_CANCELLED",
    "LINE_RECORDED",
    "MAX_RECIPIENTS",
    "RECEIPT_ATTACHED",
    "RECEIPT_DOWNLOADED",
    "RECEIPT_PRINTED",
    "assistance_cancel",
    "assistance_distribute",
    "assistance_receipt_attach",
    "assistance_receipt_print",
    "assistance_receipt_viewed",
    "assistance_record",
    "distribution_sheet_print",
    "distribution_viewed",
    "line_total",
    "status_refusal",
]
