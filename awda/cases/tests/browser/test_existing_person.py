"""In a real browser: Ousmane comes back a year later. While his names and phone number are typed
the register page shows him as a possible existing person; the caseworker uses that record, adds
his wife from the registry search, registers the case unassigned, then takes it ("Assign to me")
and marks that the wife does not travel."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awda.cases.models import Case
from awda.factories import person_data, register_case

from .test_register_to_eligible import log_in

pytestmark = pytest.mark.browser


def test_returnee_registered_again_from_the_registry(page, caseworker, rabat):
    earlier = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Ousmane", family_name="Diallo"),
        members=[
            {
                "relationship": "spouse",
                "person": person_data(given_name="Mariama", family_name="Bah", sex="female"),
            }
        ],
    )
    ousmane = earlier.principal
    mariama = earlier.members.get(is_principal=False).person

    log_in(page, "caseworker.rabat")
    page.goto(reverse("cases:case_register"))
    page.select_option("#id_case-assigned_to", "")
    page.fill("#id_principal-given_name", "Ousmane")
    page.fill("#id_principal-family_name", "DIALLO")
    # a common name alone is no evidence for the duplicate check: his phone number is
    page.fill("#id_principal-phone", "0600 11 22 33")

    # -- possible existing persons, then "use this person instead" ----------------------------
    matches = page.get_by_test_id("possible-matches")
    expect(matches).to_contain_text(earlier.number)
    matches.get_by_test_id("use-match").click()
    picked = page.locator("#picker-principal-picked").get_by_test_id("picked-person")
    expect(picked).to_contain_text("Ousmane DIALLO")
    expect(page.locator("#id_principal-given_name")).to_be_hidden()
    expect(page.locator("#principal-mode-existing")).to_be_checked()

    # -- a member found with the registry search ----------------------------------------------
    page.get_by_test_id("add-member").click()
    row = page.get_by_test_id("member-row").nth(0)
    row.locator("select[name='members-0-relationship']").select_option("spouse")
    row.get_by_test_id("mode-existing").click()
    expect(row.locator("#id_members-0-given_name")).to_be_hidden()
    search = row.get_by_test_id("person-search")
    search.fill("bah")
    search.press("Enter")  # must not submit the page
    row.get_by_test_id("pick-person").first.click()
    expect(row.get_by_test_id("picked-person")).to_contain_text("Mariama BAH")
    expect(search).to_be_hidden()

    page.get_by_test_id("register-submit").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert case.principal == ousmane and case.assigned_to is None
    assert set(case.members.values_list("person_id", flat=True)) == {ousmane.pk, mariama.pk}

    # -- assign to me -------------------------------------------------------------------------
    page.get_by_test_id("assign-to-me").click()
    expect(page.get_by_test_id("assign-to-me")).to_have_count(0)
    case.refresh_from_db()
    assert case.assigned_to == caseworker

    # -- the wife does not travel ---------------------------------------------------------------
    page.get_by_test_id("tab-members").click()
    wife = page.locator(f"#member-{case.members.get(person=mariama).pk}")
    wife.get_by_test_id("member-edit").locator("summary").click()
    wife.locator("input[type=checkbox][name$='-travels']").uncheck()
    wife.get_by_test_id("member-edit").locator("button[type=submit]").click()
    wife = page.locator(f"#member-{case.members.get(person=mariama).pk}")
    expect(wife.locator(".card-header .badge.text-bg-warning")).to_have_count(1)  # does not travel
    assert case.members.get(person=mariama).travels is False
