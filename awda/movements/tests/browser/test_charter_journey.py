"""Issue 4's journey in a real browser: a movement officer builds a charter of 20 ready
travellers (one in a wheelchair, one with a medical escort), prints its manifest, records two
no-shows (one rebooked on a later flight, one withdrawn) and confirms the others' departure; the
origin mission confirms their arrival. A traveller whose laissez-passer expires before the flight
is refused with that reason."""

import datetime
import io

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import case_transition
from awda.cases.tests.browser.test_register_to_eligible import log_in, log_out
from awda.factories import bring_case_to, person_data, register_case, screen_travellers
from awda.movements.handover import case_handover
from awda.movements.models import Booking, Departure
from awda.movements.traveldocs import services as td
from awda.registry.choices import OrganisationKind
from awda.screening.consent.choices import Purpose
from awda.screening.consent.services import consent_record
from awda.screening.health.choices import Escort, FitnessOutcome
from awda.screening.health.services import fitness_record

pytestmark = pytest.mark.browser


def _consent_to_origin_mission(user, case):
    for member in case.members.select_related("person"):
        consent_record(
            user,
            case=Case.objects.get(pk=case.pk),
            person=member.person,
            purpose=Purpose.ORIGIN_MISSION,
            language="fr",
        )


def _late_laissez_passer_case(caseworker, manager, rabat, project, expires_on):
    """Ready to travel today with a laissez-passer that expires on `expires_on`."""
    from awda.factories import OrganisationFactory, document_travellers

    case = register_case(caseworker, rabat, principal=person_data(given_name="Tardif"))
    case = bring_case_to(
        case, "pre_departure", caseworker=caseworker, manager=manager, project=project
    )
    screen_travellers(case, caseworker)
    person = case.principal
    consulate = OrganisationFactory(name="Ambassade de Guinée", kind=OrganisationKind.CONSULATE)
    td.travel_document_record(
        caseworker,
        case=Case.objects.get(pk=case.pk),
        person=person,
        kind="laissez_passer",
        status="issued",
        number="LP-TARDIF-7",
        issuing_country="GN",
        consulate=consulate,
        issued_on=timezone.localdate(),
        expires_on=expires_on,
    )
    case = document_travellers(Case.objects.get(pk=case.pk), caseworker)  # exit authorisation
    return case_transition(caseworker, case=case, name="mark_ready")


def test_charter_of_twenty_from_planning_to_arrival(
    page,
    make_ready,
    project,
    caseworker,
    manager,
    medical_officer,
    movement_officer,
    origin_officer,
    rabat,
    guinea,
    live_server,
):
    today = timezone.localdate()
    later = today + datetime.timedelta(days=10)
    cases = [make_ready(given_name=f"Voyageur{i:02}", family_name="Camara") for i in range(1, 21)]
    wheelchair, escorted = cases[0], cases[1]
    fitness_record(
        medical_officer,
        case=Case.objects.get(pk=wheelchair.pk),
        person=wheelchair.principal,
        outcome=FitnessOutcome.FIT,
        decided_on=today,
        special_needs=["wheelchair_ramp"],
    )
    fitness_record(
        medical_officer,
        case=Case.objects.get(pk=escorted.pk),
        person=escorted.principal,
        outcome=FitnessOutcome.FIT_WITH_ESCORT,
        escort=Escort.MEDICAL,
        decided_on=today,
    )
    late = _late_laissez_passer_case(
        caseworker, manager, rabat, project, expires_on=today + datetime.timedelta(days=5)
    )
    for case in cases:
        _consent_to_origin_mission(caseworker, case)

    log_in(page, "movement.rabat")

    def plan(kind, day, capacity, flight):
        page.get_by_test_id("nav-movements").click()
        page.get_by_test_id("nav-departures").click()
        page.get_by_test_id("departure-new").click()
        form = page.get_by_test_id("departure-form")
        form.locator("#id_kind").select_option(kind)
        form.locator("#id_departure_date").fill(day.isoformat())
        form.locator("#id_from_airport").fill("CMN")
        form.locator("#id_to_airport").fill("CKY")
        form.locator("#id_flight_number").fill(flight)
        form.locator("#id_capacity").fill(str(capacity))
        page.get_by_test_id("departure-save").click()
        expect(page.get_by_test_id("seat-counter")).to_contain_text(f"0 / {capacity}")
        return Departure.objects.get(flight_number=flight)

    # A later scheduled flight: the traveller whose laissez-passer expires before it is refused.
    later_flight = plan("scheduled", later, 10, "AT517")
    page.get_by_test_id("add-travellers").click()
    page.get_by_test_id(f"select-case-{late.number}").check()
    page.get_by_test_id("add-cases-submit").click()
    expect(page.locator("main")).to_contain_text("LP-TARDIF-7")
    expect(page.locator("main")).to_contain_text(late.number)
    assert Case.objects.get(pk=late.pk).status == Status.READY_TO_TRAVEL
    assert not Booking.objects.filter(case=late).exists()

    # The charter of the day, with a medical escort, and the 20 travellers.
    charter = plan("charter", today, 25, "AT5017")
    page.get_by_test_id("escort-add-button").click()
    escort_form = page.get_by_test_id("escort-form")
    escort_form.locator("select[name=escort-kind]").select_option("medical")
    escort_form.locator("input[name=escort-name]").fill("Dr Salma Bennani")
    page.get_by_test_id("escort-submit").click()
    expect(page.get_by_test_id("escort-item")).to_contain_text("Dr Salma Bennani")
    expect(page.get_by_test_id("seat-counter")).to_contain_text("1 / 25")

    page.get_by_test_id("add-travellers").click()
    for case in cases:
        page.get_by_test_id(f"select-case-{case.number}").check()
    page.get_by_test_id("add-cases-submit").click()
    expect(page.get_by_test_id("seat-counter")).to_contain_text("21 / 25")
    rows = page.get_by_test_id("manifest-row")
    expect(rows).to_have_count(20)
    wheelchair_row = page.locator(f"[data-testid=manifest-row][data-case='{wheelchair.number}']")
    expect(wheelchair_row.get_by_test_id("special-needs")).to_contain_text("WCHR")
    escorted_row = page.locator(f"[data-testid=manifest-row][data-case='{escorted.number}']")
    expect(escorted_row.get_by_test_id("escort")).to_contain_text("Dr Salma Bennani")
    assert Case.objects.filter(pk__in=[c.pk for c in cases], status=Status.BOOKED).count() == 20

    # The manifest, printed.
    href = page.get_by_test_id("manifest-pdf").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")  # shown inline, with the session
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.body())).pages)
    assert charter.reference in text
    assert "WCHR" in text
    assert "Dr Salma Bennani" in text
    assert text.upper().count("CAMARA") >= 20

    # Two no-shows: one rebooked on the later flight, one withdrawn.
    rebooked, withdrawn = cases[18], cases[19]
    for case, reason in ((rebooked, "ill"), (withdrawn, "changed_mind")):
        booking = Booking.objects.get(case=case, departure=charter).pk
        page.get_by_test_id(f"no-show-button-{booking}").click()
        page.locator(f"#row-{booking}").get_by_test_id("no-show-form").locator(
            "select[name$=reason]"
        ).select_option(reason)
        page.get_by_test_id(f"no-show-submit-{booking}").click()
        expect(page.locator(f"#row-{booking}")).to_have_attribute("data-status", "no_show")
    booking = Booking.objects.get(case=rebooked, departure=charter).pk
    page.get_by_test_id(f"rebook-button-{booking}").click()
    page.locator(f"#rebook-{booking}").select_option(str(later_flight.pk))
    page.get_by_test_id(f"rebook-submit-{booking}").click()
    expect(page.locator("main")).to_contain_text(charter.reference)
    booking = Booking.objects.get(case=withdrawn, departure=charter).pk
    page.get_by_test_id(f"withdraw-button-{booking}").click()
    page.locator(f"#withdraw-{booking}").fill("Ne souhaite plus rentrer pour le moment.")
    page.get_by_test_id(f"withdraw-submit-{booking}").click()
    expect(page.locator("main")).to_contain_text(charter.reference)
    assert Case.objects.get(pk=rebooked.pk).status == Status.BOOKED
    assert Booking.objects.get(case=rebooked, status="confirmed").departure == later_flight
    assert Case.objects.get(pk=withdrawn.pk).status == Status.WITHDRAWN

    # The others' departure, confirmed in bulk from the manifest.
    page.get_by_test_id("select-all").check()
    page.get_by_test_id("confirm-departure").click()
    expect(page.get_by_test_id("departure-status")).to_have_attribute("data-status", "departed")
    gone = cases[:18]
    assert Case.objects.filter(pk__in=[c.pk for c in gone], status=Status.DEPARTED).count() == 18

    # Handover to the origin mission: one from the case page, the others as their caseworkers
    # would from theirs.
    first = gone[0]
    page.goto(f"{live_server.url}/cases/{first.pk}/?tab=handover")
    page.get_by_test_id("handover-submit").click()
    expect(page.get_by_test_id("handover-mission")).to_contain_text(guinea.name)
    for case in gone[1:]:
        case_handover(caseworker, case=Case.objects.get(pk=case.pk))
    log_out(page)

    # The origin mission confirms the arrivals.
    log_in(page, "reintegration.conakry")
    page.get_by_test_id("nav-movements").click()
    page.get_by_test_id("nav-arrivals").click()
    expect(page.get_by_test_id("arrival-row")).to_have_count(18)
    page.get_by_test_id("confirm-arrivals").click()
    expect(page.locator("[data-testid=arrival-row][data-status=arrived]")).to_have_count(18)
    assert Case.objects.filter(pk__in=[c.pk for c in gone], status=Status.ARRIVED).count() == 18
    assert Case.objects.filter(pk__in=[c.pk for c in gone], receiving_mission=guinea).count() == 18
