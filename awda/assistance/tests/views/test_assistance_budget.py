"""The assistance tab shows the budget's refusals and warnings."""

from decimal import Decimal

from django.contrib.messages import get_messages
from django.urls import reverse

from awda.assistance.models import AssistanceLine
from awda.factories import BudgetLineFactory
from awda.finance.models import Charge

from .test_assistance_tab import line_data


def test_the_tab_shows_why_the_budget_refuses_a_line(client, caseworker, funded_case, project):
    BudgetLineFactory(project=project, code="PRE", categories=["food"], amount=Decimal("100"))
    client.force_login(caseworker)
    url = reverse("assistance:line_record", args=[funded_case.pk])
    data = line_data(funded_case, project, **{"line-currency": "EUR"})  # 2 x 150 EUR
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Budget line PRE" in body and "300.00 EUR" in body
    assert not AssistanceLine.objects.exists() and not Charge.objects.exists()


def test_a_line_past_the_warning_threshold_is_recorded_with_a_warning(
    client, caseworker, funded_case, project
):
    BudgetLineFactory(project=project, code="PRE", categories=["food"], amount=Decimal("320"))
    client.force_login(caseworker)
    url = reverse("assistance:line_record", args=[funded_case.pk])
    response = client.post(url, line_data(funded_case, project, **{"line-currency": "EUR"}))
    assert response.status_code == 302
    shown = {(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)}
    assert ("warning", "Budget line PRE Budget line of project AVRR-MA-SEM is 94% used.") in shown
    assert AssistanceLine.objects.count() == Charge.objects.count() == 1
