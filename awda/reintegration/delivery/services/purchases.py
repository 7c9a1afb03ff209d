"""In-kind purchases: order (with lines), delivery, the returnee's acknowledgement, cancel."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases.models import Case
from awda.cases.services import lock_case, touch_case
from awda.core.errors import ValidationFailed
from awda.registry.models import Organisation

from ... import policies
from ...choices import PlanStatus, PurchaseStatus
from ...common import MAX_QUANTITY, MAX_TOTAL, audit, line_total, raise_errors, require, text
from ...models import Plan, PlanItem, Purchase, PurchaseLine
from ..charges import purchase_charge
from ._common import (
    MAX_LINES,
    PURCHASE_ACKNOWLEDGED,
    PURCHASE_CANCELLED,
    PURCHASE_CREATED,
    PURCHASE_DELIVERED,
    amount_text,
    check_currency,
    check_date,
    check_decimal,
    check_organisation,
    check_project_period,
    check_version,
    require_status,
    resolve_plan,
    today,
)


def _clean_lines(errors: dict, plan: Plan, lines) -> tuple[list[dict], Decimal]:
    """The lines as PurchaseLine values, and their total. Errors name the line by its index in
    `lines` (from 0, as in the request): "lines[1].quantity"."""
    lines = list(lines or [])
    if not lines:
        errors["lines"] = [_("Add at least one line.")]
        return [], Decimal("0.00")
    if len(lines) > MAX_LINES:
        errors["lines"] = [_("A purchase has at most %(n)s lines.") % {"n": MAX_LINES}]
        return [], Decimal("0.00")
    items = {item.pk: item for item in plan.items.all()}
    rows: list[dict] = []
    total = Decimal("0.00")
    for i, line in enumerate(lines):
        line_errors: dict = {}
        if not isinstance(line, dict):
            errors[f"lines[{i}]"] = [_("Each line needs a description, quantity and price.")]
            continue
        description = text(line.get("description"))
        if not description:
            line_errors["description"] = [_("Describe the item.")]
        elif len(description) > 300:
            line_errors["description"] = [_("Use at most 300 characters.")]
        unit = text(line.get("unit"))
        if not unit:
            line_errors["unit"] = [_("Give the unit (piece, kg, bag, ...).")]
        elif len(unit) > 30:
            line_errors["unit"] = [_("Use at most 30 characters.")]
        quantity = check_decimal(
            line_errors, "quantity", line.get("quantity"), maximum=MAX_QUANTITY
        )
        unit_price = check_decimal(
            line_errors, "unit_price", line.get("unit_price"), allow_zero=True
        )
        plan_item = line.get("plan_item")
        if plan_item not in (None, ""):
            key = plan_item.pk if isinstance(plan_item, PlanItem) else plan_item
            try:
                plan_item = items.get(int(key))
            except (TypeError, ValueError):
                plan_item = None
            if plan_item is None:
                line_errors["plan_item"] = [_("Choose an item of the approved plan.")]
        else:
            plan_item = None
        amount = None
        if quantity is not None and unit_price is not None:
            amount = line_total(quantity, unit_price)
            if amount > MAX_TOTAL:
                line_errors["unit_price"] = [_("The total is too large.")]
        for name, msgs in line_errors.items():
            errors[f"lines[{i}].{name}"] = msgs
        if line_errors:
            continue
        total += amount
        rows.append(
            {
                "description": description,
                "quantity": quantity,
                "unit": unit,
                "unit_price": unit_price,
                "total": amount,
                "plan_item": plan_item,
            }
        )
    if total > MAX_TOTAL:
        errors["lines"] = [_("The total of the purchase is too large.")]
    return rows, total


def _require_plan_in_force(plan: Plan) -> None:
    if not Plan.objects.filter(pk=plan.pk, status=PlanStatus.APPROVED).exists():
        raise ValidationFailed(
            fields={"plan": [_("The plan is no longer the approved plan of the case.")]}
        )


def purchase_create(
    user,
    *,
    case: Case,
    supplier: Organisation,
    lines,
    ordered_on: datetime.date | None = None,
    currency: str = "",
    invoice_number: str = "",
    notes: str = "",
    plan: Plan | None = None,
) -> Purchase:
    """Order goods for the returnee from a supplier under the case's approved plan (`plan`
    defaults to it) and charge them to the plan's project. `lines`: dicts with description,
    quantity, unit, unit_price and optionally plan_item (an item, or its id, of the plan). A
    line's total is quantity x unit price to the cent; the purchase total is their sum.
    `currency` defaults to the plan's; `ordered_on` to today (not in the future, within the
    project's period). The total is committed on the project's budget from `ordered_on`
    (charges.py): a refusal of the budget (budget_exceeded) records nothing. The purchase
    returned carries `charge_warning`."""
    require(policies.may_record(user, case))
    require_status(case)
    plan = resolve_plan(case, plan)
    errors: dict = {}
    check_organisation(errors, "supplier", supplier, country=case.country_of_return)
    ordered_on = check_date(errors, "ordered_on", ordered_on or today())
    if "ordered_on" not in errors:
        check_project_period(errors, "ordered_on", plan.project, ordered_on)
    currency = check_currency(errors, "currency", currency, plan.currency)
    invoice_number = text(invoice_number)
    if len(invoice_number) > 60:
        errors["invoice_number"] = [_("Use at most 60 characters.")]
    rows, total = _clean_lines(errors, plan, lines)
    raise_errors(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_status(locked)
        _require_plan_in_force(plan)
        purchase = Purchase.objects.create(
            case=locked,
            plan=plan,
            supplier=supplier,
            project_id=plan.project_id,
            currency=currency,
            ordered_on=ordered_on,
            invoice_number=invoice_number,
            total=total,
            notes=text(notes),
            recorded_by=user,
        )
        PurchaseLine.objects.bulk_create(PurchaseLine(purchase=purchase, **row) for row in rows)
        purchase.project = plan.project
        charge = purchase_charge(user, purchase)
        touch_case(case, locked)
        audit(
            user,
            PURCHASE_CREATED,
            purchase,
            case=case,
            changes={
                "purchase": purchase.pk,
                "supplier": supplier.pk,
                "amount": amount_text(total, currency),
                "project": plan.project_id,
                "plan": plan.pk,
                "lines": len(rows),
            },
        )
    purchase.charge_warning = getattr(charge, "warning", "")
    return purchase


def _lock_purchase(case: Case, purchase: Purchase, expected_version) -> tuple[Case, Purchase]:
    locked = lock_case(case, None)
    row = Purchase.objects.select_for_update().get(pk=purchase.pk, case_id=case.pk)
    check_version(row, expected_version)
    return locked, row


def _save(purchase: Purchase, row: Purchase, fields: list[str]) -> None:
    row.version += 1
    row.save(update_fields=[*fields, "version", "updated_at"])
    for name in (*fields, "version", "updated_at"):
        setattr(purchase, name, getattr(row, name))


def purchase_deliver(
    user, *, purchase: Purchase, delivered_on: datetime.date, expected_version: int
) -> Purchase:
    """The supplier delivered an ordered purchase on `delivered_on` (not before the order, not
    in the future): the purchase is spent from now on, on that day (its charge follows; a
    refusal of the budget, e.g. at a new exchange rate, refuses the delivery)."""
    case = purchase.case
    require(policies.may_record(user, case))
    require_status(case)
    errors: dict = {}
    check_date(
        errors,
        "delivered_on",
        delivered_on,
        not_before=purchase.ordered_on,
        before_label=_("the order"),
    )
    raise_errors(errors)
    with transaction.atomic():
        locked, row = _lock_purchase(case, purchase, expected_version)
        require_status(locked)
        if row.status != PurchaseStatus.ORDERED:
            raise ValidationFailed(
                _("Only an ordered purchase can be delivered; this one is %(status)s.")
                % {"status": row.get_status_display().lower()},
                code="purchase_status",
            )
        row.status = PurchaseStatus.DELIVERED
        row.delivered_on = delivered_on
        _save(purchase, row, ["status", "delivered_on"])
        row.case = locked
        charge = purchase_charge(user, row)
        purchase.charge_warning = getattr(charge, "warning", "")
        touch_case(case, locked)
        audit(
            user,
            PURCHASE_DELIVERED,
            row,
            case=case,
            changes={
                "purchase": row.pk,
                "delivered_on": delivered_on.isoformat(),
                "amount": amount_text(row.total, row.currency),
            },
        )
    return purchase


def purchase_acknowledge(
    user, *, purchase: Purchase, acknowledged_on: datetime.date, expected_version: int
) -> Purchase:
    """The returnee signed the acknowledgement of receipt of a delivered purchase on
    `acknowledged_on` (not before the delivery, not in the future). The scan of the signed
    sheet is attached separately (delivery_document_attach, kind "acknowledgement")."""
    case = purchase.case
    require(policies.may_record(user, case))
    require_status(case)
    errors: dict = {}
    check_date(
        errors,
        "acknowledged_on",
        acknowledged_on,
        not_before=purchase.delivered_on,
        before_label=_("the delivery"),
    )
    raise_errors(errors)
    with transaction.atomic():
        locked, row = _lock_purchase(case, purchase, expected_version)
        require_status(locked)
        if row.status != PurchaseStatus.DELIVERED:
            raise ValidationFailed(
                _("The returnee acknowledges a purchase once it is delivered."),
                code="purchase_status",
            )
        if row.acknowledged_on:
            raise ValidationFailed(
                _("The receipt of this purchase was already acknowledged."),
                code="already_acknowledged",
            )
        row.acknowledged_on = acknowledged_on
        _save(purchase, row, ["acknowledged_on"])
        touch_case(case, locked)
        audit(
            user,
            PURCHASE_ACKNOWLEDGED,
            row,
            case=case,
            changes={"purchase": row.pk, "acknowledged_on": acknowledged_on.isoformat()},
        )
    return purchase


def purchase_cancel(user, *, purchase: Purchase, reason: str, expected_version: int) -> Purchase:
    """Cancel an ordered purchase (not delivered: the goods were bought, the money is spent)
    with a reason. The purchase is kept, out of the totals (its charge is released); it is
    never deleted."""
    case = purchase.case
    require(policies.may_record(user, case))
    require_status(case)
    reason = text(reason)
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the purchase is cancelled.")]})
    with transaction.atomic():
        locked, row = _lock_purchase(case, purchase, expected_version)
        require_status(locked)
        if row.status != PurchaseStatus.ORDERED:
            raise ValidationFailed(
                _("A delivered or cancelled purchase cannot be cancelled."),
                code="purchase_status",
            )
        row.status = PurchaseStatus.CANCELLED
        row.cancelled_at = timezone.now()
        row.cancelled_by = user
        row.cancel_reason = reason[:2000]
        _save(purchase, row, ["status", "cancelled_at", "cancelled_by", "cancel_reason"])
        row.case = locked
        purchase_charge(user, row)
        touch_case(case, locked)
        audit(
            user,
            PURCHASE_CANCELLED,
            row,
            case=case,
            changes={
                "purchase": row.pk,
                "amount": amount_text(row.total, row.currency),
                "reason": row.cancel_reason,
            },
        )
    return purchase
