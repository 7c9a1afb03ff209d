"""The Travel tab shows the budget's refusal of a ticket, and its warning."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from awda.factories import BudgetLineFactory
from awda.finance.models import Charge
from awda.movements.models import Booking

pytestmark = pytest.mark.django_db


def booking_data(case, project, cost):
    departs = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    return {
        "bk-person": case.principal_id,
        "bk-from_airport": "CMN",
        "bk-to_airport": "CKY",
        "bk-flight_number": "AT517",
        "bk-departs_at": departs,
        "bk-ticket_cost": cost,
        "bk-currency": "EUR",
        "bk-project": project.pk,
    }


def test_a_ticket_past_the_budget_comes_back_on_the_tab(
    client, movement_officer, ready_case, project
):
    BudgetLineFactory(project=project, code="TKT", categories=["ticket"], amount=Decimal("300"))
    client.force_login(movement_officer)
    url = reverse("movements:booking_create", args=[ready_case.pk])
    r = client.post(url, booking_data(ready_case, project, "420.00"))
    assert r.status_code == 400
    html = r.content.decode()
    assert 'data-testid="booking-form"' in html
    assert "Budget line TKT" in html and "420.00 EUR" in html
    assert not Booking.objects.exists() and not Charge.objects.exists()


def test_a_ticket_past_the_warning_threshold_is_booked_with_a_warning(
    client, movement_officer, ready_case, project
):
    BudgetLineFactory(project=project, code="TKT", categories=["ticket"], amount=Decimal("450"))
    client.force_login(movement_officer)
    url = reverse("movements:booking_create", args=[ready_case.pk])
    r = client.post(url, booking_data(ready_case, project, "420.00"))
    assert r.status_code == 302
    levels = {m.level_tag: str(m) for m in get_messages(r.wsgi_request)}
    assert "TKT" in levels["warning"] and "93%" in levels["warning"]
    assert Booking.objects.get().ticket_cost == Decimal("420.00")
