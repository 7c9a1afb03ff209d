"""Departure-day pocket money: paid to a traveller against a signed receipt (print the receipt,
have it signed, upload the signed copy). The default amount is configuration
(settings.AWDA_POCKET_MONEY_DEFAULT), never code."""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.cases.services import lock_case, validate_upload
from awda.core.errors import ValidationFailed

from ..charges import pocket_money_charge
from ..choices import BookingStatus
from ..models import Booking, PocketMoney
from . import _common as c

PAYABLE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.DEPARTED)


def _audit(user, action, pm, case, **changes):
    audit_record(
        user,
        action=action,
        obj=pm,
        case_id=case.pk,
        person_id=pm.booking.person_id,
        office_id=case.office_id,
        changes={"booking": pm.booking_id, "pocket_money": pm.pk, **changes},
    )


def pocket_money_pay(
    user,
    *,
    booking: Booking,
    amount=None,
    currency: str = "",
    project=None,
    paid_on: datetime.date | None = None,
) -> PocketMoney:
    """Record the pocket money handed to the traveller of a confirmed (or departed) seat, once
    per seat. Empty amount and currency: the configured default. The project defaults to the
    booking's (a project of the case's mission). The money is spent on `paid_on`, charged to
    the project for the traveller (charges.py): a refusal of the budget (budget_exceeded,
    over_person_cap) records nothing."""
    case = booking.case
    c.require(user, "movement.record", case)
    default_amount, default_currency = c.pocket_money_default()
    if amount in (None, ""):
        amount, currency = default_amount, currency or default_currency
    errors: dict = {}
    amount, currency, project = c.clean_money(
        errors,
        amount=amount,
        currency=currency or default_currency,
        project=project or booking.project,
        mission_id=case.mission_id,
    )
    if amount is not None and amount <= 0:
        errors["amount"] = [_("Enter an amount above zero.")]
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        errors["paid_on"] = [_("The date cannot be in the future.")]
    c.raise_if(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        row = Booking.objects.select_for_update().get(pk=booking.pk)
        if row.status not in PAYABLE_STATUSES:
            raise ValidationFailed(
                _("Pocket money is paid on a confirmed seat."), code="invalid_booking_status"
            )
        try:
            with transaction.atomic():
                pm = PocketMoney.objects.create(
                    booking=row,
                    amount=amount,
                    currency=currency,
                    project=project,
                    paid_on=paid_on,
                    paid_by=user,
                )
        except IntegrityError:
            raise ValidationFailed(
                _("The pocket money of this traveller is already recorded."),
                code="already_paid",
            ) from None
        row.case = locked
        charge = pocket_money_charge(user, pm)
        _audit(
            user,
            c.POCKET_MONEY_PAID,
            pm,
            locked,
            amount=amount,
            currency=currency,
            project=getattr(project, "pk", None),
            paid_on=paid_on,
        )
    pm.charge_warning = getattr(charge, "warning", "")
    return pm


def pocket_money_receipt_add(user, *, pocket_money: PocketMoney, file) -> PocketMoney:
    """Store the signed receipt (a scan or photo; type and size checked as for attachments).
    A new upload replaces the previous one (both are in the audit trail)."""
    case = pocket_money.booking.case
    c.require(user, "movement.record", case)
    ext, errors = validate_upload(file)
    c.raise_if(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        pm = (
            PocketMoney.objects.select_for_update()
            .select_related("booking")
            .get(pk=pocket_money.pk)
        )
        previous = pm.receipt.name or None
        pm.stored_name = f"{uuid.uuid4().hex}.{ext}"
        pm.receipt_name = (getattr(file, "name", "") or pm.stored_name)[-200:]
        pm.receipt.save(pm.stored_name, file, save=False)
        pm.receipt_uploaded_at = timezone.now()
        pm.save(
            update_fields=[
                "receipt",
                "stored_name",
                "receipt_name",
                "receipt_uploaded_at",
                "updated_at",
            ]
        )
        _audit(user, c.RECEIPT_ADDED, pm, locked, file=pm.receipt_name, replaced=previous)
    return pm


def pocket_money_receipt_printed(user, *, pocket_money: PocketMoney) -> None:
    """Audit the printing of the receipt to sign (it names the traveller)."""
    case = pocket_money.booking.case
    c.require(user, "movement.view", case)
    _audit(user, c.RECEIPT_PRINTED, pocket_money, case)


def pocket_money_receipt_viewed(user, *, pocket_money: PocketMoney) -> None:
    case = pocket_money.booking.case
    c.require(user, "movement.view", case)
    _audit(user, c.RECEIPT_DOWNLOADED, pocket_money, case)
