"""Sustainability surveys (RSS, domain.md section 8): record one for a returnee, void a wrong one.

A survey is scored when it is recorded, with the instrument version used for new surveys (the
newest active version of "rss"); it keeps that version and those scores for good. A survey is
never edited: a wrong one is voided with a reason and taken again."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases.choices import Status
from awda.cases.models import Case, CaseMember
from awda.cases.services import lock_case
from awda.core.errors import ValidationFailed

from .. import policies
from ..choices import SurveyKind, VisitStatus
from ..common import arrival_date, audit, raise_errors, require, text
from ..models import MonitoringVisit, ReintegrationFile, Survey
from .instrument import DEFAULT_CODE, active_instrument
from .scoring import AnswerError, score

SURVEY_RECORDED = "reintegration.survey.recorded"
SURVEY_VOIDED = "reintegration.survey.voided"

# A survey is taken once the returnee is home, until the case is closed.
SURVEY_STATUSES = (Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING)


def status_refusal(case) -> str | None:
    """Why no survey can be recorded on `case` now (None if one can)."""
    if case.status not in SURVEY_STATUSES:
        return _("A survey is recorded once the returnee has arrived, until the case is closed.")
    return None


def age_on(person, day: datetime.date) -> int | None:
    """The person's age in whole years on `day`: from the date of birth, else (estimated) from
    the year of birth; None when neither is known."""
    dob = getattr(person, "date_of_birth", None)
    if dob is not None:
        years = day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        return max(0, years)
    year = getattr(person, "birth_year", None)
    return max(0, day.year - year) if year else None


def _answer_errors(exc: AnswerError) -> dict:
    errors = {}
    for code in exc.missing:
        errors[f"answers.{code}"] = [_("Choose an answer.")]
    for code, _value in exc.invalid.items():
        errors[f"answers.{code}"] = [_("This is not one of the question's answers.")]
    for code in exc.unknown:
        errors[f"answers.{code}"] = [_("The instrument has no such question.")]
    return errors


def survey_record(
    user,
    *,
    case: Case,
    person,
    kind: str,
    answers: dict,
    conducted_on: datetime.date | None = None,
    visit: MonitoringVisit | None = None,
    notes: str = "",
) -> Survey:
    """Record and score a survey of `person` (a member of `case`) with the current instrument.

    Reintegration officers and managers of the receiving mission, once the returnee has arrived
    and until the case is closed. At most one baseline per person and case (void it to take it
    again); a follow-up may name a monitoring visit of the case. The date is not in the future
    nor before the arrival (when known). Every question needs an answer ("don't know" is one);
    each dimension needs at least one answer that is scored."""
    require(policies.may_record(user, case))
    today = timezone.localdate()
    conducted_on = conducted_on or today
    errors: dict = {}
    if kind not in SurveyKind.values:
        errors["kind"] = [_("Choose baseline or follow-up.")]
    if not CaseMember.objects.filter(
        case_id=case.pk, person_id=getattr(person, "pk", None)
    ).exists():
        errors["person"] = [_("This person is not a member of the case.")]
    if conducted_on > today:
        errors["conducted_on"] = [_("The date cannot be in the future.")]
    if visit is not None:
        if visit.case_id != case.pk:
            errors["visit"] = [_("This monitoring visit is not one of the case's.")]
        elif kind == SurveyKind.BASELINE:
            errors["visit"] = [_("A baseline survey is not part of a monitoring visit.")]
        elif visit.status != VisitStatus.DONE:
            errors["visit"] = [_("Record the visit as done before its follow-up survey.")]
        elif Survey.objects.filter(
            visit_id=visit.pk, person_id=getattr(person, "pk", None), voided_at__isnull=True
        ).exists():
            errors["visit"] = [
                _("This person's follow-up survey of this visit is already recorded.")
            ]
    instrument = active_instrument(DEFAULT_CODE)
    if instrument is None:
        raise ValidationFailed(
            _("No survey instrument is in use: load one with manage.py load_instrument."),
            code="no_instrument",
        )
    if not isinstance(answers, dict):
        errors["answers"] = [_("Answer the questions.")]
        scores = None
    else:
        answers = {str(k): v for k, v in answers.items()}
        try:
            scores = score(instrument.definition, answers)
        except AnswerError as exc:
            errors.update(_answer_errors(exc))
            scores = None
        if scores is not None and not scores.complete:
            errors["answers"] = [
                _('Each dimension needs at least one answer other than "don\'t know".')
            ]
    raise_errors(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        refusal = status_refusal(locked)
        if refusal:
            raise ValidationFailed(refusal, code="case_status")
        arrived = _arrival(locked)
        if arrived and conducted_on < arrived:
            raise_errors(
                {
                    "conducted_on": [
                        _("The returnee arrived on %(day)s: the survey cannot be earlier.")
                        % {"day": arrived.isoformat()}
                    ]
                }
            )
        if (
            kind == SurveyKind.BASELINE
            and Survey.objects.filter(
                case_id=case.pk, person_id=person.pk, kind=SurveyKind.BASELINE, voided_at=None
            ).exists()
        ):
            raise_errors(
                {
                    "kind": [
                        _(
                            "This person already has a baseline survey: record a follow-up, "
                            "or void the baseline first."
                        )
                    ]
                }
            )
        survey = Survey.objects.create(
            case=locked,
            person=person,
            instrument=instrument,
            kind=kind,
            conducted_on=conducted_on,
            age=age_on(person, conducted_on),
            visit=visit,
            answers=answers,
            economic=scores.economic,
            social=scores.social,
            psychosocial=scores.psychosocial,
            composite=scores.composite,
            notes=text(notes),
            conducted_by=user,
        )
        audit(
            user,
            SURVEY_RECORDED,
            survey,
            case=case,
            person_id=person.pk,
            changes={
                "survey_kind": kind,
                "conducted_on": conducted_on.isoformat(),
                "instrument": f"{instrument.code} {instrument.version}",
                "visit": visit.pk if visit else None,
                "composite": str(scores.composite),
            },
        )
    return survey


def _arrival(case) -> datetime.date | None:
    arrived = (
        ReintegrationFile.objects.filter(case_id=case.pk)
        .values_list("arrived_on", flat=True)
        .first()
    )
    return arrived or arrival_date(case)


def survey_void(user, *, survey: Survey, reason: str) -> Survey:
    """Void a wrong survey with a reason (it stays on record, out of the series and the cohort
    averages). Same people as recording; refused once the case is closed."""
    case = survey.case
    require(policies.may_record(user, case))
    reason = text(reason)
    raise_errors({"reason": [_("Say why the survey is voided.")]} if not reason else {})
    with transaction.atomic():
        locked_case = lock_case(case, None)
        if locked_case.status == Status.CLOSED:
            raise ValidationFailed(_("The case is closed."), code="case_closed")
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.voided_at is not None:
            raise ValidationFailed(_("This survey is already voided."), code="already_voided")
        locked.voided_at = timezone.now()
        locked.voided_by = user
        locked.void_reason = reason
        locked.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
        audit(
            user,
            SURVEY_VOIDED,
            locked,
            case=case,
            person_id=locked.person_id,
            changes={"survey_kind": locked.kind, "reason": reason},
        )
    for field in ("voided_at", "voided_by", "void_reason"):
        setattr(survey, field, getattr(locked, field))
    return survey
