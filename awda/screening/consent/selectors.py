"""Reads of consents and of the transfer log.

Validity rule (one place: `valid_consent_q`): a consent is valid on a day when it was given (not a refusal),
given on or before that day, and not withdrawn on or before that day. Several valid consents for the
same person and purpose may coexist (a renewal); any one of them is enough.

The case-level readers (`consents_for_case`, `transfers_for_case`) expect a case already resolved
through the scoped case selectors, with "consent.view" / "transfer.view" checked by the caller."""

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Consent, DataTransfer


def _day(on_date: datetime.date | None) -> datetime.date:
    return on_date or timezone.localdate()


def valid_consent_q(on_date: datetime.date | None) -> Q:
    day = _day(on_date)
    return Q(given=True, given_on__lte=day) & (
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
    )


def has_valid_consent(person_id: int, purpose: str, on_date: datetime.date | None = None) -> bool:
    """Does the person hold a valid consent for `purpose` on `on_date` (default today)?"""
    return Consent.objects.filter(
        valid_consent_q(on_date), person_id=person_id, purpose=purpose
    ).exists()


def valid_purposes(
    person_ids: Iterable[int], on_date: datetime.date | None = None
) -> dict[int, set[str]]:
    """person id -> the purposes they hold a valid consent for (one query). Every requested id is a
    key (an empty set when none)."""
    ids = list(person_ids)
    result: dict[int, set[str]] = {pk: set() for pk in ids}
    rows = (
        Consent.objects.filter(valid_consent_q(on_date), person_id__in=ids)
        .values_list("person_id", "purpose")
        .distinct()
    )
    for person_id, purpose in rows:
        result.setdefault(person_id, set()).add(purpose)
    return result


def valid_consents(
    person_ids: Iterable[int], on_date: datetime.date | None = None
) -> list[Consent]:
    """The valid consents of these persons (one query), newest first; each carries
    guardian_name and guardian_relationship (for the child-protection checks)."""
    return list(
        Consent.objects.filter(valid_consent_q(on_date), person_id__in=list(person_ids)).order_by(
            "person_id", "purpose", "-given_on", "-created_at", "-id"
        )
    )


def consents_for_case(case) -> QuerySet[Consent]:
    """Every consent of the case's members, whichever case it was taken in, with the users who took
    and withdrew it and the person (one query). Consents belong to the person: one taken in an
    earlier case still counts."""
    return (
        Consent.objects.filter(person_id__in=case.members.values("person_id"))
        .select_related("person", "taken_by", "withdrawn_by", "case")
        .order_by("person_id", "purpose", "-given_on", "-created_at", "-id")
    )


def mask_foreign(consents, user, case) -> list[Consent]:
    """Consents belong to the person, so a case shows those taken in the person's other cases
    too; but a consent taken in a case `user` may not see (another office's) shows only what
    makes it valid (purpose, given, dates, language, guardian): not its notes, who took or
    withdrew it, the reason of a withdrawal, or which case (marked `foreign`). One query."""
    consents = list(consents)
    others = {c.case_id for c in consents if c.case_id != case.pk}
    visible = set()
    if others:
        from awda.cases.selectors import case_list_for

        visible = set(case_list_for(user).filter(pk__in=others).values_list("pk", flat=True))
    for c in consents:
        c.foreign = c.case_id != case.pk and c.case_id not in visible
        if c.foreign:
            c.notes = c.withdrawal_reason = ""
            c.taken_by = c.withdrawn_by = None
    return consents


def transfers_for_case(case) -> QuerySet[DataTransfer]:
    """The case's transfer log, newest first, with the persons and consents concerned (three
    queries whatever the number of transfers)."""
    return (
        DataTransfer.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("persons"),
            Prefetch("consents", queryset=Consent.objects.only("id", "person_id", "purpose")),
        )
        .order_by("-transferred_on", "-created_at", "-id")
    )


# Current state of a person's consent for a purpose, as the UI shows it.
GIVEN = "given"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
NONE = "none"


def consent_state(history: list[Consent], on_date: datetime.date | None = None) -> str:
    """The state from a person's history for one purpose (newest first): "given" when a consent is
    valid; otherwise the state of the newest record ("refused", "withdrawn"); "none" without
    records."""
    day = _day(on_date)
    if any(c.is_valid_on(day) for c in history):
        return GIVEN
    if not history:
        return NONE
    newest = history[0]
    if not newest.given:
        return REFUSED
    if newest.withdrawn_on is not None:
        return WITHDRAWN
    # Given but dated after `day` (taken with a future date is refused by the service).
    return NONE


def hidden_categories(user, case) -> frozenset[str]:
    """The restricted data categories `user` may not see named on this case's transfers."""
    from awda.cases.policies import can

    from .choices import RESTRICTED_CATEGORIES

    return frozenset(
        c for c, action in RESTRICTED_CATEGORIES.items() if not can(user, action, case)
    )


def visible_categories(codes, hidden: frozenset[str]) -> tuple[list[str], bool]:
    """(the categories one may see, whether a restricted one was left out)."""
    shown = [c for c in codes if c not in hidden]
    return shown, len(shown) != len(codes)
