from decimal import Decimal

import pytest

from awda.assistance.documents import money, quantity
from awda.assistance.services import line_total


@pytest.mark.parametrize(
    ("qty", "cost", "total"),
    [
        ("1", "0.10", "0.10"),
        ("3", "0.10", "0.30"),  # exact, unlike 3 * 0.1 in floating point
        ("0.5", "0.25", "0.13"),  # half up
        ("2.5", "0.01", "0.03"),
        ("7", "33.33", "233.31"),
        ("99999999.99", "0", "0.00"),
    ],
)
def test_line_total_is_exact_to_the_cent(qty, cost, total):
    assert line_total(Decimal(qty), Decimal(cost)) == Decimal(total)


def test_amounts_and_quantities_print_without_ambiguity():
    assert money(Decimal("1500")) == "1500.00"
    assert quantity(Decimal("3.00")) == "3" and quantity(Decimal("2.50")) == "2.5"
    assert quantity(Decimal("10.00")) == "10"
