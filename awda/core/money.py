"""Money arithmetic shared by every ledger (assistance lines, reintegration plans, purchases):
Decimal amounts of 12 digits with 2 decimals, totals rounded half up to the cent."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MAX_TOTAL = Decimal("9999999999.99")  # 12 digits, 2 decimals
MAX_QUANTITY = Decimal("99999999.99")  # 10 digits, 2 decimals


def line_total(quantity, unit_cost) -> Decimal:
    """quantity x unit cost, rounded half up to the cent."""
    return (Decimal(quantity) * Decimal(unit_cost)).quantize(CENT, rounding=ROUND_HALF_UP)
