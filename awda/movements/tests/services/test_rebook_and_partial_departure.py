"""Rebooking a no-show on a departure that is no longer open, and a case one of whose travellers
already departed (withdrawal refused; a companion's new seat books the case again)."""

import pytest

from awda.audit.models import AuditEvent
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import case_transition
from awda.core.errors import ValidationFailed
from awda.movements import services
from awda.movements.choices import BookingStatus, NoShowReason
from awda.movements.models import Booking, Departure

from ..conftest import leg

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "bookings": list(Booking.objects.order_by("pk").values_list("pk", "status", "version")),
        "cases": list(Case.objects.order_by("pk").values_list("pk", "status", "version")),
        "departures": list(Departure.objects.order_by("pk").values_list("pk", "status")),
        "events": AuditEvent.objects.count(),
    }


def book(case, user, person, *, days=0, reference="PNR1"):
    b = services.booking_create(
        user, case=case, person=person, legs=[leg(days=days, hour=23, minute=59)]
    )
    return services.booking_confirm(
        user, booking=b, booking_reference=reference, expected_version=b.version
    )


def no_show(case, user):
    seat = book(case, user, case.principal)
    services.booking_no_show(user, booking=seat, reason=NoShowReason.ILL)
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("state", ["cancelled", "departed"])
def test_a_no_show_is_not_rebooked_on_a_departure_that_is_no_longer_planned(
    state, ready_case, make_departure, movement_officer
):
    case = no_show(ready_case, movement_officer)
    target = make_departure(days=5)
    Departure.objects.filter(pk=target.pk).update(status=state)
    target.refresh_from_db()
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        services.booking_rebook(movement_officer, case=case, departure=target)
    assert err.value.code == "departure_closed"
    assert snapshot() == before
    assert Case.objects.get(pk=case.pk).status == Status.NO_SHOW


def test_a_no_show_is_not_rebooked_on_a_departure_that_has_left(
    ready_case, make_departure, movement_officer
):
    import datetime

    case = no_show(ready_case, movement_officer)
    target = make_departure(days=1)
    Departure.objects.filter(pk=target.pk).update(
        departure_date=target.departure_date - datetime.timedelta(days=3)
    )
    target.refresh_from_db()
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        services.booking_rebook(movement_officer, case=case, departure=target)
    assert err.value.code == "departure_past"
    assert snapshot() == before


def test_rebooking_on_a_full_departure_counts_the_seats(
    ready_case, make_departure, movement_officer
):
    case = no_show(ready_case, movement_officer)
    target = make_departure(days=5, capacity=1)
    services.escort_add(movement_officer, departure=target, kind="operational", name="Omar")
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        services.booking_rebook(movement_officer, case=case, departure=target)
    assert err.value.code == "capacity_exceeded"
    assert snapshot() == before


@pytest.mark.parametrize("move", ["withdraw", "put_on_hold"])
def test_a_case_whose_traveller_departed_is_not_withdrawn_nor_held(
    move, family_case, movement_officer, manager
):
    spouse = family_case.members.get(is_principal=False).person
    first = book(family_case, movement_officer, family_case.principal)
    book(family_case, movement_officer, spouse, reference="PNR2")
    services.booking_confirm_departure(movement_officer, bookings=[first])
    case = Case.objects.get(pk=family_case.pk)
    assert case.status == Status.BOOKED
    if move == "put_on_hold":
        # only a ready case can be held: the spouse's flight changed, the case was unbooked
        services.booking_cancel(
            movement_officer,
            booking=Booking.objects.get(person=spouse, status=BookingStatus.CONFIRMED),
            reason="Flight changed",
        )
        case = Case.objects.get(pk=family_case.pk)
        assert case.status == Status.READY_TO_TRAVEL
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        case_transition(manager, case=case, name=move, reason="Stays")
    assert err.value.code == "companion_departed"
    assert family_case.principal.full_name in str(err.value.message)
    assert snapshot() == before


def test_a_companion_rebooked_after_the_other_departed_books_and_departs_the_case(
    family_case, movement_officer
):
    spouse = family_case.members.get(is_principal=False).person
    first = book(family_case, movement_officer, family_case.principal)
    second = book(family_case, movement_officer, spouse, reference="PNR2")
    services.booking_confirm_departure(movement_officer, bookings=[first])
    services.booking_cancel(movement_officer, booking=second, reason="Flight changed")
    assert Case.objects.get(pk=family_case.pk).status == Status.READY_TO_TRAVEL
    again = book(family_case, movement_officer, spouse, reference="PNR3")
    assert Case.objects.get(pk=family_case.pk).status == Status.BOOKED
    services.booking_confirm_departure(
        movement_officer, bookings=[Booking.objects.select_related("case").get(pk=again.pk)]
    )
    assert Case.objects.get(pk=family_case.pk).status == Status.DEPARTED


def test_a_companion_taken_off_after_the_other_departed_is_seated_alone_on_another_flight(
    family_case, make_departure, movement_officer
):
    spouse = family_case.members.get(is_principal=False).person
    today = make_departure()
    later = make_departure(days=4)
    seats = services.departure_add_cases(movement_officer, departure=today, cases=[family_case])
    first = next(b for b in seats if b.person_id == family_case.principal_id)
    services.booking_confirm_departure(movement_officer, bookings=[first])
    services.departure_remove_case(
        movement_officer, departure=today, case=family_case, reason="Missed the connection"
    )
    assert Case.objects.get(pk=family_case.pk).status == Status.READY_TO_TRAVEL
    # the principal, gone already, gets no second seat (nor an individual booking)
    with pytest.raises(ValidationFailed) as err:
        services.booking_create(
            movement_officer, case=family_case, person=family_case.principal, legs=[leg()]
        )
    assert err.value.code == "already_departed"
    case = Case.objects.get(pk=family_case.pk)
    new = services.departure_add_cases(movement_officer, departure=later, cases=[case])
    assert [b.person_id for b in new] == [spouse.pk]
    assert services.seats_used(later) == 1
    assert Case.objects.get(pk=family_case.pk).status == Status.BOOKED
    assert Booking.objects.filter(person=family_case.principal).count() == 1


def test_a_departure_whose_every_traveller_failed_to_show_still_left(
    make_ready, make_departure, movement_officer
):
    from awda.movements.choices import DepartureStatus

    first, second = make_ready(given_name="Absent"), make_ready(given_name="Absente")
    departure = make_departure()
    services.departure_add_cases(movement_officer, departure=departure, cases=[first, second])
    seats = list(Booking.objects.filter(departure=departure).order_by("pk"))
    services.booking_no_show(movement_officer, booking=seats[0], reason=NoShowReason.ILL)
    departure.refresh_from_db()
    assert departure.status == DepartureStatus.PLANNED  # the other is still expected
    services.booking_no_show(movement_officer, booking=seats[1], reason=NoShowReason.CHANGED_MIND)
    departure.refresh_from_db()
    assert departure.status == DepartureStatus.DEPARTED
    assert AuditEvent.objects.filter(
        action="movements.departure.updated", changes__status__to="departed"
    ).exists()
