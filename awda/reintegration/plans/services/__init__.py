"""The write path of reintegration plans and collective projects (names re-exported here)."""

from ._common import (
    COLLECTIVE_CREATED,
    COLLECTIVE_UPDATED,
    KEEP,
    PLAN_APPROVED,
    PLAN_CAP_OVERRIDDEN,
    PLAN_CREATED,
    PLAN_RETURNED,
    PLAN_REVISED,
    PLAN_STATUSES,
    PLAN_SUBMITTED,
    PLAN_UPDATED,
)
from .collective import collective_create, collective_update
from .plans import (
    EDITABLE,
    plan_approve,
    plan_cap,
    plan_create,
    plan_override_cap,
    plan_return,
    plan_revise,
    plan_submit,
    plan_update,
)

__all__ = [
    "COLLECTIVE_CREATED",
    "COLLECTIVE_UPDATED",
    "EDITABLE",
    "KEEP",
    "PLAN_APPROVED",
    "PLAN_CAP_OVERRIDDEN",
    "PLAN_CREATED",
    "PLAN_RETURNED",
    "PLAN_REVISED",
    "PLAN_STATUSES",
    "PLAN_SUBMITTED",
    "PLAN_UPDATED",
    "collective_create",
    "collective_update",
    "plan_approve",
    "plan_cap",
    "plan_create",
    "plan_override_cap",
    "plan_return",
    "plan_revise",
    "plan_submit",
    "plan_update",
]
