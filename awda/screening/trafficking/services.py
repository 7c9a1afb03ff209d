"""The one write path for trafficking records (and the audit of their reads and refused reads).

Every write: policy `trafficking.record` (protection officers of the case's office, or of the
receiving mission after handover), refused on a closed case, the case row locked and its version
bumped, the audit event written in the same transaction. The audit `changes` hold the person id
and the record id ONLY: the case timeline shows events to every role that sees the case, so
nothing of the content (indicators, outcome, risk level, answer of the origin mission) goes
there. The records themselves hold it."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.cases.choices import TaskStatus
from awda.cases.models import Case, CaseMember
from awda.cases.policies import can
from awda.cases.services import lock_case, require_open, task_set_status, touch_case
from awda.cases.services.reads import CASE_VIEWED
from awda.core.concurrency import save_versioned
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.registry.choices import LANGUAGES
from awda.screening.consent.choices import DataCategory, Purpose
from awda.screening.consent.services import transfer_record
from awda.screening.factors import TRAFFICKING_INTERVIEW
from awda.screening.models import ScreeningTask
from awda.screening.selectors import default_origin_mission, is_origin_mission

from .choices import INDICATOR_CODES, AssessmentStatus, ExploitationType, Outcome, RiskLevel
from .models import (
    OriginAcceptance,
    ReturnRiskAssessment,
    TraffickingDetermination,
    TraffickingInterview,
)

INTERVIEW_RECORDED = "trafficking.interview.recorded"
DETERMINATION_RECORDED = "trafficking.determination.recorded"
RISK_ASSESSMENT_CREATED = "trafficking.risk_assessment.created"
RISK_ASSESSMENT_UPDATED = "trafficking.risk_assessment.updated"
RISK_ASSESSMENT_COMPLETED = "trafficking.risk_assessment.completed"
ACCEPTANCE_RECORDED = "trafficking.acceptance.recorded"
ACCESS_REFUSED = "trafficking.access.refused"
WRITE_ACTIONS = (
    INTERVIEW_RECORDED,
    DETERMINATION_RECORDED,
    RISK_ASSESSMENT_CREATED,
    RISK_ASSESSMENT_UPDATED,
    RISK_ASSESSMENT_COMPLETED,
    ACCEPTANCE_RECORDED,
)
# What a draft risk assessment's edit may change (the mission it is shared with does not change:
# another mission is another disclosure, so another assessment).
ASSESSMENT_FIELDS = ("origin_focal_point", "risk_level", "risks", "mitigation", "security_plan")
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGES)


# ---- checks --------------------------------------------------------------------------------------


def _require(user, case: Case) -> None:
    if not can(user, "trafficking.record", case):
        raise PermissionDenied()


def _check_member(case: Case, member: CaseMember) -> None:
    if member.case_id != case.pk:
        raise NotFound()


def _day(value, *, field: str) -> datetime.date:
    today = timezone.localdate()
    day = value or today
    if day > today:
        raise ValidationFailed(fields={field: [_("The date cannot be in the future.")]})
    return day


def _text(value) -> str:
    return (value or "").strip()


def _require_interview(case: Case, person_id: int) -> None:
    if not TraffickingInterview.objects.filter(case=case, person_id=person_id).exists():
        raise ValidationFailed(
            _("Record the screening interview of this person first."), code="interview_missing"
        )


def _origin_mission(case: Case, mission):
    mission = mission or default_origin_mission(case)
    if mission is None:
        raise ValidationFailed(fields={"origin_mission": [_("Choose the origin mission.")]})
    return _check_origin(mission)


def _check_origin(mission):
    if not is_origin_mission(mission):
        raise ValidationFailed(
            fields={"origin_mission": [_("Choose an active mission of a country of origin.")]}
        )
    return mission


def _audit(user, action: str, *, case: Case, record, person) -> None:
    """The audit event of a write: who, when, which person and which record; nothing else."""
    audit_record(
        user,
        action=action,
        obj=record,
        object_repr=person.full_name,
        case_id=case.pk,
        person_id=person.pk,
        office_id=case.office_id,
        changes={"person": person.pk, "record": record.pk},
    )


def _write(user, case: Case, make, action: str, person):
    """Run `make(locked_case)` with the case row locked, bump the case version and audit it,
    in one transaction."""
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        record = make(locked)
        touch_case(case, locked)
        _audit(user, action, case=case, record=record, person=person)
    return record


# ---- interview and determination -----------------------------------------------------------------


def _clean_indicators(indicators: dict) -> dict[str, bool]:
    indicators = indicators or {}
    unknown = sorted(set(indicators) - set(INDICATOR_CODES))
    if unknown:
        raise ValidationFailed(
            fields={
                "indicators": [_("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown)}]
            }
        )
    return {code: bool(indicators.get(code, False)) for code in INDICATOR_CODES}


def _clean_exploitation(types) -> list[str]:
    given = [str(t) for t in types or []]
    unknown = sorted(set(given) - set(ExploitationType.values))
    if unknown:
        raise ValidationFailed(
            fields={
                "exploitation_types": [
                    _("Unknown type of exploitation: %(codes)s.") % {"codes": ", ".join(unknown)}
                ]
            }
        )
    return [t for t in ExploitationType.values if t in set(given)]


def interview_record(
    user,
    *,
    case: Case,
    member: CaseMember,
    interviewed_on: datetime.date | None = None,
    interpreter_used: bool = False,
    language: str = "",
    indicators: dict | None = None,
    exploitation_types=(),
    narrative: str = "",
) -> TraffickingInterview:
    """Record a trafficking screening interview of a member of the case: the indicators found
    (one boolean per indicator of choices.INDICATORS), the forms of exploitation and the
    narrative. Interviews are never edited: a new interview is a new record. The open task the
    rapid screening created for this interview ("Protection interview (restricted)") is marked
    done."""
    _require(user, case)
    _check_member(case, member)
    require_open(case)
    cleaned = _clean_indicators(indicators)
    types = _clean_exploitation(exploitation_types)
    interviewed_on = _day(interviewed_on, field="interviewed_on")
    language = _text(language)
    if language and language not in LANGUAGE_CODES:
        raise ValidationFailed(fields={"language": [_("Unknown language.")]})

    def make(locked):
        record = TraffickingInterview.objects.create(
            case=locked,
            person_id=member.person_id,
            recorded_by=user,
            interviewed_on=interviewed_on,
            interpreter_used=bool(interpreter_used),
            language=language,
            exploitation_types=types,
            narrative=_text(narrative),
            **cleaned,
        )
        # The interview the rapid screening asked for (its task) is done.
        for link in ScreeningTask.objects.filter(
            case=locked,
            person_id=member.person_id,
            requirement=TRAFFICKING_INTERVIEW.code,
            task__status=TaskStatus.OPEN,
        ).select_related("task", "task__case"):
            task_set_status(user, task=link.task, status=TaskStatus.DONE)
        return record

    return _write(user, case, make, INTERVIEW_RECORDED, member.person)


def determination_record(
    user,
    *,
    case: Case,
    member: CaseMember,
    outcome: str,
    reasons: str,
    determined_on: datetime.date | None = None,
) -> TraffickingDetermination:
    """Record the determination (victim, presumed victim, not a victim, inconclusive) of a
    member already interviewed, with its reasons. The newest determination is the current
    one."""
    _require(user, case)
    _check_member(case, member)
    require_open(case)
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    if not _text(reasons):
        errors["reasons"] = [_("Give the reasons of the determination.")]
    if errors:
        raise ValidationFailed(fields=errors)
    determined_on = _day(determined_on, field="determined_on")
    _require_interview(case, member.person_id)
    return _write(
        user,
        case,
        lambda locked: TraffickingDetermination.objects.create(
            case=locked,
            person_id=member.person_id,
            recorded_by=user,
            determined_on=determined_on,
            outcome=outcome,
            reasons=_text(reasons),
        ),
        DETERMINATION_RECORDED,
        member.person,
    )


# ---- return-risk assessment ----------------------------------------------------------------------


def _clean_assessment(data: dict) -> dict:
    out = {k: _text(data.get(k)) for k in ASSESSMENT_FIELDS if k in data}
    if out.get("risk_level") and out["risk_level"] not in RiskLevel.values:
        raise ValidationFailed(fields={"risk_level": [_("Unknown risk level.")]})
    return out


def risk_assessment_create(
    user,
    *,
    case: Case,
    member: CaseMember,
    origin_mission=None,
    origin_focal_point: str = "",
    risk_level: str = "",
    risks: str = "",
    mitigation: str = "",
    security_plan: str = "",
) -> ReturnRiskAssessment:
    """Start a return-risk assessment of a member already interviewed, as a draft, with the
    origin mission (default: the case's receiving mission, else the origin mission of the
    country of return). The assessment is made with and shared with the origin mission: that
    disclosure is recorded in the transfer log (consent.services.transfer_record, purpose
    "origin_mission", identity and trafficking data) in the same transaction, and refused with
    everything else when the person has not consented to it. A person has at most one draft."""
    _require(user, case)
    _check_member(case, member)
    require_open(case)
    fields = _clean_assessment(
        {
            "origin_focal_point": origin_focal_point,
            "risk_level": risk_level,
            "risks": risks,
            "mitigation": mitigation,
            "security_plan": security_plan,
        }
    )
    mission = _origin_mission(case, origin_mission)
    _require_interview(case, member.person_id)

    def make(locked):
        if ReturnRiskAssessment.objects.filter(
            case=locked, person_id=member.person_id, status=AssessmentStatus.DRAFT
        ).exists():
            raise ValidationFailed(
                _("A risk assessment of this person is already being prepared: complete it."),
                code="draft_exists",
            )
        assessment = ReturnRiskAssessment.objects.create(
            case=locked,
            person_id=member.person_id,
            recorded_by=user,
            origin_mission=mission,
            **fields,
        )
        transfer_record(
            user,
            case=locked,
            persons=[member.person_id],
            recipient=mission.name,
            purpose=Purpose.ORIGIN_MISSION,
            categories=[DataCategory.IDENTITY, DataCategory.TRAFFICKING],
        )
        return assessment

    return _write(user, case, make, RISK_ASSESSMENT_CREATED, member.person)


def _locked_draft(assessment: ReturnRiskAssessment, locked: Case) -> ReturnRiskAssessment:
    """The assessment as it is now (its writers all lock the case row first), if a draft."""
    current = ReturnRiskAssessment.objects.get(pk=assessment.pk)
    if current.is_completed:
        raise ValidationFailed(
            _("This risk assessment is completed: it can no longer be changed."),
            code="assessment_completed",
        )
    return current


def _copy(source, target, fields) -> None:
    for f in fields:
        setattr(target, f, getattr(source, f))


def risk_assessment_update(
    user, *, assessment: ReturnRiskAssessment, expected_version: int, data: dict
) -> ReturnRiskAssessment:
    """Edit a draft risk assessment (the fields in ASSESSMENT_FIELDS present in `data`), with
    the version of the assessment the user read: a stale one is refused (409 stale_edit)."""
    case = assessment.case
    _require(user, case)
    require_open(case)
    fields = _clean_assessment(data)

    def make(locked):
        current = _locked_draft(assessment, locked)
        for key, value in fields.items():
            setattr(current, key, value)
        save_versioned(current, expected_version=expected_version, fields=[*fields, "updated_at"])
        return current

    current = _write(user, case, make, RISK_ASSESSMENT_UPDATED, assessment.person)
    _copy(current, assessment, [*ASSESSMENT_FIELDS, "version", "updated_at"])
    return assessment


def risk_assessment_complete(
    user,
    *,
    assessment: ReturnRiskAssessment,
    expected_version: int,
    completed_on: datetime.date | None = None,
) -> ReturnRiskAssessment:
    """Complete a draft risk assessment: it needs a risk level, the mitigation measures and the
    security plan; it no longer changes afterwards."""
    case = assessment.case
    _require(user, case)
    require_open(case)
    completed_on = _day(completed_on, field="completed_on")

    def make(locked):
        current = _locked_draft(assessment, locked)
        missing = {}
        if not current.risk_level:
            missing["risk_level"] = [_("Choose the risk level.")]
        if not current.mitigation:
            missing["mitigation"] = [_("Describe the mitigation measures.")]
        if not current.security_plan:
            missing["security_plan"] = [_("Write the security plan.")]
        if missing:
            raise ValidationFailed(
                _("The risk assessment is not complete yet."),
                code="assessment_incomplete",
                fields=missing,
            )
        current.status = AssessmentStatus.COMPLETED
        current.completed_on = completed_on
        current.completed_by = user
        save_versioned(
            current,
            expected_version=expected_version,
            fields=["status", "completed_on", "completed_by", "updated_at"],
        )
        return current

    current = _write(user, case, make, RISK_ASSESSMENT_COMPLETED, assessment.person)
    _copy(current, assessment, ["status", "completed_on", "completed_by", "version", "updated_at"])
    return assessment


# ---- acceptance ---------------------------------------------------------------------------------


def acceptance_record(
    user,
    *,
    case: Case,
    member: CaseMember,
    accepted: bool,
    decided_by_name: str,
    decided_on: datetime.date | None = None,
    origin_mission=None,
    reference: str = "",
    conditions: str = "",
) -> OriginAcceptance:
    """Record the origin mission's answer (accepted or refused) to the return of a member, once
    a risk assessment of that member is completed. The newest answer is the current one.
    Default mission: that of the newest completed risk assessment."""
    _require(user, case)
    _check_member(case, member)
    require_open(case)
    if accepted is None:
        raise ValidationFailed(fields={"accepted": [_("Say whether the return is accepted.")]})
    if not _text(decided_by_name):
        raise ValidationFailed(
            fields={"decided_by_name": [_("Say who decided in the origin mission.")]}
        )
    decided_on = _day(decided_on, field="decided_on")
    completed = (
        ReturnRiskAssessment.objects.filter(
            case=case, person_id=member.person_id, status=AssessmentStatus.COMPLETED
        )
        .select_related("origin_mission")
        .order_by("-created_at", "-id")
        .first()
    )
    if completed is None:
        raise ValidationFailed(
            _("Complete the return-risk assessment of this person first."),
            code="risk_assessment_missing",
        )
    mission = _check_origin(origin_mission) if origin_mission else completed.origin_mission
    return _write(
        user,
        case,
        lambda locked: OriginAcceptance.objects.create(
            case=locked,
            person_id=member.person_id,
            recorded_by=user,
            decided_on=decided_on,
            accepted=bool(accepted),
            origin_mission=mission,
            decided_by_name=_text(decided_by_name),
            reference=_text(reference),
            conditions=_text(conditions),
        ),
        ACCEPTANCE_RECORDED,
        member.person,
    )


# ---- reads ---------------------------------------------------------------------------------------


def access_refused(user, *, case: Case, part: str, method: str = ""):
    """Audit a refused attempt to read or write trafficking data of a case by a user who may see
    the case but not this category: who, when, which case, which part (a neutral name: "record",
    "interview", "risk-assessment", ...) and the HTTP method; the event also records the
    channel (web or API) and the address. Not the URL: the timeline shows the changes to every
    role on the case, and the URLs name the category. Written on its own (outside any service
    transaction) so it stays even though the user gets a 404."""
    return audit_record(
        user,
        action=ACCESS_REFUSED,
        obj=case,
        case_id=case.pk,
        office_id=case.office_id,
        changes={"part": part, "method": method},
    )


def record_viewed(user, *, case: Case, record) -> None:
    """Audit the read of one trafficking record (its own page): a read of the case like any
    other (cases.case.viewed, hidden behind "show views" on the timeline), part "trafficking",
    with the person and the record id."""
    audit_record(
        user,
        action=CASE_VIEWED,
        obj=case,
        case_id=case.pk,
        person_id=record.person_id,
        office_id=case.office_id,
        changes={"part": "trafficking", "record": record.pk},
    )
