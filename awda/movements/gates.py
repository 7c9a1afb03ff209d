"""What movements adds to the case workflow (registered by apps.MovementsConfig.ready):

- three gates: `bookings_confirmed` on "book", `departures_confirmed` on "confirm_departure",
  `arrivals_confirmed` on "confirm_arrival" (every traveller's booking confirmed, departed,
  arrived; the refusal names who lacks one);
- the travel date the readiness checklist checks documents and fitness for
  (`travel_date_of`: the earliest travel date of the case's active bookings);
- the effect of moves made on the case page (`release_seats`): a case withdrawn, put on hold or
  taken back from "booked" releases its seats, a case-level no-show marks them no-show.

The movements services move the case themselves (book when the last traveller's seat is
confirmed, confirm_departure when the last one has departed, ...) in the same transaction as the
bookings; these gates make the same rule hold when someone uses the case page's buttons.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awda.cases import readiness
from awda.cases.choices import Status
from awda.cases.workflow import Gate
from awda.core.errors import ValidationFailed

from .choices import ACTIVE_BOOKING_STATUSES, BookingStatus, NoShowReason

# Booking statuses that show a traveller went (departed, and later arrived).
GONE_STATUSES = (BookingStatus.DEPARTED, BookingStatus.ARRIVED)


def traveller_statuses(case) -> tuple[list, dict[int, set[str]]]:
    """(travellers, {person id: statuses of their bookings in the case}) in two queries."""
    from .models import Booking

    members = readiness.travellers(case)
    statuses: dict[int, set[str]] = {}
    rows = Booking.objects.filter(case_id=case.pk).values_list("person_id", "status")
    for person_id, status in rows:
        statuses.setdefault(person_id, set()).add(status)
    return members, statuses


def travellers_without(case, wanted) -> list[str]:
    """The names of the travellers with no booking in one of the `wanted` statuses."""
    members, statuses = traveller_statuses(case)
    return [
        m.person.full_name for m in members if not statuses.get(m.person_id, set()) & set(wanted)
    ]


def _failure(names: list[str], message: str) -> list[str]:
    if not names:
        return []
    return [message % {"names": ", ".join(names)}]


# A traveller holds their seat for "book" with a confirmed booking, or if they already left (a
# companion's flight changed after they departed: the case is booked again once the others hold
# a confirmed seat, and departs when they have left too).
SEAT_HELD_STATUSES = (BookingStatus.CONFIRMED, *GONE_STATUSES)


def _bookings_confirmed(case, ctx):
    return _failure(
        travellers_without(case, SEAT_HELD_STATUSES),
        _("No confirmed booking for: %(names)s."),
    )


def _departures_confirmed(case, ctx):
    return _failure(
        travellers_without(case, GONE_STATUSES),
        _("Departure not confirmed for: %(names)s."),
    )


def _arrivals_confirmed(case, ctx):
    return _failure(
        travellers_without(case, (BookingStatus.ARRIVED,)),
        _("Arrival not confirmed for: %(names)s."),
    )


BOOKINGS_CONFIRMED = Gate(
    "bookings_confirmed",
    gettext_lazy("Every traveller has a confirmed booking"),
    _bookings_confirmed,
)
DEPARTURES_CONFIRMED = Gate(
    "departures_confirmed",
    gettext_lazy("Every traveller's departure confirmed"),
    _departures_confirmed,
)
ARRIVALS_CONFIRMED = Gate(
    "arrivals_confirmed",
    gettext_lazy("Every traveller's arrival confirmed"),
    _arrivals_confirmed,
)


def travel_date_of(case):
    """The day the case travels: the earliest travel date of its active (requested or
    confirmed) bookings, else None (one query)."""
    from .models import Booking

    return (
        Booking.objects.filter(case_id=case.pk, status__in=ACTIVE_BOOKING_STATUSES)
        .order_by("travel_date")
        .values_list("travel_date", flat=True)
        .first()
    )


def _last_reason(case) -> str:
    from awda.cases.models import CaseTransition

    row = CaseTransition.objects.filter(case_id=case.pk).order_by("-id").first()
    return row.reason if row else ""


def _refuse_if_gone(case) -> None:
    """A case one of whose travellers already departed is on its way: it is neither withdrawn
    nor put on hold (the departure of the others, or a correction, comes first)."""
    from .models import Booking

    gone = list(
        Booking.objects.filter(case_id=case.pk, status__in=GONE_STATUSES)
        .select_related("person")
        .order_by("id")
    )
    if gone:
        raise ValidationFailed(
            _(
                "%(names)s already departed: a case travels together, so it cannot be withdrawn "
                "or put on hold. Record the departure of the others or correct the departure "
                "first."
            )
            % {"names": ", ".join(b.person.full_name for b in gone)},
            code="companion_departed",
        )


def release_seats(user, case, name, from_status, to_status) -> None:
    """The workflow effect (cases.workflow.register_effect), inside case_transition's
    transaction after the move:

    - withdraw, put on hold: the case's active seats are cancelled with the reason given (refused
      when a traveller already departed);
    - unbook from the case page (every traveller still holding a confirmed seat): the seats are
      cancelled too; when the movements services unbook a case they have cancelled a seat first,
      and the other travellers keep theirs until the missing one is booked again;
    - no_show from the case page: the active seats become no-shows (reason "other", the details
      are the reason given); refused when a traveller has already departed.
    """
    from . import services

    if to_status in (Status.WITHDRAWN, Status.ON_HOLD):
        _refuse_if_gone(case)
        services.release_case_seats(user, case=case, reason=_last_reason(case))
    elif name == "unbook":
        if not travellers_without(case, (BookingStatus.CONFIRMED,)):
            services.release_case_seats(user, case=case, reason=_last_reason(case))
    elif name == "no_show":
        services.mark_case_no_show(
            user, case=case, reason=NoShowReason.OTHER, details=_last_reason(case)
        )


def register() -> None:
    from awda.cases import workflow

    workflow.add_gate("book", BOOKINGS_CONFIRMED)
    workflow.add_gate("confirm_departure", DEPARTURES_CONFIRMED)
    workflow.add_gate("confirm_arrival", ARRIVALS_CONFIRMED)
    workflow.register_effect(release_seats)
    readiness.register_travel_date(travel_date_of)
