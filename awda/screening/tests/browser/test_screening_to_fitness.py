"""In a real browser: the caseworker screens Aïcha (health needs) on the "Screening" tab; the
"Readiness" tab then asks for a fitness-to-travel decision and "Ready to travel" is blocked; the
medical officer records "fit" on the "Health" tab; the checklist is complete and the caseworker's
"Ready to travel" works. The UI is in French; elements are found by data-testid."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awda.cases.models import Case
from awda.cases.tests.browser.test_register_to_eligible import log_in, log_out, status_badge
from awda.factories import bring_case_to, document_travellers, person_data, register_case

pytestmark = pytest.mark.browser


def check(page, code, ok):
    page.get_by_test_id("tab-readiness").click()
    item = page.locator(f"[data-testid='readiness-check'][data-code='{code}']")
    expect(item).to_have_attribute("data-ok", "1" if ok else "0")


def test_screening_flags_health_needs_and_fitness_clears_the_gate(
    page, caseworker, manager, medical_officer, rabat
):
    case = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Aïcha", family_name="Traoré", sex="female"),
    )
    case = bring_case_to(case, "pre_departure", caseworker=caseworker, manager=manager)
    case = document_travellers(case, caseworker)
    detail = reverse("cases:case_detail", args=[case.pk])
    member = case.members.get(is_principal=True)

    log_in(page, "caseworker.rabat")
    page.goto(detail)
    check(page, "screening.done", ok=False)
    expect(page.get_by_test_id("transition-mark_ready")).to_be_disabled()

    page.get_by_test_id("tab-screening").click()
    page.get_by_test_id("screen-button").click()
    form = page.get_by_test_id("screening-form")
    form.locator(f"#id_scr-{member.pk}-health_needs").check()
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("flag-health")).to_be_visible()

    check(page, "screening.done", ok=True)
    check(page, "health.fitness", ok=False)
    expect(page.get_by_test_id("transition-mark_ready")).to_be_disabled()
    log_out(page)

    log_in(page, "medical.rabat")
    page.goto(detail)
    page.get_by_test_id("tab-health").click()
    page.get_by_test_id("fitness-button").click()
    form = page.get_by_test_id("fitness-form")
    form.locator("select[name$='outcome']").select_option("fit")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("fitness-outcome-fit")).to_be_visible()
    log_out(page)

    log_in(page, "caseworker.rabat")
    page.goto(detail)
    check(page, "health.fitness", ok=True)
    expect(page.get_by_test_id("transition-mark_ready")).to_be_enabled()
    page.get_by_test_id("transition-mark_ready").click()
    expect(status_badge(page)).to_have_attribute("data-status", "ready_to_travel")
    assert Case.objects.get(pk=case.pk).status == "ready_to_travel"
