"""Readiness check "escort": a traveller whose fitness-to-travel decision asks for an escort
travels with one. Escorts are organised per departure (Escort rows of a group departure, a
scheduled flight with one traveller and their escort included), so once such a traveller holds a
seat, the seat must be on a departure and linked to an escort of the right kind: a medical escort
when the decision asks for one, any escort otherwise. Before a seat exists the check passes with a
reminder, so it does not stop "ready to travel"; it stops "booked" and "departed" (the
travel_safeguards gate re-reads the checklist on those moves)."""

from django.utils.translation import gettext as _

from awda.cases.readiness import Check

from .choices import BookingStatus, EscortKind
from .models import Booking

# The seats checked: held ones, and departed ones (the departure gate runs once the travellers'
# seats are marked departed, in the same transaction).
SEAT_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.DEPARTED)


def collect(case, travellers, on_date):
    return collect_many([(case, travellers)], on_date)


def collect_many(items, on_date):
    """Two queries whatever the number of cases: the escorts the fitness decisions ask for, and
    the active seats of those travellers."""
    from awda.screening.health.choices import Escort
    from awda.screening.health.selectors import escorts_required

    cases = [case for case, _members in items]
    person_ids = {m.person_id for _case, members in items for m in members}
    required = escorts_required(cases, person_ids)
    if not required:
        return {}
    seats = {
        (b.case_id, b.person_id): b
        for b in Booking.objects.filter(
            case__in=cases,
            person_id__in={pid for _cid, pid in required},
            status__in=SEAT_STATUSES,
        ).select_related("escort")
    }
    label = _("Escort on the flight")
    out = {}
    for case, members in items:
        for member in members:
            wanted = required.get((case.pk, member.person_id))
            if wanted is None:
                continue
            medical = wanted == Escort.MEDICAL
            seat = seats.get((case.pk, member.person_id))
            if seat is None:
                check = Check(
                    "movements.escort",
                    label,
                    True,
                    _("a medical escort is needed: book a departure with one")
                    if medical
                    else _("an escort is needed: book a departure with one"),
                )
            elif seat.escort is None:
                check = Check(
                    "movements.escort",
                    label,
                    False,
                    _("the fitness decision asks for a medical escort; none is assigned")
                    if medical
                    else _("the fitness decision asks for an escort; none is assigned"),
                )
            elif medical and seat.escort.kind != EscortKind.MEDICAL:
                check = Check(
                    "movements.escort",
                    label,
                    False,
                    _("the fitness decision asks for a medical escort; %(name)s is not one")
                    % {"name": seat.escort.name},
                )
            else:
                check = Check("movements.escort", label, True, seat.escort.name)
            out[member.pk] = [check]
    return out
