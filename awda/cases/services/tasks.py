"""Notes and tasks on a case."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record, diff, snapshot
from awda.core.concurrency import save_versioned
from awda.core.errors import (
    ValidationFailed,
)

from ..choices import (
    TaskStatus,
)
from ..models import Case, Note, Task
from ..policies import can
from ._common import _require, require_open


def note_add(user, *, case: Case, body: str) -> Note:
    _require(user, "note.add", case)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(fields={"body": [_("The note is empty.")]})
    with transaction.atomic():
        note = Note.objects.create(case=case, author=user, body=body)
        audit_record(
            user,
            action="cases.note.created",
            obj=note,
            object_repr=body[:80],
            case_id=case.pk,
            office_id=case.office_id,
            changes={"body": body},
        )
    return note


def _clean_task(data: dict, case: Case) -> dict:
    out = {k: data[k] for k in ("title", "description", "due_date", "assignee") if k in data}
    errors = {}
    if "title" in out:
        out["title"] = (out["title"] or "").strip()
        if not out["title"]:
            errors["title"] = [_("This field is required.")]
    assignee = out.get("assignee")
    if assignee is not None and not can(assignee, "case.view", case):
        # Any role on the case is not enough: M&E staff hold one but never see names.
        errors["assignee"] = [_("The assignee cannot see this case.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return out


def task_create(
    user, *, case: Case, title: str, description: str = "", due_date=None, assignee=None
) -> Task:
    _require(user, "task.add", case)
    require_open(case)
    cleaned = _clean_task(
        {"title": title, "description": description, "due_date": due_date, "assignee": assignee},
        case,
    )
    with transaction.atomic():
        task = Task.objects.create(case=case, created_by=user, **cleaned)
        audit_record(
            user,
            action="cases.task.created",
            obj=task,
            case_id=case.pk,
            office_id=case.office_id,
            changes=snapshot(task, ["title", "description", "due_date", "assignee"]),
        )
    return task


def task_update(user, *, task: Task, data: dict, expected_version: int | None = None) -> Task:
    """Edit a task. `expected_version` is the task version the user read (the UI and the API
    require it): a stale one is refused with StaleEdit; None (internal callers) skips the check
    but still bumps the version."""
    case = task.case
    _require(user, "task.update", case)
    require_open(case)
    cleaned = _clean_task(data, case)
    fields = ["title", "description", "due_date", "assignee"]
    with transaction.atomic():
        before = snapshot(task, fields)
        for k, v in cleaned.items():
            setattr(task, k, v)
        save_versioned(
            task, expected_version=expected_version, fields=[*cleaned.keys(), "updated_at"]
        )
        audit_record(
            user,
            action="cases.task.updated",
            obj=task,
            case_id=case.pk,
            office_id=case.office_id,
            changes=diff(before, snapshot(task, fields)),
        )
    return task


def task_set_status(user, *, task: Task, status: str, expected_version: int | None = None) -> Task:
    """Mark a task done, cancelled or open again; `expected_version` as for task_update."""
    case = task.case
    _require(user, "task.update", case)
    require_open(case)
    if status not in TaskStatus.values:
        raise ValidationFailed(fields={"status": [_("Choose a valid status.")]})
    with transaction.atomic():
        before = task.status
        task.status = status
        task.completed_at = timezone.now() if status == TaskStatus.DONE else None
        task.completed_by = user if status == TaskStatus.DONE else None
        save_versioned(
            task,
            expected_version=expected_version,
            fields=["status", "completed_at", "completed_by", "updated_at"],
        )
        audit_record(
            user,
            action="cases.task.status_changed",
            obj=task,
            case_id=case.pk,
            office_id=case.office_id,
            changes={"status": {"from": before, "to": status}},
        )
    return task
