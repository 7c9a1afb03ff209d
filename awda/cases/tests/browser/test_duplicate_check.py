"""In a real browser: while a new principal is typed on the register page, the duplicate check
proposes Ousmane DIALLO, registered earlier, for "Usman Jalloh" with the same phone number in
another format: first as a possible match, then, once the nationality, sex and year of birth
agree, as likely the same person, with the reasons; "use this person instead" picks him."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awda.factories import person_data, register_case

from .test_register_to_eligible import log_in

pytestmark = pytest.mark.browser


def test_register_page_shows_the_likely_duplicate(page, caseworker, rabat, oujda):
    earlier = register_case(caseworker, rabat, principal=person_data(phone="0661234567"))
    # the same person registered by another office is not the caseworker's to see
    from awda.accounts.choices import Role
    from awda.factories import member_of

    other = member_of(oujda, Role.CASEWORKER, "caseworker.oujda")
    register_case(other, oujda, principal=person_data(given_name="Ousmane", phone="0661234567"))

    log_in(page, "caseworker.rabat")
    page.goto(reverse("cases:case_register"))
    page.fill("#id_principal-given_name", "Usman")
    page.fill("#id_principal-family_name", "Jalloh")
    page.fill("#id_principal-phone", "+212 661 23 45 67")

    matches = page.get_by_test_id("possible-matches")
    row = matches.get_by_test_id("possible-match")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Ousmane DIALLO")
    expect(row).to_contain_text(earlier.number)
    expect(row.get_by_test_id("match-reasons").locator("[data-code=same_phone]")).to_have_count(1)
    expect(row).to_have_attribute("data-likely", "false")

    page.select_option("#id_principal-nationality", "GN")
    page.select_option("#id_principal-sex", "male")
    page.fill("#id_principal-birth_year", "1982")
    expect(row).to_have_attribute("data-likely", "true")
    expect(row.get_by_test_id("match-level")).to_be_visible()

    row.get_by_test_id("use-match").click()
    picked = page.locator("#picker-principal-picked").get_by_test_id("picked-person")
    expect(picked).to_contain_text("Ousmane DIALLO")
    expect(page.locator("#principal-mode-existing")).to_be_checked()
