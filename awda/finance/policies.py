"""Who may see and manage a project's money. Roles count per mission (a project belongs to a
mission): a finance officer, manager or M&E officer in any office of the project's mission.

- `finance.view`: the budget view, the burn chart, rates, contributions and caps: aggregates,
  no names (finance, managers, M&E);
- `finance.charges`: the charges behind the figures, with their case numbers, and the screens
  moving a charge to another line (finance, managers);
- `finance.manage`: budget lines, overrides, per-person caps, contributions, exchange rates,
  reallocations (finance officers).

Exchange rates are not a project's: whoever holds `finance.manage` in some mission may record
them (they convert costs of every project), and `finance.view` anywhere lets one read them.
The case "Costs" tab follows the case's own policy (`assistance.view`, awda.cases.policies).
Administrators edit the same tables in the Django admin (audited)."""

from awda.accounts.choices import Role
from awda.accounts.selectors import user_scope

R = Role

PERMISSIONS: dict[str, frozenset[str]] = {
    "finance.view": frozenset({R.FINANCE, R.MANAGER, R.ME}),
    "finance.charges": frozenset({R.FINANCE, R.MANAGER}),
    "finance.manage": frozenset({R.FINANCE}),
}


def missions_with(user, action: str) -> set[int]:
    """The missions where `user` holds a role allowed `action`."""
    return user_scope(user).missions_with(*PERMISSIONS[action])


def can(user, action: str, project=None) -> bool:
    """May `user` do `action` on `project` (on some project of theirs when None)?"""
    missions = missions_with(user, action)
    if project is None:
        return bool(missions)
    return project.mission_id in missions


def may_view(user, project=None) -> bool:
    return can(user, "finance.view", project)


def may_see_charges(user, project=None) -> bool:
    return can(user, "finance.charges", project)


def may_manage(user, project=None) -> bool:
    return can(user, "finance.manage", project)


def may_view_rates(user) -> bool:
    return can(user, "finance.view")


def may_record_rates(user) -> bool:
    return can(user, "finance.manage")


def permissions(user, project) -> dict[str, bool]:
    """For templates and API answers: {"view": .., "charges": .., "manage": ..}."""
    return {
        "view": may_view(user, project),
        "charges": may_see_charges(user, project),
        "manage": may_manage(user, project),
    }
