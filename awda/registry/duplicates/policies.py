"""Who may review possible duplicates, and who decides. Roles count per mission: duplicates cross
the offices of a mission (the same man registered in Rabat and again in Oujda), so a role in any
office of the mission counts for the whole mission's queue.

- `duplicates.view`: the queue, a pair side by side, the merge history and the detection runs
  (caseworkers, office managers, protection officers: the roles that register and edit persons;
  they know the people and can tell a reviewer what they know);
- `duplicates.decide`: reject a pair, merge two persons, undo a merge, start a detection run
  (office managers: a merge changes the record of every case of both persons, so it is a
  supervisor's decision, like the approvals of the workflow).

Medical, movement, reintegration, finance and M&E roles do not see the queue: it shows names,
documents and the case history of persons across the mission's offices."""

from awda.accounts.choices import Role
from awda.accounts.selectors import user_scope

R = Role

PERMISSIONS: dict[str, frozenset[str]] = {
    "duplicates.view": frozenset({R.CASEWORKER, R.MANAGER, R.PROTECTION}),
    "duplicates.decide": frozenset({R.MANAGER}),
}


def missions_with(user, action: str) -> set[int]:
    """The missions where `user` holds a role allowed `action`."""
    return user_scope(user).missions_with(*PERMISSIONS[action])


def can(user, action: str, mission_id: int | None = None) -> bool:
    """May `user` do `action` in the mission (in some mission when None)?"""
    missions = missions_with(user, action)
    if mission_id is None:
        return bool(missions)
    return mission_id in missions


def may_view(user, mission_id: int | None = None) -> bool:
    return can(user, "duplicates.view", mission_id)


def may_decide(user, mission_id: int | None = None) -> bool:
    return can(user, "duplicates.decide", mission_id)
