"""Moving a case along the transition table (awda.cases.workflow)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.core.errors import (
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
)

from .. import workflow
from ..choices import (
    ClosureReason,
    Status,
    TaskStatus,
)
from ..models import Case, CaseTransition, Task
from ..policies import transition_roles
from ._common import lock_case


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
        locked = lock_case(case, expected_version)
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
            project=project if "project" in transition.requires else None,
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
                "project": getattr(project, "pk", None)
                if "project" in transition.requires
                else None,
                "transition_id": record.pk,
            },
        )
        if to_status in TERMINAL_STATUSES:
            _cancel_open_tasks(user, locked, reason=Status(to_status).label)
        for effect in workflow.EFFECTS:
            effect(user, locked, name, from_status, to_status)
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
