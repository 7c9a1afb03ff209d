"""The one write path for consents and the transfer log.

Every function checks its policy, runs in `transaction.atomic` and writes its audit event in the
same transaction. None of them bumps the case version: consents and transfers are append-only
records (only a withdrawal changes a consent), so there is no edit to lose, and `transfer_record`
can be called inside another service's transaction that holds the case lock.

The audit `changes` hold ids, codes and dates only (the case timeline shows them to every role
that sees the case): never notes, reasons or the content disclosed."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.cases.models import Case, CaseMember
from awda.cases.policies import can
from awda.cases.services import require_open
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.registry.choices import LANGUAGES
from awda.registry.models import Person

from . import selectors
from .choices import RESTRICTED_CATEGORIES, DataCategory, Purpose
from .models import Consent, DataTransfer

CONSENT_RECORDED = "consent.consent.recorded"
CONSENT_WITHDRAWN = "consent.consent.withdrawn"
TRANSFER_RECORDED = "consent.transfer.recorded"

LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGES)
ADULT_AGE = 18


def _require(user, action, case) -> None:
    if not can(user, action, case):
        raise PermissionDenied()


def _clean_purpose(purpose) -> str:
    if purpose not in Purpose.values:
        raise ValidationFailed(fields={"purpose": [_("Unknown purpose.")]})
    return str(purpose)


def _clean_day(value, *, field: str, today: datetime.date) -> datetime.date:
    day = value or today
    if day > today:
        raise ValidationFailed(fields={field: [_("The date cannot be in the future.")]})
    return day


def _is_member(case: Case, person_id) -> bool:
    return CaseMember.objects.filter(case=case, person_id=person_id).exists()


def consent_record(
    user,
    *,
    case: Case,
    person: Person,
    purpose: str,
    given: bool = True,
    given_on: datetime.date | None = None,
    language: str = "",
    guardian_name: str = "",
    guardian_relationship: str = "",
    notes: str = "",
) -> Consent:
    """Record a person's consent (or refusal, given=False) for one purpose, taken in `case`.

    The person must be a member of the case and the case open; the language is required; a person
    under 18 on `given_on` needs the name of the parent or guardian who consented and their
    relationship. A new consent supersedes nothing: the history is the list of records."""
    _require(user, "consent.record", case)
    require_open(case)
    today = timezone.localdate()
    purpose = _clean_purpose(purpose)
    given_on = _clean_day(given_on, field="given_on", today=today)
    if not _is_member(case, person.pk):
        raise ValidationFailed(fields={"person": [_("This person is not a member of the case.")]})
    errors = {}
    language = (language or "").strip()
    if not language:
        errors["language"] = [_("Say in which language the consent was taken.")]
    elif language not in LANGUAGE_CODES:
        errors["language"] = [_("Unknown language.")]
    guardian_name = (guardian_name or "").strip()
    guardian_relationship = (guardian_relationship or "").strip()
    age = person.age_on(given_on)
    if age is not None and age < ADULT_AGE:
        if not guardian_name:
            errors["guardian_name"] = [
                _("%(name)s is under 18: give the name of the parent or guardian who consented.")
                % {"name": person.full_name}
            ]
        if not guardian_relationship:
            errors["guardian_relationship"] = [
                _("Give the relationship of the parent or guardian to the child.")
            ]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case,
            person=person,
            purpose=purpose,
            given=bool(given),
            given_on=given_on,
            language=language,
            taken_by=user,
            guardian_name=guardian_name,
            guardian_relationship=guardian_relationship,
            notes=(notes or "").strip(),
        )
        audit_record(
            user,
            action=CONSENT_RECORDED,
            obj=consent,
            object_repr=person.full_name,
            case_id=case.pk,
            person_id=person.pk,
            office_id=case.office_id,
            changes={
                "person": person.pk,
                "purpose": purpose,
                "given": bool(given),
                "given_on": given_on,
                "language": language,
                "guardian": bool(guardian_name),
            },
        )
    return consent


def consent_withdraw(
    user,
    *,
    consent: Consent,
    reason: str,
    withdrawn_on: datetime.date | None = None,
    case: Case | None = None,
) -> Consent:
    """Record the withdrawal of a consent. `case` is the case through which it is recorded (the
    person may withdraw, in a later case, a consent taken in an earlier one): it defaults to the
    case the consent was taken in, and the person must be one of its members. Allowed on a closed
    case: a person may withdraw consent at any time."""
    case = case or consent.case
    _require(user, "consent.record", case)
    if case.pk != consent.case_id and not _is_member(case, consent.person_id):
        raise NotFound()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Give the reason for the withdrawal.")]})
    withdrawn_on = _clean_day(withdrawn_on, field="withdrawn_on", today=timezone.localdate())
    with transaction.atomic():
        locked = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
        if not locked.given:
            raise ValidationFailed(
                _("A refusal cannot be withdrawn: record a new consent instead."),
                code="consent_refused",
            )
        if locked.withdrawn_on is not None:
            raise ValidationFailed(
                _("This consent was already withdrawn on %(date)s.")
                % {"date": locked.withdrawn_on.isoformat()},
                code="already_withdrawn",
            )
        if withdrawn_on < locked.given_on:
            raise ValidationFailed(
                fields={"withdrawn_on": [_("The withdrawal cannot precede the consent.")]}
            )
        locked.withdrawn_on = withdrawn_on
        locked.withdrawn_by = user
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_reason"])
        audit_record(
            user,
            action=CONSENT_WITHDRAWN,
            obj=locked,
            object_repr=locked.person.full_name,
            case_id=case.pk,
            person_id=locked.person_id,
            office_id=case.office_id,
            changes={
                "person": locked.person_id,
                "purpose": locked.purpose,
                "withdrawn_on": withdrawn_on,
            },
        )
    consent.withdrawn_on = locked.withdrawn_on
    consent.withdrawn_by = user
    consent.withdrawal_reason = reason
    return consent


def _clean_categories(categories) -> list[str]:
    given = list(categories or [])
    unknown = sorted({str(c) for c in given} - set(DataCategory.values))
    if unknown:
        raise ValidationFailed(
            fields={
                "categories": [
                    _("Unknown data category: %(codes)s.") % {"codes": ", ".join(unknown)}
                ]
            }
        )
    if not given:
        raise ValidationFailed(fields={"categories": [_("Say which data are disclosed.")]})
    wanted = set(given)
    return [c for c in DataCategory.values if c in wanted]


def required_purposes(purpose: str, categories: Iterable[str]) -> list[str]:
    """The purposes a disclosure needs a valid consent for: its own, and health data when it
    contains health information."""
    needed = [purpose]
    if DataCategory.HEALTH in set(categories) and purpose != Purpose.HEALTH_DATA:
        needed.append(Purpose.HEALTH_DATA.value)
    return needed


def transfer_record(
    user,
    *,
    case: Case,
    persons,
    recipient: str,
    purpose: str,
    categories,
    notes: str = "",
    transferred_on: datetime.date | None = None,
) -> DataTransfer:
    """Record a disclosure of the personal data of `persons` (members of `case`) to `recipient`.

    Refused (ValidationFailed, code "consent_missing", nothing written) when a person has no valid
    consent on `transferred_on` for `purpose`, or for health data when the categories include
    health. The transfer is linked to the consents it relies on (the newest valid one per person
    and purpose). Call it inside your own service's `transaction.atomic` before or after your
    write: the refusal propagates and rolls your write back."""
    _require(user, "transfer.record", case)
    purpose = _clean_purpose(purpose)
    categories = _clean_categories(categories)
    transferred_on = _clean_day(transferred_on, field="transferred_on", today=timezone.localdate())
    recipient = (recipient or "").strip()
    if not recipient:
        raise ValidationFailed(fields={"recipient": [_("Say who receives the data.")]})
    person_ids = []
    for p in persons or []:
        try:
            pk = p.pk if isinstance(p, Person) else int(p)
        except (TypeError, ValueError):
            raise ValidationFailed(
                fields={"persons": [_("Only members of the case can be chosen.")]}
            ) from None
        if pk not in person_ids:
            person_ids.append(pk)
    if not person_ids:
        raise ValidationFailed(fields={"persons": [_("Choose whose data are disclosed.")]})
    members = {
        m.person_id: m.person
        for m in CaseMember.objects.filter(case=case, person_id__in=person_ids).select_related(
            "person"
        )
    }
    if len(members) != len(person_ids):
        raise ValidationFailed(fields={"persons": [_("Only members of the case can be chosen.")]})
    needed = required_purposes(purpose, categories)
    # Newest valid consent per (person, purpose), from one query ordered newest first.
    used: dict[tuple[int, str], Consent] = {}
    for c in selectors.valid_consents(person_ids, on_date=transferred_on):
        used.setdefault((c.person_id, c.purpose), c)
    missing = [(pk, p) for p in needed for pk in person_ids if (pk, p) not in used]
    if missing:
        sentences = []
        for p in needed:
            names = [members[pk].full_name for pk, q in missing if q == p]
            if names:
                sentences.append(
                    _("No valid consent for “%(purpose)s”: %(names)s.")
                    % {"purpose": Purpose(p).label, "names": ", ".join(names)}
                )
        raise ValidationFailed(
            " ".join(sentences),
            code="consent_missing",
            details={"missing": [{"person": pk, "purpose": p} for pk, p in missing]},
        )
    restricted = any(c in RESTRICTED_CATEGORIES for c in categories)
    with transaction.atomic():
        transfer = DataTransfer.objects.create(
            case=case,
            recipient=recipient,
            purpose=purpose,
            categories=categories,
            transferred_on=transferred_on,
            recorded_by=user,
            notes=(notes or "").strip(),
        )
        transfer.persons.set(person_ids)
        transfer.consents.set([used[(pk, p)].pk for p in needed for pk in person_ids])
        audit_record(
            user,
            action=TRANSFER_RECORDED,
            obj=transfer,
            object_repr=recipient,
            case_id=case.pk,
            person_id=person_ids[0] if len(person_ids) == 1 else None,
            office_id=case.office_id,
            # "members": the timeline shows these person ids as names.
            # A restricted category is not named in the trail every role on the case reads.
            changes={
                "members": person_ids,
                "recipient": recipient,
                "purpose": purpose,
                "categories": [c for c in categories if c not in RESTRICTED_CATEGORIES],
                **({"restricted_category": True} if restricted else {}),
                "transferred_on": transferred_on,
            },
        )
    return transfer
