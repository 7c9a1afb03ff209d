"""The API refuses a purchase past the budget with its code (nothing is written)."""

from decimal import Decimal

from awda.core.api.testing import api_client, error_of
from awda.factories import BudgetLineFactory
from awda.finance.models import Charge
from awda.reintegration.models import Purchase, PurchaseLine

from .test_delivery_api import body


def test_a_purchase_past_the_budget_is_refused_with_its_code(
    origin_officer, reint_case, plan, project, supplier
):
    BudgetLineFactory(project=project, code="REI", categories=[], amount=Decimal("100"))
    lines = [{"description": "Shelf", "quantity": "1", "unit": "piece", "unit_price": "120.00"}]
    response = api_client(origin_officer).post(
        f"/api/v1/cases/{reint_case.pk}/purchases/", body(supplier, lines=lines), format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "budget_exceeded"
    assert "Budget line REI" in error["message"] and "120.00 EUR" in error["message"]
    assert not Purchase.objects.exists() and not PurchaseLine.objects.exists()
    assert not Charge.objects.exists()
