"""The issue's journey through the services: a departure of 20 ready travellers (one in a
wheelchair, one with a medical escort), two no-shows (one rebooked, one withdrawn), the others'
departure confirmed, then their arrival confirmed by the origin mission."""

import pytest

from awda.audit.models import AuditEvent
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import case_transition
from awda.movements import services
from awda.movements.choices import BookingStatus, DepartureStatus, EscortKind, NoShowReason
from awda.movements.models import Booking
from awda.screening.health.services import fitness_record

from ..conftest import handed_over


@pytest.mark.django_db
def test_departure_of_twenty_with_no_shows_departure_and_arrival(
    make_ready, make_departure, movement_officer, medical_officer, origin_officer, guinea
):
    cases = [make_ready(given_name=f"Traveller{i:02d}") for i in range(20)]
    wheelchair, escorted = cases[0], cases[1]
    fitness_record(
        medical_officer,
        case=wheelchair,
        person=wheelchair.principal,
        outcome="fit",
        special_needs=["wheelchair_steps"],
    )
    fitness_record(
        medical_officer,
        case=escorted,
        person=escorted.principal,
        outcome="fit_with_escort",
        escort="medical",
    )
    departure = make_departure(capacity=25)
    escort = services.escort_add(
        movement_officer, departure=departure, kind=EscortKind.MEDICAL, name="Dr Benali"
    )

    bookings = services.departure_add_cases(movement_officer, departure=departure, cases=cases)

    assert len(bookings) == 20
    assert services.seats_used(departure) == 21
    assert all(b.status == BookingStatus.CONFIRMED for b in bookings)
    assert Case.objects.filter(pk__in=[c.pk for c in cases], status=Status.BOOKED).count() == 20
    by_case = {b.case_id: b for b in bookings}
    assert by_case[wheelchair.pk].special_needs == ["wheelchair_steps"]
    assert by_case[wheelchair.pk].airport_assistance is True
    assert by_case[escorted.pk].escort == escort
    assert by_case[cases[5].pk].special_needs == [] and by_case[cases[5].pk].escort is None

    # two no-shows
    rebooked, withdrawn = cases[2], cases[3]
    services.booking_no_show(
        movement_officer, booking=by_case[rebooked.pk], reason=NoShowReason.ILL
    )
    services.booking_no_show(
        movement_officer,
        booking=by_case[withdrawn.pk],
        reason=NoShowReason.CHANGED_MIND,
        details="Wants to stay",
    )
    assert Case.objects.get(pk=rebooked.pk).status == Status.NO_SHOW
    later = make_departure(days=7, flight_number="AT519")
    new = services.booking_rebook(movement_officer, case=rebooked, departure=later)
    assert [b.rebooked_from_id for b in new] == [by_case[rebooked.pk].pk]
    assert Case.objects.get(pk=rebooked.pk).status == Status.BOOKED
    withdrawn.refresh_from_db()
    case_transition(movement_officer, case=withdrawn, name="withdraw", reason="Stays in Morocco")
    assert Case.objects.get(pk=withdrawn.pk).status == Status.WITHDRAWN

    # the others depart (bulk, from the manifest)
    others = [b for b in bookings if b.case_id not in (rebooked.pk, withdrawn.pk)]
    services.booking_confirm_departure(movement_officer, bookings=others)
    assert Booking.objects.filter(departure=departure, status=BookingStatus.DEPARTED).count() == 18
    departed_ids = [b.case_id for b in others]
    assert Case.objects.filter(pk__in=departed_ids, status=Status.DEPARTED).count() == 18
    departure.refresh_from_db()
    assert departure.status == DepartureStatus.DEPARTED

    # the origin mission confirms the arrivals once the cases are handed over
    for case in Case.objects.filter(pk__in=departed_ids):
        handed_over(case, guinea)
    arrived = services.booking_confirm_arrival(
        origin_officer, bookings=Booking.objects.filter(pk__in=[b.pk for b in others])
    )
    assert len(arrived) == 18
    assert Case.objects.filter(pk__in=departed_ids, status=Status.ARRIVED).count() == 18
    assert AuditEvent.objects.filter(action=services.BOOKING_ARRIVED).count() == 18
    assert AuditEvent.objects.filter(action=services.BOOKING_NO_SHOW).count() == 2
