"""Readiness check "escort" (movements/readiness.py): a traveller whose fitness decision asks for
an escort is booked and departs only with one of the right kind."""

import pytest
from django.utils import timezone

from awda.cases.choices import Status
from awda.cases.readiness import case_readiness
from awda.core.errors import TransitionRefused
from awda.movements import services
from awda.movements.choices import EscortKind
from awda.movements.models import Booking
from awda.screening.health.choices import Escort, FitnessOutcome
from awda.screening.health.services import fitness_record

from ..conftest import leg

pytestmark = pytest.mark.django_db


@pytest.fixture
def escorted(make_ready, medical_officer):
    def make(escort=Escort.MEDICAL):
        case = make_ready(given_name="Ousmane")
        fitness_record(
            medical_officer,
            case=case,
            person=case.principal,
            outcome=FitnessOutcome.FIT_WITH_ESCORT,
            escort=escort,
            decided_on=timezone.localdate(),
        )
        case.refresh_from_db()
        return case

    return make


def _escort_checks(case):
    return [c for row in case_readiness(case) for c in row.checks if c.code == "movements.escort"]


def test_before_a_seat_the_check_is_a_reminder_that_does_not_block(escorted, ready_case):
    case = escorted()
    [check] = _escort_checks(case)
    assert check.ok and "medical escort" in check.detail
    assert _escort_checks(ready_case) == []  # no escort asked for: no check


def test_departure_with_a_medical_escort_links_it_and_books(
    escorted, make_departure, movement_officer
):
    case = escorted()
    departure = make_departure()
    nurse = services.escort_add(
        movement_officer, departure=departure, kind=EscortKind.MEDICAL, name="Dr Salma Bennani"
    )
    services.departure_add_cases(movement_officer, departure=departure, cases=[case])
    case.refresh_from_db()
    assert case.status == Status.BOOKED
    assert Booking.objects.get(case=case).escort == nurse
    [check] = _escort_checks(case)
    assert check.ok and check.detail == "Dr Salma Bennani"


def test_departure_without_an_escort_is_refused_naming_the_need(
    escorted, make_departure, movement_officer
):
    case = escorted()
    departure = make_departure()
    with pytest.raises(TransitionRefused) as err:
        services.departure_add_cases(movement_officer, departure=departure, cases=[case])
    assert "medical escort" in str(err.value.message)
    case.refresh_from_db()
    assert case.status == Status.READY_TO_TRAVEL
    assert not Booking.objects.filter(case=case).exists()


def test_an_operational_escort_is_not_a_medical_one(escorted, make_departure, movement_officer):
    case = escorted()
    departure = make_departure()
    youssef = services.escort_add(
        movement_officer, departure=departure, kind=EscortKind.OPERATIONAL, name="Youssef"
    )
    with pytest.raises(TransitionRefused) as err:  # not linked to a medical need by default
        services.departure_add_cases(movement_officer, departure=departure, cases=[case])
    assert "none is assigned" in str(err.value.message)
    with pytest.raises(TransitionRefused) as err:  # nor accepted when chosen
        services.departure_add_cases(
            movement_officer,
            departure=departure,
            cases=[case],
            escorts={case.principal_id: youssef},
        )
    assert "Youssef is not one" in str(err.value.message)


def test_any_escort_will_do_for_a_non_medical_escort(escorted, make_departure, movement_officer):
    case = escorted(Escort.NON_MEDICAL)
    departure = make_departure()
    services.escort_add(
        movement_officer, departure=departure, kind=EscortKind.OPERATIONAL, name="Youssef"
    )
    booking = services.departure_add_cases(movement_officer, departure=departure, cases=[case])
    assert booking[0].escort.name == "Youssef"
    case.refresh_from_db()
    assert case.status == Status.BOOKED


def test_an_individual_booking_without_escort_is_not_confirmed(escorted, movement_officer):
    case = escorted()
    booking = services.booking_create(
        movement_officer, case=case, person=case.principal, legs=[leg(days=1)]
    )
    with pytest.raises(TransitionRefused) as err:
        services.booking_confirm(
            movement_officer, booking=booking, booking_reference="ABC123", expected_version=1
        )
    assert "medical escort" in str(err.value.message)
    case.refresh_from_db()
    assert case.status == Status.READY_TO_TRAVEL


def test_removing_the_escort_stops_the_departure(escorted, make_departure, movement_officer):
    case = escorted()
    departure = make_departure()
    nurse = services.escort_add(
        movement_officer, departure=departure, kind=EscortKind.MEDICAL, name="Dr Salma Bennani"
    )
    services.departure_add_cases(movement_officer, departure=departure, cases=[case])
    services.escort_remove(movement_officer, escort=nurse)
    with pytest.raises(TransitionRefused) as err:
        services.booking_confirm_departure(
            movement_officer, bookings=Booking.objects.filter(case=case)
        )
    assert "medical escort" in str(err.value.message)
    case.refresh_from_db()
    assert case.status == Status.BOOKED
