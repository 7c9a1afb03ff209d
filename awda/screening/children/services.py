"""The one write path of the UASC procedure: one service per write, acting user first.

Each checks "child.record" on the case, needs the case open and the child a member of it, locks
the case row, writes, bumps the case version (the readiness of the case changes) and writes its
audit event in the same transaction. The audit `changes` hold ids and the neutral name of the step
only: the case timeline shows them to every role on the case, so no outcome, reason or finding."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.models import Mission
from awda.audit.services import audit_record
from awda.cases.models import Case, CaseMember
from awda.cases.policies import can
from awda.cases.services import lock_case, require_open, touch_case
from awda.core.concurrency import save_versioned
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.registry.models import Person
from awda.screening.consent import services as consent_services
from awda.screening.consent.choices import DataCategory, Purpose
from awda.screening.selectors import default_origin_mission, is_origin_mission

from .choices import (
    TRACING_OUTCOMES,
    AgeBasis,
    CaregiverOutcome,
    CareStatus,
    DeterminationOutcome,
    EscortRole,
    Recommendation,
    Step,
    TracingStatus,
)
from .models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
    CaregiverAssessment,
    ChildIdentification,
    EscortPlan,
    FamilyTracing,
    ReceptionArrangement,
)

PREFIX = "child_protection"
MAX_AGE = 99


# ---- shared checks ------------------------------------------------------------------------------


def _require_record(user, case: Case) -> None:
    if not can(user, "child.record", case):
        raise PermissionDenied()


def _check_member(case: Case, person: Person) -> None:
    if not CaseMember.objects.filter(case=case, person_id=person.pk).exists():
        raise NotFound()


def _begin(user, case: Case, person: Person) -> None:
    """Policy, open case, child in the case: checked before anything is written."""
    _require_record(user, case)
    require_open(case)
    _check_member(case, person)


def _day(value, field: str, errors: dict, *, required=True) -> datetime.date | None:
    if value is None:
        if required:
            errors[field] = [_("This date is required.")]
        return None
    if value > timezone.localdate():
        errors[field] = [_("The date cannot be in the future.")]
    return value


def _text(value, field: str, errors: dict, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = [_("This field is required.")]
    return value


def _choice(value, choices, field: str, errors: dict) -> str:
    if value not in choices.values:
        errors[field] = [_("Choose a valid option.")]
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


def _audit(user, *, case, person, obj, action: str, step: str, **extra):
    audit_record(
        user,
        action=f"{PREFIX}.{action}",
        obj=obj,
        object_repr=person.full_name,
        case_id=case.pk,
        person_id=person.pk,
        office_id=case.office_id,
        changes={"person": person.pk, "uasc_step": step, "record": obj.pk, **extra},
    )


def _create(user, *, case, person, model, action: str, step: str, values: dict):
    """Lock the case, create the record, bump the case version and audit, in one transaction."""
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        record = model.objects.create(case=locked, person=person, recorded_by=user, **values)
        touch_case(case, locked)
        _audit(user, case=case, person=person, obj=record, action=action, step=step)
    return record


# ---- identification and assessment --------------------------------------------------------------


def child_identification_record(
    user,
    *,
    case: Case,
    person: Person,
    identified_on: datetime.date,
    age_years: int,
    age_basis: str,
    care_status: str,
    current_caregiver: str = "",
    notes: str = "",
) -> ChildIdentification:
    """Identify a child: assessed age and care situation. The newest identification is the one
    that decides whether the procedure applies (rules.uasc_applies)."""
    _begin(user, case, person)
    errors: dict = {}
    _day(identified_on, "identified_on", errors)
    if age_years is None or not 0 <= int(age_years) <= MAX_AGE:
        errors["age_years"] = [_("Give the assessed age in years.")]
    _choice(age_basis, AgeBasis, "age_basis", errors)
    _choice(care_status, CareStatus, "care_status", errors)
    _raise(errors)
    return _create(
        user,
        case=case,
        person=person,
        model=ChildIdentification,
        action="identification.recorded",
        step=Step.IDENTIFICATION,
        values={
            "identified_on": identified_on,
            "age_years": int(age_years),
            "age_basis": age_basis,
            "care_status": care_status,
            "current_caregiver": _text(current_caregiver, "current_caregiver", {}, required=False),
            "notes": _text(notes, "notes", {}, required=False),
        },
    )


def best_interests_assessment_record(
    user,
    *,
    case: Case,
    person: Person,
    assessed_on: datetime.date,
    child_views: str,
    family_situation: str,
    safety_and_risks: str,
    recommendation: str,
    health_and_education: str = "",
    notes: str = "",
) -> BestInterestsAssessment:
    _begin(user, case, person)
    errors: dict = {}
    values = {
        "assessed_on": _day(assessed_on, "assessed_on", errors),
        "child_views": _text(child_views, "child_views", errors),
        "family_situation": _text(family_situation, "family_situation", errors),
        "safety_and_risks": _text(safety_and_risks, "safety_and_risks", errors),
        "health_and_education": _text(
            health_and_education, "health_and_education", errors, required=False
        ),
        "recommendation": _choice(recommendation, Recommendation, "recommendation", errors),
        "notes": _text(notes, "notes", errors, required=False),
    }
    _raise(errors)
    return _create(
        user,
        case=case,
        person=person,
        model=BestInterestsAssessment,
        action="assessment.recorded",
        step=Step.ASSESSMENT,
        values=values,
    )


# ---- family tracing -----------------------------------------------------------------------------


def _check_origin(mission: Mission, errors: dict) -> None:
    """A tracing request goes to an active mission of a country of origin, never to a host
    mission (the one the child is in)."""
    if not is_origin_mission(mission):
        errors["origin_mission"] = [_("Choose an active mission of a country of origin.")]


def family_tracing_request(
    user,
    *,
    case: Case,
    person: Person,
    requested_on: datetime.date,
    information_shared: str,
    origin_mission: Mission | None = None,
) -> FamilyTracing:
    """Ask the origin mission to trace the child's family: an active mission of a country of
    origin (by default the one of the country of return); a host mission is refused. This
    discloses the child's identity and child-protection data to that mission: the disclosure is
    written to the transfer log in the same transaction, and refused (nothing written) without
    the child's valid consent to sharing with the origin mission."""
    _begin(user, case, person)
    errors: dict = {}
    _day(requested_on, "requested_on", errors)
    information_shared = _text(information_shared, "information_shared", errors)
    mission = origin_mission or default_origin_mission(case)
    if mission is None:
        errors["origin_mission"] = [_("Choose the origin mission.")]
    else:
        _check_origin(mission, errors)
    _raise(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        transfer = consent_services.transfer_record(
            user,
            case=locked,
            persons=[person],
            recipient=mission.name,
            purpose=Purpose.ORIGIN_MISSION,
            categories=[DataCategory.IDENTITY, DataCategory.CHILD_PROTECTION],
            notes=_("Family tracing request"),
            transferred_on=requested_on,
        )
        tracing = FamilyTracing.objects.create(
            case=locked,
            person=person,
            recorded_by=user,
            requested_on=requested_on,
            origin_mission=mission,
            information_shared=information_shared,
            transfer=transfer,
        )
        touch_case(case, locked)
        _audit(
            user,
            case=case,
            person=person,
            obj=tracing,
            action="tracing.requested",
            step=Step.TRACING,
            transfer=transfer.pk,
        )
    return tracing


def tracing_outcome_record(
    user,
    *,
    tracing: FamilyTracing,
    status: str,
    outcome_on: datetime.date | None = None,
    outcome_notes: str = "",
    expected_version: int | None,
) -> FamilyTracing:
    """Record where a tracing request stands (in progress) or its outcome (located, not located,
    closed: with the date). Several people follow a request up: a stale `expected_version` is
    refused (StaleEdit), never overwritten."""
    case = tracing.case
    _require_record(user, case)
    require_open(case)
    errors: dict = {}
    _choice(status, TracingStatus, "status", errors)
    if status in TRACING_OUTCOMES or outcome_on is not None:
        _day(outcome_on, "outcome_on", errors)
    if outcome_on is not None and outcome_on < tracing.requested_on:
        errors["outcome_on"] = [_("The outcome cannot precede the request.")]
    outcome_notes = _text(outcome_notes, "outcome_notes", errors, required=False)
    if expected_version is None:
        errors["version"] = [_("Send the version you read (optimistic locking).")]
    _raise(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        tracing.status = status
        tracing.outcome_on = outcome_on
        tracing.outcome_notes = outcome_notes
        tracing.updated_by = user
        save_versioned(
            tracing,
            expected_version=expected_version,
            fields=["status", "outcome_on", "outcome_notes", "updated_by", "updated_at"],
        )
        touch_case(case, locked)
        _audit(
            user,
            case=case,
            person=tracing.person,
            obj=tracing,
            action="tracing.updated",
            step=Step.TRACING,
            version=tracing.version,
        )
    return tracing


# ---- caregiver assessment and determination ---------------------------------------------------


def caregiver_assessment_record(
    user,
    *,
    case: Case,
    person: Person,
    assessed_on: datetime.date,
    caregiver_name: str,
    relationship: str,
    location: str,
    conducted_by: str,
    outcome: str,
    findings: str,
) -> CaregiverAssessment:
    _begin(user, case, person)
    errors: dict = {}
    values = {
        "assessed_on": _day(assessed_on, "assessed_on", errors),
        "caregiver_name": _text(caregiver_name, "caregiver_name", errors),
        "relationship": _text(relationship, "relationship", errors),
        "location": _text(location, "location", errors),
        "conducted_by": _text(conducted_by, "conducted_by", errors),
        "outcome": _choice(outcome, CaregiverOutcome, "outcome", errors),
        "findings": _text(findings, "findings", errors),
    }
    _raise(errors)
    return _create(
        user,
        case=case,
        person=person,
        model=CaregiverAssessment,
        action="caregiver_assessment.recorded",
        step=Step.CAREGIVER,
        values=values,
    )


def _newest_determination(case, person):
    return (
        BestInterestsDetermination.objects.filter(case=case, person=person)
        .order_by("-created_at", "-id")
        .first()
    )


def determination_record(
    user,
    *,
    case: Case,
    person: Person,
    panel: str,
    decided_on: datetime.date,
    outcome: str,
    reasons: str,
) -> BestInterestsDetermination:
    """Record the panel's best-interests determination. It follows a best-interests assessment
    of the child in this case. When the child already has one, the new determination reviews the
    newest (`review_of`): the history is kept, the new one counts."""
    _begin(user, case, person)
    errors: dict = {}
    values = {
        "panel": _text(panel, "panel", errors),
        "decided_on": _day(decided_on, "decided_on", errors),
        "outcome": _choice(outcome, DeterminationOutcome, "outcome", errors),
        "reasons": _text(reasons, "reasons", errors),
    }
    _raise(errors)
    if not BestInterestsAssessment.objects.filter(case=case, person=person).exists():
        raise ValidationFailed(
            _("A best-interests assessment of the child comes before the determination."),
            code="assessment_missing",
        )
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        previous = _newest_determination(locked, person)
        record = BestInterestsDetermination.objects.create(
            case=locked, person=person, recorded_by=user, review_of=previous, **values
        )
        touch_case(case, locked)
        _audit(
            user,
            case=case,
            person=person,
            obj=record,
            action="determination.recorded",
            step=Step.DETERMINATION,
            review_of=previous.pk if previous else None,
        )
    return record


def determination_reopen(
    user,
    *,
    determination: BestInterestsDetermination,
    reason: str,
    reopened_on: datetime.date | None = None,
) -> BestInterestsDetermination:
    """Reopen the child's current determination (new facts, a change in the family's situation):
    it stays in the history but no longer counts, so the child cannot travel until a new
    determination is made. Only the current one (the newest, not already reopened) can be."""
    case = determination.case
    _require_record(user, case)
    require_open(case)
    errors: dict = {}
    reason = _text(reason, "reason", errors)
    reopened_on = _day(reopened_on or timezone.localdate(), "reopened_on", errors)
    if reopened_on and reopened_on < determination.decided_on:
        errors["reopened_on"] = [_("A determination cannot be reopened before it was made.")]
    _raise(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        newest = _newest_determination(locked, determination.person_id)
        if newest is None or newest.pk != determination.pk or newest.reopened_on is not None:
            raise ValidationFailed(
                _("Only the current determination can be reopened."), code="not_current"
            )
        newest.reopened_on = reopened_on
        newest.reopened_by = user
        newest.reopen_reason = reason
        newest.save(update_fields=["reopened_on", "reopened_by", "reopen_reason"])
        touch_case(case, locked)
        _audit(
            user,
            case=case,
            person=determination.person,
            obj=newest,
            action="determination.reopened",
            step=Step.DETERMINATION,
        )
    determination.reopened_on = newest.reopened_on
    determination.reopened_by = user
    determination.reopen_reason = reason
    return determination


# ---- guardian consent, escort, reception -----------------------------------------------------


def guardian_consent_record(
    user,
    *,
    case: Case,
    person: Person,
    guardian_name: str,
    guardian_relationship: str,
    language: str,
    given_on: datetime.date | None = None,
    origin_mission: bool = True,
) -> list:
    """The consent of the child's parent or guardian, recorded in the consent app: to the return
    (Purpose.AVRR, what the procedure requires) and, with `origin_mission`, to sharing the
    child's data with the origin mission (needed before a tracing request). Both or neither.

    No free-text notes: the consent records are read by every role with "consent.view", and a
    note typed on the restricted child-protection tab would leak there."""
    _begin(user, case, person)
    errors: dict = {}
    guardian_name = _text(guardian_name, "guardian_name", errors)
    guardian_relationship = _text(guardian_relationship, "guardian_relationship", errors)
    _raise(errors)
    purposes = [Purpose.AVRR] + ([Purpose.ORIGIN_MISSION] if origin_mission else [])
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        consents = [
            consent_services.consent_record(
                user,
                case=locked,
                person=person,
                purpose=purpose,
                given=True,
                given_on=given_on,
                language=language,
                guardian_name=guardian_name,
                guardian_relationship=guardian_relationship,
            )
            for purpose in purposes
        ]
        touch_case(case, locked)
        _audit(
            user,
            case=case,
            person=person,
            obj=consents[0],
            action="guardian_consent.recorded",
            step=Step.GUARDIAN_CONSENT,
            consents=[c.pk for c in consents],
        )
    return consents


def escort_plan_record(
    user,
    *,
    case: Case,
    person: Person,
    escort_name: str,
    escort_role: str,
    escort_trained: bool,
    planned_on: datetime.date,
    itinerary_notes: str = "",
) -> EscortPlan:
    """Plan who escorts the child on the journey. The child travels only with a trained escort
    (the newest plan counts)."""
    _begin(user, case, person)
    errors: dict = {}
    values = {
        "escort_name": _text(escort_name, "escort_name", errors),
        "escort_role": _choice(escort_role, EscortRole, "escort_role", errors),
        "escort_trained": bool(escort_trained),
        "planned_on": _day(planned_on, "planned_on", errors),
        "itinerary_notes": _text(itinerary_notes, "itinerary_notes", errors, required=False),
    }
    _raise(errors)
    return _create(
        user,
        case=case,
        person=person,
        model=EscortPlan,
        action="escort_plan.recorded",
        step=Step.ESCORT,
        values=values,
    )


def reception_arrangement_record(
    user,
    *,
    case: Case,
    person: Person,
    arranged_on: datetime.date,
    received_by_name: str,
    relationship_or_organisation: str,
    place: str,
    contact_phone: str = "",
    notes: str = "",
) -> ReceptionArrangement:
    """Who receives the child on arrival, where, and how to reach them."""
    _begin(user, case, person)
    errors: dict = {}
    values = {
        "arranged_on": _day(arranged_on, "arranged_on", errors),
        "received_by_name": _text(received_by_name, "received_by_name", errors),
        "relationship_or_organisation": _text(
            relationship_or_organisation, "relationship_or_organisation", errors
        ),
        "place": _text(place, "place", errors),
        "contact_phone": _text(contact_phone, "contact_phone", errors, required=False),
        "notes": _text(notes, "notes", errors, required=False),
    }
    _raise(errors)
    return _create(
        user,
        case=case,
        person=person,
        model=ReceptionArrangement,
        action="reception.recorded",
        step=Step.RECEPTION,
        values=values,
    )
