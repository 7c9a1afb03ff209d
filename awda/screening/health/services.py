"""The one write path for health records and fitness-to-travel decisions.

Every function: acting user first, keyword arguments; checks the policy (health.record or
fitness.record), refuses a closed case and a person who is not a member of the case, locks the
case row, writes, bumps the case version and audits `health.<entity>.<verb>` in one transaction.

The audit `changes` hold ids (and, for a fitness decision, its outcome and validity, which are not
medical): the case timeline shows them to every role, so never a diagnosis or a description."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.cases.models import Case, CaseMember
from awda.cases.services import (
    ALLOWED_UPLOADS,
    lock_case,
    require_open,
    touch_case,
    validate_upload,
)
from awda.core.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from awda.registry.models import Organisation, Person
from awda.screening.consent.choices import DataCategory, Purpose
from awda.screening.consent.services import transfer_record

from . import policies, selectors
from .choices import (
    DocumentKind,
    Escort,
    FitnessOutcome,
    NeedCategory,
    NeedStatus,
    ReferralPurpose,
    ReferralStatus,
    Severity,
    SpecialNeed,
)
from .models import (
    MAX_VALIDITY_DAYS,
    FitnessToTravel,
    MedicalDocument,
    MedicalNeed,
    MedicalReferral,
)

NEED_RECORDED = "health.need.recorded"
NEED_UPDATED = "health.need.updated"
REFERRAL_RECORDED = "health.referral.recorded"
REFERRAL_UPDATED = "health.referral.updated"
DOCUMENT_ADDED = "health.document.added"
DOCUMENT_DOWNLOADED = "health.document.downloaded"
FITNESS_RECORDED = "health.fitness.recorded"


# ---- shared checks ------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def _require_member(case: Case, person: Person) -> None:
    if person is None or not CaseMember.objects.filter(case=case, person_id=person.pk).exists():
        raise ValidationFailed(fields={"person": [_("This person is not a member of the case.")]})


def _choice(errors: dict, name: str, value, choices) -> str:
    if value not in choices.values:
        errors[name] = [_("Choose a valid option.")]
    return value


def _past_day(errors: dict, name: str, value, today: datetime.date) -> datetime.date:
    day = value or today
    if day > today:
        errors[name] = [_("The date cannot be in the future.")]
    return day


def _text(value) -> str:
    return (value or "").strip()


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


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


# ---- medical needs ------------------------------------------------------------------------------


def _clean_need(errors, *, category, severity, status, description):
    _choice(errors, "category", category, NeedCategory)
    _choice(errors, "severity", severity, Severity)
    _choice(errors, "status", status, NeedStatus)
    if not _text(description):
        errors["description"] = [_("Describe the need.")]


def medical_need_record(
    user,
    *,
    case: Case,
    person: Person,
    category: str,
    description: str,
    severity: str,
    treatment_needed: str = "",
    status: str = NeedStatus.OPEN,
    identified_on: datetime.date | None = None,
) -> MedicalNeed:
    """Record a medical need of a member of the case (medical officers)."""
    _require(policies.may_record_health(user, case))
    require_open(case)
    _require_member(case, person)
    errors: dict = {}
    _clean_need(
        errors, category=category, severity=severity, status=status, description=description
    )
    identified_on = _past_day(errors, "identified_on", identified_on, timezone.localdate())
    _raise(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        need = MedicalNeed.objects.create(
            case=locked,
            person=person,
            recorded_by=user,
            identified_on=identified_on,
            category=category,
            description=_text(description),
            severity=severity,
            treatment_needed=_text(treatment_needed),
            status=status,
        )
        touch_case(case, locked)
        _audit(
            user, NEED_RECORDED, case=case, obj=need, person_id=person.pk, changes={"need": need.pk}
        )
    return need


def _save_changes(user, row, values, fields, *, case, locked_case, action, key):
    """Save the `fields` whose value in `values` differs (the row is locked and its version
    checked), bump the row's and the case's versions, audit the names of the fields changed."""
    changed = [k for k in fields if k in values and getattr(row, k) != values[k]]
    for k in changed:
        setattr(row, k, values[k])
    row.version += 1
    row.save(update_fields=[*changed, "version", "updated_at"])
    touch_case(case, locked_case)
    _audit(
        user,
        action,
        case=case,
        obj=row,
        person_id=row.person_id,
        changes={key: row.pk, "fields": changed},
    )
    return row


NEED_FIELDS = ("identified_on", "category", "description", "severity", "treatment_needed", "status")


def medical_need_update(
    user, *, need: MedicalNeed, expected_version: int, **changes
) -> MedicalNeed:
    """Change a medical need (e.g. its status once stabilised or resolved) with the version read;
    a stale version is refused (409)."""
    case = need.case
    _require(policies.may_record_health(user, case))
    require_open(case)
    unknown = sorted(set(changes) - set(NEED_FIELDS))
    if unknown:
        raise ValidationFailed(
            fields={name: [_("This field cannot be changed.")] for name in unknown}
        )
    with transaction.atomic():
        locked_case = lock_case(case, None)
        require_open(locked_case)
        row = MedicalNeed.objects.select_for_update().get(pk=need.pk)
        _check_version(row, expected_version)
        values = {name: getattr(row, name) for name in NEED_FIELDS}
        values.update(
            {
                k: (_text(v) if k in ("description", "treatment_needed") else v)
                for k, v in changes.items()
            }
        )
        errors: dict = {}
        _clean_need(
            errors,
            category=values["category"],
            severity=values["severity"],
            status=values["status"],
            description=values["description"],
        )
        if "identified_on" in changes:
            values["identified_on"] = _past_day(
                errors, "identified_on", values["identified_on"], timezone.localdate()
            )
        _raise(errors)
        return _save_changes(
            user,
            row,
            values,
            NEED_FIELDS,
            case=case,
            locked_case=locked_case,
            action=NEED_UPDATED,
            key="need",
        )


# ---- referrals ----------------------------------------------------------------------------------


def medical_referral_record(
    user,
    *,
    case: Case,
    person: Person,
    provider: Organisation,
    purpose: str,
    referred_on: datetime.date | None = None,
    notes: str = "",
) -> MedicalReferral:
    """Refer a member of the case to a provider (a partner organisation) for treatment,
    stabilisation, assessment or follow-up. This discloses the person's identity and health data
    to the provider: the disclosure is recorded in the transfer log (consent.transfer_record) in
    the same transaction, and refused without valid consents to sharing with service providers
    and to the processing of health data (nothing is written then). The `notes` stay on the
    referral (restricted): the transfer log, read by roles without health access, gets a
    neutral note."""
    _require(policies.may_record_health(user, case))
    require_open(case)
    _require_member(case, person)
    errors: dict = {}
    _choice(errors, "purpose", purpose, ReferralPurpose)
    if provider is None or not selectors.referral_providers().filter(pk=provider.pk).exists():
        errors["provider"] = [_("Choose an active partner organisation that provides care.")]
    referred_on = _past_day(errors, "referred_on", referred_on, timezone.localdate())
    _raise(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        transfer = transfer_record(
            user,
            case=locked,
            persons=[person],
            recipient=provider.name,
            purpose=Purpose.SERVICE_PROVIDERS,
            categories=[DataCategory.IDENTITY, DataCategory.HEALTH],
            # the transfer log is read without health access: a neutral note only
            notes=_("Medical referral"),
            transferred_on=referred_on,
        )
        referral = MedicalReferral.objects.create(
            case=locked,
            person=person,
            recorded_by=user,
            provider=provider,
            referred_on=referred_on,
            purpose=purpose,
            notes=_text(notes),
            transfer=transfer,
        )
        touch_case(case, locked)
        _audit(
            user,
            REFERRAL_RECORDED,
            case=case,
            obj=referral,
            person_id=person.pk,
            changes={"referral": referral.pk, "transfer": transfer.pk},
        )
    return referral


REFERRAL_FIELDS = ("status", "outcome")


def medical_referral_update(
    user, *, referral: MedicalReferral, expected_version: int, **changes
) -> MedicalReferral:
    """Follow a referral up (status, outcome) with the version read; stale refused (409)."""
    case = referral.case
    _require(policies.may_record_health(user, case))
    require_open(case)
    unknown = sorted(set(changes) - set(REFERRAL_FIELDS))
    if unknown:
        raise ValidationFailed(
            fields={name: [_("This field cannot be changed.")] for name in unknown}
        )
    if "status" in changes:
        errors: dict = {}
        _choice(errors, "status", changes["status"], ReferralStatus)
        _raise(errors)
    if "outcome" in changes:
        changes["outcome"] = _text(changes["outcome"])
    with transaction.atomic():
        locked_case = lock_case(case, None)
        require_open(locked_case)
        row = MedicalReferral.objects.select_for_update().get(pk=referral.pk)
        _check_version(row, expected_version)
        return _save_changes(
            user,
            row,
            changes,
            REFERRAL_FIELDS,
            case=case,
            locked_case=locked_case,
            action=REFERRAL_UPDATED,
            key="referral",
        )


# ---- documents ----------------------------------------------------------------------------------


def medical_document_add(
    user,
    *,
    case: Case,
    person: Person,
    file,
    title: str,
    kind: str,
    document_date: datetime.date | None = None,
) -> MedicalDocument:
    """Store a medical file of a member of the case (type, content and size checked like case
    attachments), apart from the case's attachments."""
    _require(policies.may_record_health(user, case))
    require_open(case)
    _require_member(case, person)
    errors: dict = {}
    _choice(errors, "kind", kind, DocumentKind)
    if not _text(title):
        errors["title"] = [_("Give the document a title.")]
    if document_date is not None:
        _past_day(errors, "document_date", document_date, timezone.localdate())
    ext, file_errors = validate_upload(file)
    errors.update(file_errors)
    _raise(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        doc = MedicalDocument(
            case=locked,
            person=person,
            recorded_by=user,
            title=_text(title)[:200],
            kind=kind,
            document_date=document_date,
            original_name=file.name.rsplit("/", 1)[-1][:200],
            content_type=ALLOWED_UPLOADS[ext][0],
            size=file.size,
            stored_name=f"{uuid.uuid4().hex}.{ext}",
        )
        doc.file.save(doc.stored_name, file, save=False)
        try:
            doc.save()
            touch_case(case, locked)
            _audit(
                user,
                DOCUMENT_ADDED,
                case=case,
                obj=doc,
                person_id=person.pk,
                changes={"document": doc.pk},
            )
        except Exception:
            doc.file.delete(save=False)
            raise
    return doc


def medical_document_viewed(user, *, document: MedicalDocument, case: Case) -> None:
    """Record a download of a medical document; refused (404, like a missing one) to a user who
    may not see the person's medical records."""
    if document.case_id != case.pk or not policies.may_view_health(user, case, document.person_id):
        raise NotFound()
    _audit(
        user,
        DOCUMENT_DOWNLOADED,
        case=case,
        obj=document,
        person_id=document.person_id,
        changes={"document": document.pk},
    )


# ---- fitness to travel --------------------------------------------------------------------------


def fitness_record(
    user,
    *,
    case: Case,
    person: Person,
    outcome: str,
    decided_on: datetime.date | None = None,
    valid_days: int | None = None,
    escort: str = Escort.NONE,
    special_needs=(),
    remarks: str = "",
) -> FitnessToTravel:
    """Record a fitness-to-travel decision for a member of the case (medical officers). A new
    decision supersedes the previous one (the newest is current). Valid from `decided_on`
    through decided_on + valid_days; `valid_days` defaults to the mission's setting and may be
    shorter, never longer. Fit with escort needs an escort; remarks are for the movement team
    (no diagnosis)."""
    _require(policies.may_record_fitness(user, case))
    require_open(case)
    _require_member(case, person)
    errors: dict = {}
    _choice(errors, "outcome", outcome, FitnessOutcome)
    _choice(errors, "escort", escort, Escort)
    decided_on = _past_day(errors, "decided_on", decided_on, timezone.localdate())
    mission_days = selectors.fitness_validity_days(case.mission_id)
    limit = min(mission_days, MAX_VALIDITY_DAYS)
    if valid_days in (None, ""):
        valid_days = limit
    try:
        valid_days = int(valid_days)
    except (TypeError, ValueError):
        valid_days = 0
    if not 1 <= valid_days <= limit:
        errors["valid_days"] = [
            _("Enter a number of days between 1 and %(n)s (the mission's validity).") % {"n": limit}
        ]
    needs = list(dict.fromkeys(special_needs or ()))
    if any(n not in SpecialNeed.values for n in needs):
        errors["special_needs"] = [_("Choose valid special needs.")]
    needs = [n for n in SpecialNeed.values if n in needs]
    if outcome == FitnessOutcome.FIT_WITH_ESCORT and escort == Escort.NONE:
        errors["escort"] = [_("Say which escort the traveller needs.")]
    _raise(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        decision = FitnessToTravel.objects.create(
            case=locked,
            person=person,
            recorded_by=user,
            decided_on=decided_on,
            outcome=outcome,
            valid_days=valid_days,
            valid_until=decided_on + datetime.timedelta(days=valid_days),
            escort=escort,
            special_needs=needs,
            remarks=_text(remarks),
        )
        touch_case(case, locked)
        _audit(
            user,
            FITNESS_RECORDED,
            case=case,
            obj=decision,
            person_id=person.pk,
            changes={
                "fitness": decision.pk,
                "fitness_outcome": outcome,
                "valid_until": decision.valid_until,
            },
        )
    return decision
