"""End to end in a real browser (domain.md section 3): a caseworker registers Ousmane, counsels
him, records his signed declaration and starts screening; a manager approves eligibility with the
SEM project. The UI is in French (the default language)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from awda.cases.models import Case
from awda.factories import DonorFactory, OrganisationFactory, ProjectFactory

PASSWORD = "demo-pass-2026"  # the factories' password

pytestmark = pytest.mark.browser


def log_in(page, username):
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    expect(page.get_by_test_id("user-menu")).to_contain_text(username)


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.locator("#id_username")).to_be_visible()


def status_badge(page):
    return page.get_by_test_id("case-status").locator(".status-badge")


def test_caseworker_registers_ousmane_and_a_manager_makes_him_eligible(
    page, caseworker, manager, morocco, rabat
):
    sem = DonorFactory(name="State Secretariat for Migration", short_name="SEM", country="CH")
    project = ProjectFactory(
        mission=morocco,
        code="AVRR-MA-SEM-2026",
        name="AVRR Morocco - SEM 2026",
        donors=[sem],
        eligible_nationalities=["GN", "CI", "SN", "ML", "CM"],
    )
    ProjectFactory(mission=morocco, code="AVRR-MA-EU-2026", name="AVRR Morocco - EU 2026")
    OrganisationFactory(name="HCR Rabat", kind="un_agency", country="MA")

    # -- the caseworker registers the case ---------------------------------------------------
    log_in(page, "caseworker.rabat")
    page.goto(reverse("cases:case_register"))
    page.select_option("#id_case-referral_source", "unhcr")
    page.select_option("#id_case-referral_organisation", label="HCR Rabat")
    page.fill("#id_case-referral_details", "Not eligible for refugee status; referred to IOM.")
    page.select_option("#id_case-priority", "2")
    page.fill("#id_case-destination_area", "Conakry")
    page.fill("#id_principal-given_name", "Ousmane")
    page.fill("#id_principal-family_name", "Diallo")
    page.select_option("#id_principal-sex", "male")
    page.fill("#id_principal-estimated_age", "44")
    page.select_option("#id_principal-nationality", "GN")
    # the country of return follows the nationality until set by hand
    expect(page.locator("#id_case-country_of_return")).to_have_value("GN")
    page.select_option("#id_principal-languages", ["fr", "ff"])
    page.fill("#id_principal-phone", "+212 600 11 22 33")
    page.fill("#id_principal-address", "Hay Nahda")
    page.fill("#id_principal-city", "Rabat")
    page.get_by_test_id("register-submit").click()

    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get()
    expect(page.get_by_test_id("case-number")).to_have_text(case.number)
    expect(status_badge(page)).to_have_attribute("data-status", "registered")
    assert case.principal.birth_year == timezone.localdate().year - 44
    assert case.referral_source == "unhcr" and case.country_of_return == "GN"

    # -- counselling, the signed declaration, screening -------------------------------------
    expect(page.get_by_test_id("transition-start_screening")).to_have_count(0)
    page.get_by_test_id("transition-start_counselling").click()
    expect(status_badge(page)).to_have_attribute("data-status", "counselling")
    # screening is blocked, and the page says why
    expect(page.get_by_test_id("transition-start_screening")).to_be_disabled()
    expect(page.get_by_test_id("blockers")).to_be_visible()
    page.fill("#id_signed_on", timezone.localdate().isoformat())
    page.get_by_test_id("record-declaration").click()
    expect(page.get_by_test_id("declaration-signed")).to_be_visible()
    page.get_by_test_id("transition-start_screening").click()
    expect(status_badge(page)).to_have_attribute("data-status", "screening")
    # a caseworker cannot approve eligibility
    expect(page.get_by_test_id("transition-approve_eligibility")).to_have_count(0)
    detail = page.url
    log_out(page)

    # -- the manager approves eligibility with the SEM project ------------------------------
    log_in(page, "manager.rabat")
    page.goto(detail)
    page.get_by_test_id("transition-approve_eligibility").click()
    modal = page.locator("#modal-approve_eligibility")
    expect(modal).to_be_visible()
    modal.locator("select[name$='-project']").select_option(str(project.pk))
    modal.locator("textarea[name$='-comment']").fill("Meets the SEM rules.")
    modal.get_by_test_id("confirm-approve_eligibility").click()
    expect(status_badge(page)).to_have_attribute("data-status", "eligible")
    expect(page.get_by_test_id("case-project")).to_contain_text("AVRR-MA-SEM-2026")

    # -- the timeline lists the moves (tab loaded with htmx) --------------------------------
    page.get_by_test_id("tab-timeline").click()
    expect(page).to_have_url(re.compile(r"\?tab=timeline$"))
    rows = page.get_by_test_id("transition-row")
    expect(rows).to_have_count(3)
    statuses = [
        rows.nth(i).locator(".status-badge").nth(1).get_attribute("data-status") for i in range(3)
    ]
    assert statuses == ["counselling", "screening", "eligible"]
    expect(rows.nth(2)).to_contain_text("AVRR-MA-SEM-2026")
    expect(page.get_by_test_id("timeline")).to_be_visible()

    case.refresh_from_db()
    assert case.status == "eligible" and case.project == project
    assert case.declaration_signed_on == timezone.localdate()
    assert case.eligibility_decided_by == manager
    assert case.registered_on <= timezone.localdate() < case.registered_on + datetime.timedelta(2)
