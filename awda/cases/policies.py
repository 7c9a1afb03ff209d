"""Who may do what with cases. Views declare these, services check them again, templates use them
to show or hide buttons. Roles come from memberships in the case's office or, once the case has been
handed over, in an office of the receiving (origin) mission."""

from awda.accounts.choices import Role
from awda.accounts.selectors import user_scope

R = Role

# action -> roles allowed. The M&E role sees aggregates only; administrators manage reference data.
CASE_VIEWERS = frozenset(
    {R.CASEWORKER, R.MANAGER, R.PROTECTION, R.MEDICAL, R.MOVEMENT, R.REINTEGRATION, R.FINANCE}
)
PERMISSIONS: dict[str, frozenset[str]] = {
    "case.view": CASE_VIEWERS,
    "case.register": frozenset({R.CASEWORKER, R.MANAGER}),
    "case.edit": frozenset({R.CASEWORKER, R.MANAGER, R.PROTECTION}),
    "case.assign": frozenset({R.MANAGER}),
    "case.declaration": frozenset({R.CASEWORKER, R.MANAGER}),
    "case.members": frozenset({R.CASEWORKER, R.MANAGER, R.PROTECTION}),
    "person.edit": frozenset({R.CASEWORKER, R.MANAGER, R.PROTECTION}),
    "note.add": CASE_VIEWERS,
    "task.add": CASE_VIEWERS - {R.FINANCE},
    "task.update": CASE_VIEWERS - {R.FINANCE},
    "attachment.add": CASE_VIEWERS - {R.FINANCE},
    "attachment.view": CASE_VIEWERS,
    "timeline.view": CASE_VIEWERS,
    "reports.aggregates": frozenset({R.MANAGER, R.ME, R.FINANCE}),
    # Vulnerability screening (awda.screening): results are needed by every role working with the
    # person except finance; trafficking indicators are restricted to protection officers.
    "screening.view": CASE_VIEWERS - {R.FINANCE},
    "screening.record": frozenset({R.CASEWORKER, R.MANAGER, R.PROTECTION, R.MEDICAL}),
    "screening.restricted": frozenset({R.PROTECTION}),
    # Readiness to travel: the per-traveller checklist (restricted items show neutral labels).
    "readiness.view": CASE_VIEWERS - {R.FINANCE},
    # Consent records and the transfer log (awda.screening.consent).
    "consent.view": CASE_VIEWERS - {R.FINANCE},
    "consent.record": frozenset({R.CASEWORKER, R.MANAGER, R.PROTECTION, R.MEDICAL}),
    "transfer.view": frozenset({R.CASEWORKER, R.MANAGER, R.PROTECTION, R.MEDICAL}),
    "transfer.record": frozenset({R.CASEWORKER, R.MANAGER, R.PROTECTION, R.MEDICAL, R.MOVEMENT}),
    # Restricted categories, each with its own permission (domain.md section 10).
    # Child protection (UASC procedure, awda.screening.children).
    "child.view": frozenset({R.PROTECTION}),
    "child.record": frozenset({R.PROTECTION}),
    # Trafficking (awda.screening.trafficking): the most restricted category.
    "trafficking.view": frozenset({R.PROTECTION}),
    "trafficking.record": frozenset({R.PROTECTION}),
    # Health (awda.screening.health): medical officers; caseworkers of the case also see a
    # person's medical records where that person consented to it (health.policies).
    "health.view": frozenset({R.MEDICAL}),
    "health.record": frozenset({R.MEDICAL}),
    # The fitness-to-travel decision (outcome, validity, escort, special needs; no diagnosis) is
    # what movement and caseworkers need to organise the travel.
    "fitness.view": CASE_VIEWERS - {R.FINANCE},
    "fitness.record": frozenset({R.MEDICAL}),
    # Pre-departure assistance ledger (awda.assistance): costs are read by finance too.
    "assistance.view": CASE_VIEWERS,
    "assistance.record": frozenset({R.CASEWORKER, R.MANAGER, R.PROTECTION, R.MEDICAL}),
    # Travel documents and exit authorisations (awda.movements.traveldocs).
    "traveldocs.view": CASE_VIEWERS - {R.FINANCE},
    "traveldocs.record": frozenset({R.CASEWORKER, R.MANAGER, R.MOVEMENT}),
    # Bookings, departures, manifests, no-shows, confirmations (awda.movements). Arrival is
    # confirmed by the origin mission after the handover (roles there count, see can()).
    "movement.view": CASE_VIEWERS,
    "movement.record": frozenset({R.MOVEMENT, R.MANAGER}),
    "arrival.confirm": frozenset({R.MOVEMENT, R.MANAGER, R.REINTEGRATION}),
    # The handover to the origin mission (a host-side act, recorded as a data transfer).
    "handover.record": frozenset({R.CASEWORKER, R.MANAGER, R.MOVEMENT}),
    # Reintegration (awda.reintegration): the origin mission's work after the handover. Every case
    # role may read it (finance: the costs); only the receiving mission's reintegration officers
    # and managers record it, and only its managers approve plans and override caps.
    "reintegration.view": CASE_VIEWERS,
    "reintegration.record": frozenset({R.REINTEGRATION, R.MANAGER}),
    "reintegration.approve": frozenset({R.MANAGER}),
}


# Restricted data shared with the receiving mission only when the handover shared its category
# (Case.handover_categories, which the handover derives from the travellers' consents): for these
# actions the receiving mission's roles count only then. action -> category.
ORIGIN_CATEGORY_ACTIONS = {
    "health.view": "health",
    "health.record": "health",
    "fitness.view": "health",
    "fitness.record": "health",
}


def roles_on_case(
    user, case, *, include_origin: bool = True, category: str | None = None
) -> frozenset[str]:
    """The roles `user` holds for `case` (with include_origin=False, only roles in its office;
    with `category`, the receiving mission's roles only if the handover shared that category)."""
    scope = user_scope(user)
    roles = set(scope.office_roles.get(case.office_id, frozenset()))
    handed_over = include_origin and case.handed_over_at and case.receiving_mission_id
    if handed_over and (category is None or category in (case.handover_categories or ())):
        roles |= scope.mission_roles.get(case.receiving_mission_id, frozenset())
    return frozenset(roles)


def transition_roles(user, case, transition) -> frozenset[str]:
    """The user's roles that count for this move of the transition table."""
    return roles_on_case(user, case, include_origin=transition.origin_may_act) & transition.roles


# Host-side actions: after handover, roles in the receiving (origin) mission do not count for them
# (the origin mission does not reassign the host caseworker or change who travels).
HOST_ONLY_ACTIONS = frozenset(
    {
        "case.assign",
        "case.declaration",
        "case.members",
        "assistance.record",
        "traveldocs.record",
        "movement.record",
        "handover.record",
    }
)


# Origin-side actions: only roles in the receiving mission, after the handover, count (the host
# office's manager does not approve a reintegration plan in Guinea).
ORIGIN_ONLY_ACTIONS = frozenset({"reintegration.record", "reintegration.approve"})


def origin_roles(user, case) -> frozenset[str]:
    """The user's roles in the case's receiving mission, once the case is handed over."""
    if not (case.handed_over_at and case.receiving_mission_id):
        return frozenset()
    return frozenset(user_scope(user).mission_roles.get(case.receiving_mission_id, frozenset()))


def can(user, action: str, case=None) -> bool:
    allowed = PERMISSIONS[action]
    if case is None:
        return user_scope(user).has_role(*allowed)
    if action in ORIGIN_ONLY_ACTIONS:
        return bool(origin_roles(user, case) & allowed)
    include_origin = action not in HOST_ONLY_ACTIONS
    category = ORIGIN_CATEGORY_ACTIONS.get(action)
    roles = roles_on_case(user, case, include_origin=include_origin, category=category)
    return bool(roles & allowed)


def offices_where(user, action: str) -> set[int]:
    return user_scope(user).offices_with(*PERMISSIONS[action])


def can_register_in(user, office_id: int) -> bool:
    return office_id in offices_where(user, "case.register")
