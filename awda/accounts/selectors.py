"""Who is this user, where, as what. Cached per user object for the request."""

from dataclasses import dataclass, field

from .choices import MissionKind, Role
from .models import Membership, Office, User


@dataclass(frozen=True)
class Scope:
    # role -> office ids; role -> mission ids (for origin-mission rules)
    office_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    mission_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    # Missions of kind "origin" among the user's (cases are handed over to those only).
    origin_mission_ids: frozenset[int] = frozenset()

    @property
    def office_ids(self) -> set[int]:
        return set(self.office_roles)

    @property
    def mission_ids(self) -> set[int]:
        return set(self.mission_roles)

    def offices_with(self, *roles: str) -> set[int]:
        return {o for o, rs in self.office_roles.items() if rs & set(roles)}

    def missions_with(self, *roles: str) -> set[int]:
        return {m for m, rs in self.mission_roles.items() if rs & set(roles)}

    def has_role(self, *roles: str) -> bool:
        return any(rs & set(roles) for rs in self.office_roles.values())

    @property
    def roles(self) -> set[str]:
        return set().union(*self.office_roles.values()) if self.office_roles else set()


def user_scope(user: User) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_awda_scope", None)
    if cached is not None:
        return cached
    office_roles: dict[int, set[str]] = {}
    mission_roles: dict[int, set[str]] = {}
    origin: set[int] = set()
    rows = Membership.objects.filter(user=user, is_active=True, office__is_active=True).values_list(
        "office_id", "office__mission_id", "office__mission__kind", "role"
    )
    for office_id, mission_id, kind, role in rows:
        office_roles.setdefault(office_id, set()).add(role)
        mission_roles.setdefault(mission_id, set()).add(role)
        if kind == MissionKind.ORIGIN:
            origin.add(mission_id)
    scope = Scope(
        office_roles={k: frozenset(v) for k, v in office_roles.items()},
        mission_roles={k: frozenset(v) for k, v in mission_roles.items()},
        origin_mission_ids=frozenset(origin),
    )
    user._awda_scope = scope
    return scope


def offices_for(user: User, *roles: str):
    scope = user_scope(user)
    ids = scope.offices_with(*roles) if roles else scope.office_ids
    return Office.objects.filter(id__in=ids).select_related("mission")


def users_in_offices(office_ids, roles=(Role.CASEWORKER, Role.MANAGER)):
    return (
        User.objects.filter(
            is_active=True,
            memberships__office_id__in=office_ids,
            memberships__role__in=roles,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
