"""Group departures: capacity, all-or-nothing, readiness for the departure's date, escorts,
removal of a case, stale versions, permissions."""

import datetime

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.core.errors import PermissionDenied, StaleEdit, TransitionRefused, ValidationFailed
from awda.movements import services
from awda.movements.choices import BookingStatus, EscortKind
from awda.movements.models import Booking, Departure
from awda.movements.traveldocs.models import TravelDocument

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "bookings": list(Booking.objects.values_list("pk", "status", "version")),
        "cases": list(Case.objects.values_list("pk", "status", "version")),
        "departures": list(Departure.objects.values_list("pk", "status", "version")),
        "events": AuditEvent.objects.count(),
    }


def test_capacity_counts_travellers_and_escort_seats(
    make_ready, make_departure, movement_officer, family_case
):
    departure = make_departure(capacity=3)
    services.escort_add(
        movement_officer, departure=departure, kind=EscortKind.OPERATIONAL, name="Omar", seats=1
    )
    single = make_ready(given_name="Awa")
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        services.departure_add_cases(
            movement_officer, departure=departure, cases=[family_case, single]
        )
    assert err.value.code == "capacity_exceeded"
    assert err.value.details == {"used": 1, "capacity": 3, "requested": 3}
    assert "1 of 3" in str(err.value.message)
    assert snapshot() == before
    services.departure_add_cases(movement_officer, departure=departure, cases=[family_case])
    assert services.seats_used(departure) == 3
    with pytest.raises(ValidationFailed):
        services.escort_add(movement_officer, departure=departure, kind="child", name="Zineb")


def test_one_refused_case_adds_nothing(make_ready, departure, movement_officer, caseworker, rabat):
    from awda.factories import register_case

    ready = make_ready()
    registered = register_case(caseworker, rabat)
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        services.departure_add_cases(
            movement_officer, departure=departure, cases=[ready, registered]
        )
    assert err.value.code == "case_not_ready"
    assert registered.number in str(err.value.message)
    assert snapshot() == before


def test_laissez_passer_expiring_before_the_flight_is_refused_with_that_reason(
    make_ready, make_departure, movement_officer
):
    good = make_ready(given_name="Mamadou")
    case = make_ready(given_name="Fatou")
    departure = make_departure(days=10)
    TravelDocument.objects.filter(case=case).update(
        kind="laissez_passer", expires_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    before = snapshot()
    with pytest.raises(TransitionRefused) as err:
        services.departure_add_cases(movement_officer, departure=departure, cases=[good, case])
    message = str(err.value.message)
    assert err.value.code == "gate_failed"
    assert case.number in message and "Fatou" in message
    assert "Travel document" in message
    gates = [g["gate"] for g in err.value.details["failed_gates"]]
    assert gates == ["travel_safeguards"]
    assert snapshot() == before
    # the same case fits a flight before the expiry
    early = make_departure(days=2, flight_number="AT600")
    services.departure_add_cases(movement_officer, departure=early, cases=[case])
    assert Case.objects.get(pk=case.pk).status == Status.BOOKED


def test_fitness_expiring_before_the_flight_is_refused(
    make_ready, make_departure, movement_officer, medical_officer
):
    from awda.screening.health.services import fitness_record

    case = make_ready()
    fitness_record(medical_officer, case=case, person=case.principal, outcome="fit", valid_days=3)
    with pytest.raises(TransitionRefused) as err:
        services.departure_add_cases(
            movement_officer, departure=make_departure(days=6), cases=[case]
        )
    assert "Fitness to travel" in str(err.value.message)
    assert not Booking.objects.exists()


def test_a_case_already_holding_a_seat_is_not_added_twice(
    ready_case, make_departure, movement_officer
):
    first = make_departure()
    services.departure_add_cases(movement_officer, departure=first, cases=[ready_case])
    ready_case.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.departure_add_cases(
            movement_officer, departure=make_departure(days=3), cases=[ready_case]
        )


def test_special_needs_and_escort_can_be_given_per_traveller(
    family_case, departure, movement_officer
):
    escort = services.escort_add(
        movement_officer, departure=departure, kind=EscortKind.CHILD, name="Salma"
    )
    spouse = family_case.members.get(is_principal=False).person
    bookings = services.departure_add_cases(
        movement_officer,
        departure=departure,
        cases=[family_case],
        special_needs={spouse.pk: ["oxygen"]},
        escorts={spouse.pk: escort.pk},
    )
    by_person = {b.person_id: b for b in bookings}
    assert by_person[spouse.pk].special_needs == ["oxygen"]
    assert by_person[spouse.pk].escort == escort
    assert by_person[family_case.principal_id].escort is None
    b = by_person[spouse.pk]
    updated = services.booking_update(
        movement_officer, booking=b, expected_version=b.version, special_needs=[], escort=None
    )
    assert updated.special_needs == [] and updated.escort is None
    with pytest.raises(StaleEdit):
        services.booking_update(
            movement_officer, booking=b, expected_version=1, remarks="late change"
        )


def test_removing_a_case_releases_its_seats_and_unbooks_it(
    family_case, departure, movement_officer
):
    services.departure_add_cases(movement_officer, departure=departure, cases=[family_case])
    n = services.departure_remove_case(
        movement_officer, departure=departure, case=family_case, reason="Flight changed"
    )
    assert n == 2
    assert services.seats_used(departure) == 0
    assert Case.objects.get(pk=family_case.pk).status == Status.READY_TO_TRAVEL
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}


def test_cancelling_a_departure_releases_seats(ready_case, departure, movement_officer):
    services.departure_add_cases(movement_officer, departure=departure, cases=[ready_case])
    departure.refresh_from_db()
    services.departure_cancel(
        movement_officer, departure=departure, reason="Flight cancelled", expected_version=1
    )
    assert Case.objects.get(pk=ready_case.pk).status == Status.READY_TO_TRAVEL
    assert Departure.objects.get(pk=departure.pk).status == "cancelled"


def test_stale_departure_update_is_refused(departure, movement_officer):
    services.departure_update(
        movement_officer, departure=departure, expected_version=1, capacity=40
    )
    before = snapshot()
    with pytest.raises(StaleEdit):
        services.departure_update(
            movement_officer, departure=departure, expected_version=1, capacity=10
        )
    assert snapshot() == before


def test_moving_a_departure_after_a_document_expiry_is_refused(
    ready_case, make_departure, movement_officer
):
    departure = make_departure(days=2)
    TravelDocument.objects.filter(case=ready_case).update(
        expires_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    services.departure_add_cases(movement_officer, departure=departure, cases=[ready_case])
    departure.refresh_from_db()
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        services.departure_update(
            movement_officer,
            departure=departure,
            expected_version=departure.version,
            departure_date=timezone.localdate() + datetime.timedelta(days=9),
        )
    assert err.value.code == "travellers_not_ready"
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["caseworker", "medical_officer", "other_office_user"])
def test_only_movement_staff_organise_departures(persona, request, rabat, ready_case, departure):
    user = request.getfixturevalue(persona)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.departure_create(
            user,
            office=rabat,
            departure_date=timezone.localdate(),
            from_airport="CMN",
            to_airport="CKY",
            flight_number="AT1",
        )
    with pytest.raises(PermissionDenied):
        services.departure_add_cases(user, departure=departure, cases=[ready_case])
    with pytest.raises(PermissionDenied):
        services.escort_add(user, departure=departure, kind="medical", name="X")
    assert snapshot() == before


def test_departure_reference_is_generated_per_mission_and_day(make_departure):
    a = make_departure(days=1)
    b = make_departure(days=1, flight_number="AT2")
    day = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%Y%m%d")
    assert (a.reference, b.reference) == (f"MA-{day}-01", f"MA-{day}-02")
    assert AuditEvent.objects.filter(action=services.DEPARTURE_CREATED).count() == 2


def test_seat_numbers_beyond_what_a_flight_carries_are_refused(
    make_departure, departure, movement_officer
):
    # the columns are small integers: PostgreSQL would fail with a server error
    with pytest.raises(ValidationFailed) as err:
        make_departure(capacity=40000)
    assert "capacity" in err.value.fields
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        services.departure_update(
            movement_officer, departure=departure, expected_version=departure.version, capacity=1000
        )
    assert "capacity" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.escort_add(
            movement_officer, departure=departure, kind="operational", name="Omar", seats=40000
        )
    assert "seats" in err.value.fields
    assert snapshot() == before


def test_an_escort_is_staff_of_the_mission_or_an_active_partner(
    departure, movement_officer, origin_officer
):
    from awda.factories import OrganisationFactory
    from awda.movements.models import Escort

    closed = OrganisationFactory(name="Ancienne ONG", kind="ngo", is_active=False)
    with pytest.raises(ValidationFailed) as err:
        services.escort_add(
            movement_officer,
            departure=departure,
            kind=EscortKind.MEDICAL,
            name="",
            staff=origin_officer,
        )
    assert set(err.value.fields) == {"staff", "name"}
    with pytest.raises(ValidationFailed) as err:
        services.escort_add(
            movement_officer,
            departure=departure,
            kind=EscortKind.OPERATIONAL,
            name="Omar",
            organisation=closed,
        )
    assert set(err.value.fields) == {"organisation"}
    assert not Escort.objects.exists()
    escort = services.escort_add(
        movement_officer,
        departure=departure,
        kind=EscortKind.OPERATIONAL,
        name="",
        staff=movement_officer,
    )
    assert escort.user == movement_officer and escort.name
