"""Access to trafficking data: the most restricted category.

Only users with `trafficking.view` on the case (protection officers of the case's office, and
after handover of the receiving mission) read or write it. Any other user who may see the case and
asks for a trafficking URL (page, form post or API) gets exactly what a missing record gives, a
404, and the attempt is written to the audit trail (`trafficking.access.refused`). Users who may
not see the case at all get the case's plain 404 (nothing to audit about trafficking data there).

The refusal is audited before the 404 is answered, and the 404 is *returned* by the views (not
raised through DRF's or Django's exception handling), so the audit row stays even if requests
are made atomic (ATOMIC_REQUESTS) one day."""

from awda.cases.policies import can
from awda.core.errors import NotFound

from . import services

VIEW = "trafficking.view"


class AccessRefused(NotFound):
    """A refused access to trafficking data, already audited: answered as a plain 404."""


def may_view(user, case) -> bool:
    return can(user, VIEW, case)


def protected_case(user, case, *, part: str, method: str = ""):
    """`case` if `user` may see its trafficking data; otherwise audit the attempt and raise
    AccessRefused (the views turn it into their ordinary 404 answer)."""
    if may_view(user, case):
        return case
    services.access_refused(user, case=case, part=part, method=method)
    raise AccessRefused()
