import datetime

import pytest

from awda.audit.models import AuditEvent
from awda.cases.models import Case, Task
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.factories import register_case
from awda.screening.trafficking.models import TraffickingInterview

from ..conftest import hand_over
from ..helpers import flag, fresh, interview, principal


def test_protection_officer_records_an_interview(protection_officer, case):
    version = fresh(case).version
    record = interview(
        protection_officer,
        case,
        interpreter_used=True,
        language="ff",
        indicators={"deceptive_recruitment": True, "isolation": True},
        exploitation_types=["domestic_servitude", "sexual"],
    )
    record.refresh_from_db()
    assert record.person_id == principal(case).person_id
    assert record.recorded_by == protection_officer
    assert record.interviewed_on == datetime.date.today()
    assert record.interpreter_used and record.language == "ff"
    assert record.indicator_codes == ["deceptive_recruitment", "isolation"]
    assert record.exploitation_types == ["sexual", "domestic_servitude"]  # catalogue order
    assert fresh(case).version == version + 1
    event = AuditEvent.objects.get(action="trafficking.interview.recorded")
    # person and record ids only: the timeline shows the changes to every role on the case
    assert event.changes == {"person": record.person_id, "record": record.pk}
    assert event.case_id == case.pk and event.person_id == record.person_id


def test_interviews_are_appended_never_replaced(protection_officer, case):
    first = interview(protection_officer, case)
    second = interview(protection_officer, case, indicators={"movement_controlled": True})
    assert TraffickingInterview.objects.count() == 2
    first.refresh_from_db()
    assert first.indicator_codes == ["documents_confiscated", "debt_bondage"]
    assert second.indicator_codes == ["movement_controlled"]


@pytest.mark.parametrize("persona", ["caseworker", "manager", "medical_officer"])
def test_other_roles_are_denied_and_nothing_is_written(request, persona, case):
    user = request.getfixturevalue(persona)
    version = fresh(case).version
    with pytest.raises(PermissionDenied):
        interview(user, case)
    assert not TraffickingInterview.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="trafficking.").exists()
    assert fresh(case).version == version


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"indicators": {"smuggling": True}}, "indicators"),
        ({"exploitation_types": ["begging"]}, "exploitation_types"),
        ({"language": "xx"}, "language"),
        ({"interviewed_on": datetime.date.today() + datetime.timedelta(days=1)}, "interviewed_on"),
    ],
)
def test_invalid_input_is_refused(protection_officer, case, kwargs, field):
    with pytest.raises(ValidationFailed) as exc:
        interview(protection_officer, case, **kwargs)
    assert field in exc.value.fields
    assert not TraffickingInterview.objects.exists()


def test_member_of_another_case_is_not_found(protection_officer, caseworker, rabat, case):
    other = register_case(caseworker, rabat)
    with pytest.raises(NotFound):
        interview(protection_officer, case, member=principal(other))


def test_closed_case_is_refused(protection_officer, case):
    Case.objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(ValidationFailed) as exc:
        interview(protection_officer, case)
    assert exc.value.code == "case_closed"


def test_origin_protection_officer_may_record_after_handover_only(origin_protection, guinea, case):
    with pytest.raises(PermissionDenied):
        interview(origin_protection, case)
    hand_over(case, guinea)
    assert interview(origin_protection, case).recorded_by == origin_protection


def test_a_protection_officer_of_another_office_is_denied(oujda, case):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    with pytest.raises(PermissionDenied):
        interview(member_of(oujda, Role.PROTECTION, "protection.oujda"), case)


def test_the_interview_task_of_the_rapid_screening_is_done(caseworker, protection_officer, case):
    flag(caseworker, case, no_income=True)
    task = Task.objects.get(case=case)
    assert task.status == "open" and task.assignee == protection_officer
    interview(protection_officer, case)
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by == protection_officer
    interview(protection_officer, case)  # a second interview changes nothing more
    assert Task.objects.filter(case=case, status="done").count() == 1
