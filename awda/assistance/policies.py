"""Who may see and record assistance lines. The permissions live in awda.cases.policies:
`assistance.view` (every case role, finance included: the ledger holds costs) and
`assistance.record` (caseworkers, managers, protection and medical officers of the host office;
a host-side act, so roles in the origin mission after the handover do not count)."""

from awda.cases.policies import can, offices_where


def may_view(user, case) -> bool:
    return can(user, "assistance.view", case)


def may_record(user, case) -> bool:
    return can(user, "assistance.record", case)


def offices_viewing(user) -> set[int]:
    """The offices whose distributions `user` may see."""
    return offices_where(user, "assistance.view")


def offices_recording(user) -> set[int]:
    """The offices where `user` may record a distribution."""
    return offices_where(user, "assistance.record")
