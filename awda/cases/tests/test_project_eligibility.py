"""A project's vulnerability and age rules: finance.selectors.project_rule_failures, and the
workflow's gates that pass it the case's facts (the members' screening flags, the principal
applicant)."""

import datetime

import pytest

from awda.cases import workflow
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import case_transition
from awda.core.errors import TransitionRefused
from awda.factories import ProjectFactory, person_data, register_case, screen_travellers
from awda.finance.selectors import project_rule_failures
from awda.registry.models import Person

DAY = datetime.date(2026, 6, 1)


def check(project, **facts):
    return project_rule_failures(project, office_id=1, nationalities=["GN"], on_date=DAY, **facts)


def in_screening(case):
    Case.objects.filter(pk=case.pk).update(
        status=Status.SCREENING, declaration_signed_on=case.registered_on
    )
    case.refresh_from_db()
    return case


# ---- the rules ----------------------------------------------------------------------------------


def test_rules_not_asked_for_are_not_checked(morocco):
    project = ProjectFactory(
        mission=morocco,
        code="P-VUL",
        start_date=DAY,
        end_date=DAY,
        eligible_vulnerabilities=["uasc"],
        min_age=18,
    )
    assert check(project) == []  # the callers that pass no facts keep working
    plain = ProjectFactory(mission=morocco, code="P-ALL", start_date=DAY, end_date=DAY)
    assert check(plain, flags=set(), principal=Person(birth_year=2020)) == []


def test_a_case_qualifies_when_a_member_has_one_of_the_vulnerabilities(morocco):
    project = ProjectFactory(
        mission=morocco,
        code="P-VUL",
        start_date=DAY,
        end_date=DAY,
        eligible_vulnerabilities=["health", "disability"],
    )
    assert check(project, flags={"disability", "other"}) == []
    [failure] = check(project, flags={"other"})
    assert "P-VUL" in failure and "Health needs, Disability" in failure


def test_a_restricted_vulnerability_is_named_only_as_a_protection_category(morocco):
    project = ProjectFactory(
        mission=morocco, start_date=DAY, end_date=DAY, eligible_vulnerabilities=["vot", "uasc"]
    )
    [failure] = check(project, flags=set())
    assert "Trafficking" not in failure and "vot" not in failure
    assert "Protection referral (restricted)" in failure
    assert "Unaccompanied or separated child" in failure


@pytest.mark.parametrize(
    ("born", "ages", "fails"),
    [
        (datetime.date(2008, 6, 2), {"min_age": 18}, "is 17 on 2026-06-01"),
        (datetime.date(2008, 6, 1), {"min_age": 18}, None),
        (datetime.date(1990, 1, 1), {"max_age": 35}, "35 years old or less"),
        (datetime.date(1990, 1, 1), {"min_age": 18, "max_age": 36}, None),
        (datetime.date(2012, 1, 1), {"min_age": 18, "max_age": 60}, "from 18 to 60 years old"),
    ],
)
def test_the_principal_applicant_age_on_the_day(morocco, born, ages, fails):
    project = ProjectFactory(mission=morocco, code="P-AGE", start_date=DAY, end_date=DAY, **ages)
    failures = check(project, principal=Person(date_of_birth=born))
    if fails is None:
        assert failures == []
    else:
        [failure] = failures
        assert "P-AGE" in failure and fails in failure


def test_an_unknown_age_does_not_meet_an_age_rule(morocco):
    project = ProjectFactory(mission=morocco, start_date=DAY, end_date=DAY, min_age=18)
    [failure] = check(project, principal=Person())
    assert "age is unknown" in failure


# ---- the workflow's gates -------------------------------------------------------------------------


def test_eligibility_checks_the_members_screening_flags(caseworker, manager, rabat, morocco):
    case = register_case(
        caseworker,
        rabat,
        members=[{"relationship": "child", "person": person_data(given_name="Fanta")}],
    )
    case = in_screening(case)
    project = ProjectFactory(mission=morocco, code="P-HEALTH", eligible_vulnerabilities=["health"])
    screen_travellers(case, caseworker)  # nobody flagged
    with pytest.raises(TransitionRefused) as err:
        case_transition(manager, case=case, name="approve_eligibility", project=project)
    [failed] = err.value.details["failed_gates"]
    assert failed["gate"] == "project_rules" and "P-HEALTH" in failed["messages"][0]
    # the child's new screening raises the flag: the case qualifies
    from awda.screening.services import screening_record

    child = case.members.get(is_principal=False)
    case.refresh_from_db()
    screening_record(
        caseworker,
        case=case,
        member=child,
        factors={"health_needs": True},
        expected_version=case.version,
    )
    case.refresh_from_db()
    case = case_transition(manager, case=case, name="approve_eligibility", project=project)
    assert case.status == Status.ELIGIBLE and case.project == project


def test_eligibility_checks_the_principal_age_on_the_day(caseworker, manager, rabat, morocco):
    case = in_screening(register_case(caseworker, rabat))  # born in 1982
    too_old = ProjectFactory(mission=morocco, code="P-YOUNG", max_age=30)
    with pytest.raises(TransitionRefused) as err:
        case_transition(manager, case=case, name="approve_eligibility", project=too_old)
    assert "P-YOUNG" in err.value.details["failed_gates"][0]["messages"][0]
    adults = ProjectFactory(mission=morocco, code="P-ADULT", min_age=18)
    case = case_transition(manager, case=case, name="approve_eligibility", project=adults)
    assert case.status == Status.ELIGIBLE


def test_before_travel_the_flags_are_checked_again_not_the_age(caseworker, manager, rabat, morocco):
    case = register_case(caseworker, rabat)
    project = ProjectFactory(
        mission=morocco, code="P-VUL-AGE", eligible_vulnerabilities=["health"], max_age=30
    )
    Case.objects.filter(pk=case.pk).update(project=project)
    case.refresh_from_db()
    gate = workflow.STILL_MEETS_PROJECT_RULES
    ctx = workflow.GateContext(user=manager, inputs={})
    [failure] = gate.check(case, ctx)  # no health flag; the principal's 44 is not checked
    assert "P-VUL-AGE" in failure and "vulnerabilities" in failure
    screen_travellers(case, caseworker, health_needs=True)
    assert gate.check(Case.objects.get(pk=case.pk), ctx) == []


def test_project_rule_facts_reads_nothing_for_a_project_without_such_rules(
    caseworker, rabat, morocco, django_assert_num_queries
):
    case = register_case(caseworker, rabat)
    project = ProjectFactory(mission=morocco)
    with django_assert_num_queries(0):
        assert workflow.project_rule_facts(case, project) == {}
