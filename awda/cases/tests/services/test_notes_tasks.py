"""Notes and tasks."""

import datetime

import pytest

from awda.audit.models import AuditEvent
from awda.cases.models import Note, Task
from awda.cases.services import note_add, task_create, task_set_status, task_update
from awda.core.errors import PermissionDenied, ValidationFailed


def test_note_is_stored_and_audited(case, medical_officer):
    note = note_add(medical_officer, case=case, body="  Needs a wheelchair at the airport.  ")
    assert note.body == "Needs a wheelchair at the airport." and note.author == medical_officer
    event = AuditEvent.objects.get(action="cases.note.created")
    assert event.case_id == case.pk and event.changes == {"body": note.body}


@pytest.mark.parametrize("body", ["", "   ", None])
def test_empty_note_is_refused(case, caseworker, body):
    with pytest.raises(ValidationFailed) as err:
        note_add(caseworker, case=case, body=body)
    assert "body" in err.value.fields
    assert (
        Note.objects.count() == 0
        and not AuditEvent.objects.filter(action="cases.note.created").exists()
    )


def test_auditor_cannot_add_notes(case, auditor):
    with pytest.raises(PermissionDenied):
        note_add(auditor, case=case, body="hello")
    assert Note.objects.count() == 0


def test_task_lifecycle(case, caseworker, colleague):
    due = datetime.date(2030, 5, 1)
    task = task_create(
        caseworker,
        case=case,
        title=" Ask the consulate for a laissez-passer ",
        due_date=due,
        assignee=colleague,
    )
    assert task.title == "Ask the consulate for a laissez-passer" and task.status == "open"
    created = AuditEvent.objects.get(action="cases.task.created")
    assert (
        created.changes["assignee"] == colleague.pk and created.changes["due_date"] == "2030-05-01"
    )

    task = task_update(colleague, task=task, data={"due_date": datetime.date(2030, 6, 1)})
    updated = AuditEvent.objects.get(action="cases.task.updated")
    assert updated.changes == {"due_date": {"from": "2030-05-01", "to": "2030-06-01"}}

    task = task_set_status(colleague, task=task, status="done")
    row = Task.objects.get(pk=task.pk)
    assert row.status == "done" and row.completed_by == colleague and row.completed_at
    task = task_set_status(colleague, task=task, status="open")
    row = Task.objects.get(pk=task.pk)
    assert row.completed_at is None and row.completed_by is None
    assert AuditEvent.objects.filter(action="cases.task.status_changed").count() == 2


def test_task_needs_a_title(case, caseworker):
    with pytest.raises(ValidationFailed) as err:
        task_create(caseworker, case=case, title="  ")
    assert "title" in err.value.fields
    assert Task.objects.count() == 0


def test_task_status_must_be_valid(case, caseworker):
    task = task_create(caseworker, case=case, title="Call")
    with pytest.raises(ValidationFailed):
        task_set_status(caseworker, task=task, status="finished")
    assert Task.objects.get(pk=task.pk).status == "open"


@pytest.mark.parametrize("persona", ["other_office_user", "auditor", "origin_officer"])
def test_task_assignee_must_be_able_to_see_the_case(case, caseworker, persona, request):
    outsider = request.getfixturevalue(persona)
    with pytest.raises(ValidationFailed) as err:
        task_create(caseworker, case=case, title="Call", assignee=outsider)
    assert "assignee" in err.value.fields
    assert Task.objects.count() == 0
    task = task_create(caseworker, case=case, title="Call")
    with pytest.raises(ValidationFailed):
        task_update(caseworker, task=task, data={"assignee": outsider})
    assert Task.objects.get(pk=task.pk).assignee is None


def test_finance_officer_cannot_create_tasks(case, rabat):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    with pytest.raises(PermissionDenied):
        task_create(member_of(rabat, Role.FINANCE), case=case, title="Pay")
    assert Task.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "inputs"),
    [("withdraw", {"reason": "Decided to stay"}), ("put_on_hold", {"reason": "Hospitalised"})],
)
def test_open_tasks_are_cancelled_only_when_the_case_has_no_work_left(
    case, caseworker, name, inputs
):
    from awda.cases.services import case_transition, task_create

    task = task_create(caseworker, case=case, title="Call the consulate")
    case_transition(caseworker, case=case, name=name, **inputs)
    task.refresh_from_db()
    expected = "cancelled" if name == "withdraw" else "open"
    assert task.status == expected
    if expected == "cancelled":
        assert AuditEvent.objects.filter(
            action="cases.task.status_changed", object_id=str(task.pk)
        ).exists()


def test_closed_case_takes_notes_but_no_task_changes(case, caseworker):
    from awda.cases.models import Case

    task = task_create(caseworker, case=case, title="Call the family")
    Case.objects.filter(pk=case.pk).update(status="closed")
    case.refresh_from_db()
    task.case.status = "closed"
    note_add(caseworker, case=case, body="News: the returnee opened his shop.")
    with pytest.raises(ValidationFailed):
        task_create(caseworker, case=case, title="Another")
    with pytest.raises(ValidationFailed):
        task_set_status(caseworker, task=task, status="done")
    task.refresh_from_db()
    assert task.status == "open" and Task.objects.count() == 1
