"""The Delivery tab shows the budget's refusal of a purchase, and its warning."""

from decimal import Decimal

from django.contrib.messages import get_messages
from django.urls import reverse

from awda.factories import BudgetLineFactory
from awda.finance.models import Charge
from awda.reintegration.models import Purchase

from .test_delivery_tab import purchase_data


def test_a_purchase_past_the_budget_comes_back_on_the_tab(
    client, origin_officer, reint_case, plan, project, supplier
):
    BudgetLineFactory(project=project, code="REI", categories=[], amount=Decimal("100"))
    client.force_login(origin_officer)
    url = reverse("reintegration:purchase_create", args=[reint_case.pk])
    response = client.post(url, purchase_data(supplier))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Budget line REI" in html and "139.50 EUR" in html
    assert not Purchase.objects.exists() and not Charge.objects.exists()


def test_a_purchase_past_the_warning_threshold_is_recorded_with_a_warning(
    client, origin_officer, reint_case, plan, project, supplier
):
    BudgetLineFactory(project=project, code="REI", categories=[], amount=Decimal("150"))
    client.force_login(origin_officer)
    url = reverse("reintegration:purchase_create", args=[reint_case.pk])
    response = client.post(url, purchase_data(supplier))
    assert response.status_code == 302
    levels = {m.level_tag: str(m) for m in get_messages(response.wsgi_request)}
    assert "REI" in levels["warning"] and "93%" in levels["warning"]
    assert Purchase.objects.count() == Charge.objects.count() == 1
