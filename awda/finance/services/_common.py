"""Checks shared by the finance services: permission, amounts, currencies, dates, versions."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.core.money import MAX_TOTAL, parse_amount

from .. import policies
from ..models import CURRENCIES

CURRENCY_CODES = frozenset(c for c, _label in CURRENCIES)


def require(user, action: str, project=None) -> None:
    """PermissionDenied unless `user` may do `action` (on `project`'s mission if given)."""
    if not policies.can(user, action, project):
        raise PermissionDenied()


def check_amount(errors, name, value, *, allow_zero=False, maximum=MAX_TOTAL):
    """A Decimal amount >= 0 (> 0 unless allow_zero) with at most two decimals, or None with an
    error under `name`."""
    return parse_amount(errors, name, value, maximum=maximum, allow_zero=allow_zero)


def check_currency(errors, name, value) -> str:
    code = (value or "").strip().upper() if isinstance(value, str) else ""
    if code not in CURRENCY_CODES:
        errors[name] = [_("Choose a valid currency.")]
    return code


def check_date(errors, name, value, *, not_after=None):
    if value in (None, ""):
        errors[name] = [_("This field is required.")]
        return None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors[name] = [_("Enter a valid date.")]
        return None
    if not_after is not None and value > not_after:
        errors[name] = [_("The date cannot be in the future.")]
    return value


def check_text(errors, name, value, *, max_length, required=True) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if required and not text:
        errors[name] = [_("This field is required.")]
    elif len(text) > max_length:
        errors[name] = [
            _("Use at most %(n)s characters.") % {"n": max_length},
        ]
    return text


def check_version(row, expected_version) -> None:
    try:
        ok = expected_version is not None and int(expected_version) == row.version
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise StaleEdit()


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


def money(amount, currency) -> str:
    return f"{Decimal(amount):,.2f} {currency}"
