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
documents and the case history of persons across the mission's offices.

The records a merge moves include restricted categories (trafficking, child protection, health,
consent: awda.cases.restricted). A reviewer learns that such a record exists only with that
category's permission (`label_visibility`); otherwise the merge page and the API show them as one
neutral count."""

from collections.abc import Callable

from django.db.models import Q

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


def label_visibility(user, mission_id: int) -> Callable[[str], bool]:
    """A function telling, for a model label ("trafficking.TraffickingDetermination"), whether
    `user` may learn that records of that model were moved by a merge in the mission.

    A model of no restricted category is always visible. For a restricted one, the user needs a
    role holding its permission (cases.policies.PERMISSIONS) in an office of the merge's mission:
    the check `cases.policies.can` makes without a case, narrowed to the mission, because a merge
    spans the offices of one mission (like the review itself) and has no single case, and a role
    held in another mission says nothing about these persons."""
    from awda.cases.policies import PERMISSIONS as CASE_PERMISSIONS
    from awda.cases.restricted import model_permission

    roles = user_scope(user).mission_roles.get(mission_id, frozenset())
    cache: dict[str, bool] = {}

    def visible(label: str) -> bool:
        if label not in cache:
            permission = model_permission(label)
            cache[label] = permission is None or bool(roles & CASE_PERMISSIONS[permission])
        return cache[label]

    return visible


def case_scope(user, mission_id: int):
    """The cases whose number, status and office a reviewer of the mission sees on a pair, and
    that a merge in the mission may change: the cases the user may see
    (cases.selectors.case_queryset_for), and the cases of the pair's mission, whatever its office
    (the review spans the mission's offices: the same man registered in Rabat and in Oujda).
    Never a case of another mission the user has no access to."""
    from awda.cases.models import Case
    from awda.cases.selectors import case_queryset_for

    return Case.objects.filter(
        Q(pk__in=case_queryset_for(user).values("pk")) | Q(mission_id=mission_id)
    )
