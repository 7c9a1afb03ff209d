"""The receiving (origin) mission of a case: set by the handover (awda.movements.handover), after
which that mission's staff see the case (selectors._visible_case_q, policies.roles_on_case)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from awda.core.errors import ValidationFailed

from ..models import Case
from ._common import _require, lock_case, touch_case


def case_set_receiving_mission(
    user, *, case: Case, mission, handed_over_at=None, categories=()
) -> Case:
    """Record that the case is handed over to `mission` (an origin mission): sets
    `receiving_mission`, `handed_over_at` (now unless given) and `handover_categories` (the data
    categories shared, which decide whether the mission's roles count for a restricted category
    such as health: policies.ORIGIN_CATEGORY_ACTIONS), and bumps the version.

    A building block of the handover service (movements.handover.case_handover), which checks
    the status, the consent and the categories shared, and writes the audit event
    "movements.case.handed_over" in the same transaction: call it inside that transaction (it
    locks the case row). Refused without "handover.record" on the case."""
    _require(user, "handover.record", case)
    if mission is None:
        raise ValidationFailed(fields={"mission": [_("Choose the receiving mission.")]})
    locked = lock_case(case, None)
    touch_case(
        case,
        locked,
        receiving_mission=mission,
        handed_over_at=handed_over_at or timezone.now(),
        handover_categories=sorted(set(categories)),
    )
    return case
