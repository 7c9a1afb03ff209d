"""The one write path for travel documents, exit authorisations and batch lists.

Every function: acting user first, keyword arguments; checks the policy (traveldocs.record) again,
refuses a closed case and a person who is not a member of the case, locks the case row, writes,
bumps the case version and audits `travel_documents.<entity>.<verb>` in one transaction. Records
several people edit carry a version (optimistic locking): a stale edit is refused (409).

Sending a batch list discloses the listed persons' identity and document data to a consulate or
to the authorities: the disclosure is recorded in the transfer log (consent.transfer_record, once
per case, in the same transaction) and the whole send is refused, naming every person without a
valid consent for the purpose, when one is missing."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.cases.models import Case, CaseMember
from awda.cases.policies import can
from awda.cases.services import lock_case, require_open, touch_case
from awda.core import countries
from awda.core.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from awda.registry.choices import DocumentType
from awda.registry.models import IdentityDocument, Organisation, Person
from awda.screening.consent.choices import DataCategory, Purpose
from awda.screening.consent.selectors import valid_purposes
from awda.screening.consent.services import transfer_record

from . import policies, selectors
from .choices import (
    BATCH_CASE_STATUSES,
    RECIPIENT_KINDS,
    BatchKind,
    BatchStatus,
    DocumentKind,
    DocumentOutcome,
    DocumentStatus,
    ExitOutcome,
    ExitStatus,
)
from .models import BatchItem, DocumentBatch, ExitAuthorisation, TravelDocument

DOCUMENT_RECORDED = "travel_documents.document.recorded"
DOCUMENT_UPDATED = "travel_documents.document.updated"
DOCUMENT_ANSWERED = "travel_documents.document.answered"
EXIT_REQUESTED = "travel_documents.exit.requested"
EXIT_UPDATED = "travel_documents.exit.updated"
EXIT_ANSWERED = "travel_documents.exit.answered"
BATCH_CREATED = "travel_documents.batch.created"
BATCH_SENT = "travel_documents.batch.sent"
BATCH_PRINTED = "travel_documents.batch.printed"
BATCH_DISCARDED = "travel_documents.batch.discarded"

# The purpose each list needs a consent for, and what it discloses.
BATCH_PURPOSES = {BatchKind.CONSULATE: Purpose.CONSULATE, BatchKind.AUTHORITY: Purpose.AUTHORITIES}
BATCH_CATEGORIES = [DataCategory.IDENTITY, DataCategory.DOCUMENTS, DataCategory.CASE]
# Registry identity documents that can be used as a travel document.
IDENTITY_KINDS = {
    DocumentType.PASSPORT: DocumentKind.PASSPORT,
    DocumentType.LAISSEZ_PASSER: DocumentKind.LAISSEZ_PASSER,
}


# ---- shared checks ------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def _require_member(case: Case, person: Person) -> None:
    if person is None or not CaseMember.objects.filter(case=case, person_id=person.pk).exists():
        raise ValidationFailed(fields={"person": [_("This person is not a member of the case.")]})


def _text(value) -> str:
    return (value or "").strip()


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


def _past_day(errors: dict, name: str, value, today: datetime.date, *, default=True):
    day = value or (today if default else None)
    if day is not None and day > today:
        errors[name] = [_("The date cannot be in the future.")]
    return day


def _organisation(errors: dict, name: str, org, kind: str, message: str):
    if (
        org is None
        or not Organisation.objects.filter(pk=org.pk, kind=kind, is_active=True).exists()
    ):
        errors[name] = [message]
    return org


def _country(errors: dict, value) -> str:
    value = _text(value)
    if not value:
        return ""
    code = countries.resolve(value)
    if not code:
        errors["issuing_country"] = [_("Unknown country code: %(v)s") % {"v": value}]
        return value
    return code


def _audit(user, action, *, case, obj, person_id, changes):
    audit_record(
        user,
        action=action,
        obj=obj,
        case_id=case.pk,
        person_id=person_id,
        office_id=case.office_id,
        changes={"person": person_id, **changes},
    )


def _check_version(row, expected_version) -> None:
    if expected_version is None or int(expected_version) != row.version:
        raise StaleEdit()


def _save(row, fields) -> None:
    row.version += 1
    row.save(update_fields=[*fields, "version", "updated_at"])


# ---- travel documents ---------------------------------------------------------------------------

DOCUMENT_FIELDS = (
    "kind",
    "status",
    "number",
    "issuing_country",
    "consulate",
    "requested_on",
    "issued_on",
    "expires_on",
    "notes",
)


def _clean_document(errors: dict, values: dict, today: datetime.date) -> None:
    """The rules of a travel document, whatever the way it is written: an issued one has a number
    and an expiry after its issue date; a requested one names its consulate (laissez-passer and
    emergency travel documents are requested from a consulate)."""
    if values["kind"] not in DocumentKind.values:
        errors["kind"] = [_("Choose a valid option.")]
    if values["status"] not in DocumentStatus.values:
        errors["status"] = [_("Choose a valid option.")]
    values["number"] = _text(values["number"])[:60]
    values["notes"] = _text(values["notes"])
    values["issuing_country"] = _country(errors, values["issuing_country"])
    for name in ("requested_on", "issued_on"):
        if values[name] is not None:
            _past_day(errors, name, values[name], today)
    status = values["status"]
    if status == DocumentStatus.ISSUED:
        if not values["number"]:
            errors["number"] = [_("Give the number of the document.")]
        if values["expires_on"] is None:
            errors["expires_on"] = [_("Give the expiry date of the document.")]
        elif values["issued_on"] and values["expires_on"] <= values["issued_on"]:
            errors["expires_on"] = [_("The document must expire after it was issued.")]
    if status == DocumentStatus.REQUESTED:
        if values["consulate"] is None:
            errors["consulate"] = [_("Say which consulate the document is requested from.")]
        if values["requested_on"] is None:
            values["requested_on"] = today
    if values["consulate"] is not None and "consulate" not in errors:
        _organisation(
            errors,
            "consulate",
            values["consulate"],
            RECIPIENT_KINDS[BatchKind.CONSULATE],
            _("Choose an active consulate."),
        )


def travel_document_record(
    user,
    *,
    case: Case,
    person: Person,
    kind: str = DocumentKind.PASSPORT,
    status: str = DocumentStatus.ISSUED,
    number: str = "",
    issuing_country: str = "",
    consulate: Organisation | None = None,
    requested_on: datetime.date | None = None,
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    notes: str = "",
    identity_document: IdentityDocument | None = None,
    batch: DocumentBatch | None = None,
) -> TravelDocument:
    """Record a travel document of a member of the case: a passport (or other document) the
    person holds (status issued), or a laissez-passer requested from a consulate (status
    requested; the answer comes with travel_document_answer).

    With `identity_document` (a passport or laissez-passer of the person in the registry), its
    type, number, country and dates are copied (the values given win) and linked."""
    _require(policies.may_record(user, case))
    require_open(case)
    _require_member(case, person)
    today = timezone.localdate()
    errors: dict = {}
    if identity_document is not None:
        if identity_document.person_id != person.pk or identity_document.doc_type not in (
            IDENTITY_KINDS
        ):
            raise ValidationFailed(
                fields={
                    "identity_document": [_("Choose a passport or laissez-passer of this person.")]
                }
            )
        kind = IDENTITY_KINDS[identity_document.doc_type]
        status = DocumentStatus.ISSUED
        number = number or identity_document.number
        issuing_country = issuing_country or identity_document.issuing_country
        issued_on = issued_on or identity_document.issue_date
        expires_on = expires_on or identity_document.expiry_date
    if status not in (DocumentStatus.REQUESTED, DocumentStatus.ISSUED):
        errors["status"] = [_("A new document is either requested or issued.")]
    values = {
        "kind": kind,
        "status": status,
        "number": number,
        "issuing_country": issuing_country,
        "consulate": consulate,
        "requested_on": requested_on,
        "issued_on": issued_on,
        "expires_on": expires_on,
        "notes": notes,
    }
    _clean_document(errors, values, today)
    _raise(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        doc = _create_document(user, locked, person, values, identity_document, batch)
        touch_case(case, locked)
    return doc


def _create_document(user, case, person, values, identity_document=None, batch=None):
    doc = TravelDocument.objects.create(
        case=case,
        person=person,
        recorded_by=user,
        identity_document=identity_document,
        batch=batch,
        **values,
    )
    _audit(
        user,
        DOCUMENT_RECORDED,
        case=case,
        obj=doc,
        person_id=person.pk,
        changes={
            "travel_document": doc.pk,
            "kind": doc.kind,
            "status": doc.status,
            **({"expires_on": doc.expires_on} if doc.expires_on else {}),
            **({"batch": batch.pk} if batch else {}),
        },
    )
    return doc


def travel_document_update(
    user, *, document: TravelDocument, expected_version: int, **changes
) -> TravelDocument:
    """Correct a travel document (number, country, consulate, dates, notes) or cancel it
    (status "cancelled": it no longer counts), with the version read; a stale one is refused.
    A request is answered with travel_document_answer, not here."""
    case = document.case
    _require(policies.may_record(user, case))
    require_open(case)
    allowed = set(DOCUMENT_FIELDS) - {"kind"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed(
            fields={name: [_("This field cannot be changed.")] for name in unknown}
        )
    with transaction.atomic():
        locked_case = lock_case(case, None)
        require_open(locked_case)
        row = TravelDocument.objects.select_for_update().get(pk=document.pk)
        _check_version(row, expected_version)
        new_status = changes.get("status", row.status)
        if new_status != row.status and new_status != DocumentStatus.CANCELLED:
            raise ValidationFailed(
                fields={
                    "status": [
                        _("A document can only be cancelled here; record the answer instead.")
                    ]
                }
            )
        values = {name: getattr(row, name) for name in DOCUMENT_FIELDS}
        values.update(changes)
        errors: dict = {}
        if values["status"] != DocumentStatus.CANCELLED:
            _clean_document(errors, values, timezone.localdate())
            requested, issued = values["requested_on"], values["issued_on"]
            if requested and issued and issued < requested and "issued_on" not in errors:
                errors["issued_on"] = [_("The document cannot be issued before it was requested.")]
        _raise(errors)
        changed = [k for k in DOCUMENT_FIELDS if getattr(row, k) != values[k]]
        for k in changed:
            setattr(row, k, values[k])
        _save(row, changed)
        touch_case(case, locked_case)
        _audit(
            user,
            DOCUMENT_UPDATED,
            case=case,
            obj=row,
            person_id=row.person_id,
            changes={"travel_document": row.pk, "fields": changed, "status": row.status},
        )
    return row


def _answer_document(user, row, *, outcome, number, issued_on, expires_on, reason, today):
    """Apply the consulate's answer to a locked, requested document (no policy check here)."""
    if row.status != DocumentStatus.REQUESTED:
        raise ValidationFailed(
            _("This document is not awaiting an answer (%(status)s).")
            % {"status": row.get_status_display()},
            code="not_requested",
        )
    errors: dict = {}
    if outcome not in DocumentOutcome.values:
        errors["outcome"] = [_("Choose a valid option.")]
    _raise(errors)
    fields = ["status", "answered_on"]
    if outcome == DocumentOutcome.ISSUED:
        values = {
            "kind": row.kind,
            "status": DocumentStatus.ISSUED,
            "number": number,
            "issuing_country": row.issuing_country,
            "consulate": row.consulate,
            "requested_on": row.requested_on,
            "issued_on": issued_on or today,
            "expires_on": expires_on,
            "notes": row.notes,
        }
        _clean_document(errors, values, today)
        if row.requested_on and values["issued_on"] < row.requested_on:
            errors["issued_on"] = [_("The document cannot be issued before it was requested.")]
        _raise(errors)
        row.number = values["number"]
        row.issued_on = values["issued_on"]
        row.expires_on = values["expires_on"]
        fields += ["number", "issued_on", "expires_on"]
    else:
        reason = _text(reason)
        if not reason:
            errors["reason"] = [_("Give the reason for the refusal.")]
        _raise(errors)
        row.refusal_reason = reason
        fields.append("refusal_reason")
    row.status = outcome
    row.answered_on = today
    _save(row, fields)
    return row


def travel_document_answer(
    user,
    *,
    document: TravelDocument,
    expected_version: int,
    outcome: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    reason: str = "",
) -> TravelDocument:
    """Record the consulate's answer to a request: issued (number, issue and expiry dates) or
    refused (with the reason), with the version read."""
    case = document.case
    _require(policies.may_record(user, case))
    require_open(case)
    with transaction.atomic():
        locked_case = lock_case(case, None)
        require_open(locked_case)
        row = TravelDocument.objects.select_for_update().get(pk=document.pk)
        _check_version(row, expected_version)
        _answer_document(
            user,
            row,
            outcome=outcome,
            number=number,
            issued_on=issued_on,
            expires_on=expires_on,
            reason=reason,
            today=timezone.localdate(),
        )
        touch_case(case, locked_case)
        _audit_document_answer(user, case, row)
        _batch_answered_if_done(row.batch_id)
    return row


def _audit_document_answer(user, case, row):
    _audit(
        user,
        DOCUMENT_ANSWERED,
        case=case,
        obj=row,
        person_id=row.person_id,
        changes={
            "travel_document": row.pk,
            "status": row.status,
            **({"expires_on": row.expires_on} if row.status == DocumentStatus.ISSUED else {}),
            **({"batch": row.batch_id} if row.batch_id else {}),
        },
    )


# ---- exit authorisations ------------------------------------------------------------------------


def _authority(errors: dict, authority):
    return _organisation(
        errors,
        "authority",
        authority,
        RECIPIENT_KINDS[BatchKind.AUTHORITY],
        _("Choose an active authority."),
    )


def exit_authorisation_request(
    user,
    *,
    case: Case,
    person: Person,
    authority: Organisation,
    requested_on: datetime.date | None = None,
    reference: str = "",
    notes: str = "",
    batch: DocumentBatch | None = None,
) -> ExitAuthorisation:
    """Record that the exit authorisation of a member of the case was requested from the host
    authorities (the answer comes with exit_authorisation_answer)."""
    _require(policies.may_record(user, case))
    require_open(case)
    _require_member(case, person)
    errors: dict = {}
    _authority(errors, authority)
    requested_on = _past_day(errors, "requested_on", requested_on, timezone.localdate())
    _raise(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        auth = _create_exit(user, locked, person, authority, requested_on, reference, notes, batch)
        touch_case(case, locked)
    return auth


def _create_exit(user, case, person, authority, requested_on, reference, notes, batch):
    auth = ExitAuthorisation.objects.create(
        case=case,
        person=person,
        recorded_by=user,
        authority=authority,
        requested_on=requested_on,
        reference=_text(reference)[:60],
        notes=_text(notes),
        batch=batch,
    )
    _audit(
        user,
        EXIT_REQUESTED,
        case=case,
        obj=auth,
        person_id=person.pk,
        changes={"exit_authorisation": auth.pk, **({"batch": batch.pk} if batch else {})},
    )
    return auth


EXIT_FIELDS = ("authority", "requested_on", "reference", "granted_on", "valid_until", "notes")


def exit_authorisation_update(
    user, *, authorisation: ExitAuthorisation, expected_version: int, **changes
) -> ExitAuthorisation:
    """Correct an exit authorisation (authority, dates, reference, notes) with the version read."""
    case = authorisation.case
    _require(policies.may_record(user, case))
    require_open(case)
    unknown = sorted(set(changes) - set(EXIT_FIELDS))
    if unknown:
        raise ValidationFailed(
            fields={name: [_("This field cannot be changed.")] for name in unknown}
        )
    with transaction.atomic():
        locked_case = lock_case(case, None)
        require_open(locked_case)
        row = ExitAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
        _check_version(row, expected_version)
        values = {name: getattr(row, name) for name in EXIT_FIELDS}
        values.update(changes)
        values["reference"] = _text(values["reference"])[:60]
        values["notes"] = _text(values["notes"])
        errors: dict = {}
        if "authority" in changes:
            _authority(errors, values["authority"])
        today = timezone.localdate()
        if values["requested_on"] is None:
            errors["requested_on"] = [_("This field is required.")]
        else:
            _past_day(errors, "requested_on", values["requested_on"], today)
        if row.status != ExitStatus.GRANTED:
            # the grant (date, validity) is recorded by the answer, with its checks
            for name in ("granted_on", "valid_until"):
                if values[name] is not None and values[name] != getattr(row, name):
                    errors[name] = [_("Only a granted authorisation has this date.")]
        elif values["granted_on"] is None:
            errors["granted_on"] = [_("This field is required.")]
        else:
            _past_day(errors, "granted_on", values["granted_on"], today)
            if values["requested_on"] and values["granted_on"] < values["requested_on"]:
                errors["granted_on"] = [_("It cannot be granted before it was requested.")]
            if values["valid_until"] and values["valid_until"] < values["granted_on"]:
                errors["valid_until"] = [_("The validity cannot end before it was granted.")]
        _raise(errors)
        changed = [k for k in EXIT_FIELDS if getattr(row, k) != values[k]]
        for k in changed:
            setattr(row, k, values[k])
        _save(row, changed)
        touch_case(case, locked_case)
        _audit(
            user,
            EXIT_UPDATED,
            case=case,
            obj=row,
            person_id=row.person_id,
            changes={"exit_authorisation": row.pk, "fields": changed},
        )
    return row


def _answer_exit(row, *, outcome, granted_on, reference, valid_until, reason, today):
    if row.status != ExitStatus.REQUESTED:
        raise ValidationFailed(
            _("This exit authorisation is not awaiting an answer (%(status)s).")
            % {"status": row.get_status_display()},
            code="not_requested",
        )
    errors: dict = {}
    if outcome not in ExitOutcome.values:
        errors["outcome"] = [_("Choose a valid option.")]
    _raise(errors)
    fields = ["status", "answered_on"]
    if outcome == ExitOutcome.GRANTED:
        granted_on = _past_day(errors, "granted_on", granted_on, today)
        if granted_on < row.requested_on:
            errors["granted_on"] = [_("It cannot be granted before it was requested.")]
        if valid_until is not None and valid_until < granted_on:
            errors["valid_until"] = [_("The validity cannot end before it was granted.")]
        _raise(errors)
        row.granted_on = granted_on
        row.valid_until = valid_until
        fields += ["granted_on", "valid_until"]
        if _text(reference):
            row.reference = _text(reference)[:60]
            fields.append("reference")
    else:
        reason = _text(reason)
        if not reason:
            errors["reason"] = [_("Give the reason for the refusal.")]
        _raise(errors)
        row.refusal_reason = reason
        fields.append("refusal_reason")
    row.status = outcome
    row.answered_on = today
    _save(row, fields)
    return row


def exit_authorisation_answer(
    user,
    *,
    authorisation: ExitAuthorisation,
    expected_version: int,
    outcome: str,
    granted_on: datetime.date | None = None,
    reference: str = "",
    valid_until: datetime.date | None = None,
    reason: str = "",
) -> ExitAuthorisation:
    """Record the authorities' answer: granted (date, reference, validity if limited) or refused
    (with the reason), with the version read."""
    case = authorisation.case
    _require(policies.may_record(user, case))
    require_open(case)
    with transaction.atomic():
        locked_case = lock_case(case, None)
        require_open(locked_case)
        row = ExitAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
        _check_version(row, expected_version)
        _answer_exit(
            row,
            outcome=outcome,
            granted_on=granted_on,
            reference=reference,
            valid_until=valid_until,
            reason=reason,
            today=timezone.localdate(),
        )
        touch_case(case, locked_case)
        _audit_exit_answer(user, case, row)
        _batch_answered_if_done(row.batch_id)
    return row


def _audit_exit_answer(user, case, row):
    _audit(
        user,
        EXIT_ANSWERED,
        case=case,
        obj=row,
        person_id=row.person_id,
        changes={
            "exit_authorisation": row.pk,
            "status": row.status,
            **({"valid_until": row.valid_until} if row.valid_until else {}),
            **({"batch": row.batch_id} if row.batch_id else {}),
        },
    )


# ---- batch lists --------------------------------------------------------------------------------


def _batch_answered_if_done(batch_id) -> None:
    """Mark a sent batch answered once every person on it has an answer."""
    if not batch_id:
        return
    batch = DocumentBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status != BatchStatus.SENT:
        return
    items = list(batch.items.select_related("travel_document", "exit_authorisation"))
    if items and all(i.answered for i in items):
        batch.status = BatchStatus.ANSWERED
        _save(batch, ["status"])


def batch_create(
    user,
    *,
    kind: str,
    recipient: Organisation,
    office,
    members,
    notes: str = "",
) -> DocumentBatch:
    """Draft a list for one consulate (laissez-passer requests) or for the authorities (exit
    authorisation requests) from travellers of the office's cases (eligible, pre-departure or
    ready to travel) who still need that document: `members` are CaseMember rows (or their ids)
    from selectors.batch_candidates. Nothing is disclosed yet: batch_send records the sending."""
    if kind not in BatchKind.values:
        raise ValidationFailed(fields={"kind": [_("Choose a valid option.")]})
    office_id = getattr(office, "pk", office)
    if office_id not in policies.batch_record_offices(user):
        raise PermissionDenied()
    errors: dict = {}
    _organisation(
        errors,
        "recipient",
        recipient,
        RECIPIENT_KINDS[kind],
        _("Choose an active consulate.")
        if kind == BatchKind.CONSULATE
        else _("Choose an active authority."),
    )
    ids = []
    for m in members or []:
        try:
            pk = m.pk if isinstance(m, CaseMember) else int(m)
        except (TypeError, ValueError):
            pk = None
        if pk is None:
            errors["members"] = [_("Choose persons from the list.")]
            break
        if pk not in ids:
            ids.append(pk)
    if not ids and "members" not in errors:
        errors["members"] = [_("Choose at least one person.")]
    _raise(errors)
    candidates = {
        m.pk: m
        for m in selectors.batch_candidates(user, kind=kind, office_id=office_id).filter(pk__in=ids)
    }
    if len(candidates) != len(ids):
        raise ValidationFailed(
            fields={
                "members": [
                    _(
                        "Some persons cannot be listed: they do not travel in a case of this office "
                        "that is eligible, in pre-departure or ready to travel, already have the "
                        "document or a request, or are on another draft list."
                    )
                ]
            }
        )
    for m in candidates.values():
        if not policies.may_record(user, m.case):
            raise PermissionDenied()
    with transaction.atomic():
        batch = DocumentBatch.objects.create(
            kind=kind,
            recipient=recipient,
            office_id=office_id,
            created_by=user,
            notes=_text(notes),
        )
        BatchItem.objects.bulk_create(
            [
                BatchItem(batch=batch, case_id=m.case_id, person_id=m.person_id)
                for m in (candidates[pk] for pk in ids)
            ]
        )
        audit_record(
            user,
            action=BATCH_CREATED,
            obj=batch,
            office_id=office_id,
            changes={
                "batch": batch.pk,
                "kind": kind,
                "recipient": recipient.name,
                "members": [candidates[pk].person_id for pk in ids],
            },
        )
    return batch


def batch_discard(user, *, batch: DocumentBatch, expected_version: int) -> None:
    """Throw away a draft list (never sent: nothing left the organisation), so that its persons
    can go on another list. Audited with the persons it held; a sent list is a record and stays."""
    if batch.office_id not in policies.batch_record_offices(user):
        raise PermissionDenied()
    with transaction.atomic():
        row = DocumentBatch.objects.select_for_update().select_related("recipient").get(pk=batch.pk)
        _check_version(row, expected_version)
        if row.status != BatchStatus.DRAFT:
            raise ValidationFailed(
                _("A sent list is a record of a disclosure: it cannot be discarded."),
                code="already_sent",
            )
        persons = list(row.items.order_by("id").values_list("person_id", flat=True))
        audit_record(
            user,
            action=BATCH_DISCARDED,
            obj=row,
            office_id=row.office_id,
            changes={
                "batch": row.pk,
                "kind": row.kind,
                "recipient": row.recipient.name,
                "members": persons,
            },
        )
        row.items.all().delete()
        row.delete()


def _missing_consents(items, purpose, on_date) -> list[Person]:
    person_ids = [i.person_id for i in items]
    purposes = valid_purposes(person_ids, on_date=on_date)
    return [i.person for i in items if purpose not in purposes.get(i.person_id, set())]


def batch_send(
    user, *, batch: DocumentBatch, expected_version: int, sent_on: datetime.date | None = None
) -> DocumentBatch:
    """Record that the list was sent: one data transfer per case in the batch (to the recipient,
    for the consulate or authorities purpose), and one request per person (a laissez-passer
    requested from the consulate, or an exit authorisation requested from the authorities),
    all in one transaction. Refused as a whole, naming the persons, when any of them has no valid
    consent for the purpose on `sent_on`; refused when a case is closed or left the statuses a
    list is made for."""
    if batch.office_id not in policies.batch_record_offices(user):
        raise PermissionDenied()
    today = timezone.localdate()
    errors: dict = {}
    sent_on = _past_day(errors, "sent_on", sent_on, today)
    if sent_on and sent_on < timezone.localdate(batch.created_at):
        errors["sent_on"] = [_("A list cannot be sent before it was drawn up.")]
    _raise(errors)
    purpose = BATCH_PURPOSES[batch.kind]
    with transaction.atomic():
        row = DocumentBatch.objects.select_for_update().select_related("recipient").get(pk=batch.pk)
        _check_version(row, expected_version)
        if row.status != BatchStatus.DRAFT:
            raise ValidationFailed(_("This list was already sent."), code="already_sent")
        items = list(row.items.select_related("case", "person").order_by("id"))
        if not items:
            raise ValidationFailed(_("The list is empty."), code="empty_batch")
        missing = _missing_consents(items, purpose, sent_on)
        if missing:
            raise ValidationFailed(
                _("The list cannot be sent: no valid consent for “%(purpose)s” for %(names)s.")
                % {
                    "purpose": Purpose(purpose).label,
                    "names": ", ".join(p.full_name for p in missing),
                },
                code="consent_missing",
                details={"missing": [{"person": p.pk, "purpose": str(purpose)} for p in missing]},
            )
        by_case: dict[int, list[BatchItem]] = defaultdict(list)
        for item in items:
            by_case[item.case_id].append(item)
        for case_items in by_case.values():
            case = case_items[0].case
            if not (policies.may_record(user, case) and can(user, "transfer.record", case)):
                raise PermissionDenied()
            locked = lock_case(case, None)
            require_open(locked)
            if locked.status not in BATCH_CASE_STATUSES:
                raise ValidationFailed(
                    _("Case %(number)s is no longer eligible, in pre-departure or ready to travel.")
                    % {"number": locked.number},
                    code="case_status",
                )
            transfer = transfer_record(
                user,
                case=locked,
                persons=[i.person for i in case_items],
                recipient=row.recipient.name,
                purpose=purpose,
                categories=BATCH_CATEGORIES,
                notes=_("Batch request #%(id)s") % {"id": row.pk},
                transferred_on=sent_on,
            )
            for item in case_items:
                if row.kind == BatchKind.CONSULATE:
                    item.travel_document = _create_document(
                        user,
                        locked,
                        item.person,
                        {
                            "kind": DocumentKind.LAISSEZ_PASSER,
                            "status": DocumentStatus.REQUESTED,
                            "number": "",
                            "issuing_country": item.person.nationality,
                            "consulate": row.recipient,
                            "requested_on": sent_on,
                            "issued_on": None,
                            "expires_on": None,
                            "notes": "",
                        },
                        batch=row,
                    )
                    item.save(update_fields=["travel_document"])
                else:
                    item.exit_authorisation = _create_exit(
                        user, locked, item.person, row.recipient, sent_on, "", "", row
                    )
                    item.save(update_fields=["exit_authorisation"])
            touch_case(case, locked)
            audit_record(
                user,
                action=BATCH_SENT,
                obj=row,
                case_id=case.pk,
                office_id=row.office_id,
                changes={
                    "batch": row.pk,
                    "members": [i.person_id for i in case_items],
                    "recipient": row.recipient.name,
                    "transfer": transfer.pk,
                    "sent_on": sent_on,
                },
            )
        row.status = BatchStatus.SENT
        row.sent_on = sent_on
        row.sent_by = user
        _save(row, ["status", "sent_on", "sent_by"])
    return row


def batch_answer(
    user,
    *,
    item: BatchItem,
    expected_version: int,
    outcome: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    granted_on: datetime.date | None = None,
    reference: str = "",
    valid_until: datetime.date | None = None,
    reason: str = "",
) -> BatchItem:
    """Record the answer for one person of a sent list (`expected_version` is the version of the
    request the item created): for a consulate list, issued (number, issue and expiry dates) or
    refused; for an authorities list, granted (date, reference, validity) or refused. The list is
    marked answered once every person has an answer."""
    batch = DocumentBatch.objects.get(pk=item.batch_id)
    if batch.office_id not in policies.batch_record_offices(user):
        raise PermissionDenied()
    if batch.status == BatchStatus.DRAFT or item.request is None:
        raise ValidationFailed(_("Send the list before recording answers."), code="not_sent")
    if item.travel_document_id:
        travel_document_answer(
            user,
            document=item.travel_document,
            expected_version=expected_version,
            outcome=outcome,
            number=number,
            issued_on=issued_on,
            expires_on=expires_on,
            reason=reason,
        )
    else:
        exit_authorisation_answer(
            user,
            authorisation=item.exit_authorisation,
            expected_version=expected_version,
            outcome=outcome,
            granted_on=granted_on,
            reference=reference,
            valid_until=valid_until,
            reason=reason,
        )
    return BatchItem.objects.select_related("travel_document", "exit_authorisation").get(pk=item.pk)


def batch_printed(user, *, batch: DocumentBatch, items, fmt: str) -> None:
    """Audit the printing of a list (PDF or XLSX): it holds personal data. One event per case on
    the list, so each case's timeline shows it."""
    if batch.office_id not in policies.batch_view_offices(user):
        raise NotFound()
    by_case: dict[int, list[int]] = defaultdict(list)
    office_of: dict[int, int] = {}
    for item in items:
        by_case[item.case_id].append(item.person_id)
        office_of[item.case_id] = item.case.office_id
    with transaction.atomic():
        for case_id, person_ids in by_case.items():
            audit_record(
                user,
                action=BATCH_PRINTED,
                obj=batch,
                case_id=case_id,
                office_id=office_of[case_id],
                changes={"batch": batch.pk, "format": fmt, "members": person_ids},
            )
        if not by_case:
            audit_record(
                user,
                action=BATCH_PRINTED,
                obj=batch,
                office_id=batch.office_id,
                changes={"batch": batch.pk, "format": fmt, "members": []},
            )
