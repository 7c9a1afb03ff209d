"""Tickets and pocket money are charged to their project's budget (awda.movements.charges)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.core.errors import ValidationFailed
from awda.factories import BudgetLineFactory, PersonCapFactory
from awda.finance.models import Charge
from awda.movements import services
from awda.movements.choices import NoShowReason
from awda.movements.models import Booking, BookingLeg, PocketMoney

from ..conftest import leg

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def request_seat(case, user, project, cost="400.00", **kwargs):
    return services.booking_create(
        user,
        case=case,
        person=case.principal,
        legs=[leg(days=3)],
        ticket_cost=cost,
        currency="EUR",
        project=project,
        **kwargs,
    )


def confirm(user, booking):
    return services.booking_confirm(
        user, booking=booking, booking_reference="PNR1", expected_version=booking.version
    )


def ticket(booking) -> Charge:
    return Charge.objects.get(source="ticket", source_id=booking.pk)


def later(monkeypatch, days):
    """The clock `days` ahead (a confirmation on another day)."""
    moved = timezone.now() + datetime.timedelta(days=days)
    monkeypatch.setattr(timezone, "now", lambda: moved)
    return timezone.localdate(moved)


def test_a_requested_ticket_is_committed_then_spent_on_the_confirmation_day(
    ready_case, movement_officer, project, monkeypatch
):
    line = BudgetLineFactory(project=project, code="TKT", categories=["ticket", "pocket_money"])
    booking = request_seat(ready_case, movement_officer, project)
    charge = ticket(booking)
    assert (charge.stage, charge.committed_on, charge.spent_on) == ("committed", TODAY, None)
    assert charge.category == "ticket" and charge.person == ready_case.principal
    assert charge.budget_line == line and charge.project_amount == Decimal("400.00")
    assert booking.charge_warning == ""
    day = later(monkeypatch, 1)
    confirm(movement_officer, booking)
    charge.refresh_from_db()
    assert (charge.stage, charge.committed_on, charge.spent_on) == ("spent", TODAY, day)


def test_a_ticket_cancelled_before_it_is_issued_is_released(ready_case, movement_officer, project):
    booking = request_seat(ready_case, movement_officer, project)
    services.booking_cancel(movement_officer, booking=booking, reason="Flight changed")
    charge = ticket(booking)
    assert charge.stage == "released" and charge.released_on == TODAY


def test_an_issued_ticket_stays_spent_when_the_seat_is_cancelled_or_not_used(
    family_case, movement_officer, project
):
    booking = confirm(movement_officer, request_seat(family_case, movement_officer, project))
    services.booking_cancel(movement_officer, booking=booking, reason="Flight changed")
    assert ticket(booking).stage == "spent"  # a paid ticket (refunds are not recorded)
    spouse = family_case.members.get(is_principal=False).person
    for person in (family_case.principal, spouse):
        b = services.booking_create(
            movement_officer,
            case=family_case,
            person=person,
            legs=[leg(days=0, hour=23, minute=59)],
            ticket_cost="380.00",
            currency="EUR",
            project=project,
        )
        confirm(movement_officer, b)
    seat = Booking.objects.filter(case=family_case, status="confirmed").first()
    services.booking_no_show(movement_officer, booking=seat, reason=NoShowReason.DID_NOT_COME)
    charges = Charge.objects.filter(source="ticket")
    assert charges.count() == 3 and set(charges.values_list("stage", flat=True)) == {"spent"}


def test_a_new_cost_updates_the_charge_and_no_project_releases_it(
    ready_case, movement_officer, project
):
    booking = request_seat(ready_case, movement_officer, project)
    booking = services.booking_update(
        movement_officer, booking=booking, expected_version=booking.version, ticket_cost="455.10"
    )
    charge = ticket(booking)
    assert charge.amount == Decimal("455.10") and charge.stage == "committed"
    booking = services.booking_update(
        movement_officer, booking=booking, expected_version=booking.version, project=None
    )
    assert ticket(booking).stage == "released"
    services.booking_update(
        movement_officer, booking=booking, expected_version=booking.version, project=project
    )
    assert ticket(booking).stage == "committed"


def test_a_booking_without_a_cost_or_a_project_has_no_charge(
    ready_case, movement_officer, project, departure
):
    booking = request_seat(ready_case, movement_officer, None)
    services.booking_cancel(movement_officer, booking=booking, reason="Flight changed")
    request_seat(ready_case, movement_officer, project, cost=None)
    assert not Charge.objects.exists()


def test_a_seat_added_to_a_departure_is_charged_once_its_cost_is_known(
    ready_case, movement_officer, project, departure
):
    [seat] = services.departure_add_cases(movement_officer, departure=departure, cases=[ready_case])
    assert seat.project == project and not Charge.objects.exists()  # no cost yet
    seat = services.booking_update(
        movement_officer,
        booking=seat,
        expected_version=seat.version,
        ticket_cost="310.00",
        currency="EUR",
    )
    charge = ticket(seat)
    assert charge.stage == "spent" and charge.amount == Decimal("310.00")  # a confirmed seat
    assert charge.committed_on == charge.spent_on == TODAY  # booked, then issued


def test_a_ticket_past_the_budget_is_refused_and_nothing_is_written(
    ready_case, movement_officer, project
):
    BudgetLineFactory(project=project, code="TKT", categories=["ticket"], amount=Decimal("300"))
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as err:
        request_seat(ready_case, movement_officer, project)
    assert err.value.code == "budget_exceeded" and "Budget line TKT" in err.value.message
    assert not Booking.objects.exists() and not BookingLeg.objects.exists()
    assert not Charge.objects.exists() and AuditEvent.objects.count() == events


def test_a_higher_cost_past_the_budget_is_refused(ready_case, movement_officer, project):
    BudgetLineFactory(project=project, categories=["ticket"], amount=Decimal("450"))
    booking = request_seat(ready_case, movement_officer, project)
    with pytest.raises(ValidationFailed) as err:
        services.booking_update(
            movement_officer, booking=booking, expected_version=booking.version, ticket_cost="460"
        )
    assert err.value.code == "budget_exceeded"
    booking.refresh_from_db()
    assert booking.ticket_cost == Decimal("400.00") and booking.version == 1
    assert ticket(booking).amount == Decimal("400.00")


def test_pocket_money_is_spent_on_the_day_paid_for_the_traveller(
    ready_case, movement_officer, project
):
    booking = confirm(movement_officer, request_seat(ready_case, movement_officer, project))
    day = TODAY - datetime.timedelta(days=1)
    pm = services.pocket_money_pay(
        movement_officer, booking=booking, amount="30", currency="EUR", paid_on=day
    )
    charge = Charge.objects.get(source="pocket_money", source_id=pm.pk)
    assert (charge.stage, charge.spent_on, charge.category) == ("spent", day, "pocket_money")
    assert charge.person == ready_case.principal and charge.project == project
    assert charge.amount == Decimal("30.00") and charge.recorded_by == movement_officer


def test_pocket_money_past_the_per_person_cap_is_refused(ready_case, movement_officer, project):
    PersonCapFactory(project=project, category="pocket_money", amount=Decimal("25.00"))
    booking = confirm(movement_officer, request_seat(ready_case, movement_officer, project))
    with pytest.raises(ValidationFailed) as err:
        services.pocket_money_pay(movement_officer, booking=booking, amount="30", currency="EUR")
    assert err.value.code == "over_person_cap"
    assert not PocketMoney.objects.exists()
    assert not Charge.objects.filter(source="pocket_money").exists()
    assert not AuditEvent.objects.filter(action=services.POCKET_MONEY_PAID).exists()


def test_pocket_money_without_a_project_has_no_charge(ready_case, movement_officer):
    booking = services.booking_create(
        movement_officer, case=ready_case, person=ready_case.principal, legs=[leg(days=3)]
    )
    booking = confirm(movement_officer, booking)
    services.pocket_money_pay(movement_officer, booking=booking, amount="30", currency="EUR")
    assert not Charge.objects.exists()


def test_a_ticket_charge_names_the_booking_route_and_flights_not_the_pnr_nor_ticket(
    ready_case, movement_officer, project
):
    booking = services.booking_create(
        movement_officer,
        case=ready_case,
        person=ready_case.principal,
        legs=[
            leg(days=3, to_airport="ABJ", flight_number="AT525"),
            leg(days=3, hour=20, from_airport="ABJ", to_airport="CKY", flight_number="HF302"),
        ],
        booking_reference="ZX9KQ2",
        ticket_number="147-2345678901",
        ticket_cost="400.00",
        currency="EUR",
        project=project,
    )
    confirm(movement_officer, booking)
    charge = ticket(booking)
    assert charge.description == f"#{booking.pk} · CMN-ABJ-CKY · AT525/HF302"
    assert "ZX9KQ2" not in charge.description and "PNR1" not in charge.description
    assert "2345678901" not in charge.description


def test_a_ticket_confirmed_when_the_rate_has_risen_is_recorded_and_flagged(
    ready_case, movement_officer, project, monkeypatch
):
    """The seat was requested in MAD at one rate; the ticket is issued a day later when the
    dirham is worth more: the confirmation has happened, so it is recorded, flagged over the
    line's allocation rather than refused."""
    from awda.factories import ExchangeRateFactory

    ExchangeRateFactory(
        currency="MAD",
        to_currency="EUR",
        rate=Decimal("0.09"),
        valid_from=TODAY - datetime.timedelta(days=30),
    )
    line = BudgetLineFactory(project=project, code="TKT", categories=["ticket"], amount="360.00")
    booking = services.booking_create(
        movement_officer,
        case=ready_case,
        person=ready_case.principal,
        legs=[leg(days=3)],
        ticket_cost="4000.00",
        currency="MAD",
        project=project,
    )
    assert ticket(booking).project_amount == Decimal("360.00")
    day = later(monkeypatch, 1)
    ExchangeRateFactory(currency="MAD", to_currency="EUR", rate=Decimal("0.1"), valid_from=day)
    confirmed = confirm(movement_officer, booking)
    charge = ticket(booking)
    assert (charge.stage, charge.project_amount, charge.over_budget) == (
        "spent",
        Decimal("400.00"),
        True,
    )
    assert charge.budget_line == line and "TKT" in confirmed.charge_warning
