"""Monitoring: the schedule of visits (generated when a plan is approved, at the project's
months after arrival), extra visits, rescheduling, cancelling, and what each visit found
(including a re-migration). Visits still planned are cancelled when the case is closed."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import lock_case, touch_case
from awda.core.errors import StaleEdit, ValidationFailed

from ... import policies
from ...choices import ActivityStatus, PlanStatus, VisitMode, VisitStatus
from ...common import add_months, arrival_date, audit, raise_errors, require
from ...models import MonitoringVisit, Plan, ReintegrationFile
from ._common import accepted_file, not_future, not_past, require_back, require_working, text

SCHEDULE_GENERATED = "reintegration.monitoring.scheduled"
VISIT_RECORDED = "reintegration.visit.recorded"
VISIT_ADDED = "reintegration.visit.added"
VISIT_RESCHEDULED = "reintegration.visit.rescheduled"
VISIT_CANCELLED = "reintegration.visit.cancelled"

# How far ahead the workspace shows planned visits.
DUE_SOON_DAYS = 14


def schedule_months(project) -> list[int]:
    months = (project.monitoring_months if project is not None else None) or []
    return sorted({int(m) for m in months}) or list(settings.AWDA_MONITORING_MONTHS)


def monitoring_schedule_generate(user, *, case: Case, plan) -> list[MonitoringVisit]:
    """Plan the monitoring visits of `case` at the plan's project's months after arrival
    (default AWDA_MONITORING_MONTHS, 3, 6 and 12). Called by the plan approval service inside
    its transaction. A month that already has a visit gets no new one, whatever that visit's
    status: a revised plan does not duplicate the schedule, nor bring back a visit the officer
    cancelled or those cancelled when the case was closed (after a reopening the officer adds
    the visits still needed); done visits are never touched."""
    file = ReintegrationFile.objects.filter(case_id=case.pk).first()
    start: datetime.date = (
        (file.arrived_on if file else None) or arrival_date(case) or timezone.localdate()
    )
    office_id = file.office_id if file else case.office_id
    existing = set(
        MonitoringVisit.objects.filter(case_id=case.pk, months__isnull=False).values_list(
            "months", flat=True
        )
    )
    created = [
        MonitoringVisit(
            case_id=case.pk,
            office_id=office_id,
            plan=plan,
            months=m,
            due_on=add_months(start, m),
        )
        for m in schedule_months(plan.project)
        if m not in existing
    ]
    MonitoringVisit.objects.bulk_create(created)
    if created:
        audit(
            user,
            SCHEDULE_GENERATED,
            plan,
            case=case,
            changes={"months": [v.months for v in created], "from": str(start)},
        )
    return created


def _locked_visit(visit: MonitoringVisit, expected_version) -> MonitoringVisit:
    row = MonitoringVisit.objects.select_for_update().get(pk=visit.pk, case_id=visit.case_id)
    if expected_version in (None, "") or int(expected_version) != row.version:
        raise StaleEdit()
    return row


def _save(row: MonitoringVisit, fields: list[str]) -> None:
    row.version += 1
    row.save(update_fields=[*fields, "version", "updated_at"])


def _check_mode(mode, errors):
    if mode not in VisitMode.values:
        errors["mode"] = [_("Choose a visit or a phone call.")]


def visit_add(user, *, case: Case, due_on: datetime.date | None, mode: str = VisitMode.VISIT):
    """Plan an extra visit (or call), e.g. after a reopening or a worrying call. Not in the
    past; from the acceptance until the case is closed."""
    require(policies.may_record(user, case))
    file = accepted_file(case)
    require_working(case)
    errors: dict = {}
    not_past(due_on, errors, "due_on")
    _check_mode(mode, errors)
    raise_errors(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_working(locked)
        plan = Plan.objects.filter(case_id=case.pk, status=PlanStatus.APPROVED).first()
        visit = MonitoringVisit.objects.create(
            case=locked, office_id=file.office_id, plan=plan, due_on=due_on, mode=mode
        )
        touch_case(case, locked)
        audit(
            user,
            VISIT_ADDED,
            visit,
            case=case,
            changes={"due_on": str(due_on), "visit_mode": mode},
        )
    return visit


def visit_reschedule(
    user, *, visit: MonitoringVisit, due_on: datetime.date | None, expected_version: int
) -> MonitoringVisit:
    """Move a planned visit to another day (today or later)."""
    case = visit.case
    require(policies.may_record(user, case))
    require_working(case)
    errors: dict = {}
    not_past(due_on, errors, "due_on")
    raise_errors(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_working(locked)
        row = _locked_visit(visit, expected_version)
        if row.status != VisitStatus.PLANNED:
            raise ValidationFailed(
                _("Only a planned visit can be rescheduled."), code="not_planned"
            )
        before = row.due_on
        row.due_on = due_on
        _save(row, ["due_on"])
        touch_case(case, locked)
        audit(
            user,
            VISIT_RESCHEDULED,
            row,
            case=case,
            changes={"due_on": {"from": str(before), "to": str(due_on)}},
        )
    _copy(row, visit)
    return visit


def visit_cancel(
    user, *, visit: MonitoringVisit, reason: str, expected_version: int
) -> MonitoringVisit:
    """Cancel a planned visit with a reason (kept as the visit's outcome and in the audit)."""
    case = visit.case
    require(policies.may_record(user, case))
    require_working(case)
    reason = text(reason)
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the visit is cancelled.")]})
    with transaction.atomic():
        locked = lock_case(case, None)
        require_working(locked)
        row = _locked_visit(visit, expected_version)
        if row.status != VisitStatus.PLANNED:
            raise ValidationFailed(_("Only a planned visit can be cancelled."), code="not_planned")
        row.status = VisitStatus.CANCELLED
        row.outcome = reason[:2000]
        _save(row, ["status", "outcome"])
        touch_case(case, locked)
        audit(user, VISIT_CANCELLED, row, case=case, changes={"reason": row.outcome})
    _copy(row, visit)
    return visit


def visit_record(
    user,
    *,
    visit: MonitoringVisit,
    status: str,
    conducted_on: datetime.date | None,
    mode: str | None = None,
    outcome: str = "",
    activity_status: str = "",
    re_migrated: bool = False,
    re_migration_notes: str = "",
    expected_version: int,
) -> MonitoringVisit:
    """What a visit (or call) found: done, or missed (the returnee could not be reached), on
    `conducted_on` (not in the future), the business or activity, and whether the returnee
    left again (re-migrated, with where and when). A planned visit is recorded; a recorded one
    may be corrected; a cancelled one may not."""
    case = visit.case
    require(policies.may_record(user, case))
    require_back(case)
    errors: dict = {}
    if status not in (VisitStatus.DONE, VisitStatus.MISSED):
        errors["status"] = [_("Choose done or could not be reached.")]
    not_future(conducted_on, errors, "conducted_on")
    mode = mode or visit.mode
    _check_mode(mode, errors)
    outcome, notes = text(outcome), text(re_migration_notes)
    activity_status = text(activity_status)
    if activity_status and activity_status not in ActivityStatus.values:
        errors["activity_status"] = [_("Choose the state of the business or activity.")]
    if status == VisitStatus.DONE and not outcome:
        errors["outcome"] = [_("Describe what the visit found.")]
    if re_migrated and not notes:
        errors["re_migration_notes"] = [_("Say where and when the returnee left, if known.")]
    if not re_migrated and notes:
        errors["re_migrated"] = [_("Tick re-migrated, or leave the notes empty.")]
    for name, value in (("outcome", outcome), ("re_migration_notes", notes)):
        if len(value) > 5000:
            errors[name] = [_("At most %(n)s characters.") % {"n": 5000}]
    raise_errors(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_back(locked)
        row = _locked_visit(visit, expected_version)
        if row.status == VisitStatus.CANCELLED:
            raise ValidationFailed(
                _("This visit was cancelled: plan another one."), code="visit_cancelled"
            )
        was = row.status
        row.status = status
        row.conducted_on = conducted_on
        row.mode = mode
        row.outcome = outcome
        row.activity_status = activity_status
        row.re_migrated = bool(re_migrated)
        row.re_migration_notes = notes
        row.conducted_by = user
        _save(
            row,
            [
                "status",
                "conducted_on",
                "mode",
                "outcome",
                "activity_status",
                "re_migrated",
                "re_migration_notes",
                "conducted_by",
            ],
        )
        touch_case(case, locked)
        audit(
            user,
            VISIT_RECORDED,
            row,
            case=case,
            changes={
                "visit_status": {"from": was, "to": status},
                "conducted_on": str(conducted_on),
                "visit_mode": mode,
                "activity_status": activity_status,
                "re_migrated": bool(re_migrated),
            },
        )
    _copy(row, visit)
    return visit


def _copy(row, visit) -> None:
    for f in MonitoringVisit._meta.concrete_fields:
        setattr(visit, f.attname, getattr(row, f.attname))


def on_case_closed(user, case, name, from_status, to_status) -> None:
    """Workflow effect (registered by files.setup.register): the visits still planned of a
    closed case are cancelled (one audit event). A reopened case gets new visits from the
    officer (visit_add), not the old schedule back."""
    if to_status != Status.CLOSED:
        return
    ids = list(
        MonitoringVisit.objects.filter(case_id=case.pk, status=VisitStatus.PLANNED).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return
    reason = _("Case closed.")
    from django.db.models import F

    MonitoringVisit.objects.filter(pk__in=ids).update(
        status=VisitStatus.CANCELLED,
        outcome=reason,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    audit(
        user,
        VISIT_CANCELLED,
        case,
        case=case,
        changes={"visits": ids, "reason": str(reason), "cause": "case_closed"},
    )
