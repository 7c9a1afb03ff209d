"""Checks and helpers shared by the assistance services."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.cases.models import Case, CaseMember
from awda.cases.services import (
    require_open,
)
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.core.money import CENT, MAX_QUANTITY, MAX_TOTAL, line_total, parse_amount  # noqa: F401
from awda.finance.models import CURRENCIES, Project
from awda.registry.models import Organisation, Person

from ..choices import DEFAULT_UNITS, RECORDING_STATUSES, AssistanceKind

LINE_RECORDED = "assistance.line.recorded"
LINE_CANCELLED = "assistance.line.cancelled"
RECEIPT_ATTACHED = "assistance.receipt.attached"
RECEIPT_DOWNLOADED = "assistance.receipt.downloaded"
RECEIPT_PRINTED = "assistance.receipt.printed"
DISTRIBUTION_RECORDED = "assistance.distribution.recorded"
DISTRIBUTION_PRINTED = "assistance.distribution.printed"
DISTRIBUTION_VIEWED = "assistance.distribution.viewed"

MAX_RECIPIENTS = 500
CURRENCY_CODES = frozenset(c for c, _label in CURRENCIES)


# ---- checks -------------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


def _text(value) -> str:
    return (value or "").strip()


def status_refusal(case: Case) -> str | None:
    """Why `case` accepts no new line (None when it does): lines are recorded from registration
    up to departure."""
    if case.status in RECORDING_STATUSES:
        return None
    return _(
        "Assistance is recorded from registration up to departure; this case is %(status)s."
    ) % {"status": case.get_status_display().lower()}


def _require_recording(case: Case) -> None:
    require_open(case)
    reason = status_refusal(case)
    if reason:
        raise ValidationFailed(reason, code="case_status")


def _is_member(case: Case, person: Person | None) -> bool:
    return person is not None and (
        CaseMember.objects.filter(case_id=case.pk, person_id=person.pk).exists()
    )


def _decimal(errors, name, value, *, maximum: Decimal, allow_zero: bool) -> Decimal | None:
    return parse_amount(
        errors,
        name,
        value,
        maximum=maximum,
        allow_zero=allow_zero,
        positive_message=_("Enter a quantity greater than zero."),
    )


def _clean_item(
    *,
    kind,
    start_date,
    end_date,
    place,
    nights,
    provider,
    description,
    quantity,
    unit,
    unit_cost,
    currency,
    today: datetime.date,
) -> tuple[dict, dict]:
    """(values, field errors) of the item of a line or distribution."""
    errors: dict = {}
    if kind not in AssistanceKind.values:
        errors["kind"] = [_("Choose a valid option.")]
    start_date = start_date or today
    if start_date > today:
        errors["start_date"] = [_("The date cannot be in the future.")]
    if end_date is not None and end_date < start_date:
        errors["end_date"] = [_("The end of the period cannot be before its start.")]
    place = _text(place)
    description = _text(description)
    if nights in ("",):
        nights = None
    if nights is not None:
        try:
            nights = int(nights)
        except (TypeError, ValueError):
            nights = -1
        if not 0 < nights <= 366:
            errors["nights"] = [_("Enter a number of nights between 1 and 366.")]
    if kind == AssistanceKind.ACCOMMODATION:
        if not place:
            errors["place"] = [_("Say where the person is accommodated.")]
        if nights is None and end_date is not None and end_date > start_date:
            nights = (end_date - start_date).days
        if nights is None and "nights" not in errors:
            errors["nights"] = [_("Give the number of nights, or the end of the period.")]
        if quantity in (None, "") and nights:
            quantity = nights
    elif not description and kind in AssistanceKind.values:
        errors["description"] = [_("Describe what was given.")]
    if provider is not None and not (isinstance(provider, Organisation) and provider.is_active):
        errors["provider"] = [_("Choose an active partner organisation.")]
    quantity = _decimal(errors, "quantity", quantity, maximum=MAX_QUANTITY, allow_zero=False)
    unit_cost = _decimal(errors, "unit_cost", unit_cost, maximum=MAX_TOTAL, allow_zero=True)
    unit = _text(unit) or DEFAULT_UNITS.get(kind, "")
    if len(unit) > 30:
        errors["unit"] = [_("Use at most 30 characters.")]
    if currency and currency not in CURRENCY_CODES:
        errors["currency"] = [_("Choose a valid currency.")]
    total = None
    if quantity is not None and unit_cost is not None:
        total = line_total(quantity, unit_cost)
        if total > MAX_TOTAL:
            errors["unit_cost"] = [_("The total is too large.")]
    values = {
        "kind": kind,
        "start_date": start_date,
        "end_date": end_date,
        "place": place[:200],
        "nights": nights,
        "provider": provider,
        "description": description[:300],
        "quantity": quantity,
        "unit": unit,
        "unit_cost": unit_cost,
        "currency": currency,
        "total": total,
    }
    return values, errors


def _project_errors(case: Case, project: Project | None, on_date: datetime.date) -> list[str]:
    """Why `project` cannot pay for a line of `case` on `on_date` ([] when it can)."""
    if project is None:
        return [_("Choose the project this cost is charged to (the case has no project yet).")]
    if project.mission_id != case.mission_id:
        return [
            _("Project %(code)s is not a project of the case's mission.") % {"code": project.code}
        ]
    if not project.start_date <= on_date <= project.end_date:
        return [
            _("Project %(code)s runs from %(start)s to %(end)s: the date is outside.")
            % {"code": project.code, "start": project.start_date, "end": project.end_date}
        ]
    return []


def _audit_line(user, action, *, case_id, office_id, line, changes):
    audit_record(
        user,
        action=action,
        obj=line,
        case_id=case_id,
        person_id=line.person_id,
        office_id=office_id,
        changes={"person": line.person_id, "line": line.pk, **changes},
    )


def _line_changes(line) -> dict:
    changes = {
        "assistance_kind": line.kind,
        "amount": f"{line.total:.2f} {line.currency}",
        "project": line.project_id,
    }
    if line.distribution_id:
        changes["distribution"] = line.distribution_id
    return changes
