"""The "Delivery" tab of the case page (registered by setup.register) and its actions.

The tab shows the purchases (supplier, items, totals, status, documents), cash tranches and
referrals of the case, with the money totals per currency against the approved plan; for those
who may record, forms to add a purchase (a formset of lines), a tranche and a referral, and per
record the buttons to deliver, acknowledge, attach a document, cancel, pay, follow up. Same flow
as the other case actions: policy first (403), form, one service call, redirect to the tab;
errors come back on the tab (400 / 409) or as messages for the row buttons. Rendering the tab is
an audited read (part "delivery"); printing the acknowledgement and downloading a document are
audited by the services."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awda.cases.views.detail import get_case, render_detail
from awda.cases.views.submit import (
    call_service,
    one_or_404,
    require,
    submit_on_tab,
    submit_or_flash,
    tab_url,
)
from awda.core.documents import pdf_response
from awda.core.errors import ApplicationError, NotFound, PermissionDenied
from awda.core.htmx import apply_error
from awda.registry.models import Organisation
from awda.registry.selectors import organisation_list

from .. import policies
from ..choices import PurchaseStatus, ReferralStatus
from ..models import CashTranche, DeliveryDocument, Purchase, Referral
from . import selectors, services
from .forms import (
    CancelForm,
    DateVersionForm,
    DocumentForm,
    PayForm,
    PurchaseForm,
    ReferralForm,
    ReferralUpdateForm,
    TrancheForm,
    line_formset,
)

TAB = "delivery"
RECORD = "reintegration.record"
VIEW = "reintegration.view"
LINE_ERROR = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


def _organisations(case):
    """Suppliers and services in the returnee's country of return."""
    return list(organisation_list(country=case.country_of_return).values_list("pk", "name"))


def _members(case):
    return list(case.members.select_related("person").order_by("-is_principal", "id"))


def _member_choices(members):
    return [(m.person_id, m.person.full_name) for m in members]


def _plan_items(plan):
    if plan is None:
        return []
    return [(i.pk, f"{i.description} ({i.total:.2f} {plan.currency})") for i in plan.items.all()]


def tab_delivery(request, case, perms, bound):
    """A fixed number of queries whatever the number of records (selectors.case_delivery, then
    members, organisations and plan items for the forms)."""
    user = request.user
    data = selectors.case_delivery(case)
    may_record = policies.may_record(user, case)
    money_refusal = services.status_refusal(case, services.MONEY_STATUSES)
    if money_refusal is None and data.plan is None:
        money_refusal = _("Purchases and cash tranches are recorded under an approved plan.")
    referral_refusal = services.status_refusal(case, services.REFERRAL_STATUSES)
    ctx = {
        "delivery": data,
        "delivery_totals": data.totals,
        "may_record_delivery": may_record,
        "delivery_money_refusal": money_refusal,
        "delivery_referral_refusal": referral_refusal,
        "referral_statuses": ReferralStatus.choices,
        "document_kinds": DocumentForm.base_fields["kind"].choices,
        "open_form": next(iter(bound), ""),
    }
    if may_record and (money_refusal is None or referral_refusal is None):
        members = _member_choices(_members(case))
        organisations = _organisations(case)
        if money_refusal is None:
            ctx["purchase_form"] = bound.get("purchase_form") or PurchaseForm(
                prefix="purchase", suppliers=organisations
            )
            ctx["line_formset"] = bound.get("line_formset") or line_formset(
                plan_items=_plan_items(data.plan)
            )
            ctx["tranche_form"] = bound.get("tranche_form") or TrancheForm(
                prefix="tranche", members=members
            )
        if referral_refusal is None:
            ctx["referral_form"] = bound.get("referral_form") or ReferralForm(
                prefix="referral", members=members, organisations=organisations
            )
    return ctx


# ---- purchases ----------------------------------------------------------------------------------


def _place_line_errors(formset, form_indexes, exc):
    """Put the service's "lines[i].field" errors on the i-th filled row of the formset."""
    rest = {}
    for name, msgs in (exc.fields or {}).items():
        match = LINE_ERROR.match(name)
        if match and int(match[1]) < len(form_indexes):
            row = formset.forms[form_indexes[int(match[1])]]
            field = match[2] if match[2] in row.fields else None
            for m in msgs:
                row.add_error(field, str(m))
        else:
            rest[name] = msgs
    return rest


@login_required
@require_POST
def purchase_create(request, pk):
    case = get_case(request, pk)
    require(request.user, RECORD, case)
    plan = selectors.approved_plan(case)
    form = PurchaseForm(request.POST, prefix="purchase", suppliers=_organisations(case))
    formset = line_formset(request.POST, plan_items=_plan_items(plan))
    status = 400
    if form.is_valid() and formset.is_valid():
        filled = [i for i, f in enumerate(formset.forms) if f.has_changed() and f.cleaned_data]
        data = dict(form.cleaned_data)

        def save():
            return services.purchase_create(
                request.user,
                case=case,
                supplier=Organisation.objects.filter(pk=data.pop("supplier")).first(),
                lines=formset.lines(),
                plan=plan,
                **data,
            )

        def on_validation(exc):
            rest = _place_line_errors(formset, filled, exc)
            apply_error(form, ApplicationError(exc.message, code=exc.code, fields=rest))

        purchase, status = call_service(form, save, on_validation=on_validation)
        if purchase is not None:
            messages.success(
                request,
                _("Purchase recorded: %(total)s %(currency)s from %(supplier)s.")
                % {
                    "total": f"{purchase.total:.2f}",
                    "currency": purchase.currency,
                    "supplier": purchase.supplier.name,
                },
            )
            _budget_warning(request, purchase)
            return redirect(tab_url(case, TAB))
    case = get_case(request, case.pk)
    return render_detail(
        request,
        case,
        tab=TAB,
        bound={"purchase_form": form, "line_formset": formset},
        status=status,
    )


def _budget_warning(request, row) -> None:
    """The budget line's warning (past its threshold) of the cost just recorded, if any."""
    if getattr(row, "charge_warning", ""):
        messages.warning(request, row.charge_warning)


def _purchase(case, purchase_pk):
    purchase = one_or_404(Purchase.objects.filter(case_id=case.pk, pk=purchase_pk))
    purchase.case = case
    return purchase


def _dated(request, pk, purchase_pk, service, name, success):
    case = get_case(request, pk)
    require(request.user, RECORD, case)
    purchase = _purchase(case, purchase_pk)
    form = DateVersionForm(request.POST)
    return submit_or_flash(
        request,
        case,
        form,
        lambda: service(
            request.user,
            purchase=purchase,
            expected_version=form.cleaned_data["version"],
            **{name: form.cleaned_data["date"]},
        ),
        tab=TAB,
        success=success,
    )


@login_required
@require_POST
def purchase_deliver(request, pk, purchase_pk):
    return _dated(
        request,
        pk,
        purchase_pk,
        services.purchase_deliver,
        "delivered_on",
        _("The purchase is delivered."),
    )


@login_required
@require_POST
def purchase_acknowledge(request, pk, purchase_pk):
    return _dated(
        request,
        pk,
        purchase_pk,
        services.purchase_acknowledge,
        "acknowledged_on",
        _("The returnee's acknowledgement of receipt is recorded."),
    )


@login_required
@require_POST
def purchase_cancel(request, pk, purchase_pk):
    case = get_case(request, pk)
    require(request.user, RECORD, case)
    purchase = _purchase(case, purchase_pk)
    form = CancelForm(request.POST)
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.purchase_cancel(
            request.user,
            purchase=purchase,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        tab=TAB,
        success=_("The purchase is cancelled; it is kept, out of the totals."),
    )


@login_required
@require_POST
def purchase_document_attach(request, pk, purchase_pk):
    case = get_case(request, pk)
    require(request.user, RECORD, case)
    purchase = _purchase(case, purchase_pk)
    form = DocumentForm(request.POST, request.FILES)
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.delivery_document_attach(
            request.user,
            purchase=purchase,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        ),
        tab=TAB,
        success=_("The document is stored."),
    )


@login_required
@require_GET
def delivery_document_download(request, pk, purchase_pk, document_pk):
    """A document of a purchase, scoped to the case and audited."""
    case = get_case(request, pk)
    require(request.user, VIEW, case)
    purchase = _purchase(case, purchase_pk)
    document = one_or_404(DeliveryDocument.objects.filter(purchase_id=purchase.pk, pk=document_pk))
    document.purchase = purchase
    try:
        handle = document.file.open("rb")  # first: a missing file is not audited as downloaded
        services.delivery_document_viewed(request.user, document=document)
    except (NotFound, FileNotFoundError):
        raise Http404() from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@login_required
@require_GET
def purchase_acknowledgement_pdf(request, pk, purchase_pk):
    """The acknowledgement of receipt to print and have signed (audited)."""
    case = get_case(request, pk)
    require(request.user, VIEW, case)
    purchase = _purchase(case, purchase_pk)
    if purchase.status == PurchaseStatus.CANCELLED:
        raise Http404()
    try:
        data = services.acknowledgement_print(request.user, purchase=purchase)
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    except ApplicationError:
        raise Http404() from None
    return pdf_response(data, f"acknowledgement-{case.number}-{purchase.pk}.pdf")


# ---- tranches -----------------------------------------------------------------------------------


@login_required
@require_POST
def tranche_plan(request, pk):
    case = get_case(request, pk)
    require(request.user, RECORD, case)
    members = _members(case)
    form = TrancheForm(request.POST, prefix="tranche", members=_member_choices(members))

    def save():
        data = dict(form.cleaned_data)
        person = next(m.person for m in members if m.person_id == data.pop("person"))
        return services.tranche_plan(request.user, case=case, person=person, **data)

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key="tranche_form",
        reload=True,
        success=lambda t: (
            _budget_warning(request, t)
            or _("Tranche planned: %(amount)s %(currency)s for %(name)s.")
            % {"amount": f"{t.amount:.2f}", "currency": t.currency, "name": t.person.full_name}
        ),
    )


def _tranche(case, tranche_pk):
    tranche = one_or_404(CashTranche.objects.filter(case_id=case.pk, pk=tranche_pk))
    tranche.case = case
    return tranche


@login_required
@require_POST
def tranche_pay(request, pk, tranche_pk):
    case = get_case(request, pk)
    require(request.user, RECORD, case)
    tranche = _tranche(case, tranche_pk)
    form = PayForm(request.POST)
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.tranche_pay(
            request.user,
            tranche=tranche,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
            expected_version=form.cleaned_data["version"],
        ),
        tab=TAB,
        success=_("The tranche is paid."),
    )


@login_required
@require_POST
def tranche_cancel(request, pk, tranche_pk):
    case = get_case(request, pk)
    require(request.user, RECORD, case)
    tranche = _tranche(case, tranche_pk)
    form = CancelForm(request.POST)
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.tranche_cancel(
            request.user,
            tranche=tranche,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        tab=TAB,
        success=_("The tranche is cancelled; it is kept, out of the totals."),
    )


# ---- referrals ----------------------------------------------------------------------------------


@login_required
@require_POST
def referral_create(request, pk):
    case = get_case(request, pk)
    require(request.user, RECORD, case)
    members = _members(case)
    form = ReferralForm(
        request.POST,
        prefix="referral",
        members=_member_choices(members),
        organisations=_organisations(case),
    )

    def save():
        data = dict(form.cleaned_data)
        person = next(m.person for m in members if m.person_id == data.pop("person"))
        return services.referral_create(
            request.user,
            case=case,
            person=person,
            organisation=Organisation.objects.filter(pk=data.pop("organisation")).first(),
            **data,
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key="referral_form",
        reload=True,
        success=lambda r: _("Referral to %(org)s recorded.") % {"org": r.organisation.name},
    )


@login_required
@require_POST
def referral_update(request, pk, referral_pk):
    case = get_case(request, pk)
    require(request.user, RECORD, case)
    referral = one_or_404(Referral.objects.filter(case_id=case.pk, pk=referral_pk))
    referral.case = case
    form = ReferralUpdateForm(request.POST)
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.referral_update(
            request.user,
            referral=referral,
            status=form.cleaned_data["status"],
            outcome=form.cleaned_data["outcome"],
            expected_version=form.cleaned_data["version"],
        ),
        tab=TAB,
        success=_("The referral is updated."),
    )
