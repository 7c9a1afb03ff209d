"""The case page's "Travel" tab (registered by apps.MovementsConfig.ready) and its forms: the
case's bookings with their legs, an individual booking, confirmation, cancellation, no-show,
rebooking, departure and arrival confirmation, pocket money and its receipt.

Same flow as the other case tabs: policy first (403), form, one service call, redirect to the
tab; errors come back on the tab (400 / 409)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awda.cases import readiness
from awda.cases.choices import Status
from awda.cases.policies import can
from awda.cases.views.detail import get_case
from awda.cases.views.submit import require, submit_on_tab, submit_or_flash
from awda.core.documents import pdf_response
from awda.finance.selectors import project_list_for

from .. import documents, selectors, services
from ..choices import ACTIVE_BOOKING_STATUSES, BookingStatus
from ..documents import NEED_LABELS
from ..forms import (
    BookingConfirmForm,
    BookingForm,
    BookingUpdateForm,
    NoShowForm,
    PocketMoneyForm,
    ReasonForm,
    RebookForm,
    ReceiptForm,
)

TAB = "travel"
GONE = (BookingStatus.DEPARTED, BookingStatus.ARRIVED)


def _warned(request, row, text):
    """The success message, after the budget line's warning of the cost just recorded (past
    its threshold), if any."""
    if getattr(row, "charge_warning", ""):
        messages.warning(request, row.charge_warning)
    return text


def _projects(user, case):
    return list(project_list_for(user, mission_ids=[case.mission_id], active_only=True))


def tab_travel(request, case, perms, bound):
    """A fixed number of queries whatever the number of bookings."""
    user = request.user
    may_record = can(user, "movement.record", case) and case.status != Status.CLOSED
    may_arrive = can(user, "arrival.confirm", case)
    # special needs and remarks say something of health (see BookingSerializer)
    sees_fitness = can(user, "fitness.view", case)
    bookings = list(selectors.case_bookings(case))
    travellers = readiness.travellers(case)
    # travellers holding a seat, or already gone (a companion's flight changed after they left)
    holding = {b.person_id for b in bookings if b.status in (*ACTIVE_BOOKING_STATUSES, *GONE)}
    unbooked = [m for m in travellers if m.person_id not in holding]
    today = timezone.localdate()
    default = services.pocket_money_default()
    rows = []
    for b in bookings:
        row = {
            "booking": b,
            "forms": {},
            "special_needs": [str(NEED_LABELS.get(n, n)) for n in b.special_needs or []]
            if sees_fitness
            else [],
            "remarks": b.remarks if sees_fitness else "",
        }
        pm = getattr(b, "pocket_money", None) if hasattr(b, "pocket_money") else None
        row["pocket_money"] = pm
        if may_record:
            f = row["forms"]
            if b.status == BookingStatus.REQUESTED:
                f["confirm"] = bound.get(f"confirm_{b.pk}") or BookingConfirmForm(
                    prefix=f"bc-{b.pk}",
                    initial={"booking_reference": b.booking_reference, "version": b.version},
                )
            if b.status in ACTIVE_BOOKING_STATUSES:
                f["cancel"] = bound.get(f"cancel_{b.pk}") or ReasonForm(
                    prefix=f"bx-{b.pk}", initial={"version": b.version}
                )
                f["update"] = bound.get(f"update_{b.pk}") or BookingUpdateForm(
                    prefix=f"bu-{b.pk}",
                    escorts=list(b.departure.escorts.all()) if b.departure_id else [],
                    initial={
                        "special_needs": b.special_needs,
                        "escort": b.escort_id,
                        "airport_assistance": b.airport_assistance,
                        "remarks": b.remarks,
                        "version": b.version,
                    },
                )
            if b.status == BookingStatus.CONFIRMED and case.status == Status.BOOKED:
                f["no_show"] = bound.get(f"no_show_{b.pk}") or NoShowForm(
                    prefix=f"ns-{b.pk}", initial={"version": b.version}
                )
                row["may_depart"] = b.travel_date <= today
            if b.status in (BookingStatus.CONFIRMED, BookingStatus.DEPARTED) and pm is None:
                f["pocket_money"] = bound.get(f"pocket_money_{b.pk}") or PocketMoneyForm(
                    prefix=f"pm-{b.pk}", default=default
                )
            if pm is not None:
                f["receipt"] = bound.get(f"receipt_{b.pk}") or ReceiptForm(prefix=f"rc-{b.pk}")
        row["may_arrive"] = may_arrive and b.status == BookingStatus.DEPARTED
        rows.append(row)
    ctx = {
        "travel_rows": rows,
        "travellers": travellers,
        "unbooked": unbooked,
        "may_record_movement": may_record,
        "open_booking": "booking_form" in bound,
        "open_rebook": "rebook_form" in bound,
        "BookingStatus": BookingStatus,
    }
    if may_record and unbooked and case.status in services.BOOKABLE_STATUSES:
        ctx["booking_form"] = bound.get("booking_form") or BookingForm(
            prefix="bk", travellers=unbooked, projects=_projects(user, case)
        )
    if may_record and case.status == Status.NO_SHOW:
        ctx["rebook_form"] = bound.get("rebook_form") or RebookForm(
            prefix="rb", departures=list(selectors.open_departures_for_case(user, case))
        )
    return ctx


def _booking(case, booking_pk):
    try:
        return selectors.booking_of_case(case, booking_pk)
    except Exception:  # NotFound
        raise Http404() from None


@login_required
@require_POST
def booking_create(request, pk):
    case = get_case(request, pk)
    require(request.user, "movement.record", case)
    travellers = readiness.travellers(case)
    projects = _projects(request.user, case)
    form = BookingForm(request.POST, prefix="bk", travellers=travellers, projects=projects)

    def save():
        person = next(m.person for m in travellers if m.person_id == form.cleaned_data["person"])
        return services.booking_create(
            request.user, case=case, person=person, **form.service_kwargs(projects)
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key="booking_form",
        success=lambda row: _warned(request, row, _("The booking is recorded (requested).")),
    )


@login_required
@require_POST
def booking_confirm(request, pk, booking_pk):
    case = get_case(request, pk)
    require(request.user, "movement.record", case)
    booking = _booking(case, booking_pk)
    form = BookingConfirmForm(request.POST, prefix=f"bc-{booking.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.booking_confirm(
            request.user,
            booking=booking,
            booking_reference=form.cleaned_data["booking_reference"],
            expected_version=form.cleaned_data["version"],
        ),
        tab=TAB,
        bound_key=f"confirm_{booking.pk}",
        reload=True,
        success=lambda row: _warned(
            request,
            row,
            _("The booking of %(name)s is confirmed.") % {"name": booking.person.full_name},
        ),
    )


@login_required
@require_POST
def booking_update(request, pk, booking_pk):
    case = get_case(request, pk)
    require(request.user, "movement.record", case)
    booking = _booking(case, booking_pk)
    escorts = list(booking.departure.escorts.all()) if booking.departure_id else []
    form = BookingUpdateForm(request.POST, prefix=f"bu-{booking.pk}", escorts=escorts)

    def save():
        d = dict(form.cleaned_data)
        version = d.pop("version")
        if "escort" in d:
            d["escort"] = next((e for e in escorts if e.pk == d["escort"]), None)
        return services.booking_update(request.user, booking=booking, expected_version=version, **d)

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key=f"update_{booking.pk}",
        reload=True,
        success=lambda row: _warned(request, row, _("The booking is updated.")),
    )


@login_required
@require_POST
def booking_cancel(request, pk, booking_pk):
    case = get_case(request, pk)
    require(request.user, "movement.record", case)
    booking = _booking(case, booking_pk)
    form = ReasonForm(request.POST, prefix=f"bx-{booking.pk}")
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.booking_cancel(
            request.user,
            booking=booking,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        ),
        tab=TAB,
        success=_("The booking is cancelled."),
    )


@login_required
@require_POST
def booking_no_show(request, pk, booking_pk):
    case = get_case(request, pk)
    require(request.user, "movement.record", case)
    booking = _booking(case, booking_pk)
    form = NoShowForm(request.POST, prefix=f"ns-{booking.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.booking_no_show(
            request.user,
            booking=booking,
            reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
            expected_version=form.cleaned_data.get("version"),
        ),
        tab=TAB,
        bound_key=f"no_show_{booking.pk}",
        reload=True,
        success=_("The no-show is recorded: rebook or withdraw the case."),
    )


@login_required
@require_POST
def booking_depart(request, pk, booking_pk):
    case = get_case(request, pk)
    require(request.user, "movement.record", case)
    booking = _booking(case, booking_pk)
    form = ReasonForm({"reason": "-"})
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.booking_confirm_departure(request.user, bookings=[booking]),
        tab=TAB,
        success=_("The departure of %(name)s is confirmed.") % {"name": booking.person.full_name},
    )


@login_required
@require_POST
def booking_arrive(request, pk, booking_pk):
    case = get_case(request, pk)
    require(request.user, "arrival.confirm", case)
    booking = _booking(case, booking_pk)
    form = ReasonForm({"reason": "-"})
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.booking_confirm_arrival(request.user, bookings=[booking]),
        tab=TAB,
        success=_("The arrival of %(name)s is confirmed.") % {"name": booking.person.full_name},
    )


@login_required
@require_POST
def rebook(request, pk):
    case = get_case(request, pk)
    require(request.user, "movement.record", case)
    departures = list(selectors.open_departures_for_case(request.user, case))
    form = RebookForm(request.POST, prefix="rb", departures=departures)

    def save():
        d = form.cleaned_data
        departure = next((x for x in departures if x.pk == d.get("departure")), None)
        return services.booking_rebook(
            request.user,
            case=case,
            departure=departure,
            legs=None if departure else form.legs(),
            booking_reference=d.get("booking_reference", ""),
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key="rebook_form",
        reload=True,
        success=_("The case is booked again."),
    )


@login_required
@require_POST
def pocket_money_pay(request, pk, booking_pk):
    case = get_case(request, pk)
    require(request.user, "movement.record", case)
    booking = _booking(case, booking_pk)
    form = PocketMoneyForm(request.POST, prefix=f"pm-{booking.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.pocket_money_pay(request.user, booking=booking, **form.cleaned_data),
        tab=TAB,
        bound_key=f"pocket_money_{booking.pk}",
        reload=True,
        success=lambda row: _warned(
            request, row, _("The pocket money is recorded: print the receipt to sign.")
        ),
    )


def _pocket_money(case, booking_pk):
    booking = _booking(case, booking_pk)
    pm = getattr(booking, "pocket_money", None) if hasattr(booking, "pocket_money") else None
    if pm is None:
        raise Http404()
    pm.booking = booking
    return pm


@login_required
@require_GET
def receipt_pdf(request, pk, booking_pk):
    case = get_case(request, pk)
    require(request.user, "movement.view", case)
    pm = _pocket_money(case, booking_pk)
    data = documents.receipt_pdf(pm)
    services.pocket_money_receipt_printed(request.user, pocket_money=pm)
    return pdf_response(data, f"pocket-money-{case.number}-{pm.booking.person_id}.pdf")


@login_required
@require_POST
def receipt_upload(request, pk, booking_pk):
    case = get_case(request, pk)
    require(request.user, "movement.record", case)
    pm = _pocket_money(case, booking_pk)
    form = ReceiptForm(request.POST, request.FILES, prefix=f"rc-{booking_pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.pocket_money_receipt_add(
            request.user, pocket_money=pm, file=form.cleaned_data["file"]
        ),
        tab=TAB,
        bound_key=f"receipt_{booking_pk}",
        reload=True,
        success=_("The signed receipt is stored."),
    )


@login_required
@require_GET
def receipt_download(request, pk, booking_pk):
    case = get_case(request, pk)
    require(request.user, "movement.view", case)
    pm = _pocket_money(case, booking_pk)
    if not pm.receipt:
        raise Http404()
    try:
        handle = pm.receipt.open("rb")
    except FileNotFoundError:  # the record outlived its file (restored database, lost volume)
        raise Http404() from None
    services.pocket_money_receipt_viewed(request.user, pocket_money=pm)
    return FileResponse(handle, as_attachment=True, filename=pm.receipt_name)
