from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.factories import ProjectFactory
from awda.finance.models import BudgetLine, BudgetOverride, Contribution, PersonCap

from ..helpers import post


def budget(project):
    return reverse("finance:project_budget", args=[project.pk])


def charges(project):
    return reverse("finance:project_charges", args=[project.pk])


@pytest.fixture
def costs(caseworker, case, project, lines):
    post(caseworker, case, project, "300", category="food", stage="committed")
    post(caseworker, case, project, "650.55", category="medical")
    post(caseworker, case, project, "20", category="ticket", currency="GNF")
    return case


@pytest.mark.parametrize(
    "persona,budget_status,charges_status",
    [
        ("finance_officer", 200, 200),
        ("oujda_finance", 200, 200),
        ("manager", 200, 200),
        ("auditor", 200, 403),
        ("caseworker", 403, 403),
        ("tunisia_finance", 404, 404),
    ],
)
def test_who_sees_the_budget_and_its_charges(
    request, client, persona, budget_status, charges_status, project, costs
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(budget(project))
    assert response.status_code == budget_status
    assert client.get(charges(project)).status_code == charges_status
    if budget_status == 200:
        body = response.content.decode()
        assert costs.number not in body  # aggregates only: no case numbers
        assert ('data-testid="charges-link"' in body) is (charges_status == 200)


def test_the_budget_page_shows_per_line_figures_and_flags(client, finance_officer, project, costs):
    client.force_login(finance_officer)
    body = client.get(budget(project)).content.decode()
    assert 'data-testid="budget-line" data-code="PD" data-warning="1" data-over="0"' in body
    assert 'data-figure="committed" data-amount="300.00"' in body
    assert 'data-figure="spent" data-amount="650.55"' in body
    assert 'data-figure="remaining" data-amount="49.45"' in body
    assert 'data-testid="awaiting-row" data-currency="GNF"' in body
    assert 'data-testid="budget-warnings"' in body
    assert 'id="burn-chart"' in body and 'id="burn-data"' in body
    assert 'data-testid="override-button"' in body and 'data-testid="line-new"' in body


def test_the_manager_sees_no_management_buttons(client, manager, project, costs):
    client.force_login(manager)
    body = client.get(budget(project)).content.decode()
    assert 'data-testid="override-button"' not in body and 'data-testid="cap-form"' not in body


def test_the_budget_page_costs_a_fixed_number_of_queries(
    client, finance_officer, caseworker, case, project, lines, django_assert_max_num_queries
):
    client.force_login(finance_officer)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(budget(project)).status_code == 200
        return len(ctx.captured_queries)

    post(caseworker, case, project, "1", category="food")
    few = count()
    for i in range(15):
        post(
            caseworker,
            case,
            project,
            "1",
            category=["food", "ticket", "cash"][i % 3],
            currency=["EUR", "MAD", "XOF"][i % 3],
        )
    BudgetLine.objects.create(project=project, code="X1", name="x", amount=5, categories=["cash"])
    assert count() == few
    with django_assert_max_num_queries(few):
        client.get(budget(project))


def test_the_project_list_shows_totals_in_a_fixed_number_of_queries(
    client, finance_officer, project, costs, morocco, django_assert_max_num_queries
):
    client.force_login(finance_officer)
    url = reverse("finance:project_list")
    body = client.get(url).content.decode()
    assert 'data-code="AVRR-MA-SEM"' in body
    assert 'data-figure="spent" data-amount="650.55"' in body
    assert 'data-testid="awaiting-badge"' in body
    with django_assert_max_num_queries(12):
        client.get(url)
    for i in range(5):
        ProjectFactory(code=f"MA-{i}", mission=morocco)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_charges_page_lists_cases_and_filters_by_line(
    client, finance_officer, project, lines, costs, django_assert_max_num_queries
):
    client.force_login(finance_officer)
    body = client.get(charges(project)).content.decode()
    assert body.count('data-testid="charge-row"') == 3 and costs.number in body
    body = client.get(charges(project), {"line": lines["PD"].pk}).content.decode()
    assert body.count('data-testid="charge-row"') == 2
    body = client.get(charges(project), {"awaiting": "on"}).content.decode()
    assert body.count('data-testid="charge-row"') == 1
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(charges(project)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(10):
        post(finance_officer, costs, project, "1", category=["food", "cash"][i % 2])
    assert count() == few


def test_a_line_is_created_from_its_form(client, finance_officer, project):
    client.force_login(finance_officer)
    url = reverse("finance:line_create", args=[project.pk])
    data = {
        "line-code": "PM",
        "line-name": "Pocket money",
        "line-amount": "1500.00",
        "line-categories": ["pocket_money", "cash"],
        "line-warning_percent": "80",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    line = BudgetLine.objects.get(code="PM")
    assert line.categories == ["pocket_money", "cash"] and line.warning_percent == 80


def test_a_line_form_error_comes_back_on_the_form(client, finance_officer, project, lines):
    client.force_login(finance_officer)
    url = reverse("finance:line_create", args=[project.pk])
    data = {
        "line-code": "X",
        "line-name": "x",
        "line-amount": "1",
        "line-categories": ["food"],
        "line-warning_percent": "90",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "PD" in response.content.decode()


def test_a_stale_line_edit_is_refused(client, finance_officer, project, lines):
    client.force_login(finance_officer)
    url = reverse("finance:line_edit", args=[lines["PD"].pk])
    data = {
        "line-version": "1",
        "line-code": "PD",
        "line-name": "New name",
        "line-amount": "1000.00",
        "line-categories": ["medical"],
        "line-warning_percent": "90",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data | {"line-name": "Again"}).status_code == 409
    lines["PD"].refresh_from_db()
    assert (lines["PD"].name, lines["PD"].version) == ("New name", 2)


def test_an_override_is_granted_from_its_page(client, finance_officer, manager, project, lines):
    url = reverse("finance:override_grant", args=[lines["PD"].pk])
    client.force_login(manager)
    assert client.get(url).status_code == 403
    client.force_login(finance_officer)
    assert client.post(url, {"override-amount": "100", "override-reason": ""}).status_code == 400
    response = client.post(url, {"override-amount": "100", "override-reason": "Donor agreed"})
    assert response.status_code == 302
    assert BudgetOverride.objects.get().reason == "Donor agreed"
    body = client.get(budget(project)).content.decode()
    assert 'data-testid="override-row"' in body and "Donor agreed" in body


def test_caps_and_contributions_are_recorded_from_the_budget_page(client, finance_officer, project):
    client.force_login(finance_officer)
    response = client.post(
        reverse("finance:cap_set", args=[project.pk]),
        {"cap-category": "pocket_money", "cap-amount": "150"},
    )
    assert response.status_code == 302
    assert PersonCap.objects.get().amount == Decimal("150.00")
    bad = client.post(
        reverse("finance:contribution_record", args=[project.pk]),
        {"contribution-donor": "", "contribution-amount": "10"},
    )
    assert bad.status_code == 400 and 'data-testid="contribution-form"' in bad.content.decode()
    donor = project.donors.get()
    ok = client.post(
        reverse("finance:contribution_record", args=[project.pk]),
        {
            "contribution-donor": donor.pk,
            "contribution-amount": "250000",
            "contribution-currency": "CHF",
            "contribution-received_on": timezone.localdate().isoformat(),
            "contribution-reference": "SEM-1",
        },
    )
    assert ok.status_code == 302 and Contribution.objects.get().reference == "SEM-1"
    cap = PersonCap.objects.get()
    assert client.post(reverse("finance:cap_remove", args=[cap.pk])).status_code == 302
    assert not PersonCap.objects.exists()


def test_a_charge_is_moved_from_its_page(client, finance_officer, manager, project, lines, costs):
    from awda.finance.models import Charge

    charge = Charge.objects.get(category="food")
    url = reverse("finance:charge_reallocate", args=[charge.pk])
    client.force_login(manager)
    assert client.get(url).status_code == 403
    client.force_login(finance_officer)
    assert client.get(url).status_code == 200
    response = client.post(url, {"move-budget_line": lines["GEN"].pk, "move-reason": "General"})
    assert response.status_code == 302
    charge.refresh_from_db()
    assert charge.budget_line == lines["GEN"]
    assert AuditEvent.objects.filter(action="finance.charge.reallocated").exists()
    # over the target's allocation: refused on the form
    other = Charge.objects.get(category="medical")
    response = client.post(
        reverse("finance:charge_reallocate", args=[other.pk]),
        {"move-budget_line": lines["GEN"].pk, "move-reason": "r"},
    )
    assert response.status_code == 400 and "GEN" in response.content.decode()


def test_another_mission_s_lines_are_not_found(client, tunisia_finance, project, lines):
    client.force_login(tunisia_finance)
    for url in (
        reverse("finance:line_edit", args=[lines["PD"].pk]),
        reverse("finance:override_grant", args=[lines["PD"].pk]),
        reverse("finance:line_create", args=[project.pk]),
    ):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "persona,sees_reason", [("finance_officer", True), ("manager", True), ("auditor", False)]
)
def test_override_reasons_are_shown_only_to_those_who_see_the_charges(
    client, request, finance_officer, lines, project, persona, sees_reason
):
    from awda.finance.services import budget_override_grant

    budget_override_grant(
        finance_officer, line=lines["PD"], amount="75", reason="Case MA-RBA-2026-00042 surgery"
    )
    client.force_login(request.getfixturevalue(persona))
    body = client.get(budget(project)).content.decode()
    assert 'data-testid="override-row"' in body and 'data-amount="75.00"' in body
    assert ("MA-RBA-2026-00042" in body) is sees_reason
    assert ('data-testid="override-reason"' in body) is sees_reason
    if not sees_reason:  # nor who granted it
        assert finance_officer.get_full_name() not in body


def test_flagged_costs_are_shown_on_the_budget_page_and_filtered_in_the_charges(
    client, finance_officer, auditor, caseworker, case, project, lines
):
    from awda.finance.models import Charge

    from ..helpers import principal, rate

    PersonCap.objects.create(project=project, category="food", amount=Decimal("50"))
    person = principal(case)
    waiting = post(caseworker, case, project, "1000", currency="MAD", person=person)
    post(caseworker, case, project, "20", person=person)
    rate("EUR", "MAD", "10", timezone.localdate().replace(year=2025))
    from awda.finance.services import charges_convert_pending

    assert charges_convert_pending() == 1
    waiting.refresh_from_db()
    assert waiting.over_cap and not waiting.over_budget
    client.force_login(auditor)
    body = client.get(budget(project)).content.decode()
    assert 'data-testid="flagged-charges" data-over-budget="0" data-over-cap="1"' in body
    assert 'data-testid="flagged-link"' not in body  # M&E: aggregates only
    assert 'data-testid="flagged-badge" data-over-budget="0" data-over-cap="1"' in body
    client.force_login(finance_officer)
    body = client.get(budget(project)).content.decode()
    assert 'data-testid="flagged-link"' in body
    body = client.get(charges(project), {"flagged": "on"}).content.decode()
    assert body.count('data-testid="charge-row"') == 1
    assert f'data-charge="{waiting.pk}"' in body and 'data-testid="over-cap-badge"' in body
    # the rate as recorded, and which way it was applied
    assert 'data-testid="charge-rate" data-rate="10" data-inverted="1">1 EUR = 10 MAD' in body
    assert Charge.objects.count() == 2


def test_a_direct_rate_is_shown_as_recorded_in_the_charges(
    client, finance_officer, caseworker, case, project, lines
):
    from ..helpers import rate

    rate("MAD", "EUR", "0.0925", timezone.localdate().replace(year=2025))
    post(caseworker, case, project, "1000", currency="MAD")
    client.force_login(finance_officer)
    body = client.get(charges(project)).content.decode()
    assert 'data-rate="0.0925" data-inverted="0">1 MAD = 0.0925 EUR' in body
