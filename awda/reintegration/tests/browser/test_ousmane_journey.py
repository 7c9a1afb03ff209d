"""Issue 5's journey in a real browser (French UI, the default): the Conakry office accepts
Ousmane's handover, records his reception, runs the baseline sustainability survey, drafts a plan
for a small shop (refused while its items are over his cap, submitted once under it), a manager
approves it, the office records the supplier's delivery and two monitoring visits with their
follow-up surveys, sees his scores over time and closes the case."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from awda.accounts.choices import Role
from awda.cases.models import Case
from awda.cases.tests.browser.test_register_to_eligible import log_in, log_out, status_badge
from awda.factories import (
    OrganisationFactory,
    ProjectFactory,
    arrive_travellers,
    bring_case_to,
    hand_over_case,
    member_of,
    person_data,
    register_case,
)
from awda.registry.choices import OrganisationKind
from awda.reintegration.models import (
    MonitoringVisit,
    Plan,
    Purchase,
    Reception,
    ReintegrationCap,
    ReintegrationFile,
    Survey,
)

pytestmark = pytest.mark.browser

# A small shop: stock, shelves, and first a fridge that puts the plan over the 1,500 EUR cap.
SHOP = [
    ("Stock de marchandises (riz, huile, sucre)", "2", "lot", "412.35"),  # 824.70
    ("Étagères", "3", "pièce", "95.60"),  # 286.80
    ("Réfrigérateur", "1", "pièce", "450.00"),  # 450.00 -> 1561.50, over the cap
]
COOLER = ("Glacière", "1", "pièce", "85.25")  # instead of the fridge -> 1196.75
OVER, UNDER = Decimal("1561.50"), Decimal("1196.75")


def _ousmane(caseworker, manager, rabat, guinea, morocco):
    """Registered in Rabat, departed, handed over to the Guinea mission, arrived."""
    today = timezone.localdate()
    born = datetime.date(today.year - 44, 1, 1)  # 44 today
    case = register_case(caseworker, rabat, principal=person_data(date_of_birth=born))
    project = ProjectFactory(code="AVRR-MA-SEM", mission=morocco, currency="EUR")
    case = bring_case_to(case, "departed", caseworker=caseworker, manager=manager, project=project)
    case = hand_over_case(case, guinea)
    case = arrive_travellers(case, manager)
    ReintegrationCap.objects.create(project=project, amount=Decimal("1500.00"), currency="EUR")
    return case


def _fill_survey(page, index):
    """Choose the option at `index` of every question, then record the survey."""
    questions = page.get_by_test_id("survey-question")
    expect(questions.first).to_be_visible()
    for question in questions.all():
        question.locator("input[type=radio]").nth(index).check()
    page.get_by_test_id("survey-submit").click()
    expect(page.get_by_test_id("surveys-tab")).to_be_visible()


def _fill_item(page, row, description, quantity, unit, unit_cost):
    page.select_option(f"#id_items-{row}-kind", "micro_business")
    page.fill(f"#id_items-{row}-description", description)
    page.fill(f"#id_items-{row}-quantity", quantity)
    page.fill(f"#id_items-{row}-unit", unit)
    page.fill(f"#id_items-{row}-unit_cost", unit_cost)


def test_conakry_takes_ousmane_from_handover_to_closure(
    page, caseworker, manager, origin_officer, rabat, conakry, guinea, morocco
):
    origin_manager = member_of(conakry, Role.MANAGER, "manager.conakry")
    supplier = OrganisationFactory(
        name="Quincaillerie Madina", kind=OrganisationKind.SUPPLIER, country="GN", city="Conakry"
    )
    case = _ousmane(caseworker, manager, rabat, guinea, morocco)
    case_url = reverse("cases:case_detail", args=[case.pk])
    assert case.status == "arrived" and case.receiving_mission == guinea

    # -- 1. the officer finds him in the acceptance queue and accepts the handover -------------
    log_in(page, "reintegration.conakry")
    page.goto(reverse("reintegration:workspace"))
    row = page.locator(f"#queue-acceptance [data-testid=queue-row][data-case='{case.number}']")
    expect(row).to_have_count(1)
    row.locator(f"a[href^='{case_url}']").click()
    accept = page.locator("#accept-form")
    accept.locator("select[name=office]").select_option(str(conakry.pk))
    accept.locator("select[name=officer]").select_option(str(origin_officer.pk))
    page.get_by_test_id("accept-button").click()
    expect(page.get_by_test_id("file-office")).to_contain_text("Conakry")
    file = ReintegrationFile.objects.get(case=case)
    assert file.office == conakry and file.officer == origin_officer
    assert file.arrived_on == timezone.localdate() and file.plan_due_on is not None

    # -- 2. the reception moves the case to reintegration -------------------------------------
    reception = page.locator("#reception-form")
    reception.locator("#id_reception-airport_reception").check()
    reception.locator("#id_reception-met_by").fill("Mariama Sow")
    reception.locator("#id_reception-onward_transport").check()
    reception.locator("#id_reception-onward_destination").fill("Ratoma, Conakry")
    reception.locator("#id_reception-accommodation_nights").fill("2")
    reception.locator("button[type=submit]").click()
    expect(page.get_by_test_id("reception-summary")).to_be_visible()
    expect(status_badge(page)).to_have_attribute("data-status", "reintegration")
    assert Reception.objects.get(case=case).met_by == "Mariama Sow"
    assert Case.objects.get(pk=case.pk).status == "reintegration"

    # -- 3. the baseline sustainability survey --------------------------------------------------
    page.get_by_test_id("tab-surveys").click()
    page.get_by_test_id("survey-record-baseline").click()
    _fill_survey(page, 2)
    expect(page.get_by_test_id("survey-row")).to_have_count(1)
    assert list(Survey.objects.filter(case=case).values_list("kind", flat=True)) == ["baseline"]

    # -- 4. the plan: over the cap first (refused), then under it (submitted) ------------------
    page.get_by_test_id("tab-plan").click()
    page.locator("#plan-create").click()
    project_id = Case.objects.get(pk=case.pk).project_id
    page.locator("#plan-create-form select[name=project]").select_option(str(project_id))
    page.locator("#plan-create-submit").click()
    expect(page.locator("#plan-form")).to_be_visible()
    page.fill("#id_economic_summary", "Petite boutique d'alimentation générale à Ratoma.")
    page.fill("#id_social_summary", "Vit chez son frère; prothèse à faire suivre.")
    page.fill("#id_psychosocial_summary", "Soutien de la famille; groupe de parole.")
    page.check("#id_a-micro_business-on")
    page.fill("#id_a-micro_business-description", "Boutique")
    for i, item in enumerate(SHOP):
        _fill_item(page, i, *item)
        if i < len(SHOP) - 1:
            page.locator("#plan-add-item").click()
            expect(page.locator(f"#id_items-{i + 1}-description")).to_be_visible()
    page.locator("#plan-save").click()
    expect(page.locator("#plan-total")).to_have_attribute("data-amount", f"{OVER}")
    expect(page.locator("#plan-cap")).to_have_attribute("data-amount", "1500.00")
    expect(page.locator("#plan-remaining")).to_have_attribute("data-over", "1")
    plan = Plan.objects.get(case=case)
    assert plan.total == OVER and plan.items.count() == 3

    page.locator("#plan-submit").click()
    expect(page.locator("#messages .alert-danger")).to_contain_text("1500.00 EUR")
    expect(page.locator("#messages .alert-danger")).to_contain_text(f"{OVER} EUR")
    expect(page.locator("#plan-status")).to_have_attribute("data-status", "draft")
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.submitted_at is None and plan.total == OVER

    page.locator("#plan-edit").click()
    _fill_item(page, 2, *COOLER)
    page.locator("#plan-save").click()
    expect(page.locator("#plan-total")).to_have_attribute("data-amount", f"{UNDER}")
    expect(page.locator("#plan-remaining")).to_have_attribute("data-over", "0")
    page.locator("#plan-submit").click()
    expect(page.locator("#plan-status")).to_have_attribute("data-status", "submitted")
    plan.refresh_from_db()
    assert plan.status == "submitted" and plan.total == UNDER
    assert plan.cap_amount == Decimal("1500.00") and plan.cap_currency == "EUR"
    assert [i.total for i in plan.items.order_by("id")] == [
        Decimal("824.70"),
        Decimal("286.80"),
        Decimal("85.25"),
    ]
    log_out(page)

    # -- 5. the manager approves; the visits are scheduled --------------------------------------
    log_in(page, "manager.conakry")
    page.goto(f"{case_url}?tab=plan")
    page.locator("#plan-approve").click()
    expect(page.locator("#plan-current-status")).to_have_attribute("data-status", "approved")
    page.get_by_test_id("tab-monitoring").click()
    expect(page.get_by_test_id("visit")).to_have_count(3)
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.decided_by == origin_manager
    visits = list(MonitoringVisit.objects.filter(case=case).order_by("due_on"))
    assert [v.months for v in visits] == [3, 6, 12]
    assert {v.status for v in visits} == {"planned"}
    log_out(page)

    # -- 6. the officer starts the monitoring, orders from the supplier, records the delivery --
    log_in(page, "reintegration.conakry")
    page.goto(f"{case_url}?tab=delivery")
    page.get_by_test_id("transition-start_monitoring").click()
    expect(status_badge(page)).to_have_attribute("data-status", "monitoring")
    page.goto(f"{case_url}?tab=delivery")
    page.get_by_test_id("purchase-button").click()
    form = page.locator("#purchase-form")
    form.locator("#id_purchase-supplier").select_option(str(supplier.pk))
    form.locator("#id_purchase-invoice_number").fill("FM-2026-118")
    items = list(plan.items.order_by("id"))
    for n, item in enumerate(items):
        form.locator(f"#id_lines-{n}-description").fill(item.description)
        form.locator(f"#id_lines-{n}-quantity").fill(f"{item.quantity.normalize():f}")
        form.locator(f"#id_lines-{n}-unit").fill(item.unit)
        form.locator(f"#id_lines-{n}-unit_price").fill(f"{item.unit_cost:.2f}")
        form.locator(f"#id_lines-{n}-plan_item").select_option(str(item.pk))
    page.get_by_test_id("purchase-submit").click()
    purchase = Purchase.objects.get(case=case)
    card = page.locator(f"#purchase-{purchase.pk}")
    expect(card).to_have_attribute("data-status", "ordered")
    expect(card.get_by_test_id("purchase-total")).to_contain_text(f"{UNDER}")
    page.locator(f"#purchase-deliver-{purchase.pk} button[type=submit]").click()
    expect(page.locator(f"#purchase-{purchase.pk}")).to_have_attribute("data-status", "delivered")
    purchase.refresh_from_db()
    assert purchase.status == "delivered" and purchase.delivered_on == timezone.localdate()
    assert purchase.supplier == supplier and purchase.total == UNDER
    assert purchase.project == plan.project and purchase.currency == "EUR"
    assert sorted(ln.plan_item_id for ln in purchase.lines.all()) == [i.pk for i in items]

    # -- 7. two monitoring visits, each followed by a follow-up survey -------------------------
    for visit, activity, answer in ((visits[0], "running", 1), (visits[1], "struggling", 0)):
        page.goto(f"{case_url}?tab=monitoring")
        page.get_by_test_id(f"visit-record-button-{visit.pk}").click()
        visit_form = page.locator(f"#visit-form-{visit.pk}")
        visit_form.locator("select[name$=-status]").select_option("done")
        visit_form.locator("select[name$=-activity_status]").select_option(activity)
        visit_form.locator("textarea[name$=-outcome]").fill(
            "Boutique ouverte, clients du quartier."
        )
        visit_form.locator("button[type=submit]").click()
        expect(page.locator(f"#visit-{visit.pk}")).to_have_attribute("data-status", "done")
        page.get_by_test_id(f"visit-survey-{visit.pk}").click()
        _fill_survey(page, answer)
        visit.refresh_from_db()
        assert visit.status == "done" and visit.activity_status == activity
        assert Survey.objects.get(case=case, visit=visit).kind == "follow_up"

    # -- 8. his scores over time ----------------------------------------------------------------
    page.goto(f"{case_url}?tab=surveys")
    expect(page.locator("#scores-chart")).to_be_visible()
    expect(page.get_by_test_id("survey-row")).to_have_count(3)
    chart = json.loads(page.locator("#scores-data").text_content())
    assert chart["kinds"] == ["baseline", "follow_up", "follow_up"]
    surveys = list(Survey.objects.filter(case=case, voided_at=None).order_by("conducted_on", "id"))
    assert len(surveys) == 3
    for series in ("economic", "social", "psychosocial", "composite"):
        assert chart[series] == [float(getattr(s, series)) for s in surveys]

    # -- 9. closure: support completed; the 12-month visit is cancelled -------------------------
    page.get_by_test_id("transition-close").click()
    modal = page.locator("#modal-close")
    expect(modal).to_be_visible()
    modal.locator("select[name$='-closure_reason']").select_option("support_completed")
    modal.locator("textarea[name$='-comment']").fill("Boutique stable après deux visites.")
    modal.get_by_test_id("confirm-close").click()
    expect(status_badge(page)).to_have_attribute("data-status", "closed")
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "support_completed"
    statuses = dict(MonitoringVisit.objects.filter(case=case).values_list("months", "status"))
    assert statuses == {3: "done", 6: "done", 12: "cancelled"}
