"""Helpers shared by the reintegration services (all areas): permission checks, money, the
arrival date of a case, audit of reintegration records."""

import datetime

from django.conf import settings

from awda.audit.services import audit_record
from awda.cases.choices import Status
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.core.money import CENT, MAX_QUANTITY, MAX_TOTAL, line_total  # noqa: F401
from awda.finance.models import CURRENCIES

CURRENCY_CODES = frozenset(c for c, _label in CURRENCIES)

# Statuses in which the origin office works on a case (after the handover, until closure).
WORKING_STATUSES = (Status.DEPARTED, Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


def text(value) -> str:
    return (value or "").strip()


def audit(user, action: str, obj, *, case, changes: dict | None = None, person_id=None):
    """Audit a reintegration record in the caller's transaction, on the case's timeline."""
    return audit_record(
        user,
        action=action,
        obj=obj,
        object_repr=str(obj),
        case_id=case.pk,
        person_id=person_id,
        office_id=case.office_id,
        changes=changes or {},
    )


def plan_due_on(arrived_on: datetime.date | None) -> datetime.date | None:
    if arrived_on is None:
        return None
    return arrived_on + datetime.timedelta(days=settings.AWDA_PLAN_DUE_DAYS)


def plan_overdue(
    plan_due_on: datetime.date | None, has_approved_plan: bool, today: datetime.date
) -> bool:
    """THE rule of an overdue reintegration plan (one meaning everywhere: the Plan tab, the
    queues, the reports): a plan must be approved by its due date, so a case is overdue when
    today is after the due date and no plan of the case has been approved (a plan approved
    since, even late, ends the overdue state). No due date (arrival not known): not overdue."""
    return plan_due_on is not None and today > plan_due_on and not has_approved_plan


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the last day of the month when it does not exist)."""
    import calendar

    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def arrival_date(case) -> datetime.date | None:
    """When the case arrived: the day of its (latest) move to "arrived", if it has one."""
    from django.utils import timezone

    row = (
        case.transitions.filter(to_status=Status.ARRIVED)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return timezone.localdate(row) if row else None
