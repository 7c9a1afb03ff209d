"""Cash grants paid in tranches: plan, pay, cancel."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases.models import Case
from awda.cases.services import lock_case, touch_case
from awda.core.errors import ValidationFailed
from awda.registry.models import Person

from ... import policies
from ...choices import PaymentChannel, TrancheStatus
from ...common import audit, raise_errors, require, text
from ...models import CashTranche, Plan
from ..charges import tranche_charge
from ._common import (
    TRANCHE_CANCELLED,
    TRANCHE_PAID,
    TRANCHE_PLANNED,
    amount_text,
    check_currency,
    check_date,
    check_decimal,
    check_project_period,
    check_version,
    is_member,
    require_status,
    resolve_plan,
)
from .purchases import _require_plan_in_force


def tranche_plan(
    user,
    *,
    case: Case,
    person: Person,
    amount,
    currency: str = "",
    due_on: datetime.date | None = None,
    channel: str,
    notes: str = "",
    plan: Plan | None = None,
) -> CashTranche:
    """Plan a cash tranche for a member of the case under the approved plan (`plan` defaults to
    it), charged to its project; `currency` defaults to the plan's. `due_on` may be in the
    future (e.g. six months after arrival). The amount is committed on the project's budget
    from today (charges.py): a refusal of the budget (budget_exceeded, over_person_cap)
    records nothing. The tranche returned carries `charge_warning`."""
    require(policies.may_record(user, case))
    require_status(case)
    plan = resolve_plan(case, plan)
    errors: dict = {}
    if not is_member(case, person):
        errors["person"] = [_("This person is not a member of the case.")]
    amount = check_decimal(errors, "amount", amount)
    currency = check_currency(errors, "currency", currency, plan.currency)
    if channel not in PaymentChannel.values:
        errors["channel"] = [_("Choose a valid option.")]
    if due_on is not None and not isinstance(due_on, datetime.date):
        errors["due_on"] = [_("Enter a valid date.")]
    raise_errors(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_status(locked)
        _require_plan_in_force(plan)
        tranche = CashTranche.objects.create(
            case=locked,
            plan=plan,
            person=person,
            project_id=plan.project_id,
            amount=amount,
            currency=currency,
            due_on=due_on,
            channel=channel,
            notes=text(notes),
            recorded_by=user,
        )
        tranche.project = plan.project
        charge = tranche_charge(user, tranche)
        touch_case(case, locked)
        audit(
            user,
            TRANCHE_PLANNED,
            tranche,
            case=case,
            person_id=person.pk,
            changes={
                "tranche": tranche.pk,
                "person": person.pk,
                "amount": amount_text(amount, currency),
                "due_on": due_on.isoformat() if due_on else None,
                "channel": channel,
                "project": plan.project_id,
            },
        )
    tranche.charge_warning = getattr(charge, "warning", "")
    return tranche


def _lock_tranche(case, tranche, expected_version):
    locked = lock_case(case, None)
    row = CashTranche.objects.select_for_update().get(pk=tranche.pk, case_id=case.pk)
    check_version(row, expected_version)
    return locked, row


def _save(tranche, row, fields):
    row.version += 1
    row.save(update_fields=[*fields, "version", "updated_at"])
    for name in (*fields, "version", "updated_at"):
        setattr(tranche, name, getattr(row, name))


def tranche_pay(
    user,
    *,
    tranche: CashTranche,
    paid_on: datetime.date,
    reference: str = "",
    expected_version: int,
) -> CashTranche:
    """A planned tranche was paid on `paid_on` (not in the future, within the project's
    period), with the payment's reference (receipt, transfer or mobile money number). The
    amount is spent on `paid_on` (its charge follows; a refusal of the budget refuses the
    payment)."""
    case = tranche.case
    require(policies.may_record(user, case))
    require_status(case)
    errors: dict = {}
    check_date(errors, "paid_on", paid_on)
    if "paid_on" not in errors:
        check_project_period(errors, "paid_on", tranche.project, paid_on)
    reference = text(reference)
    if len(reference) > 80:
        errors["reference"] = [_("Use at most 80 characters.")]
    raise_errors(errors)
    with transaction.atomic():
        locked, row = _lock_tranche(case, tranche, expected_version)
        require_status(locked)
        if row.status != TrancheStatus.PLANNED:
            raise ValidationFailed(
                _("Only a planned tranche can be paid; this one is %(status)s.")
                % {"status": row.get_status_display().lower()},
                code="tranche_status",
            )
        row.status = TrancheStatus.PAID
        row.paid_on = paid_on
        row.reference = reference
        _save(tranche, row, ["status", "paid_on", "reference"])
        row.case = locked
        charge = tranche_charge(user, row)
        tranche.charge_warning = getattr(charge, "warning", "")
        touch_case(case, locked)
        audit(
            user,
            TRANCHE_PAID,
            row,
            case=case,
            person_id=row.person_id,
            changes={
                "tranche": row.pk,
                "amount": amount_text(row.amount, row.currency),
                "paid_on": paid_on.isoformat(),
                "reference": reference,
            },
        )
    return tranche


def tranche_cancel(
    user, *, tranche: CashTranche, reason: str, expected_version: int
) -> CashTranche:
    """Cancel a planned tranche with a reason (a paid one cannot be: the money is out). It is
    kept, out of the totals (its charge is released)."""
    case = tranche.case
    require(policies.may_record(user, case))
    require_status(case)
    reason = text(reason)
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the tranche is cancelled.")]})
    with transaction.atomic():
        locked, row = _lock_tranche(case, tranche, expected_version)
        require_status(locked)
        if row.status != TrancheStatus.PLANNED:
            raise ValidationFailed(
                _("A paid or cancelled tranche cannot be cancelled."), code="tranche_status"
            )
        row.status = TrancheStatus.CANCELLED
        row.cancelled_at = timezone.now()
        row.cancelled_by = user
        row.cancel_reason = reason[:2000]
        _save(tranche, row, ["status", "cancelled_at", "cancelled_by", "cancel_reason"])
        row.case = locked
        tranche_charge(user, row)
        touch_case(case, locked)
        audit(
            user,
            TRANCHE_CANCELLED,
            row,
            case=case,
            person_id=row.person_id,
            changes={
                "tranche": row.pk,
                "amount": amount_text(row.amount, row.currency),
                "reason": row.cancel_reason,
            },
        )
    return tranche
