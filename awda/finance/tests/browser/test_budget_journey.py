"""Issue 6's budget view in a real browser (French UI, the default): the costs of a case are
recorded through the real services (a ticket booked through movements: committed; food and
medical care through the assistance ledger: spent, one in MAD converted at the day's rate); a
finance officer opens Finance > Projects and budgets, opens the project's budget, sees each
line's committed and spent figures and the warning on the pre-departure line, and grants an
override with a reason; the cost the line refused before is then accepted."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awda.accounts.choices import Role
from awda.assistance.services import assistance_record
from awda.cases.tests.browser.test_register_to_eligible import log_in
from awda.core.errors import ValidationFailed
from awda.factories import ProjectFactory, bring_case_to, member_of, register_case
from awda.finance.models import BudgetLine, BudgetOverride, Charge, ExchangeRate
from awda.movements import services as movements

pytestmark = pytest.mark.browser


def _figure(row, name):
    return row.locator(f'[data-figure="{name}"]').first


def test_a_finance_officer_reads_the_budget_and_grants_an_override(
    page, caseworker, manager, morocco, rabat
):
    finance = member_of(rabat, Role.FINANCE, "finance.rabat")
    project = ProjectFactory(code="AVRR-MA-SEM", mission=morocco, currency="EUR")
    BudgetLine.objects.create(
        project=project,
        code="PD",
        name="Assistance avant le départ",
        amount=Decimal("1000.00"),
        categories=["food", "medical", "accommodation"],
    )
    BudgetLine.objects.create(
        project=project, code="TK", name="Billets", amount=Decimal("600.00"), categories=["ticket"]
    )
    ExchangeRate.objects.create(
        currency="MAD",
        to_currency="EUR",
        rate=Decimal("0.0925"),
        valid_from=timezone.localdate() - datetime.timedelta(days=90),
        recorded_by=finance,
    )
    case = register_case(caseworker, rabat)
    case = bring_case_to(
        case, "ready_to_travel", caseworker=caseworker, manager=manager, project=project
    )
    ousmane = case.members.get(is_principal=True).person
    departs = timezone.now() + datetime.timedelta(days=10)
    movements.booking_create(
        manager,
        case=case,
        person=ousmane,
        legs=[
            {
                "from_airport": "CMN",
                "to_airport": "CKY",
                "flight_number": "AT517",
                "departs_at": departs,
            }
        ],
        ticket_cost=Decimal("550.00"),
        currency="EUR",
        project=project,
    )
    case.refresh_from_db()
    assistance_record(
        caseworker,
        case=case,
        person=ousmane,
        kind="food",
        description="Panier alimentaire",
        quantity=Decimal("2"),
        unit_cost=Decimal("150.00"),
        currency="MAD",
    )  # 300 MAD = 27.75 EUR
    assistance_record(
        caseworker,
        case=case,
        person=ousmane,
        kind="medical",
        description="Consultation et examens",
        quantity=Decimal("1"),
        unit_cost=Decimal("880.00"),
        currency="EUR",
    )  # PD: 907.75 of 1,000 EUR, past the 90 % warning
    with pytest.raises(ValidationFailed) as refused:
        assistance_record(
            caseworker,
            case=case,
            person=ousmane,
            kind="medical",
            description="Hospitalisation",
            quantity=Decimal("1"),
            unit_cost=Decimal("150.00"),
            currency="EUR",
        )
    assert refused.value.code == "budget_exceeded"
    assert Charge.objects.filter(case=case).count() == 3

    log_in(page, "finance.rabat")
    page.get_by_test_id("nav-finance").click()
    page.get_by_test_id("nav-finance-projects").click()
    row = page.locator('[data-testid="project-row"][data-code="AVRR-MA-SEM"]')
    expect(_figure(row, "committed")).to_have_attribute("data-amount", "550.00")
    expect(_figure(row, "spent")).to_have_attribute("data-amount", "907.75")
    row.get_by_role("link", name="AVRR-MA-SEM").click()

    expect(page.get_by_test_id("project-title")).to_contain_text("AVRR-MA-SEM")
    pd = page.locator('[data-testid="budget-line"][data-code="PD"]')
    tk = page.locator('[data-testid="budget-line"][data-code="TK"]')
    expect(_figure(pd, "committed")).to_have_attribute("data-amount", "0.00")
    expect(_figure(pd, "spent")).to_have_attribute("data-amount", "907.75")
    expect(_figure(pd, "remaining")).to_have_attribute("data-amount", "92.25")
    expect(_figure(tk, "committed")).to_have_attribute("data-amount", "550.00")
    expect(_figure(tk, "spent")).to_have_attribute("data-amount", "0.00")
    expect(pd.get_by_test_id("warning-badge")).to_be_visible()
    expect(page.get_by_test_id("budget-warnings")).to_contain_text("PD")
    expect(page.get_by_test_id("burn-chart")).to_be_visible()
    assert page.evaluate("() => !!Chart.getChart(document.getElementById('burn-chart'))")

    pd.get_by_test_id("override-button").click()
    expect(page.get_by_test_id("override-line-figures")).to_contain_text("907")
    page.get_by_test_id("override-submit").click()  # no amount, no reason: refused
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.fill("#id_override-amount", "200")
    page.fill("#id_override-reason", "Hospitalisation d'urgence acceptée par le donateur (SEM)")
    page.get_by_test_id("override-submit").click()

    expect(page.get_by_test_id("project-title")).to_be_visible()
    pd = page.locator('[data-testid="budget-line"][data-code="PD"]')
    expect(_figure(pd, "overrun")).to_have_attribute("data-amount", "200.00")
    expect(page.get_by_test_id("override-list")).to_contain_text("Hospitalisation d'urgence")
    override = BudgetOverride.objects.get()
    assert (override.amount, override.granted_by) == (Decimal("200.00"), finance)

    # the cost the line refused is now accepted, flagged as past the allocation
    line = assistance_record(
        caseworker,
        case=case,
        person=ousmane,
        kind="medical",
        description="Hospitalisation",
        quantity=Decimal("1"),
        unit_cost=Decimal("150.00"),
        currency="EUR",
    )
    charge = Charge.objects.get(source="assistance_line", source_id=line.pk)
    assert charge.over_budget and charge.budget_line.code == "PD"
    page.reload()
    pd = page.locator('[data-testid="budget-line"][data-code="PD"]')
    expect(_figure(pd, "spent")).to_have_attribute("data-amount", "1057.75")
    expect(pd.get_by_test_id("over-badge")).to_be_visible()
