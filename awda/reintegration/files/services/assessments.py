"""Assessments of the returnees by the origin office: vulnerability re-assessment, risk,
family, and the skills profile (per person)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from awda.cases.models import Case
from awda.cases.services import lock_case, touch_case
from awda.core.concurrency import save_versioned
from awda.core.errors import ValidationFailed

from ... import policies
from ...choices import AssessmentKind, EducationLevel, Level
from ...common import audit, raise_errors, require
from ...models import Assessment
from ._common import accepted_file, is_member, not_future, require_back, text, too_long

ASSESSMENT_RECORDED = "reintegration.assessment.recorded"
ASSESSMENT_UPDATED = "reintegration.assessment.updated"

# Kinds that need a level (low, medium, high).
LEVELLED = (AssessmentKind.VULNERABILITY, AssessmentKind.RISK)
SKILLS_FIELDS = ("education_level", "work_experience", "skills", "interests", "preferred_activity")
FIELDS = ("assessed_on", "level", "findings", "recommendations", *SKILLS_FIELDS)


def _clean(kind: str, values: dict) -> dict:
    errors: dict = {}
    not_future(values["assessed_on"], errors, "assessed_on")
    for name in ("findings", "recommendations", "work_experience", "skills", "interests"):
        values[name] = text(values[name])
        too_long(values[name], 5000, errors, name)
    values["preferred_activity"] = text(values["preferred_activity"])
    too_long(values["preferred_activity"], 200, errors, "preferred_activity")
    values["level"] = text(values["level"])
    values["education_level"] = text(values["education_level"])
    if values["level"] and values["level"] not in Level.values:
        errors["level"] = [_("Choose a level.")]
    elif kind in LEVELLED and not values["level"]:
        errors["level"] = [_("Give the level of this assessment.")]
    elif kind == AssessmentKind.SKILLS and values["level"]:
        errors["level"] = [_("The skills profile has no level.")]
    if values["education_level"] and values["education_level"] not in EducationLevel.values:
        errors["education_level"] = [_("Choose an education level.")]
    if kind == AssessmentKind.SKILLS:
        if not (values["skills"] or values["work_experience"] or values["preferred_activity"]):
            errors["skills"] = [
                _("Describe the skills, the work experience or the preferred activity.")
            ]
    else:
        for name in SKILLS_FIELDS:
            if values[name]:
                errors[name] = [_("Only for the skills profile.")]
        if not (values["findings"] or values["recommendations"]):
            errors["findings"] = [_("Describe the findings.")]
    raise_errors(errors)
    return values


def assessment_record(
    user,
    *,
    case: Case,
    person,
    kind: str,
    assessed_on: datetime.date | None,
    level: str = "",
    findings: str = "",
    recommendations: str = "",
    education_level: str = "",
    work_experience: str = "",
    skills: str = "",
    interests: str = "",
    preferred_activity: str = "",
) -> Assessment:
    """Record an assessment of a member of the case, after the arrival. A level is required
    for the vulnerability and risk assessments; the skills fields belong to the skills profile
    only; the date is not in the future."""
    require(policies.may_record(user, case))
    accepted_file(case)
    require_back(case)
    errors = {}
    if kind not in AssessmentKind.values:
        errors["kind"] = [_("Choose the assessment.")]
    if not is_member(case, person):
        errors["person"] = [_("This person is not a member of the case.")]
    raise_errors(errors)
    values = _clean(
        kind,
        {
            "assessed_on": assessed_on,
            "level": level,
            "findings": findings,
            "recommendations": recommendations,
            "education_level": education_level,
            "work_experience": work_experience,
            "skills": skills,
            "interests": interests,
            "preferred_activity": preferred_activity,
        },
    )
    with transaction.atomic():
        locked = lock_case(case, None)
        require_back(locked)
        assessment = Assessment.objects.create(
            case=locked, person=person, kind=kind, assessed_by=user, **values
        )
        touch_case(case, locked)
        audit(
            user,
            ASSESSMENT_RECORDED,
            assessment,
            case=case,
            person_id=person.pk,
            changes={
                "assessment_kind": kind,
                "assessed_on": str(values["assessed_on"]),
                "assessment_level": values["level"],
            },
        )
    return assessment


def assessment_update(
    user,
    *,
    assessment: Assessment,
    expected_version: int,
    assessed_on: datetime.date | None,
    level: str = "",
    findings: str = "",
    recommendations: str = "",
    education_level: str = "",
    work_experience: str = "",
    skills: str = "",
    interests: str = "",
    preferred_activity: str = "",
) -> Assessment:
    """Correct an assessment (same rules as assessment_record; the person and the kind stay)
    with the version read (409 otherwise)."""
    case = assessment.case
    require(policies.may_record(user, case))
    require_back(case)
    values = _clean(
        assessment.kind,
        {
            "assessed_on": assessed_on,
            "level": level,
            "findings": findings,
            "recommendations": recommendations,
            "education_level": education_level,
            "work_experience": work_experience,
            "skills": skills,
            "interests": interests,
            "preferred_activity": preferred_activity,
        },
    )
    if expected_version in (None, ""):
        raise ValidationFailed(
            fields={"version": [_("Send the version you read (optimistic locking).")]}
        )
    with transaction.atomic():
        locked = lock_case(case, None)
        require_back(locked)
        before = {f: getattr(assessment, f) for f in FIELDS}
        for name, value in values.items():
            setattr(assessment, name, value)
        save_versioned(
            assessment, expected_version=expected_version, fields=[*FIELDS, "updated_at"]
        )
        touch_case(case, locked)
        audit(
            user,
            ASSESSMENT_UPDATED,
            assessment,
            case=case,
            person_id=assessment.person_id,
            changes={
                f: {"from": str(before[f]), "to": str(values[f])}
                for f in FIELDS
                if before[f] != values[f]
            },
        )
    return assessment
