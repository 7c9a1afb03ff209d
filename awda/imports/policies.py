"""Who may import. An import registers cases in bulk, so it takes the right to register cases
(caseworkers and office managers, "case.register" in awda.cases.policies) in the office the
cases go to. Sources are shared by the mission: whoever may import in one of its offices may use
them and save a mapping to them; a Kobo server source holds an API token, so creating, changing
or deleting one is for office managers. An import job is seen by the users who may import into
its office (the requester, their colleagues and manager), nobody else: its preview shows the
file's values."""

from awda.accounts.choices import Role
from awda.accounts.selectors import user_scope
from awda.cases.policies import can_register_in, offices_where


def import_offices(user) -> set[int]:
    """The offices `user` may import cases into."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return offices_where(user, "case.register")


def may_import(user) -> bool:
    return bool(import_offices(user))


def may_import_in(user, office_id: int) -> bool:
    return getattr(user, "is_authenticated", False) and can_register_in(user, office_id)


def import_missions(user) -> set[int]:
    """Missions whose sources `user` may use: those of the offices they may import into."""
    from awda.accounts.models import Office

    offices = import_offices(user)
    if not offices:
        return set()
    return set(Office.objects.filter(pk__in=offices).values_list("mission_id", flat=True))


def may_manage_kobo_sources(user, mission_id: int) -> bool:
    """Office managers of the mission (a Kobo source carries a server token)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return mission_id in user_scope(user).missions_with(Role.MANAGER)


def may_see_job(user, job) -> bool:
    return may_import_in(user, job.office_id)
