"""Expected arrivals, for the receiving (origin) mission: the departed travellers of the cases
handed over to it, grouped by departure (or flight), with per-traveller and bulk arrival
confirmation (services.booking_confirm_arrival; arrival.confirm on each case)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awda.core.errors import ApplicationError, NotFound, PermissionDenied
from awda.core.htmx import error_message
from awda.core.text import as_id

from .. import selectors, services
from ..choices import BookingStatus

# Travellers per page (a charter of a hundred fits on one or two pages).
PAGE_SIZE = 100


def _require_receiver(user):
    if not selectors.may_confirm_arrivals(user):
        raise DjangoPermissionDenied()


def group_by_flight(bookings) -> list[dict]:
    groups: dict = {}
    for b in bookings:
        key = ("d", b.departure_id) if b.departure_id else ("f", b.travel_date, b.booking_reference)
        if key not in groups:
            groups[key] = {
                "departure": b.departure,
                "travel_date": b.travel_date,
                "booking_reference": b.booking_reference,
                "bookings": [],
            }
        groups[key]["bookings"].append(b)
    for g in groups.values():
        g["waiting"] = [b for b in g["bookings"] if b.status == BookingStatus.DEPARTED]
    return list(groups.values())


@login_required
@require_GET
def expected_arrivals(request):
    _require_receiver(request.user)
    page = Paginator(selectors.expected_arrivals(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "movements/arrivals.html",
        {
            "groups": group_by_flight(page.object_list),
            "page_obj": page,
            "BookingStatus": BookingStatus,
        },
    )


@login_required
@require_POST
def confirm_arrivals(request):
    _require_receiver(request.user)
    ids = [as_id(x) for x in request.POST.getlist("bookings") if as_id(x)]
    if not ids:
        messages.error(request, _("Choose at least one traveller."))
        return redirect(reverse("movements:arrivals"))
    try:
        bookings = selectors.bookings_for_user(request.user, ids)
        rows = services.booking_confirm_arrival(request.user, bookings=bookings)
    except NotFound:
        raise Http404() from None
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    except ApplicationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Arrival confirmed for %(n)s travellers.") % {"n": len(rows)})
    return redirect(reverse("movements:arrivals"))
