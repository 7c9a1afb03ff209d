"""Who may see and record reintegration work. The permissions live in awda.cases.policies:
`reintegration.view` (every case role: finance reads the costs), `reintegration.record`
(reintegration officers and managers of the receiving mission, after the handover) and
`reintegration.approve` (managers of the receiving mission: plan approval, cap override).
Record and approve count only roles in the receiving mission (cases.policies.ORIGIN_ONLY_ACTIONS).
"""

from awda.accounts.selectors import user_scope
from awda.cases.policies import PERMISSIONS, can


def may_view(user, case) -> bool:
    return can(user, "reintegration.view", case)


def may_record(user, case) -> bool:
    return can(user, "reintegration.record", case)


def may_approve(user, case) -> bool:
    return can(user, "reintegration.approve", case)


def missions_recording(user) -> set[int]:
    """The missions where `user` may record reintegration work (their origin missions)."""
    return user_scope(user).missions_with(*PERMISSIONS["reintegration.record"])


def offices_recording(user) -> set[int]:
    """The offices where `user` holds a reintegration role (their queues' scope)."""
    return user_scope(user).offices_with(*PERMISSIONS["reintegration.record"])
