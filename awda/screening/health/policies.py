"""Who may see and record health data.

Medical records (needs, referrals, documents) are a restricted category (domain.md section 10):
medical officers of the case ("health.view"), and caseworkers of the case for a person who holds
a valid consent to the processing of their health data (Purpose.HEALTH_DATA). Withdrawing that
consent hides the records from the caseworker again. Only medical officers record them.

The fitness-to-travel decision holds no diagnosis (outcome, validity, escort, special needs and
remarks for the movement team): "fitness.view" (every case role but finance), recorded by
medical officers ("fitness.record")."""

import datetime
from collections.abc import Iterable

from awda.accounts.choices import Role
from awda.cases.policies import can, roles_on_case
from awda.screening.consent.choices import Purpose
from awda.screening.consent.selectors import valid_purposes


def _is_caseworker_of(user, case) -> bool:
    # after the handover, a caseworker of the receiving mission counts only if it shared health
    return Role.CASEWORKER in roles_on_case(user, case, category="health")


def may_view_health(
    user, case, person_id: int, *, consented: bool | None = None, on_date=None
) -> bool:
    """May `user` see the medical records of this person in this case? `consented` (whether the
    person holds a valid health-data consent) saves the query when the caller knows it."""
    if can(user, "health.view", case):
        return True
    if not _is_caseworker_of(user, case):
        return False
    if consented is None:
        purposes = valid_purposes([person_id], on_date=on_date).get(person_id, set())
        consented = Purpose.HEALTH_DATA in purposes
    return bool(consented)


def health_visible_persons(
    user, case, person_ids: Iterable[int], *, on_date: datetime.date | None = None
) -> set[int]:
    """The persons among `person_ids` whose medical records `user` may see in `case` (one query
    for the consents, none for a medical officer or a user who is not a caseworker of the
    case)."""
    ids = list(person_ids)
    if can(user, "health.view", case):
        return set(ids)
    if not _is_caseworker_of(user, case) or not ids:
        return set()
    purposes = valid_purposes(ids, on_date=on_date)
    return {pk for pk in ids if Purpose.HEALTH_DATA in purposes.get(pk, set())}


def may_read_health_records(user, case) -> bool:
    """May `user` read medical records of some person of the case (a medical officer, or a
    caseworker of the case: which persons depends on their consents)? Others get a 404."""
    return can(user, "health.view", case) or _is_caseworker_of(user, case)


def may_record_health(user, case) -> bool:
    return can(user, "health.record", case)


def may_view_fitness(user, case) -> bool:
    return can(user, "fitness.view", case)


def may_record_fitness(user, case) -> bool:
    return can(user, "fitness.record", case)
