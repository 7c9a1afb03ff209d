"""The "Plan" tab of the case page (registered by plans.setup), the plan edit page, the plan
workflow buttons and the collective project pages.

Same flow as the other case actions: policy first (403), form, one service call, redirect to the
tab with a message; errors come back on the form (400) or the page (409 for a stale version).
Rendering the tab is an audited read of the case (part "plan")."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awda.accounts.models import Office
from awda.cases.services import case_viewed
from awda.cases.views.detail import get_case
from awda.cases.views.submit import call_service, flash_form_errors, submit_or_flash, tab_url
from awda.core.errors import ApplicationError, NotFound
from awda.finance.models import Project
from awda.registry.models import Organisation

from .. import policies
from ..choices import OPEN_PLAN_STATUSES, AssistanceCategory, PlanStatus
from ..models import ReintegrationFile
from . import selectors, services
from .caps import cap_for
from .forms import (
    AssistanceForm,
    CollectiveForm,
    ItemFormSet,
    PlanCreateForm,
    PlanForm,
    ReasonForm,
    VersionForm,
)

TAB = "plan"


# ---- the case tab -------------------------------------------------------------------------------


def _present(plan, cap):
    """Display data of a plan: assistance types by category, remaining under the cap."""
    by_category = {c: [] for c in AssistanceCategory.values}
    for a in plan.assistances.all():
        by_category[a.category].append(a)
    plan.categories = [
        (label, by_category[code])
        for code, label in AssistanceCategory.choices
        if by_category[code]
    ]
    plan.item_rows = list(plan.items.all())
    entitled = plan.cap_amount if plan.status not in OPEN_PLAN_STATUSES else None
    currency = plan.cap_currency
    if entitled is None and cap is not None:
        entitled, currency = cap.entitled, cap.currency
    plan.cap_entitled = entitled
    plan.cap_shown_currency = currency or plan.currency
    # a cap in another currency is not compared with the total (no exchange rates here)
    plan.cap_other_currency = entitled is not None and plan.cap_shown_currency != plan.currency
    comparable = entitled is not None and not plan.cap_other_currency
    plan.remaining = (entitled - plan.total) if comparable else None
    plan.over_cap = plan.remaining is not None and plan.remaining < Decimal(0)
    return plan


def tab_plan(request, case, perms, bound):
    """A fixed number of queries whatever the number of revisions and items: the plans with
    their rows (three queries), the file (deadline), the cap rules and the travellers."""
    user = request.user
    history = list(selectors.plan_history(case))
    current = next((p for p in history if p.status == PlanStatus.APPROVED), None)
    open_ = next((p for p in history if p.status in OPEN_PLAN_STATUSES), None)
    project = (open_ or current).project if (open_ or current) else case.project
    cap = cap_for(case, project) if project else None
    for plan in (current, open_):
        if plan is not None:
            _present(plan, cap)
    may_record = policies.may_record(user, case)
    may_approve = policies.may_approve(user, case)
    workable = (
        case.status in services.PLAN_STATUSES
        and ReintegrationFile.objects.filter(case_id=case.pk).exists()
    )
    editable = open_ is not None and open_.status in services.EDITABLE
    submitted = open_ is not None and open_.status == PlanStatus.SUBMITTED
    ctx = {
        "plan_history": history,
        "plan_current": current,
        "plan_open": open_,
        "plan_cap": cap,
        "plan_deadline": selectors.plan_deadline(case),
        "plan_workable": workable,
        "plan_can": {
            "create": may_record and workable and not history,
            "edit": may_record and workable and editable,
            "submit": may_record and workable and editable,
            "approve": may_approve and workable and submitted,
            "return": may_approve and workable and submitted,
            "override": may_approve
            and workable
            and open_ is not None
            and open_.over_cap
            and not open_.override_at,
            "revise": may_record and workable and current is not None and open_ is None,
            "discard": may_record and workable and editable,
        },
    }
    if open_ is not None:
        version = {"version": open_.version}
        ctx["plan_override_form"] = bound.get("plan_override_form") or ReasonForm(
            prefix="override", initial=version
        )
        ctx["plan_return_form"] = bound.get("plan_return_form") or ReasonForm(
            prefix="return", initial=version
        )
    return ctx


# ---- workflow buttons ---------------------------------------------------------------------------


def _plan(request, plan_pk):
    try:
        plan = selectors.plan_get_for(request.user, plan_pk)
    except NotFound:
        raise Http404() from None
    if not policies.may_view(request.user, plan.case):
        raise DjangoPermissionDenied()
    return plan


def _plan_projects(case, *, keep=None):
    return list(selectors.plan_projects(case, keep=keep))


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request, pk):
    """The create page: the funding project (projects of the case's mission or receiving mission,
    the case's project by default); the plan is drafted in the project's currency."""
    case = get_case(request, pk)
    if not policies.may_record(request.user, case):
        raise DjangoPermissionDenied()
    projects = _plan_projects(case)
    form = PlanCreateForm(
        request.POST or None, projects=projects, initial={"project": case.project_id}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            project = next(p for p in projects if p.pk == form.cleaned_data["project"])
            plan, status = call_service(
                form, lambda: services.plan_create(request.user, case=case, project=project)
            )
            if status is None:
                messages.success(
                    request, _("A draft plan is created: describe it and list its items.")
                )
                return redirect("reintegration:plan_edit", plan.pk)
        else:
            status = 400
    return render(
        request,
        "reintegration/plans/plan_create.html",
        {"case": case, "form": form},
        status=status,
    )


@login_required
@require_POST
def plan_discard(request, plan_pk):
    return _action(
        request,
        plan_pk,
        services.plan_discard,
        success=_("The plan being prepared is discarded."),
    )


@login_required
def plan_detail(request, plan_pk):
    """A revision read-only (summaries, assistance types, items, totals, the cap kept, who
    approved it and when), linked from the history of the Plan tab. Audited read."""
    plan = _plan(request, plan_pk)
    case = plan.case
    cap = cap_for(case, plan.project) if plan.status in OPEN_PLAN_STATUSES else None
    _present(plan, cap)
    case_viewed(request.user, case=case, part=TAB)
    return render(
        request,
        "reintegration/plans/plan_detail.html",
        {"case": case, "plan": plan, "plan_cap": cap},
    )


def _action(request, plan_pk, service, *, prefix=None, success, reason=False):
    plan = _plan(request, plan_pk)
    form = (ReasonForm if reason else VersionForm)(request.POST, prefix=prefix)

    def call():
        kwargs = {"reason": form.cleaned_data["reason"]} if reason else {}
        return service(
            request.user, plan=plan, expected_version=form.cleaned_data["version"], **kwargs
        )

    return submit_or_flash(request, plan.case, form, call, tab=TAB, success=success)


@login_required
@require_POST
def plan_submit(request, plan_pk):
    return _action(
        request,
        plan_pk,
        services.plan_submit,
        success=_("The plan is submitted for approval."),
    )


@login_required
@require_POST
def plan_approve(request, plan_pk):
    return _action(
        request,
        plan_pk,
        services.plan_approve,
        success=_("The plan is approved; the monitoring visits are scheduled."),
    )


@login_required
@require_POST
def plan_return(request, plan_pk):
    return _action(
        request,
        plan_pk,
        services.plan_return,
        prefix="return",
        reason=True,
        success=_("The plan is returned for changes."),
    )


@login_required
@require_POST
def plan_override(request, plan_pk):
    return _action(
        request,
        plan_pk,
        services.plan_override_cap,
        prefix="override",
        reason=True,
        success=_("Exceeding the cap is approved for this plan."),
    )


@login_required
@require_POST
def plan_revise(request, plan_pk):
    plan = _plan(request, plan_pk)
    form = VersionForm({"version": plan.version})
    draft, status = call_service(form, lambda: services.plan_revise(request.user, plan=plan))
    if status is not None:
        flash_form_errors(request, form)
        return redirect(tab_url(plan.case, TAB))
    messages.success(request, _("Revision %(n)s is drafted.") % {"n": draft.revision})
    return redirect("reintegration:plan_edit", draft.pk)


# ---- edit page ----------------------------------------------------------------------------------


def _suppliers(case):
    """The active organisations of the case's country of return (plan_update checks the same)."""
    return list(
        Organisation.objects.filter(is_active=True, country__iexact=case.country_of_return)
        .order_by("name")
        .values_list("pk", "name")
    )


def _item_initial(plan):
    return [
        {
            "kind": i.kind,
            "description": i.description,
            "quantity": f"{i.quantity.normalize():f}",
            "unit": i.unit,
            "unit_cost": f"{i.unit_cost:.2f}",
            "supplier": i.supplier_id,
        }
        for i in plan.items.all()
    ]


def _place_errors(exc: ApplicationError, plan_form, assistance_form, formset, index_of) -> None:
    """Service errors onto the forms: items[i].field onto the row's field, the rest on top."""
    placed = False
    for name, msgs in (exc.fields or {}).items():
        target = None
        if name.startswith("items[") and "]." in name:
            row, field = name[len("items[") :].split("].", 1)
            form_index = index_of.get(int(row)) if row.isdigit() else None
            if form_index is not None and field in formset.forms[form_index].fields:
                target = (formset.forms[form_index], field)
        elif name in plan_form.fields:
            target = (plan_form, name)
        for m in msgs:
            if target:
                target[0].add_error(target[1], str(m))
            else:
                plan_form.add_error(None, f"{m}")
            placed = True
    if not placed or exc.code != "validation_error":
        plan_form.add_error(None, str(exc.message))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, plan_pk):
    plan = _plan(request, plan_pk)
    case = plan.case
    if not policies.may_record(request.user, case):
        raise DjangoPermissionDenied()
    if plan.status not in services.EDITABLE:
        messages.error(request, _("Only a draft or a plan returned for changes can be edited."))
        return redirect(tab_url(case, TAB))
    collectives = list(selectors.collectives_for_case(case))
    suppliers = _suppliers(case)
    projects = _plan_projects(case, keep=plan.project_id)
    status = 200
    if request.method == "POST":
        plan_form = PlanForm(request.POST, collectives=collectives, projects=projects)
        assistance_form = AssistanceForm(request.POST, prefix="a")
        formset = ItemFormSet(request.POST, prefix="items", form_kwargs={"suppliers": suppliers})
        valid = plan_form.is_valid() & assistance_form.is_valid() & formset.is_valid()
        if "add_row" in request.POST and formset.is_valid():
            rows = [
                f.row()
                for f in formset.forms
                if not f.is_blank() and f not in formset.deleted_forms
            ]
            formset = ItemFormSet(
                prefix="items", initial=rows, form_kwargs={"suppliers": suppliers}
            )
        elif valid:
            index_of, items = {}, []
            for i, f in enumerate(formset.forms):
                if f in formset.deleted_forms or f.is_blank():
                    continue
                index_of[len(items)] = i
                items.append(f.row())
            data = plan_form.cleaned_data
            collective = next((c for c in collectives if c.pk == data["collective"]), None)
            changed = {}
            if data["project"] != plan.project_id:
                changed["project"] = next(p for p in projects if p.pk == data["project"])
            if data["currency"] != plan.currency:
                changed["currency"] = data["currency"]

            def save():
                return services.plan_update(
                    request.user,
                    plan=plan,
                    expected_version=data["version"],
                    economic_summary=data["economic_summary"],
                    social_summary=data["social_summary"],
                    psychosocial_summary=data["psychosocial_summary"],
                    collective=collective,
                    assistances=assistance_form.rows(),
                    items=items,
                    **changed,
                )

            try:
                save()
            except NotFound:
                raise Http404() from None
            except ApplicationError as exc:
                if exc.status == 403:
                    raise DjangoPermissionDenied() from None
                _place_errors(exc, plan_form, assistance_form, formset, index_of)
                status = exc.status if exc.status in (400, 409) else 400
            else:
                messages.success(request, _("The plan is saved."))
                if "save_submit" in request.POST:
                    return redirect(f"{tab_url(case, TAB)}#plan-submit")
                return redirect(tab_url(case, TAB))
        else:
            status = 400
    else:
        plan_form = PlanForm(
            collectives=collectives,
            projects=projects,
            initial={
                "version": plan.version,
                "project": plan.project_id,
                "currency": plan.currency,
                "economic_summary": plan.economic_summary,
                "social_summary": plan.social_summary,
                "psychosocial_summary": plan.psychosocial_summary,
                "collective": plan.collective_id,
            },
        )
        assistance_form = AssistanceForm(
            prefix="a", initial=AssistanceForm.initial_for(plan.assistances.all())
        )
        formset = ItemFormSet(
            prefix="items", initial=_item_initial(plan), form_kwargs={"suppliers": suppliers}
        )
    case_viewed(request.user, case=case, part=TAB)
    return render(
        request,
        "reintegration/plans/plan_form.html",
        {
            "case": case,
            "plan": plan,
            "form": plan_form,
            "assistance_form": assistance_form,
            "formset": formset,
            "cap": cap_for(case, plan.project),
        },
        status=status,
    )


# ---- collective projects ------------------------------------------------------------------------


def _offices(user):
    """The offices where the user works on reintegration (collective_create checks the same)."""
    return list(Office.objects.filter(pk__in=policies.offices_recording(user)).order_by("name"))


def _projects(missions, *, keep=None):
    """The projects a collective project of `missions` may be funded by
    (selectors.collective_projects; `keep`: its current project)."""
    rows = {}
    for mission_id in sorted(set(missions)):
        for p in selectors.collective_projects(mission_id):
            rows[p.pk] = p
    if keep is not None and keep.pk not in rows:
        rows[keep.pk] = keep
    return [(p.pk, f"{p.code} — {p.name}") for p in sorted(rows.values(), key=lambda p: p.code)]


@login_required
def collective_list(request):
    rows = selectors.collective_totals(selectors.collective_list_for(request.user))
    return render(
        request,
        "reintegration/plans/collective_list.html",
        {"collectives": rows, "may_create": bool(policies.missions_recording(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def collective_new(request):
    offices = _offices(request.user)
    if not offices:
        raise DjangoPermissionDenied()
    kwargs = {
        "offices": [(o.pk, o.name) for o in offices],
        "projects": _projects({o.mission_id for o in offices}),
    }
    form = CollectiveForm(request.POST or None, **kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = dict(form.cleaned_data)
            d.pop("version", None)
            office = next(o for o in offices if o.pk == d.pop("office"))
            project = Project.objects.filter(pk=d.pop("project")).first()
            collective, status = call_service(
                form,
                lambda: services.collective_create(
                    request.user, office=office, project=project, **d
                ),
            )
            if status is None:
                messages.success(request, _("The collective project is created."))
                return redirect("reintegration:collective_detail", collective.pk)
        else:
            status = 400
    return render(
        request,
        "reintegration/plans/collective_form.html",
        {"form": form, "collective": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def collective_detail(request, collective_pk):
    try:
        collective = selectors.collective_get_for(request.user, collective_pk)
    except NotFound:
        raise Http404() from None
    kwargs = {
        "projects": _projects([collective.mission_id], keep=collective.project),
        "editing": True,
    }
    initial = {
        "name": collective.name,
        "kind": collective.kind,
        "project": collective.project_id,
        "activity": collective.activity,
        "location": collective.location,
        "description": collective.description,
        "version": collective.version,
    }
    form = CollectiveForm(request.POST or None, initial=initial, **kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = dict(form.cleaned_data)
            version = d.pop("version")
            d["project"] = Project.objects.filter(pk=d["project"]).first()
            _result, status = call_service(
                form,
                lambda: services.collective_update(
                    request.user, collective=collective, expected_version=version, **d
                ),
            )
            if status is None:
                messages.success(request, _("The collective project is saved."))
                return redirect("reintegration:collective_detail", collective.pk)
        else:
            status = 400
    return render(
        request,
        "reintegration/plans/collective_detail.html",
        {
            "collective": collective,
            "participants": selectors.collective_participants(collective),
            "form": form,
            "list_url": reverse("reintegration:collective_list"),
        },
        status=status,
    )
