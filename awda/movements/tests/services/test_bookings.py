"""Individual bookings: create, confirm (the last one books the case), cancel (unbook), no-show
(the case travels together), rebook on an itinerary, withdrawal and hold release the seats,
departure and arrival confirmations, pocket money."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.readiness import travel_date
from awda.cases.services import case_transition
from awda.core.errors import PermissionDenied, StaleEdit, TransitionRefused, ValidationFailed
from awda.movements import services
from awda.movements.choices import BookingStatus, NoShowReason
from awda.movements.models import Booking

from ..conftest import handed_over, leg

pytestmark = pytest.mark.django_db


def book(case, user, person, days=3, reference="PNR1"):
    # a flight today leaves late in the evening (not yet left whenever the test runs)
    when = {"hour": 23, "minute": 59} if days == 0 else {}
    b = services.booking_create(user, case=case, person=person, legs=[leg(days=days, **when)])
    return services.booking_confirm(
        user, booking=b, booking_reference=reference, expected_version=b.version
    )


def test_individual_booking_is_requested_then_confirmed_and_books_the_case(
    family_case, movement_officer
):
    principal = family_case.principal
    spouse = family_case.members.get(is_principal=False).person
    connection = leg(days=3, hour=14, from_airport="CKY", to_airport="NZE", flight_number="GN1")
    b = services.booking_create(
        movement_officer,
        case=family_case,
        person=principal,
        legs=[leg(days=3, hour=8), connection],
        ticket_cost="420.50",
        currency="EUR",
    )
    assert b.status == BookingStatus.REQUESTED
    assert (b.travel_date, b.destination_airport) == (
        timezone.localdate() + datetime.timedelta(days=3),
        "NZE",
    )
    assert [x.order for x in b.legs.all()] == [1, 2]
    # the readiness checklist now checks documents and fitness for the flight's day
    assert travel_date(family_case) == b.travel_date
    b = services.booking_confirm(
        movement_officer, booking=b, booking_reference="abc123", expected_version=1
    )
    assert b.booking_reference == "ABC123"
    assert Case.objects.get(pk=family_case.pk).status == Status.READY_TO_TRAVEL  # spouse missing
    book(family_case, movement_officer, spouse)
    assert Case.objects.get(pk=family_case.pk).status == Status.BOOKED
    assert AuditEvent.objects.filter(action=services.BOOKING_CONFIRMED).count() == 2


def test_legs_are_validated(ready_case, movement_officer):
    with pytest.raises(ValidationFailed) as err:
        services.booking_create(
            movement_officer,
            case=ready_case,
            person=ready_case.principal,
            legs=[leg(from_airport="Casablanca"), leg(hour=9, from_airport="XXX")],
        )
    assert {"legs.1.from_airport", "legs.2.departs_at"} <= set(err.value.fields)
    assert not Booking.objects.exists()


def test_confirmation_needs_a_reference_and_the_current_version(ready_case, movement_officer):
    b = services.booking_create(
        movement_officer, case=ready_case, person=ready_case.principal, legs=[leg()]
    )
    with pytest.raises(ValidationFailed):
        services.booking_confirm(movement_officer, booking=b, expected_version=1)
    with pytest.raises(StaleEdit):
        services.booking_confirm(
            movement_officer, booking=b, booking_reference="X", expected_version=7
        )
    assert Booking.objects.get(pk=b.pk).status == BookingStatus.REQUESTED


def test_one_active_booking_per_traveller(ready_case, movement_officer):
    services.booking_create(
        movement_officer, case=ready_case, person=ready_case.principal, legs=[leg()]
    )
    with pytest.raises(ValidationFailed) as err:
        services.booking_create(
            movement_officer, case=ready_case, person=ready_case.principal, legs=[leg(days=5)]
        )
    assert err.value.code == "already_booked"


def test_cancelling_a_seat_of_a_booked_case_unbooks_it(family_case, movement_officer):
    spouse = family_case.members.get(is_principal=False).person
    book(family_case, movement_officer, family_case.principal)
    b = book(family_case, movement_officer, spouse, reference="PNR2")
    services.booking_cancel(movement_officer, booking=b, reason="Date changed")
    case = Case.objects.get(pk=family_case.pk)
    assert case.status == Status.READY_TO_TRAVEL
    assert case.transitions.order_by("-id").first().name == "unbook"
    # the principal keeps the seat; a new seat for the spouse books the case again
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1
    book(case, movement_officer, spouse, days=4, reference="PNR3")
    assert Case.objects.get(pk=family_case.pk).status == Status.BOOKED


def test_the_last_confirmation_is_refused_when_a_safeguard_fails_for_the_flight(
    ready_case, movement_officer, medical_officer
):
    from awda.screening.health.services import fitness_record

    fitness_record(
        medical_officer, case=ready_case, person=ready_case.principal, outcome="fit", valid_days=2
    )
    b = services.booking_create(
        movement_officer, case=ready_case, person=ready_case.principal, legs=[leg(days=6)]
    )
    with pytest.raises(TransitionRefused) as err:
        services.booking_confirm(
            movement_officer, booking=b, booking_reference="PNR", expected_version=1
        )
    assert "Fitness to travel" in str(err.value.message)
    assert Booking.objects.get(pk=b.pk).status == BookingStatus.REQUESTED
    assert Case.objects.get(pk=ready_case.pk).status == Status.READY_TO_TRAVEL


def test_no_show_releases_the_companions_and_rebooking_on_an_itinerary(
    family_case, movement_officer
):
    spouse = family_case.members.get(is_principal=False).person
    principal_seat = book(family_case, movement_officer, family_case.principal, days=0)
    book(family_case, movement_officer, spouse, days=0, reference="PNR2")
    services.booking_no_show(
        movement_officer, booking=principal_seat, reason=NoShowReason.DID_NOT_COME
    )
    case = Case.objects.get(pk=family_case.pk)
    assert case.status == Status.NO_SHOW
    assert case.transitions.order_by("-id").first().reason.startswith("Ousmane DIALLO")
    assert sorted(Booking.objects.values_list("status", flat=True)) == [
        BookingStatus.CANCELLED,
        BookingStatus.NO_SHOW,
    ]
    new = services.booking_rebook(
        movement_officer, case=case, legs=[leg(days=7)], booking_reference="NEW1"
    )
    assert len(new) == 2 and all(b.status == BookingStatus.CONFIRMED for b in new)
    assert {b.rebooked_from_id for b in new} == set(
        Booking.objects.exclude(pk__in=[b.pk for b in new]).values_list("pk", flat=True)
    )
    case = Case.objects.get(pk=family_case.pk)
    assert case.status == Status.BOOKED
    assert [t.name for t in case.transitions.order_by("-id")[:3]] == [
        "book",
        "mark_ready",
        "rebook",
    ]


def test_no_show_is_refused_when_a_companion_departed(family_case, movement_officer):
    spouse = family_case.members.get(is_principal=False).person
    a = book(family_case, movement_officer, family_case.principal, days=0)
    b = book(family_case, movement_officer, spouse, days=0, reference="PNR2")
    services.booking_confirm_departure(movement_officer, bookings=[a])
    with pytest.raises(ValidationFailed) as err:
        services.booking_no_show(movement_officer, booking=b, reason=NoShowReason.ILL)
    assert err.value.code == "companion_departed"
    assert Booking.objects.get(pk=b.pk).status == BookingStatus.CONFIRMED


def test_other_reason_needs_details(ready_case, movement_officer):
    b = book(ready_case, movement_officer, ready_case.principal, days=0)
    with pytest.raises(ValidationFailed) as err:
        services.booking_no_show(movement_officer, booking=b, reason=NoShowReason.OTHER)
    assert "details" in err.value.fields


@pytest.mark.parametrize(("name", "reason"), [("withdraw", "Changed plans")])
def test_withdrawing_a_booked_case_releases_its_seats(name, reason, ready_case, movement_officer):
    book(ready_case, movement_officer, ready_case.principal)
    case = Case.objects.get(pk=ready_case.pk)
    case_transition(movement_officer, case=case, name=name, reason=reason)
    b = Booking.objects.get()
    assert (b.status, b.cancelled_reason) == (BookingStatus.CANCELLED, reason)
    assert AuditEvent.objects.filter(action=services.BOOKING_CANCELLED).count() == 1


def test_putting_a_ready_case_on_hold_releases_its_requested_seat(
    ready_case, movement_officer, caseworker
):
    services.booking_create(
        movement_officer, case=ready_case, person=ready_case.principal, legs=[leg()]
    )
    case_transition(caseworker, case=ready_case, name="put_on_hold", reason="In hospital")
    assert Booking.objects.get().status == BookingStatus.CANCELLED


def test_unbooking_from_the_case_page_releases_every_seat(ready_case, movement_officer):
    book(ready_case, movement_officer, ready_case.principal)
    case = Case.objects.get(pk=ready_case.pk)
    case_transition(movement_officer, case=case, name="unbook", reason="Flight cancelled")
    assert Booking.objects.get().status == BookingStatus.CANCELLED


def test_case_page_no_show_marks_the_seats(ready_case, movement_officer):
    book(ready_case, movement_officer, ready_case.principal, days=0)
    case = Case.objects.get(pk=ready_case.pk)
    case_transition(movement_officer, case=case, name="no_show", reason="Not at the airport")
    b = Booking.objects.get()
    assert (b.status, b.no_show_reason, b.no_show_details) == (
        BookingStatus.NO_SHOW,
        NoShowReason.OTHER,
        "Not at the airport",
    )


def test_departure_cannot_be_confirmed_before_the_flight_day(ready_case, movement_officer):
    b = book(ready_case, movement_officer, ready_case.principal, days=2)
    with pytest.raises(ValidationFailed) as err:
        services.booking_confirm_departure(movement_officer, bookings=[b])
    assert err.value.code == "departure_not_confirmable"
    assert Booking.objects.get(pk=b.pk).status == BookingStatus.CONFIRMED


def test_arrival_by_the_origin_mission_only_after_handover(
    ready_case, movement_officer, origin_officer, guinea
):
    b = book(ready_case, movement_officer, ready_case.principal, days=0)
    services.booking_confirm_departure(movement_officer, bookings=[b])
    assert Case.objects.get(pk=ready_case.pk).status == Status.DEPARTED
    b.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.booking_confirm_arrival(origin_officer, bookings=[b])
    assert Booking.objects.get(pk=b.pk).status == BookingStatus.DEPARTED
    handed_over(ready_case, guinea)
    b = Booking.objects.select_related("case").get(pk=b.pk)
    services.booking_confirm_arrival(origin_officer, bookings=[b])
    case = Case.objects.get(pk=ready_case.pk)
    assert case.status == Status.ARRIVED
    assert case.transitions.order_by("-id").first().actor == origin_officer


def test_caseworker_cannot_book(ready_case, caseworker):
    with pytest.raises(PermissionDenied):
        services.booking_create(
            caseworker, case=ready_case, person=ready_case.principal, legs=[leg()]
        )
    assert not Booking.objects.exists()


def test_pocket_money_default_receipt_and_once_per_seat(ready_case, movement_officer, settings):
    settings.AWDA_POCKET_MONEY_DEFAULT = "25.00 EUR"
    b = book(ready_case, movement_officer, ready_case.principal, days=0)
    pm = services.pocket_money_pay(movement_officer, booking=b)
    assert (str(pm.amount), pm.currency, pm.paid_on) == ("25.00", "EUR", timezone.localdate())
    with pytest.raises(ValidationFailed) as err:
        services.pocket_money_pay(movement_officer, booking=b, amount="10", currency="MAD")
    assert err.value.code == "already_paid"
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed receipt", "application/pdf")
    pm = services.pocket_money_receipt_add(movement_officer, pocket_money=pm, file=scan)
    assert pm.receipt and pm.receipt_name == "signed.pdf" and pm.receipt_uploaded_at
    bad = SimpleUploadedFile("signed.pdf", b"not a pdf", "application/pdf")
    with pytest.raises(ValidationFailed):
        services.pocket_money_receipt_add(movement_officer, pocket_money=pm, file=bad)
    actions = list(
        AuditEvent.objects.filter(action__startswith="movements.pocket_money")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [services.POCKET_MONEY_PAID, services.RECEIPT_ADDED]


def test_a_departure_is_departed_once_no_seat_waits(
    family_case, ready_case, departure, movement_officer
):
    bookings = services.departure_add_cases(
        movement_officer, departure=departure, cases=[family_case, ready_case]
    )
    alone = next(b for b in bookings if b.case_id == ready_case.pk)
    services.booking_confirm_departure(movement_officer, bookings=[alone])
    departure.refresh_from_db()
    assert departure.status == "planned"
    family_seat = next(b for b in bookings if b.case_id == family_case.pk)
    services.booking_no_show(movement_officer, booking=family_seat, reason=NoShowReason.ILL)
    departure.refresh_from_db()
    assert departure.status == "departed"
