from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.factories import DonorFactory, UserFactory
from awda.finance.models import ExchangeRate


def test_an_administrator_records_a_rate_in_the_admin_audited(client, db):
    admin = UserFactory(username="admin.awda", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:finance_exchangerate_add"),
        {
            "currency": "EUR",
            "to_currency": "MAD",
            "rate": "10.85",
            "valid_from": "2026-01-01",
            "source": "UN",
        },
    )
    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert rate.recorded_by == admin
    assert AuditEvent.objects.filter(action="finance.exchangerate.created", actor=admin).exists()


def test_charges_and_overrides_are_read_only_in_the_admin(client, db):
    admin = UserFactory(username="admin.awda", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:finance_charge_changelist")).status_code == 200
    assert client.get(reverse("admin:finance_charge_add")).status_code == 403
    assert client.get(reverse("admin:finance_budgetoverride_add")).status_code == 403


def test_a_rate_saved_in_the_admin_converts_the_costs_awaiting_it(
    client, caseworker, case, project, lines
):
    from decimal import Decimal

    from .helpers import post

    waiting = post(caseworker, case, project, "1085", currency="MAD")
    admin = UserFactory(username="admin.awda", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:finance_exchangerate_add"),
        {"currency": "EUR", "to_currency": "MAD", "rate": "10.85", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.project_amount, waiting.rate, waiting.rate_inverted) == (
        Decimal("100.00"),
        Decimal("10.85"),
        True,
    )
    event = AuditEvent.objects.get(action="finance.exchangerate.created")
    assert event.changes["converted"] == 1 and event.changes["rate"] == "10.85"


def project_form(project, **changes) -> dict:
    data = {
        "code": project.code,
        "name": project.name,
        "mission": project.mission_id,
        "start_date": project.start_date.isoformat(),
        "end_date": project.end_date.isoformat(),
        "currency": project.currency,
        "donors": [d.pk for d in project.donors.all()] or [DonorFactory().pk],
        "eligible_nationalities": "[]",
        "eligible_vulnerabilities": "[]",
        "monitoring_months": "[]",
        "is_active": "on",
    }
    return data | changes


def test_a_project_s_currency_cannot_change_once_it_has_amounts(client, project):
    from .helpers import line

    admin = UserFactory(username="admin.awda", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:finance_project_change", args=[project.pk])
    # an unused project may still change currency
    assert client.post(url, project_form(project, currency="CHF")).status_code == 302
    project.refresh_from_db()
    assert project.currency == "CHF"
    line(project, "PD", "1000", [])
    response = client.post(url, project_form(project, currency="EUR", name="Renamed"))
    assert response.status_code == 200
    assert "can no longer change" in response.content.decode()
    project.refresh_from_db()
    assert (project.currency, project.name) != ("EUR", "Renamed")
    # other fields still change
    assert client.post(url, project_form(project, name="Renamed")).status_code == 302


def test_the_currency_check_names_what_holds_amounts(project, caseworker, case):
    import pytest

    from awda.core.errors import ValidationFailed
    from awda.finance.services.projects import currency_in_use, project_currency_check

    from .helpers import post

    assert currency_in_use(project) == []
    project_currency_check(project, "MAD")  # nothing uses the currency yet
    post(caseworker, case, project, "10")
    assert currency_in_use(project) == ["costs"]
    with pytest.raises(ValidationFailed) as exc:
        project_currency_check(project, "MAD")
    assert exc.value.code == "currency_in_use"
    project_currency_check(project, project.currency)  # unchanged: fine


def test_the_admin_refuses_a_cap_on_a_category_never_charged_to_a_person(client, project):
    from awda.finance.models import PersonCap

    admin = UserFactory(username="admin.awda", is_staff=True, is_superuser=True)
    client.force_login(admin)
    data = {"project": project.pk, "category": "reintegration_in_kind", "amount": "485"}
    response = client.post(reverse("admin:finance_personcap_add"), data)
    assert response.status_code == 200 and not PersonCap.objects.exists()
    data["category"] = "reintegration_cash"
    assert client.post(reverse("admin:finance_personcap_add"), data).status_code == 302
