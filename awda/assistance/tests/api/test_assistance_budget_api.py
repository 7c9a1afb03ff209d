"""The API refuses a cost past the budget with its code (nothing is written)."""

from decimal import Decimal

from awda.assistance.models import AssistanceLine
from awda.core.api.testing import api_client, error_of
from awda.factories import BudgetLineFactory
from awda.finance.models import Charge

from ..helpers import principal


def test_the_api_refuses_a_line_past_the_budget_with_its_code(caseworker, funded_case, project):
    BudgetLineFactory(project=project, code="PRE", categories=["food"], amount=Decimal("100"))
    body = {
        "person": principal(funded_case).pk,
        "kind": "food",
        "description": "Food basket",
        "quantity": "2",
        "unit_cost": "150.00",
        "currency": "EUR",
    }
    response = api_client(caseworker).post(
        f"/api/v1/cases/{funded_case.pk}/assistance/", body, format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "budget_exceeded"
    assert "Budget line PRE" in error["message"] and "300.00 EUR" in error["message"]
    assert error["details"]["budget_line"] and error["details"]["currency"] == "EUR"
    assert not AssistanceLine.objects.exists() and not Charge.objects.exists()
