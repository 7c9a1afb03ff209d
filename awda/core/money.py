"""Money arithmetic shared by every ledger (assistance lines, reintegration plans, purchases):
Decimal amounts of 12 digits with 2 decimals, totals rounded half up to the cent."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_TOTAL = Decimal("9999999999.99")  # 12 digits, 2 decimals
MAX_QUANTITY = Decimal("99999999.99")  # 10 digits, 2 decimals


def line_total(quantity, unit_cost) -> Decimal:
    """quantity x unit cost, rounded half up to the cent."""
    return (Decimal(quantity) * Decimal(unit_cost)).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(
    errors: dict,
    name: str,
    value,
    *,
    maximum: Decimal = MAX_TOTAL,
    allow_zero: bool = False,
    positive_message=None,
) -> Decimal | None:
    """`value` (text or number) as a Decimal exact to the cent, > 0 (>= 0 with allow_zero) and at
    most `maximum`; or None with a message under errors[name]. `positive_message` replaces "Enter
    a number greater than zero." (e.g. for a quantity)."""
    from django.utils.translation import gettext as _

    if value is None or (isinstance(value, str) and not value.strip()):
        errors[name] = [_("This field is required.")]
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[name] = [_("Enter a number.")]
        return None
    if not number.is_finite():
        errors[name] = [_("Enter a number.")]
        return None
    if abs(number) > maximum:  # before quantize(), which fails on numbers of 29+ digits
        errors[name] = [_("The number is too large.")]
        return None
    if number != number.quantize(CENT):
        errors[name] = [_("Use at most two decimals.")]
        return None
    number = number.quantize(CENT)
    if number < 0 or (number == 0 and not allow_zero):
        errors[name] = [
            _("Enter an amount of zero or more.")
            if allow_zero
            else (positive_message or _("Enter a number greater than zero."))
        ]
        return None
    return number
