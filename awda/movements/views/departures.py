"""Group departures in the browser: the list (upcoming first), create and edit, and the
departure page, which is its manifest: seat counter, escorts, travellers with their document,
escort, special needs and destination; add ready cases; bulk departure confirmation; per-row
no-show, then rebook or withdraw; pocket money; manifest PDF and XLSX.

Departures are seen by movement officers and managers of an office of the departure's mission
(selectors.departure_get_for: 404 otherwise). Every write calls one service; a domain error is
shown as a message on the page it came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awda.cases.selectors import case_queryset_for
from awda.cases.services import case_transition
from awda.core.documents import pdf_response, xlsx_response
from awda.core.errors import ApplicationError, NotFound, PermissionDenied
from awda.core.htmx import apply_error, error_message, render_page_or_fragment
from awda.core.text import as_id
from awda.finance.models import CURRENCIES
from awda.finance.selectors import project_list_for

from .. import documents, selectors, services
from ..choices import BookingStatus, DepartureStatus, NoShowReason
from ..forms import (
    DepartureFilterForm,
    DepartureForm,
    EscortForm,
    NoShowForm,
    PocketMoneyForm,
    ReadyCaseFilterForm,
    ReasonForm,
)
from ..models import Booking


def _require_organiser(user):
    if not selectors.may_organise_departures(user):
        raise DjangoPermissionDenied()


def _departure(request, pk):
    try:
        return selectors.departure_get_for(request.user, pk)
    except NotFound:
        raise Http404() from None


def _run(request, fn, success):
    """Call a service; flash `success` or the domain error. True on success."""
    try:
        result = fn()
    except NotFound:
        raise Http404() from None
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    except ApplicationError as exc:
        error_message(request, exc)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def _detail_url(departure, anchor=""):
    return reverse("movements:departure_detail", args=[departure.pk]) + anchor


# ---- list, create, edit ----------------------------------------------------------------------------


@login_required
@require_GET
def departure_list(request):
    _require_organiser(request.user)
    offices = list(selectors.departure_offices(request.user))
    form = DepartureFilterForm(request.GET or None, offices=offices)
    data = form.cleaned_data if form.is_valid() else {}
    upcoming = data.get("when") != "past"
    departures = list(
        selectors.departure_list_for(
            request.user,
            status=data.get("status") or None,
            office=data.get("office"),
            query=data.get("q"),
            upcoming=upcoming,
        )[:200]
    )
    for d in departures:
        d.seats_taken = d.traveller_seats + d.escort_seats
    return render_page_or_fragment(
        request,
        "movements/departure_list.html",
        "movements/_departure_table.html",
        {"departures": departures, "form": form, "upcoming": upcoming},
    )


def _projects(user, mission_ids):
    return list(project_list_for(user, mission_ids=mission_ids, active_only=True))


@login_required
@require_http_methods(["GET", "POST"])
def departure_create(request):
    _require_organiser(request.user)
    offices = list(selectors.departure_offices(request.user))
    projects = _projects(request.user, {o.mission_id for o in offices})
    form = DepartureForm(request.POST or None, offices=offices, projects=projects)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = dict(form.cleaned_data)
            d.pop("version", None)
            office = next(o for o in offices if o.pk == d.pop("office"))
            d["project"] = next((p for p in projects if p.pk == d["project"]), None)
            try:
                departure = services.departure_create(request.user, office=office, **d)
            except PermissionDenied:
                raise DjangoPermissionDenied() from None
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Departure %(ref)s is planned: add travellers.")
                    % {"ref": departure.reference},
                )
                return redirect(_detail_url(departure))
    return render(
        request, "movements/departure_form.html", {"form": form, "departure": None}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def departure_edit(request, pk):
    departure = _departure(request, pk)
    projects = _projects(request.user, {departure.mission_id})
    fields = (
        "kind",
        "departure_date",
        "departure_time",
        "from_airport",
        "to_airport",
        "carrier",
        "flight_number",
        "capacity",
        "notes",
    )
    initial = {k: getattr(departure, k) for k in fields}
    initial.update(project=departure.project_id, version=departure.version)
    form = DepartureForm(request.POST or None, initial=initial, projects=projects, editing=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = dict(form.cleaned_data)
            version = d.pop("version")
            d["project"] = next((p for p in projects if p.pk == d["project"]), None)
            try:
                services.departure_update(
                    request.user, departure=departure, expected_version=version, **d
                )
            except PermissionDenied:
                raise DjangoPermissionDenied() from None
            except ApplicationError as exc:
                apply_error(form, exc)
                status = 409 if exc.status == 409 else 400
            else:
                messages.success(request, _("The departure is updated."))
                return redirect(_detail_url(departure))
    return render(
        request,
        "movements/departure_form.html",
        {"form": form, "departure": departure},
        status=status,
    )


# ---- the departure page: the manifest ----------------------------------------------------------


@login_required
@require_GET
def departure_detail(request, pk):
    """The manifest page. A fixed number of queries whatever the number of travellers."""
    departure = _departure(request, pk)
    rows = documents.manifest_rows(departure)
    escorts = list(selectors.escorts_of(departure))
    planned = departure.status == DepartureStatus.PLANNED
    open_departures = []
    if any(r["booking"].status == BookingStatus.NO_SHOW for r in rows):
        open_departures = [
            d
            for d in selectors.departure_list_for(request.user, status=DepartureStatus.PLANNED)
            if d.mission_id == departure.mission_id and d.pk != departure.pk
        ]
    default = services.pocket_money_default()
    cases_seen = set()
    for r in rows:
        b = r["booking"]
        r["first_of_case"] = b.case_id not in cases_seen
        cases_seen.add(b.case_id)
        r["pocket_money"] = getattr(b, "pocket_money", None) if hasattr(b, "pocket_money") else None
        # The per-row no-show and pocket-money forms are plain markup with the field names of
        # NoShowForm / PocketMoneyForm (prefixes ns-<pk>, pm-<pk>), which validate the POST:
        # rendering a Django form per traveller cost ~3 ms each (bench/README.md).
        r["no_show_open"] = b.status == BookingStatus.CONFIRMED
        r["pocket_money_open"] = (
            b.status in (BookingStatus.CONFIRMED, BookingStatus.DEPARTED)
            and r["pocket_money"] is None
        )
        r["case_no_show"] = b.status == BookingStatus.NO_SHOW and r["case"].status == "no_show"
    taken = departure.traveller_seats + departure.escort_seats
    ctx = {
        "departure": departure,
        "rows": rows,
        "escorts": escorts,
        "planned": planned,
        "seats_taken": taken,
        "seats_free": selectors.seats_free(departure),
        "escort_form": EscortForm(prefix="escort"),
        "open_departures": open_departures,
        "confirmable": [r for r in rows if r["booking"].status == BookingStatus.CONFIRMED],
        "no_show_reasons": NoShowReason.choices,
        "currencies": [code for code, _label in CURRENCIES],
        "pocket_money_default": default,
        "today": timezone.localdate(),
        "BookingStatus": BookingStatus,
    }
    # the page lists what the printed manifest lists: viewing it is audited like a print
    services.manifest_printed(request.user, departure=departure, fmt="html", travellers=len(rows))
    return render(request, "movements/departure_detail.html", ctx)


@login_required
@require_GET
def manifest_pdf(request, pk):
    departure = _departure(request, pk)
    rows = documents.manifest_rows(departure)
    data = documents.manifest_pdf(departure, rows)
    services.manifest_printed(request.user, departure=departure, fmt="pdf", travellers=len(rows))
    return pdf_response(data, f"manifest-{departure.reference}.pdf")


@login_required
@require_GET
def manifest_xlsx(request, pk):
    departure = _departure(request, pk)
    rows = documents.manifest_rows(departure)
    data = documents.manifest_xlsx(departure, rows)
    services.manifest_printed(request.user, departure=departure, fmt="xlsx", travellers=len(rows))
    return xlsx_response(data, f"manifest-{departure.reference}.xlsx")


@login_required
@require_POST
def departure_cancel(request, pk):
    departure = _departure(request, pk)
    form = ReasonForm(request.POST, prefix="cancel")
    if form.is_valid():
        _run(
            request,
            lambda: services.departure_cancel(
                request.user,
                departure=departure,
                reason=form.cleaned_data["reason"],
                expected_version=departure.version,
            ),
            _("The departure is cancelled; its seats are released."),
        )
    else:
        messages.error(request, _("A reason is required."))
    return redirect(_detail_url(departure))


# ---- escorts -------------------------------------------------------------------------------------


@login_required
@require_POST
def escort_add(request, pk):
    departure = _departure(request, pk)
    form = EscortForm(request.POST, prefix="escort")
    if form.is_valid():
        _run(
            request,
            lambda: services.escort_add(request.user, departure=departure, **form.cleaned_data),
            _("The escort is added."),
        )
    else:
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
    return redirect(_detail_url(departure, "#escorts"))


@login_required
@require_POST
def escort_remove(request, pk, escort_pk):
    departure = _departure(request, pk)
    escort = departure.escorts.filter(pk=escort_pk).first()
    if escort is None:
        raise Http404()
    _run(
        request,
        lambda: services.escort_remove(request.user, escort=escort),
        _("The escort is removed."),
    )
    return redirect(_detail_url(departure, "#escorts"))


# ---- travellers ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def departure_add_cases(request, pk):
    """Ready-to-travel cases of the mission's offices (filters), with checkboxes."""
    departure = _departure(request, pk)
    offices = [
        o for o in selectors.departure_offices(request.user) if o.mission_id == departure.mission_id
    ]
    if request.method == "POST":
        ids = [as_id(x) for x in request.POST.getlist("cases") if as_id(x)]
        cases = list(case_queryset_for(request.user).filter(pk__in=ids))
        if not ids or len(cases) != len(set(ids)):
            messages.error(request, _("Choose at least one case."))
        else:
            ok = _run(
                request,
                lambda: services.departure_add_cases(
                    request.user, departure=departure, cases=cases
                ),
                lambda bookings: (
                    _("%(n)s travellers added to the departure.") % {"n": len(bookings)}
                ),
            )
            if ok:
                return redirect(_detail_url(departure))
        selected = set(ids)
    else:
        selected = set()
    form = ReadyCaseFilterForm(request.GET or None, offices=offices)
    data = form.cleaned_data if form.is_valid() else {}
    cases = list(
        selectors.ready_cases(
            request.user,
            departure,
            office=data.get("office"),
            nationality=data.get("nationality") or None,
            country=data.get("country") or None,
        )[:500]
    )
    return render(
        request,
        "movements/add_cases.html",
        {
            "departure": departure,
            "cases": cases,
            "form": form,
            "selected": selected,
            "seats_free": selectors.seats_free(departure),
        },
        status=200 if request.method == "GET" else 400,
    )


def _booking_on(departure, booking_pk) -> Booking:
    booking = (
        Booking.objects.filter(departure=departure, pk=booking_pk)
        .select_related("case", "person")
        .first()
    )
    if booking is None:
        raise Http404()
    return booking


@login_required
@require_POST
def confirm_departure(request, pk):
    """Bulk: the checked travellers of the manifest boarded."""
    departure = _departure(request, pk)
    ids = [as_id(x) for x in request.POST.getlist("bookings") if as_id(x)]
    bookings = list(
        Booking.objects.filter(departure=departure, pk__in=ids).select_related("case", "person")
    )
    if not ids or len(bookings) != len(set(ids)):
        messages.error(request, _("Choose at least one traveller."))
    else:
        _run(
            request,
            lambda: services.booking_confirm_departure(request.user, bookings=bookings),
            lambda rows: _("Departure confirmed for %(n)s travellers.") % {"n": len(rows)},
        )
    return redirect(_detail_url(departure))


@login_required
@require_POST
def no_show(request, pk, booking_pk):
    departure = _departure(request, pk)
    booking = _booking_on(departure, booking_pk)
    form = NoShowForm(request.POST, prefix=f"ns-{booking.pk}")
    if form.is_valid():
        _run(
            request,
            lambda: services.booking_no_show(
                request.user,
                booking=booking,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                expected_version=form.cleaned_data.get("version"),
            ),
            _("No-show of %(name)s recorded: rebook or withdraw the case.")
            % {"name": booking.person.full_name},
        )
    else:
        messages.error(request, _("Choose the reason of the no-show."))
    return redirect(_detail_url(departure))


@login_required
@require_POST
def rebook(request, pk, booking_pk):
    """Rebook the no-show case of this row on another planned departure."""
    departure = _departure(request, pk)
    booking = _booking_on(departure, booking_pk)
    target_pk = request.POST.get("departure", "")
    target = None
    if as_id(target_pk):
        try:
            target = selectors.departure_get_for(request.user, as_id(target_pk))
        except NotFound:
            target = None
    if target is None:
        messages.error(request, _("Choose the departure to rebook on."))
    else:
        _run(
            request,
            lambda: services.booking_rebook(request.user, case=booking.case, departure=target),
            _("%(number)s is rebooked on %(ref)s.")
            % {"number": booking.case.number, "ref": target.reference},
        )
    return redirect(_detail_url(departure))


@login_required
@require_POST
def withdraw(request, pk, booking_pk):
    """Withdraw the no-show case of this row (the workflow's withdraw, with its reason)."""
    departure = _departure(request, pk)
    booking = _booking_on(departure, booking_pk)
    reason = (request.POST.get("reason") or "").strip()
    if not reason:
        messages.error(request, _("A reason is required."))
    else:
        _run(
            request,
            lambda: case_transition(
                request.user, case=booking.case, name="withdraw", reason=reason
            ),
            _("%(number)s is withdrawn.") % {"number": booking.case.number},
        )
    return redirect(_detail_url(departure))


@login_required
@require_POST
def remove_case(request, pk, case_pk):
    departure = _departure(request, pk)
    case = case_queryset_for(request.user).filter(pk=case_pk).first()
    if case is None:
        raise Http404()
    reason = (request.POST.get("reason") or "").strip()
    _run(
        request,
        lambda: services.departure_remove_case(
            request.user, departure=departure, case=case, reason=reason
        ),
        _("%(number)s is taken off the departure.") % {"number": case.number},
    )
    return redirect(_detail_url(departure))


@login_required
@require_POST
def pocket_money(request, pk, booking_pk):
    departure = _departure(request, pk)
    booking = _booking_on(departure, booking_pk)
    form = PocketMoneyForm(request.POST, prefix=f"pm-{booking.pk}")
    if form.is_valid():
        _run(
            request,
            lambda: services.pocket_money_pay(request.user, booking=booking, **form.cleaned_data),
            _("Pocket money recorded for %(name)s.") % {"name": booking.person.full_name},
        )
    else:
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
    return redirect(_detail_url(departure, f"#row-{booking.pk}"))
