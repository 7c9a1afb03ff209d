"""In a real browser: the caseworker records Ousmane's emergency accommodation from the
Assistance tab, then a food distribution to him and to a family found with the search."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awda.assistance.models import AssistanceLine, Distribution
from awda.cases.tests.browser.test_register_to_eligible import log_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("AWDA_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_record_a_line_then_a_distribution(page, caseworker, funded_case, family, hotel):
    log_in(page, "caseworker.rabat")
    page.goto(reverse("cases:case_detail", args=[funded_case.pk]) + "?tab=assistance")
    page.get_by_test_id("line-button").click()
    form = page.get_by_test_id("line-form")
    form.locator("#id_line-kind").select_option("accommodation")
    form.locator("#id_line-provider").select_option(str(hotel.pk))
    form.locator("#id_line-place").fill("Hôtel Al Amal, Rabat")
    form.locator("#id_line-nights").fill("4")
    form.locator("#id_line-unit_cost").fill("120.50")
    form.locator("#id_line-currency").select_option("MAD")
    shot(page, "tab-form")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("assistance-total-MAD")).to_have_text("482.00 MAD")
    shot(page, "tab-after")
    assert AssistanceLine.objects.get().nights == 4

    page.goto(reverse("assistance:distribution_new"))
    page.locator("#id_kind").select_option("food")
    page.locator("#id_description").fill("Food basket")
    page.locator("#id_quantity").fill("1")
    page.locator("#id_unit_cost").fill("200")
    page.locator("#id_currency").select_option("MAD")
    page.get_by_test_id("candidate-search").fill("Camara")
    expect(page.get_by_test_id("candidate")).to_have_count(3)
    page.get_by_test_id("candidate").first.locator("input").check()
    page.get_by_test_id("candidate-search").fill("Diallo")
    expect(page.get_by_test_id("selected-recipients")).to_contain_text("Aminata CAMARA")
    page.get_by_test_id("candidate").filter(has_text="Ousmane").locator("input").check()
    shot(page, "distribution-form")
    page.get_by_test_id("distribution-submit").click()
    expect(page.get_by_test_id("recipient")).to_have_count(2)
    shot(page, "distribution-detail")
    assert Distribution.objects.get().lines.count() == 2
