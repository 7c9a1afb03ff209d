"""Movements' costs on the finance ledger (awda.finance.services.charges): tickets and pocket
money.

A ticket (Booking.ticket_cost, with its currency and project) is charged to the project in the
"ticket" category, for the traveller:
- requested: committed, on the day the booking was made (the seat is asked of the carrier);
- confirmed (the ticket is issued), and after it (departed, arrived, no-show): spent, on the day
  of the confirmation;
- cancelled before it was confirmed: released;
- cancelled after it was confirmed: still spent. An issued ticket is paid whether or not the
  traveller flies; a refund is not recorded in this release (a finance officer moves or adjusts
  the charge on the finance side).
A change of the cost, currency or project updates the charge; a booking without a project or
without a cost has no charge (an existing one is released). The charge's description is the
booking's number, route and flights, never its PNR or ticket number.

Pocket money (PocketMoney) is spent on the day it was paid, for the traveller, in the
"pocket_money" category; without a project it has no charge.

The services call these functions in their transaction after writing: a refusal of the budget
(budget_exceeded, over_person_cap) rolls the write back. `booking_specs` and
`pocket_money_specs` give the stages of every record's cost, oldest first, to
`charges_rebuild` (registered in MovementsConfig.ready), which so rebuilds the ledger the
services built."""

from dataclasses import replace
from decimal import Decimal

from django.utils import timezone

from awda.finance.choices import ChargeSource, ChargeStage, CostCategory
from awda.finance.services.charges import CostSpec, charge_post, charge_post_history

from .choices import BookingStatus
from .models import Booking, PocketMoney


def _day(moment, fallback):
    return timezone.localdate(moment) if moment else fallback


def ticket_description(booking: Booking) -> str:
    """The booking's number, route and flights ("#12 · CMN-ABJ-CKY · AT517/HF302"): never its
    booking reference (PNR) nor ticket number, which would let the finance staff who read the
    charges mission-wide look the traveller's reservation up with the carrier."""
    legs = list(booking.legs.all())
    if legs:
        route = "-".join([legs[0].from_airport, *(leg.to_airport for leg in legs)])
    else:
        route = booking.destination_airport or "?"
    parts = [f"#{booking.pk}", route]
    flights = "/".join(leg.flight_number for leg in legs if leg.flight_number)
    if flights:
        parts.append(flights)
    return " · ".join(parts)


def booking_history(booking: Booking) -> list[CostSpec]:
    """The stages of the ticket's cost, oldest first ([] without a cost or a project):
    committed on the day the booking was made, then spent on the day it was confirmed (also
    when cancelled afterwards: a paid ticket), or released if it was cancelled before."""
    if booking.ticket_cost is None or booking.project_id is None:
        return []
    made_on = _day(booking.created_at, booking.travel_date)
    committed = CostSpec(
        source=ChargeSource.TICKET,
        source_id=booking.pk,
        category=CostCategory.TICKET,
        case=booking.case,
        person=booking.person,
        project=booking.project,
        amount=booking.ticket_cost,
        currency=booking.currency,
        stage=ChargeStage.COMMITTED,
        on_date=made_on,
        description=ticket_description(booking),
    )
    if booking.confirmed_at:
        spent_on = timezone.localdate(booking.confirmed_at)
        return [committed, replace(committed, stage=ChargeStage.SPENT, on_date=spent_on)]
    if booking.status == BookingStatus.CANCELLED:
        released_on = _day(booking.updated_at, made_on)
        return [committed, replace(committed, stage=ChargeStage.RELEASED, on_date=released_on)]
    return [committed]


def _release(user, source: str, source_id: int, on_date):
    """Release the charge of a record that no longer has a cost (nothing if it has none)."""
    spec = CostSpec(
        source=source,
        source_id=source_id,
        category="",
        case=None,
        person=None,
        project=None,
        amount=Decimal(0),
        currency="",
        stage=ChargeStage.RELEASED,
        on_date=on_date,
    )
    return charge_post(user, spec=spec)


def booking_charge(user, booking: Booking):
    """Post the ticket's charge of `booking` (in the caller's transaction): the Charge (with
    `.warning`), or None when the booking has no cost to charge (a charge it had is released)."""
    history = booking_history(booking)
    if not history:
        _release(user, ChargeSource.TICKET, booking.pk, timezone.localdate())
        return None
    return charge_post_history(user, history)


def pocket_money_spec(pm: PocketMoney) -> CostSpec | None:
    """Spent on the day it was paid; None without a project."""
    if pm.project_id is None:
        return None
    booking = pm.booking
    return CostSpec(
        source=ChargeSource.POCKET_MONEY,
        source_id=pm.pk,
        category=CostCategory.POCKET_MONEY,
        case=booking.case,
        person=booking.person,
        project=pm.project,
        amount=pm.amount,
        currency=pm.currency,
        stage=ChargeStage.SPENT,
        on_date=pm.paid_on,
        description=f"{booking.destination_airport or '?'} {booking.travel_date.isoformat()}",
    )


def pocket_money_charge(user, pm: PocketMoney):
    spec = pocket_money_spec(pm)
    return charge_post(user, spec=spec) if spec is not None else None


def booking_specs():
    """(created by, CostSpec) of every stage of every ticket's cost, oldest first."""
    rows = (
        Booking.objects.filter(ticket_cost__isnull=False, project__isnull=False)
        .select_related("case", "person", "project", "created_by")
        .prefetch_related("legs")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for booking in rows:
        for spec in booking_history(booking):
            yield booking.created_by, spec


def pocket_money_specs():
    """(paid by, CostSpec) of all pocket money with a project, oldest first."""
    rows = (
        PocketMoney.objects.filter(project__isnull=False)
        .select_related("booking__case", "booking__person", "project", "paid_by")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for pm in rows:
        yield pm.paid_by, pocket_money_spec(pm)


def register() -> None:
    from awda.finance.services.charges import register_source

    register_source(ChargeSource.TICKET, booking_specs)
    register_source(ChargeSource.POCKET_MONEY, pocket_money_specs)
