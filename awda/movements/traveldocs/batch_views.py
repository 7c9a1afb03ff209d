"""The batch pages: the lists of an office's batches, drawing up a new list for a consulate or
for the authorities, a list's detail with its printouts (PDF, XLSX; every print audited), "mark
as sent" (records the data transfers; refused naming the persons without consent) and the answer
per person.

A batch of an office where the user does not hold traveldocs.view is a 404, like a missing one;
the writes need traveldocs.record in the batch's office (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awda.accounts.models import Office
from awda.cases.views.submit import call_service
from awda.core.documents import pdf_response, xlsx_response
from awda.core.errors import NotFound

from . import documents, policies, selectors, services
from .choices import BatchKind, BatchStatus
from .forms import (
    BatchAnswerForm,
    BatchCreateForm,
    BatchDiscardForm,
    BatchFilterForm,
    BatchSendForm,
)
from .models import BatchItem

PAGE_SIZE = 50


def _batch(request, pk, *, for_record=False):
    try:
        return selectors.batch_get_for(request.user, pk, for_record=for_record)
    except NotFound:
        raise Http404() from None


def _require_record(user, batch):
    if not policies.may_record_batch(user, batch):
        raise DjangoPermissionDenied()


@login_required
@require_GET
def batch_list(request):
    """The batches of the user's offices, newest first (one query for the page and one for the
    counts of persons)."""
    if not policies.batch_view_offices(request.user):
        raise DjangoPermissionDenied()
    kind = request.GET.get("kind") if request.GET.get("kind") in BatchKind.values else None
    status = request.GET.get("status") if request.GET.get("status") in BatchStatus.values else None
    qs = selectors.batch_list_for(request.user, kind=kind, status=status)
    batches = list(qs[:PAGE_SIZE])
    from django.db.models import Count

    counts = dict(
        BatchItem.objects.filter(batch__in=batches)
        .values_list("batch_id")
        .annotate(n=Count("id"))
        .values_list("batch_id", "n")
    )
    for b in batches:
        b.person_count = counts.get(b.pk, 0)
    return render(
        request,
        "travel_documents/batch_list.html",
        {
            "batches": batches,
            "more": qs.count() > PAGE_SIZE if len(batches) == PAGE_SIZE else False,
            "kind": kind,
            "status": status,
            "kinds": BatchKind.choices,
            "statuses": BatchStatus.choices,
            "may_record": policies.may_record_batches(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request):
    """Draw up a list: choose the office, the recipient (a consulate or an authority) and the
    persons who still need the document, filterable by nationality."""
    offices_ids = policies.batch_record_offices(request.user)
    if not offices_ids:
        raise DjangoPermissionDenied()
    kind = request.GET.get("kind", BatchKind.CONSULATE)
    if kind not in BatchKind.values:
        kind = BatchKind.CONSULATE
    offices = list(Office.objects.filter(pk__in=offices_ids).order_by("name"))
    filters = BatchFilterForm(request.GET or None, offices=[(o.pk, o.name) for o in offices])
    office_id = offices[0].pk
    nationality = ""
    if filters.is_bound and filters.is_valid():
        office_id = filters.cleaned_data.get("office") or office_id
        nationality = filters.cleaned_data.get("nationality", "")
    candidates = list(
        selectors.batch_candidates(
            request.user, kind=kind, office_id=office_id, nationality=nationality
        )
    )
    recipients = list(selectors.recipients(kind).values_list("pk", "name"))
    form = BatchCreateForm(
        request.POST if request.method == "POST" else None,
        recipients=recipients,
        candidates=candidates,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            recipient = selectors.recipients(kind).filter(pk=data["recipient"]).first()
            batch, status = call_service(
                form,
                lambda: services.batch_create(
                    request.user,
                    kind=kind,
                    recipient=recipient,
                    office=office_id,
                    members=data["members"],
                    notes=data["notes"],
                ),
            )
            if batch is not None:
                messages.success(request, _("The list is drawn up: print it, then mark it sent."))
                return redirect("travel_documents:batch_detail", pk=batch.pk)
        else:
            status = 400
    return render(
        request,
        "travel_documents/batch_new.html",
        {
            "kind": kind,
            "kind_label": BatchKind(kind).label,
            "filters": filters,
            "office_id": office_id,
            "candidates": candidates,
            "form": form,
            "selected": set(form.data.getlist("members")) if form.is_bound else set(),
            "has_recipients": bool(recipients),
        },
        status=status,
    )


def _detail(request, batch, *, bound=None, status=200):
    bound = bound or {}
    items = selectors.batch_items_with_documents(batch)
    may_record = policies.may_record_batch(request.user, batch)
    rows = []
    for item in items:
        form = None
        req = item.request
        if may_record and req is not None and req.status == "requested":
            form = bound.get(item.pk) or BatchAnswerForm(
                prefix=f"ans-{item.pk}", kind=batch.kind, initial={"version": req.version}
            )
        rows.append({"item": item, "request": req, "form": form, "open": item.pk in bound})
    send_form = None
    if may_record and batch.status == BatchStatus.DRAFT:
        send_form = bound.get("send") or BatchSendForm(initial={"version": batch.version})
    return render(
        request,
        "travel_documents/batch_detail.html",
        {
            "batch": batch,
            "rows": rows,
            "send_form": send_form,
            "may_record": may_record,
            "is_consulate": batch.kind == BatchKind.CONSULATE,
        },
        status=status,
    )


@login_required
@require_GET
def batch_detail(request, pk):
    return _detail(request, _batch(request, pk))


@login_required
@require_POST
def batch_send(request, pk):
    batch = _batch(request, pk)
    _require_record(request.user, batch)
    form = BatchSendForm(request.POST)
    if form.is_valid():
        _done, status = call_service(
            form,
            lambda: services.batch_send(
                request.user,
                batch=batch,
                expected_version=form.cleaned_data["version"],
                sent_on=form.cleaned_data["sent_on"],
            ),
        )
        if status is None:
            messages.success(request, _("The list is marked sent; the disclosures are logged."))
            return redirect("travel_documents:batch_detail", pk=batch.pk)
    else:
        status = 400
    return _detail(request, _batch(request, pk), bound={"send": form}, status=status)


@login_required
@require_POST
def batch_discard(request, pk):
    batch = _batch(request, pk)
    _require_record(request.user, batch)
    form = BatchDiscardForm(request.POST)
    if form.is_valid():
        _done, status = call_service(
            form,
            lambda: services.batch_discard(
                request.user, batch=batch, expected_version=form.cleaned_data["version"]
            ),
        )
        if status is None:
            messages.success(request, _("The draft list is discarded."))
            return redirect("travel_documents:batch_list")
    else:
        status = 400
    return _detail(request, _batch(request, pk), bound={"discard": form}, status=status)


@login_required
@require_POST
def batch_answer(request, pk, item_pk):
    batch = _batch(request, pk)
    _require_record(request.user, batch)
    item = (
        BatchItem.objects.filter(batch=batch, pk=item_pk)
        .select_related("travel_document", "exit_authorisation", "person")
        .first()
    )
    if item is None:
        raise Http404()
    item.batch = batch
    form = BatchAnswerForm(request.POST, prefix=f"ans-{item.pk}", kind=batch.kind)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        _done, status = call_service(
            form,
            lambda: services.batch_answer(
                request.user, item=item, expected_version=version, **data
            ),
        )
        if status is None:
            messages.success(
                request, _("The answer for %(name)s is recorded.") % {"name": item.person.full_name}
            )
            return redirect(reverse("travel_documents:batch_detail", args=[batch.pk]))
    else:
        status = 400
    return _detail(request, _batch(request, pk), bound={item.pk: form}, status=status)


def _print(request, pk, fmt):
    batch = _batch(request, pk)
    items = selectors.batch_items_with_documents(batch)
    services.batch_printed(request.user, batch=batch, items=items, fmt=fmt)
    name = f"{'laissez-passer' if batch.kind == BatchKind.CONSULATE else 'exit'}-list-{batch.pk}"
    if fmt == "pdf":
        return pdf_response(documents.batch_pdf(batch, items), f"{name}.pdf")
    return xlsx_response(documents.batch_xlsx(batch, items), f"{name}.xlsx")


@login_required
@require_GET
def batch_pdf(request, pk):
    return _print(request, pk, "pdf")


@login_required
@require_GET
def batch_xlsx(request, pk):
    return _print(request, pk, "xlsx")
