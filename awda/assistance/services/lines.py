"""One line: record and cancel."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases.models import Case
from awda.cases.services import (
    lock_case,
    require_open,
    touch_case,
)
from awda.core.errors import StaleEdit, ValidationFailed
from awda.finance.models import Project
from awda.registry.models import Organisation, Person

from .. import policies
from ..charges import line_charge
from ..choices import LineStatus
from ..models import AssistanceLine
from ._common import (
    LINE_CANCELLED,
    LINE_RECORDED,
    _audit_line,
    _clean_item,
    _is_member,
    _line_changes,
    _project_errors,
    _raise,
    _require,
    _require_recording,
    _text,
)

# ---- one line -----------------------------------------------------------------------------------


def assistance_record(
    user,
    *,
    case: Case,
    person: Person,
    kind: str,
    quantity=None,
    unit_cost,
    currency: str = "",
    unit: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    place: str = "",
    nights: int | None = None,
    provider: Organisation | None = None,
    description: str = "",
    project: Project | None = None,
    notes: str = "",
) -> AssistanceLine:
    """Record one line of assistance given to a member of the case. `start_date` defaults to
    today (not in the future); `end_date` makes it a period. Accommodation needs a place and
    the nights (default: the length of the period), and its quantity defaults to the nights;
    the other kinds need a description. `unit` defaults per kind (choices.DEFAULT_UNITS).
    `project` defaults to the case's project; it must be of the case's mission and run on the
    date. `currency` defaults to the project's. The total is quantity x unit cost, to the
    cent. The line is charged to its project's budget in the same transaction (spent on its
    date, charges.line_charge): a refusal of the budget (budget_exceeded, over_person_cap)
    records nothing. The line returned carries `charge_warning` (the budget line's warning,
    "" if none)."""
    _require(policies.may_record(user, case))
    _require_recording(case)
    if not _is_member(case, person):
        raise ValidationFailed(fields={"person": [_("This person is not a member of the case.")]})
    today = timezone.localdate()
    values, errors = _clean_item(
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        place=place,
        nights=nights,
        provider=provider,
        description=description,
        quantity=quantity,
        unit=unit,
        unit_cost=unit_cost,
        currency=currency,
        today=today,
    )
    project = project if project is not None else case.project
    project_errors = _project_errors(case, project, values["start_date"])
    if project_errors:
        errors["project"] = project_errors
    _raise(errors)
    values["currency"] = values["currency"] or project.currency
    with transaction.atomic():
        locked = lock_case(case, None)
        _require_recording(locked)
        line = AssistanceLine.objects.create(
            case=locked,
            person=person,
            project=project,
            notes=_text(notes),
            recorded_by=user,
            **values,
        )
        charge = line_charge(user, line)
        touch_case(case, locked)
        _audit_line(
            user,
            LINE_RECORDED,
            case_id=case.pk,
            office_id=case.office_id,
            line=line,
            changes=_line_changes(line),
        )
    line.charge_warning = getattr(charge, "warning", "")
    return line


# ---- corrections --------------------------------------------------------------------------------


def assistance_cancel(
    user, *, line: AssistanceLine, reason: str, expected_version: int
) -> AssistanceLine:
    """Cancel a recorded line (a mistake, a service not delivered) with a reason and the version
    read; a stale version is refused (409). The line stays in the ledger, out of the totals,
    and its charge is released.
    Possible until the case is closed (also after departure: the accounts must be right)."""
    case = line.case
    _require(policies.may_record(user, case))
    require_open(case)
    reason = _text(reason)
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the line is cancelled.")]})
    with transaction.atomic():
        locked_case = lock_case(case, None)
        require_open(locked_case)
        row = AssistanceLine.objects.select_for_update().get(pk=line.pk, case_id=case.pk)
        if expected_version is None or int(expected_version) != row.version:
            raise StaleEdit()
        if row.status == LineStatus.CANCELLED:
            raise ValidationFailed(_("This line is already cancelled."), code="already_cancelled")
        row.status = LineStatus.CANCELLED
        row.cancelled_at = timezone.now()
        row.cancelled_by = user
        row.cancel_reason = reason[:2000]
        row.version += 1
        row.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancel_reason",
                "version",
                "updated_at",
            ]
        )
        row.case = locked_case
        line_charge(user, row)
        touch_case(case, locked_case)
        _audit_line(
            user,
            LINE_CANCELLED,
            case_id=case.pk,
            office_id=case.office_id,
            line=row,
            changes={**_line_changes(row), "reason": row.cancel_reason},
        )
    for name in ("status", "cancelled_at", "cancelled_by", "cancel_reason", "version"):
        setattr(line, name, getattr(row, name))
    return row
