"""In a real browser: the movement officer plans a departure, adds ready travellers, prints the
manifest, records a no-show and confirms the others' departure in bulk. (The lead's journey test
covers the full story; this checks the pages' ids and forms work in Chromium.)"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.tests.browser.test_register_to_eligible import log_in
from awda.movements.models import Departure

pytestmark = pytest.mark.browser


def test_plan_fill_no_show_and_depart(page, make_ready, movement_officer, rabat, live_server):
    cases = [make_ready(given_name=f"Voyageur{i}") for i in range(3)]
    log_in(page, "movement.rabat")
    page.get_by_test_id("nav-movements").click()
    page.get_by_test_id("nav-departures").click()
    page.get_by_test_id("departure-new").click()
    form = page.get_by_test_id("departure-form")
    from django.utils import timezone

    form.locator("#id_kind").select_option("charter")
    form.locator("#id_departure_date").fill(timezone.localdate().isoformat())
    form.locator("#id_from_airport").fill("CMN")
    form.locator("#id_to_airport").fill("CKY")
    form.locator("#id_capacity").fill("10")
    page.get_by_test_id("departure-save").click()
    expect(page.get_by_test_id("seat-counter")).to_contain_text("0 / 10")
    departure = Departure.objects.get()

    page.get_by_test_id("add-travellers").click()
    page.get_by_test_id("select-all-cases").check()
    page.get_by_test_id("add-cases-submit").click()
    expect(page.get_by_test_id("seat-counter")).to_contain_text("3 / 10")
    expect(page.get_by_test_id("manifest-row")).to_have_count(3)
    with page.expect_download() as dl:
        page.get_by_test_id("manifest-xlsx").click()
    assert dl.value.suggested_filename == f"manifest-{departure.reference}.xlsx"

    first = page.get_by_test_id("manifest-row").first
    booking = first.get_attribute("data-booking")
    page.get_by_test_id(f"no-show-button-{booking}").click()
    no_show = first.get_by_test_id("no-show-form")
    no_show.locator("select").select_option("ill")
    page.get_by_test_id(f"no-show-submit-{booking}").click()
    expect(page.locator(f"#row-{booking}")).to_have_attribute("data-status", "no_show")

    page.get_by_test_id("select-all").check()
    page.get_by_test_id("confirm-departure").click()
    expect(page.get_by_test_id("departure-status")).to_have_attribute("data-status", "departed")
    assert Case.objects.filter(pk__in=[c.pk for c in cases], status=Status.DEPARTED).count() == 2
    assert reverse("movements:departure_detail", args=[departure.pk]) in page.url
