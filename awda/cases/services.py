"""The one write path for cases: registration, edits, members, declaration, transitions, notes,
tasks and attachments. Every function: acting user first, keyword arguments, checks the policy,
runs in one transaction and writes its audit event in it."""

import datetime
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.models import Office
from awda.audit.services import audit_record, diff, snapshot
from awda.core import countries
from awda.core.concurrency import save_versioned
from awda.core.errors import (
    NotFound,
    PermissionDenied,
    StaleEdit,
    TransitionRefused,
    ValidationFailed,
)
from awda.registry import services as registry
from awda.registry.models import Person

from . import workflow
from .choices import (
    AttachmentKind,
    ClosureReason,
    Priority,
    ReferralSource,
    Relationship,
    Status,
    TaskStatus,
)
from .models import Attachment, Case, CaseMember, CaseSequence, CaseTransition, Note, Task
from .policies import can, can_register_in, transition_roles

AFTER_DEPARTURE = (
    Status.DEPARTED,
    Status.ARRIVED,
    Status.REINTEGRATION,
    Status.MONITORING,
    Status.CLOSED,
)

CASE_EDIT_FIELDS = [
    "priority",
    "referral_source",
    "referral_organisation",
    "referral_details",
    "country_of_return",
    "destination_area",
    "destination_pcode",
    "assigned_to",
]


def _require(user, action, case=None):
    if not can(user, action, case):
        raise PermissionDenied()


# ---- numbering --------------------------------------------------------------------------------


def next_case_number(office: Office, year: int) -> tuple[str, int]:
    """Allocate the next number for the office and year; must run inside a transaction.

    The sequence row is created once (racing creators are resolved by the unique constraint) and
    incremented with F() under a row lock, so concurrent registrations never share a number."""
    try:
        with transaction.atomic():
            CaseSequence.objects.get_or_create(office=office, year=year)
    except IntegrityError:
        pass
    seq = CaseSequence.objects.select_for_update().get(office=office, year=year)
    CaseSequence.objects.filter(pk=seq.pk).update(last_value=F("last_value") + 1)
    seq.refresh_from_db(fields=["last_value"])
    value = seq.last_value
    return f"{office.mission.code}-{office.code}-{year}-{value:05d}", value


# ---- registration -----------------------------------------------------------------------------


def _clean_case_fields(data: dict, *, office) -> dict:
    errors = {}
    out = {k: data[k] for k in CASE_EDIT_FIELDS if k in data}
    if "priority" in out:
        try:
            out["priority"] = int(out["priority"])
        except (TypeError, ValueError):
            out["priority"] = -1
        if out["priority"] not in Priority.values:
            errors["priority"] = [_("Choose a valid priority.")]
    if "referral_source" in out and out["referral_source"] not in ReferralSource.values:
        errors["referral_source"] = [_("Choose a valid referral source.")]
    if "country_of_return" in out:
        code = countries.resolve(out["country_of_return"] or "")
        if not code:
            errors["country_of_return"] = [_("Choose the country of return.")]
        out["country_of_return"] = code
    assignee = out.get("assigned_to")
    if (
        assignee is not None
        and not assignee.memberships.filter(office=office, is_active=True).exists()
    ):
        errors["assigned_to"] = [_("The caseworker must belong to the case's office.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return out


def case_register(
    user,
    *,
    office: Office,
    principal: dict | None = None,
    principal_person: Person | None = None,
    principal_documents: list[dict] | None = None,
    members: list[dict] | None = None,
    registered_on: datetime.date | None = None,
    **fields,
) -> Case:
    """Register a case with its principal applicant (new or existing person) and members.

    members: [{"relationship": ..., "person": {person fields} | None, "person_id": existing id,
               "documents": [...], "travels": bool}]
    """
    if not can_register_in(user, office.pk):
        raise PermissionDenied()
    if principal is None and principal_person is None:
        raise ValidationFailed(fields={"principal": [_("The principal applicant is required.")]})
    if principal_person is not None:
        from .selectors import person_get_for

        # Services check again: the caller may only lead a case with a person the user can see.
        principal_person = person_get_for(user, principal_person.pk)
    registered_on = registered_on or timezone.localdate()
    if registered_on > timezone.localdate():
        raise ValidationFailed(
            fields={"registered_on": [_("The registration date is in the future.")]}
        )
    case_fields = _clean_case_fields(fields, office=office)
    members = members or []
    for i, m in enumerate(members):
        if (
            m.get("relationship") not in Relationship.values
            or m.get("relationship") == Relationship.PRINCIPAL
        ):
            raise ValidationFailed(
                fields={f"members.{i}.relationship": [_("Choose the relationship.")]}
            )
    with transaction.atomic():
        if principal_person is None:
            principal_person = registry.person_create(
                user,
                office=office,
                data=principal,
                documents=principal_documents,
                prefix="principal.",
            )
        persons = []
        for i, m in enumerate(members):
            if m.get("person_id"):
                from .selectors import person_get_for

                person = person_get_for(user, m["person_id"])
            else:
                person = registry.person_create(
                    user,
                    office=office,
                    data=m.get("person") or {},
                    documents=m.get("documents"),
                    prefix=f"members.{i}.",
                )
            persons.append((person, m))
        ids = [principal_person.pk] + [p.pk for p, _m in persons]
        if len(set(ids)) != len(ids):
            raise ValidationFailed(fields={"members": [_("The same person is listed twice.")]})
        number, sequence = next_case_number(office, registered_on.year)
        case_fields.setdefault("country_of_return", principal_person.nationality)
        if not case_fields["country_of_return"]:
            raise ValidationFailed(
                fields={"country_of_return": [_("Choose the country of return.")]}
            )
        case = Case.objects.create(
            number=number,
            mission=office.mission,
            office=office,
            registered_on=registered_on,
            status=Status.REGISTERED,
            status_changed_at=timezone.now(),
            created_by=user,
            principal=principal_person,
            nationality=principal_person.nationality,
            member_count=1 + len(persons),
            **case_fields,
        )
        CaseMember.objects.create(
            case=case,
            person=principal_person,
            relationship=Relationship.PRINCIPAL,
            is_principal=True,
        )
        for person, m in persons:
            CaseMember.objects.create(
                case=case,
                person=person,
                relationship=m["relationship"],
                travels=m.get("travels", True),
            )
        audit_record(
            user,
            action="cases.case.registered",
            obj=case,
            case_id=case.pk,
            office_id=office.pk,
            changes={
                "number": number,
                "principal": principal_person.pk,
                "members": [p.pk for p, _m in persons],
                **snapshot(case, CASE_EDIT_FIELDS),
            },
        )
    return case


def case_update(user, *, case: Case, expected_version: int | None, data: dict) -> Case:
    _require(user, "case.edit", case)
    if case.status == Status.CLOSED:
        raise ValidationFailed(_("A closed case cannot be edited."), code="case_closed")
    if (
        "assigned_to" in data
        and data["assigned_to"] != case.assigned_to
        and not can(user, "case.assign", case)
    ) and not (
        data["assigned_to"] == user and case.assigned_to is None
    ):  # taking an unassigned case
        raise PermissionDenied(_("Only an office manager can reassign a case."))
    cleaned = _clean_case_fields(data, office=case.office)
    with transaction.atomic():
        before = snapshot(case, CASE_EDIT_FIELDS)
        for k, v in cleaned.items():
            setattr(case, k, v)
        changes = diff(before, snapshot(case, CASE_EDIT_FIELDS))
        save_versioned(
            case, expected_version=expected_version, fields=[*cleaned.keys(), "updated_at"]
        )
        if changes:
            audit_record(
                user,
                action="cases.case.updated",
                obj=case,
                case_id=case.pk,
                office_id=case.office_id,
                changes=changes,
            )
    return case


def case_person_update(
    user, *, case: Case, person: Person, expected_version: int | None, data: dict
) -> Person:
    _require(user, "person.edit", case)
    if not case.members.filter(person=person).exists():
        raise NotFound()
    with transaction.atomic():
        person = registry.person_update(
            user, person=person, expected_version=expected_version, data=data, case_id=case.pk
        )
        if "nationality" in data:
            _sync_case_nationality(user, person)
    return person


def _sync_case_nationality(user, person: Person) -> None:
    """Cases led by the person carry the principal's nationality for lists and reports. It follows
    a correction while the case is before departure; a departed or closed case keeps the
    nationality it travelled with (reports of past returns do not change silently)."""
    from .choices import BEFORE_DEPARTURE

    cases = list(
        Case.objects.select_for_update()
        .filter(principal=person, status__in=[*BEFORE_DEPARTURE, Status.ON_HOLD])
        .exclude(nationality=person.nationality)
        .only("pk", "nationality", "office_id", "number", "version")
    )
    for case in cases:
        Case.objects.filter(pk=case.pk).update(
            nationality=person.nationality, version=F("version") + 1, updated_at=timezone.now()
        )
        audit_record(
            user,
            action="cases.case.updated",
            obj=case,
            case_id=case.pk,
            office_id=case.office_id,
            changes={"nationality": {"from": case.nationality, "to": person.nationality}},
        )


def _lock_case(case: Case, expected_version: int | None) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleEdit()
    return locked


def _touch(case: Case, locked: Case, **changes) -> None:
    """Bump the version of a locked case (and apply `changes`); keep the caller's copy in step."""
    now = timezone.now()
    Case.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=now, **changes)
    case.version = locked.version + 1
    case.updated_at = now
    for key, value in changes.items():
        setattr(case, key, value)


def case_member_add(
    user,
    *,
    case: Case,
    relationship: str,
    person: dict | None = None,
    person_id=None,
    documents: list[dict] | None = None,
    travels: bool = True,
    expected_version: int | None = None,
) -> CaseMember:
    _require(user, "case.members", case)
    if relationship not in Relationship.values or relationship == Relationship.PRINCIPAL:
        raise ValidationFailed(fields={"relationship": [_("Choose the relationship.")]})
    with transaction.atomic():
        locked = _lock_case(case, expected_version)
        if locked.status in AFTER_DEPARTURE:
            raise ValidationFailed(_("Members cannot be added after departure."))
        if person_id:
            from .selectors import person_get_for

            p = person_get_for(user, person_id)
            if locked.members.filter(person=p).exists():
                raise ValidationFailed(
                    fields={"person_id": [_("This person is already a member of the case.")]}
                )
        else:
            p = registry.person_create(
                user, office=locked.office, data=person or {}, documents=documents, prefix="person."
            )
        member = CaseMember.objects.create(
            case=locked, person=p, relationship=relationship, travels=travels
        )
        _touch(case, locked, member_count=locked.member_count + 1)
        audit_record(
            user,
            action="cases.member.added",
            obj=member,
            case_id=case.pk,
            person_id=p.pk,
            office_id=case.office_id,
            changes={"person": p.pk, "relationship": relationship, "travels": travels},
        )
    return member


def case_member_update(
    user,
    *,
    case: Case,
    member: CaseMember,
    relationship=None,
    travels=None,
    expected_version: int | None = None,
) -> CaseMember:
    """Change a member's relationship or whether they travel (not after departure). Bumps the
    case version, so a stale form elsewhere is refused."""
    _require(user, "case.members", case)
    if member.case_id != case.pk:
        raise NotFound()
    before = snapshot(member, ["relationship", "travels"])
    if relationship is not None:
        if (
            member.is_principal
            or relationship not in Relationship.values
            or relationship == Relationship.PRINCIPAL
        ):
            raise ValidationFailed(fields={"relationship": [_("Choose the relationship.")]})
        member.relationship = relationship
    if travels is not None:
        member.travels = bool(travels)
    changes = diff(before, snapshot(member, ["relationship", "travels"]))
    with transaction.atomic():
        locked = _lock_case(case, expected_version)
        if locked.status in AFTER_DEPARTURE:
            raise ValidationFailed(_("Members cannot be changed after departure."))
        if not changes:
            return member
        member.save(update_fields=["relationship", "travels", "updated_at"])
        _touch(case, locked)
        audit_record(
            user,
            action="cases.member.updated",
            obj=member,
            case_id=case.pk,
            person_id=member.person_id,
            office_id=case.office_id,
            changes=changes,
        )
    return member


def case_member_remove(
    user, *, case: Case, member: CaseMember, expected_version: int | None = None
) -> None:
    _require(user, "case.members", case)
    if member.case_id != case.pk:
        raise NotFound()
    if member.is_principal:
        raise ValidationFailed(_("The principal applicant cannot be removed from the case."))
    with transaction.atomic():
        locked = _lock_case(case, expected_version)
        if locked.status in AFTER_DEPARTURE:
            raise ValidationFailed(_("Members cannot be removed after departure."))
        audit_record(
            user,
            action="cases.member.removed",
            obj=member,
            case_id=case.pk,
            person_id=member.person_id,
            office_id=case.office_id,
            changes={"person": member.person_id, "relationship": member.relationship},
        )
        member.delete()
        _touch(case, locked, member_count=locked.member_count - 1)


def case_declaration_record(
    user, *, case: Case, signed_on: datetime.date, expected_version: int | None = None
) -> Case:
    """Record the signed declaration of voluntary return (the signed copy is an attachment)."""
    _require(user, "case.declaration", case)
    if not signed_on:
        raise ValidationFailed(
            fields={"signed_on": [_("Give the date the declaration was signed.")]}
        )
    if signed_on > timezone.localdate():
        raise ValidationFailed(fields={"signed_on": [_("The date is in the future.")]})
    if signed_on < case.registered_on:
        raise ValidationFailed(
            fields={"signed_on": [_("The declaration cannot predate the registration.")]}
        )
    with transaction.atomic():
        locked = _lock_case(case, expected_version)
        if locked.status not in (Status.REGISTERED, Status.COUNSELLING, Status.ON_HOLD):
            raise ValidationFailed(_("The declaration is recorded during counselling."))
        before = locked.declaration_signed_on
        _touch(case, locked, declaration_signed_on=signed_on, declaration_recorded_by=user)
        audit_record(
            user,
            action="cases.case.declaration_recorded",
            obj=case,
            case_id=case.pk,
            office_id=case.office_id,
            changes={"declaration_signed_on": {"from": before, "to": signed_on}},
        )
    return case


# ---- transitions ------------------------------------------------------------------------------


def case_transition(
    user,
    *,
    case: Case,
    name: str,
    comment: str = "",
    reason: str = "",
    closure_reason: str = "",
    project=None,
    expected_version: int | None = None,
) -> Case:
    """Move the case along the transition table: lock, check role, source, inputs and gates, save,
    record the transition and its audit event. Refusals say which gate failed."""
    transition = workflow.BY_NAME.get(name)
    if transition is None:
        raise TransitionRefused(
            _("Unknown transition: %(name)s") % {"name": name}, code="unknown_transition"
        )
    with transaction.atomic():
        locked = _lock_case(case, expected_version)
        if not transition_roles(user, locked, transition):
            raise PermissionDenied(_("Your role does not allow this transition."))
        if locked.status not in transition.sources:
            raise TransitionRefused(
                _("A case in status “%(status)s” cannot make the move “%(label)s”.")
                % {"status": Status(locked.status).label, "label": transition.label},
                code="invalid_source_status",
            )
        comment, reason = (comment or "").strip(), (reason or "").strip()
        missing = {}
        if "reason" in transition.requires and not reason:
            missing["reason"] = [_("A reason is required.")]
        if "comment" in transition.requires and not comment:
            missing["comment"] = [_("A comment is required.")]
        if "project" in transition.requires and project is None:
            missing["project"] = [_("Choose the funding project.")]
        if "closure_reason" in transition.requires and closure_reason not in ClosureReason.values:
            missing["closure_reason"] = [_("Choose the closure reason.")]
        if missing:
            raise ValidationFailed(_("Some required information is missing."), fields=missing)
        ctx = workflow.GateContext(user=user, inputs={"project": project})
        failed = []
        for gate in transition.gates:
            messages = gate.check(locked, ctx)
            if messages:
                failed.append(
                    {
                        "gate": gate.code,
                        "label": str(gate.label),
                        "messages": [str(m) for m in messages],
                    }
                )
        if failed:
            text = " ".join(m for f in failed for m in f["messages"])
            raise TransitionRefused(
                _("“%(label)s” is blocked: %(why)s") % {"label": transition.label, "why": text},
                code="gate_failed",
                details={"transition": name, "failed_gates": failed},
            )
        from_status = locked.status
        to_status = transition.target_for(locked)
        now = timezone.now()
        updates = {
            "status": to_status,
            "status_changed_at": now,
            "updated_at": now,
            "version": F("version") + 1,
        }
        if to_status == Status.ON_HOLD:
            updates["status_before_hold"] = from_status
        elif from_status == Status.ON_HOLD:
            updates["status_before_hold"] = ""
        if name == "approve_eligibility":
            updates.update(project=project, eligibility_decided_at=now, eligibility_decided_by=user)
        if name == "reject_eligibility":
            updates.update(eligibility_decided_at=now, eligibility_decided_by=user)
        if to_status == Status.DEPARTED:
            updates["departed_on"] = timezone.localdate()
        if to_status == Status.CLOSED:
            updates["closure_reason"] = closure_reason
        Case.objects.filter(pk=locked.pk).update(**updates)
        record = CaseTransition.objects.create(
            case=locked,
            name=name,
            from_status=from_status,
            to_status=to_status,
            actor=user,
            office_id=locked.office_id,
            comment=comment,
            reason=reason,
            closure_reason=closure_reason if to_status == Status.CLOSED else "",
            project=project,
        )
        audit_record(
            user,
            action="cases.case.transitioned",
            obj=locked,
            case_id=locked.pk,
            office_id=locked.office_id,
            changes={
                "status": {"from": from_status, "to": to_status},
                "transition": name,
                "comment": comment,
                "reason": reason,
                "closure_reason": closure_reason,
                "project": getattr(project, "pk", None),
                "transition_id": record.pk,
            },
        )
        if to_status in TERMINAL_STATUSES:
            _cancel_open_tasks(user, locked, reason=Status(to_status).label)
    # Bring the caller's copy up to date without another query: the locked row plus our update.
    for f in Case._meta.concrete_fields:
        setattr(case, f.attname, getattr(locked, f.attname))
    for key, value in updates.items():
        setattr(case, key, locked.version + 1 if key == "version" else value)
    return case


# A case in these statuses has no work left: its open tasks are cancelled (and audited).
TERMINAL_STATUSES = (Status.CLOSED, Status.WITHDRAWN, Status.NOT_ELIGIBLE)


def _cancel_open_tasks(user, case: Case, *, reason) -> int:
    tasks = list(
        Task.objects.filter(case=case, status=TaskStatus.OPEN).only("pk", "title", "case_id")
    )
    if not tasks:
        return 0
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(
        status=TaskStatus.CANCELLED, updated_at=timezone.now()
    )
    for task in tasks:
        audit_record(
            user,
            action="cases.task.status_changed",
            obj=task,
            case_id=case.pk,
            office_id=case.office_id,
            changes={
                "status": {"from": TaskStatus.OPEN, "to": TaskStatus.CANCELLED},
                "cause": str(reason),
            },
        )
    return len(tasks)


# ---- notes, tasks, attachments ----------------------------------------------------------------


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


def task_update(user, *, task: Task, data: dict) -> Task:
    case = task.case
    _require(user, "task.update", case)
    cleaned = _clean_task(data, case)
    fields = ["title", "description", "due_date", "assignee"]
    with transaction.atomic():
        before = snapshot(task, fields)
        for k, v in cleaned.items():
            setattr(task, k, v)
        task.save(update_fields=[*cleaned.keys(), "updated_at"])
        audit_record(
            user,
            action="cases.task.updated",
            obj=task,
            case_id=case.pk,
            office_id=case.office_id,
            changes=diff(before, snapshot(task, fields)),
        )
    return task


def task_set_status(user, *, task: Task, status: str) -> Task:
    case = task.case
    _require(user, "task.update", case)
    if status not in TaskStatus.values:
        raise ValidationFailed(fields={"status": [_("Choose a valid status.")]})
    with transaction.atomic():
        before = task.status
        task.status = status
        task.completed_at = timezone.now() if status == TaskStatus.DONE else None
        task.completed_by = user if status == TaskStatus.DONE else None
        task.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
        audit_record(
            user,
            action="cases.task.status_changed",
            obj=task,
            case_id=case.pk,
            office_id=case.office_id,
            changes={"status": {"from": before, "to": status}},
        )
    return task


ALLOWED_UPLOADS = {
    # extension: (content type, magic bytes prefixes)
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
}


def attachment_add(
    user, *, case: Case, file, kind: str, description: str = "", person: Person | None = None
) -> Attachment:
    """Store a file after checking its type (extension and content) and size."""
    _require(user, "attachment.add", case)
    errors = {}
    if kind not in AttachmentKind.values:
        errors["kind"] = [_("Choose a valid type.")]
    name = getattr(file, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    max_bytes = settings.AWDA_MAX_UPLOAD_MB * 1024 * 1024
    if file is None:
        errors["file"] = [_("Choose a file.")]
    elif ext not in ALLOWED_UPLOADS:
        errors["file"] = [
            _("Files of this type are not accepted. Accepted: %(types)s.")
            % {"types": ", ".join(sorted(ALLOWED_UPLOADS))}
        ]
    elif file.size > max_bytes:
        errors["file"] = [
            _("The file is larger than %(n)s MB.") % {"n": settings.AWDA_MAX_UPLOAD_MB}
        ]
    elif file.size == 0:
        errors["file"] = [_("The file is empty.")]
    else:
        head = file.read(16)
        file.seek(0)
        if not any(head.startswith(m) for m in ALLOWED_UPLOADS[ext][1]):
            errors["file"] = [_("The file content does not match its extension.")]
    if person is not None and not case.members.filter(person=person).exists():
        errors["person"] = [_("This person is not a member of the case.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        att = Attachment(
            case=case,
            person=person,
            kind=kind,
            description=(description or "").strip(),
            uploaded_by=user,
            original_name=name.rsplit("/", 1)[-1][:200],
            content_type=ALLOWED_UPLOADS[ext][0],
            size=file.size,
            stored_name=f"{uuid.uuid4().hex}.{ext}",
        )
        att.file.save(att.stored_name, file, save=False)
        try:
            att.save()
            audit_record(
                user,
                action="cases.attachment.created",
                obj=att,
                case_id=case.pk,
                office_id=case.office_id,
                changes={
                    "kind": kind,
                    "name": att.original_name,
                    "size": att.size,
                    "person": getattr(person, "pk", None),
                },
            )
        except Exception:
            att.file.delete(save=False)
            raise
    return att


def attachment_viewed(user, *, attachment: Attachment) -> None:
    _require(user, "attachment.view", attachment.case)
    audit_record(
        user,
        action="cases.attachment.downloaded",
        obj=attachment,
        case_id=attachment.case_id,
        office_id=attachment.case.office_id,
    )


def case_viewed(user, *, case: Case) -> None:
    """Every view of a case's detail is audited (UI and API)."""
    audit_record(
        user, action="cases.case.viewed", obj=case, case_id=case.pk, office_id=case.office_id
    )


def person_update(user, *, person: Person, expected_version: int | None, data: dict) -> Person:
    """Edit a person outside a given case (API persons endpoint): the user must be allowed to edit
    the person (cases.selectors.person_can_edit); the principal's nationality stays in step on
    every case they lead."""
    from .selectors import person_can_edit

    if not person_can_edit(user, person):
        raise PermissionDenied()
    with transaction.atomic():
        person = registry.person_update(
            user, person=person, expected_version=expected_version, data=data
        )
        if "nationality" in data:
            _sync_case_nationality(user, person)
    return person
