import datetime

import pytest
from django.utils import timezone

from awda.accounts.choices import Role
from awda.audit.models import AuditEvent
from awda.cases import services as case_services
from awda.cases.choices import Priority, TaskStatus
from awda.cases.models import Case, Task
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import member_of
from awda.screening import selectors
from awda.screening.models import VulnerabilityScreening
from awda.screening.services import RECORDED, screening_record


def principal(case):
    return case.members.select_related("person").get(is_principal=True)


def record(user, case, member=None, **factors):
    case = Case.objects.get(pk=case.pk)
    return screening_record(
        user,
        case=case,
        member=member or principal(case),
        factors=factors,
        notes="",
        expected_version=case.version,
    )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("caseworker", True),
        ("colleague", True),
        ("manager", True),
        ("protection_officer", True),
        ("medical_officer", True),
        ("movement_officer", False),
        ("finance_officer", False),
        ("auditor", False),
        ("other_office_user", False),
        ("origin_officer", False),
    ],
)
def test_who_may_screen(request, case, persona, allowed):
    user = request.getfixturevalue(persona)
    version = Case.objects.get(pk=case.pk).version
    if allowed:
        record(user, case, health_needs=True)
        assert VulnerabilityScreening.objects.filter(case=case).count() == 1
        return
    with pytest.raises(PermissionDenied):
        record(user, case, health_needs=True)
    # a denial changes nothing
    assert not VulnerabilityScreening.objects.filter(case=case).exists()
    assert not Task.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(action=RECORDED).exists()
    assert Case.objects.get(pk=case.pk).version == version


def test_screening_stores_the_result_bumps_the_version_and_is_audited(caseworker, case):
    version = Case.objects.get(pk=case.pk).version
    s = record(caseworker, case, disability=True, no_income=True)
    assert s.disability and s.no_income and not s.pregnancy
    assert s.priority == Priority.HIGH
    assert s.flags == ["disability", "other"]
    assert s.requirements == ["medical_assessment"]
    assert s.screened_on == timezone.localdate() and s.office_id == case.office_id
    assert Case.objects.get(pk=case.pk).version == version + 1
    event = AuditEvent.objects.get(action=RECORDED)
    assert event.case_id == case.pk and event.person_id == s.person_id
    assert event.changes["factors"] == ["disability", "no_income"]
    assert event.changes["case_priority"] == {"from": Priority.NORMAL, "to": Priority.HIGH}


def test_required_assessment_becomes_a_task_for_the_right_role(
    caseworker, medical_officer, protection_officer, case
):
    record(caseworker, case, pregnancy=True)
    task = Task.objects.get(case=case)
    assert task.assignee == medical_officer
    assert task.title.startswith("Medical assessment")
    assert task.due_date == timezone.localdate() + datetime.timedelta(days=7)


def test_due_days_are_configuration(settings, caseworker, case):
    settings.AWDA_SCREENING_DUE_DAYS = {"medical_assessment": 1}
    record(caseworker, case, health_needs=True)
    assert Task.objects.get(case=case).due_date == timezone.localdate() + datetime.timedelta(1)


def test_task_without_a_holder_of_the_role_is_left_unassigned(caseworker, case):
    record(caseworker, case, unaccompanied_child=True)
    assert Task.objects.get(case=case).assignee is None


def test_rescreening_that_keeps_the_need_does_not_duplicate_the_task(
    caseworker, protection_officer, case
):
    record(caseworker, case, unaccompanied_child=True)
    record(caseworker, case, unaccompanied_child=True, no_income=True)
    task = Task.objects.get(case=case)
    assert task.assignee == protection_officer
    # done: the assessment exists, still no duplicate
    task.status = TaskStatus.DONE
    task.save()
    record(caseworker, case, unaccompanied_child=True)
    assert Task.objects.filter(case=case).count() == 1


def test_a_cancelled_assessment_task_is_created_again_when_still_needed(caseworker, case):
    record(caseworker, case, health_needs=True)
    Task.objects.filter(case=case).update(status=TaskStatus.CANCELLED)
    record(caseworker, case, health_needs=True)
    assert Task.objects.filter(case=case, status=TaskStatus.OPEN).count() == 1


def test_tasks_are_per_person(caseworker, family):
    for m in family.members.select_related("person"):
        record(caseworker, family, member=m, health_needs=True)
    assert Task.objects.filter(case=family).count() == 3


def test_case_priority_is_raised_never_lowered(caseworker, manager, case):
    record(caseworker, case, older_person=True, no_shelter=True, single_parent=True)
    assert Case.objects.get(pk=case.pk).priority == Priority.URGENT
    record(caseworker, case)  # re-screened: nothing any more
    assert Case.objects.get(pk=case.pk).priority == Priority.URGENT
    current = selectors.current_screenings(case)[principal(case).person_id]
    assert current.priority == Priority.NORMAL


def test_a_manual_higher_priority_is_kept(caseworker, case):
    c = Case.objects.get(pk=case.pk)
    case_services.case_update(
        caseworker, case=c, expected_version=c.version, data={"priority": Priority.URGENT}
    )
    record(caseworker, case, disability=True)
    assert Case.objects.get(pk=case.pk).priority == Priority.URGENT


def test_history_is_kept_and_the_newest_is_current(caseworker, case):
    first = record(caseworker, case, no_income=True)
    second = record(caseworker, case, no_shelter=True)
    history = list(selectors.screening_history(case))
    assert history == [second, first]
    assert selectors.current_screenings(case) == {second.person_id: second}


def test_unscreened_members_are_listed(caseworker, family):
    first = family.members.get(is_principal=True)
    assert selectors.unscreened_members(family).count() == 3
    record(caseworker, family, member=first)
    assert list(selectors.unscreened_members(family)) == list(
        family.members.exclude(pk=first.pk).order_by("id")
    )


def test_closed_case_is_refused(caseworker, case):
    c = Case.objects.get(pk=case.pk)
    c = case_services.case_transition(caseworker, case=c, name="withdraw", reason="Changed mind")
    c = case_services.case_transition(caseworker, case=c, name="close", closure_reason="withdrawn")
    with pytest.raises(ValidationFailed) as exc:
        record(caseworker, case, health_needs=True)
    assert exc.value.code == "case_closed"
    assert not VulnerabilityScreening.objects.exists()


def test_stale_version_is_refused_and_nothing_is_written(caseworker, case):
    c = Case.objects.get(pk=case.pk)
    with pytest.raises(StaleEdit):
        screening_record(
            caseworker,
            case=c,
            member=principal(c),
            factors={"unaccompanied_child": True},
            expected_version=c.version - 1 if c.version > 1 else c.version + 5,
        )
    assert not VulnerabilityScreening.objects.exists()
    assert not Task.objects.exists()
    assert Case.objects.get(pk=case.pk).priority == Priority.NORMAL


def test_unknown_factor_is_refused(caseworker, case):
    with pytest.raises(ValidationFailed) as exc:
        record(caseworker, case, flying_carpet=True)
    assert "factors" in exc.value.fields


def test_member_of_another_case_is_refused(caseworker, rabat, case):
    from awda.core.errors import NotFound
    from awda.factories import register_case

    other = register_case(caseworker, rabat)
    with pytest.raises(NotFound):
        record(caseworker, case, member=principal(other))


def test_trafficking_answer_is_not_written_in_clear_in_the_audit_trail(caseworker, case):
    record(caseworker, case, trafficking_indicators=True, no_income=True)
    event = AuditEvent.objects.get(action=RECORDED)
    assert event.changes["factors"] == ["no_income"]
    assert event.changes["restricted_factors"] is True
    assert "trafficking" not in str(event.changes)
    task = Task.objects.get(case=case)
    assert "trafficking" not in task.title.lower()


def test_a_user_who_cannot_see_it_cannot_clear_a_trafficking_answer(
    caseworker, protection_officer, case
):
    record(protection_officer, case, trafficking_indicators=True)
    s = record(caseworker, case, no_income=True)  # the caseworker's form does not show it
    assert s.trafficking_indicators and s.no_income
    s = record(protection_officer, case)  # the protection officer may clear it
    assert not s.trafficking_indicators


def test_redaction_for_users_without_the_protection_role(caseworker, case):
    s = record(caseworker, case, trafficking_indicators=True, health_needs=True)
    hidden = selectors.present(s, restricted_ok=False)
    assert [f.code for f in hidden.factors] == ["health_needs"]
    assert hidden.flags == ["health", "protection_referral"]
    assert hidden.requirements == ["medical_assessment"]
    assert hidden.redacted
    shown = selectors.present(s, restricted_ok=True)
    assert {f.code for f in shown.factors} == {"trafficking_indicators", "health_needs"}
    assert set(shown.flags) == {"health", "vot"} and not shown.redacted


def test_only_the_owner_of_a_factor_may_clear_it(caseworker, protection_officer, rabat, case):
    """A caseworker re-screening cannot drop "unaccompanied child" (protection) or "health
    needs" (medical): the specialist decides it does not apply."""
    medical = member_of(rabat, Role.MEDICAL, "medical.sticky")
    record(caseworker, case, unaccompanied_child=True, health_needs=True, no_income=True)
    again = record(caseworker, case)
    assert again.unaccompanied_child and again.health_needs and not again.no_income
    cleared = record(protection_officer, case, health_needs=True)
    assert not cleared.unaccompanied_child and cleared.health_needs
    assert not record(medical, case).health_needs


def test_trafficking_indicators_follow_the_person_into_a_new_case(
    caseworker, manager, protection_officer, rabat, case
):
    record(protection_officer, case, trafficking_indicators=True)
    person = principal(case).person
    case_services.case_transition(caseworker, case=case, name="withdraw", reason="Changed mind")
    second = case_services.case_register(caseworker, office=rabat, principal_person=person)
    assert record(caseworker, second).trafficking_indicators
