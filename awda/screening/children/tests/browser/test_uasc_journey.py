"""In a real browser (issue 3 §2): Mamadou, 16, separated from his family, is in pre-departure.
The caseworker's "Ready to travel" is refused, the page saying what is missing. A protection
officer takes him through every step on the "Child protection" tab: identification, assessment,
the guardian's consent, family tracing with the origin mission (located), the caregiver
assessment, a positive determination (reopened once, then decided again: the history stays),
the escort plan and the reception. Then the caseworker's "Ready to travel" works. The UI is in
French; elements are found by data-testid."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awda.cases.models import Case
from awda.cases.tests.browser.test_register_to_eligible import log_in, log_out, status_badge
from awda.factories import (
    bring_case_to,
    document_travellers,
    person_data,
    register_case,
    screen_travellers,
)
from awda.screening.children.models import BestInterestsDetermination, FamilyTracing

from ..conftest import years_ago

pytestmark = pytest.mark.browser


def open_step(card, step):
    card.get_by_test_id(f"uasc-open-{step}").click()
    form = card.get_by_test_id(f"uasc-form-{step}")
    expect(form).to_be_visible()
    return form


def submit(page, card, step):
    card.get_by_test_id(f"uasc-submit-{step}").click()
    expect(page.get_by_test_id("uasc-child").get_by_test_id(f"uasc-step-{step}")).to_have_attribute(
        "data-ok", "1"
    )


def test_protection_officer_takes_a_separated_child_to_ready_to_travel(
    page, caseworker, manager, protection_officer, rabat, guinea
):
    case = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Mamadou", family_name="Bah", date_of_birth=years_ago(16)),
    )
    case = bring_case_to(case, "pre_departure", caseworker=caseworker, manager=manager)
    case = document_travellers(case, caseworker)
    case = screen_travellers(case, caseworker)
    pid = case.principal_id
    detail = reverse("cases:case_detail", args=[case.pk])

    # -- the caseworker is refused, and the page says why ------------------------------------
    log_in(page, "caseworker.rabat")
    page.goto(detail)
    expect(page.get_by_test_id("transition-mark_ready")).to_be_disabled()
    expect(page.get_by_test_id("blockers")).to_contain_text("Mamadou BAH")
    expect(page.get_by_test_id("tab-child_protection")).to_have_count(0)
    log_out(page)

    # -- the protection officer records every step -------------------------------------------
    log_in(page, "protection.rabat")
    page.goto(detail)
    page.get_by_test_id("tab-child_protection").click()
    card = page.get_by_test_id("uasc-child")
    expect(card.get_by_test_id("uasc-applies")).to_be_visible()
    expect(card.locator("[data-testid^='uasc-step-'][data-ok='0']")).to_have_count(8)

    p = f"#id_uasc-identification-{pid}-"
    open_step(card, "identification")
    page.fill(p + "age_years", "16")
    page.select_option(p + "age_basis", "declared")
    page.select_option(p + "care_status", "separated")
    page.fill(p + "current_caregiver", "Foyer Lalla Meryem, Rabat")
    submit(page, card, "identification")

    p = f"#id_uasc-assessment-{pid}-"
    open_step(card, "assessment")
    page.fill(p + "child_views", "Veut rentrer auprès de sa mère.")
    page.fill(p + "family_situation", "Mère et deux sœurs à Labé.")
    page.fill(p + "safety_and_risks", "Aucune menace connue.")
    page.select_option(p + "recommendation", "return")
    submit(page, card, "assessment")

    p = f"#id_uasc-guardian_consent-{pid}-"
    open_step(card, "guardian_consent")
    page.fill(p + "guardian_name", "Kadiatou Bah")
    page.fill(p + "guardian_relationship", "mère")
    page.select_option(p + "language", "fr")
    expect(page.locator(p + "origin_mission")).to_be_checked()
    submit(page, card, "guardian_consent")

    p = f"#id_uasc-tracing-{pid}-"
    open_step(card, "tracing")
    expect(page.locator(p + "origin_mission")).to_have_value(str(guinea.pk))
    page.fill(p + "information_shared", "Nom, photo, village d'origine (Labé).")
    card.get_by_test_id("uasc-submit-tracing").click()
    tracing_step = card.get_by_test_id("uasc-step-tracing")
    expect(tracing_step.get_by_test_id("uasc-tracing")).to_have_attribute(
        "data-status", "requested"
    )
    expect(tracing_step).to_have_attribute("data-ok", "0")
    tracing = FamilyTracing.objects.get()
    tracing_step.get_by_test_id("uasc-open-outcome").click()
    o = f"#id_uasc-outcome-{tracing.pk}-"
    page.select_option(o + "status", "located")
    page.fill(o + "outcome_notes", "Mère retrouvée à Labé.")
    tracing_step.get_by_test_id("uasc-submit-outcome").click()
    expect(card.get_by_test_id("uasc-step-tracing")).to_have_attribute("data-ok", "1")

    p = f"#id_uasc-caregiver-{pid}-"
    open_step(card, "caregiver")
    page.fill(p + "caregiver_name", "Kadiatou Bah")
    page.fill(p + "relationship", "mère")
    page.fill(p + "location", "Labé")
    page.fill(p + "conducted_by", "OIM Guinée")
    page.select_option(p + "outcome", "suitable")
    page.fill(p + "findings", "Foyer stable, en mesure de s'occuper de lui.")
    submit(page, card, "caregiver")

    def determine():
        p = f"#id_uasc-determination-{pid}-"
        open_step(card, "determination")
        page.fill(p + "panel", "Présidente (protection OIM), UNICEF, assistant social")
        page.select_option(p + "outcome", "return")
        page.fill(p + "reasons", "Famille retrouvée et apte ; l'enfant souhaite rentrer.")
        submit(page, card, "determination")

    determine()
    # reopened (new facts): it stays in the history, and a new determination is needed
    step = card.get_by_test_id("uasc-step-determination")
    step.get_by_test_id("uasc-open-reopen").click()
    bid = BestInterestsDetermination.objects.get()
    page.fill(f"#id_uasc-reopen-{bid.pk}-reason", "La mère a déménagé : vérifier.")
    step.get_by_test_id("uasc-submit-reopen").click()
    expect(card.get_by_test_id("uasc-step-determination")).to_have_attribute("data-ok", "0")
    expect(card.locator("[data-testid='uasc-determination'][data-reopened='1']")).to_have_count(1)
    determine()
    expect(card.get_by_test_id("uasc-determination")).to_have_count(2)

    p = f"#id_uasc-escort-{pid}-"
    open_step(card, "escort")
    page.fill(p + "escort_name", "Awa Sow")
    page.select_option(p + "escort_role", "iom_staff")
    page.check(p + "escort_trained")
    submit(page, card, "escort")

    p = f"#id_uasc-reception-{pid}-"
    open_step(card, "reception")
    page.fill(p + "received_by_name", "Kadiatou Bah")
    page.fill(p + "relationship_or_organisation", "mère")
    page.fill(p + "place", "Aéroport de Conakry")
    page.fill(p + "contact_phone", "+224 620 00 00 00")
    submit(page, card, "reception")

    expect(card.locator("[data-testid^='uasc-step-'][data-ok='1']")).to_have_count(8)
    log_out(page)

    # -- now the caseworker's "Ready to travel" works ---------------------------------------
    log_in(page, "caseworker.rabat")
    page.goto(detail)
    expect(page.get_by_test_id("transition-mark_ready")).to_be_enabled()
    page.get_by_test_id("transition-mark_ready").click()
    expect(status_badge(page)).to_have_attribute("data-status", "ready_to_travel")
    assert Case.objects.get(pk=case.pk).status == "ready_to_travel"
    assert BestInterestsDetermination.objects.count() == 2
