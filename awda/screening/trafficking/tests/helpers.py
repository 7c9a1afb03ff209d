"""Shortcuts for the trafficking tests: each step of the procedure through its service."""

import datetime

from awda.cases.models import Case
from awda.screening.consent.choices import Purpose
from awda.screening.consent.services import consent_record
from awda.screening.services import screening_record
from awda.screening.trafficking import services


def fresh(case):
    return Case.objects.get(pk=case.pk)


def principal(case):
    return case.members.select_related("person").get(is_principal=True)


def flag(user, case, member=None, **factors):
    """A rapid screening with trafficking indicators (by default)."""
    case = fresh(case)
    return screening_record(
        user,
        case=case,
        member=member or principal(case),
        factors={"trafficking_indicators": True, **factors},
        expected_version=case.version,
    )


def consent(user, case, member=None, purpose=Purpose.ORIGIN_MISSION):
    member = member or principal(case)
    return consent_record(
        user,
        case=fresh(case),
        person=member.person,
        purpose=purpose,
        language="fr",
        given_on=datetime.date.today(),
    )


def interview(user, case, member=None, **kwargs):
    kwargs.setdefault("indicators", {"documents_confiscated": True, "debt_bondage": True})
    kwargs.setdefault("exploitation_types", ["forced_labour"])
    kwargs.setdefault("narrative", "Recruited for farm work, passport kept by the employer.")
    return services.interview_record(
        user, case=fresh(case), member=member or principal(case), **kwargs
    )


def determine(user, case, member=None, outcome="victim", reasons="Indicators confirmed."):
    return services.determination_record(
        user, case=fresh(case), member=member or principal(case), outcome=outcome, reasons=reasons
    )


def assess(user, case, member=None, **kwargs):
    return services.risk_assessment_create(
        user, case=fresh(case), member=member or principal(case), **kwargs
    )


FULL = {
    "risk_level": "high",
    "risks": "Recruiter lives in the home village.",
    "mitigation": "Reception in Conakry, relocation.",
    "security_plan": "Met at the airport, shelter for two weeks.",
}


def complete(user, assessment, **fields):
    if fields or not assessment.risk_level:
        services.risk_assessment_update(
            user,
            assessment=assessment,
            expected_version=assessment.version,
            data={**FULL, **fields},
        )
    return services.risk_assessment_complete(
        user, assessment=assessment, expected_version=assessment.version
    )


def accept(user, case, member=None, accepted=True):
    return services.acceptance_record(
        user,
        case=fresh(case),
        member=member or principal(case),
        accepted=accepted,
        decided_by_name="M. Bah, protection focal point",
        reference="GN-2026-044",
    )


def full_procedure(user, case, member=None, *, accepted=True):
    """Interview, determination (victim), consent, completed risk assessment, acceptance."""
    member = member or principal(case)
    interview(user, case, member)
    determine(user, case, member)
    consent(user, case, member)
    assessment = complete(user, assess(user, case, member))
    accept(user, case, member, accepted=accepted)
    return assessment
