"""Finance pages of a project: the projects a user follows with their totals, a project's budget
page (lines, burn chart, overrides, contributions, caps, costs on no line and awaiting a rate),
the forms of lines, overrides, caps and contributions, the project's charges and the form moving
a charge to another line.

Thin views: policy first (a project outside the user's missions is a 404, inside them without
the role a 403), one service or selector call, redirect with a message; a service's errors come
back on the form (400, 409 for a stale version)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awda.cases.views.submit import call_service, flash_form_errors

from .. import budget_selectors as reads
from .. import policies, services
from ..choices import ChargeStage
from ..forms import (
    CapForm,
    ChargeFilterForm,
    ContributionForm,
    LineForm,
    OverrideForm,
    ReallocateForm,
    VersionForm,
)
from ..models import Donor
from ._common import PAGE_SIZE, budget_url, flash_warning, get_or_deny

# ---- projects -----------------------------------------------------------------------------------


@login_required
def project_list(request):
    """The projects of the missions where the user has finance.view, with their totals (two
    queries whatever the number of projects)."""
    if not policies.may_view(request.user):
        raise DjangoPermissionDenied()
    active = request.GET.get("active") == "1"
    projects = reads.with_remaining(reads.project_budget_list_for(request.user, active_only=active))
    return render(
        request,
        "finance/project_list.html",
        {
            "projects": projects,
            "active_only": active,
            "may_rates": policies.may_view_rates(request.user),
        },
    )


def _budget_context(request, project, bound: dict) -> dict:
    user = request.user
    perms = policies.permissions(user, project)
    view = reads.budget_view(project)
    burn = reads.budget_burn(project)
    contributions = list(reads.project_contributions(project))
    ctx = {
        "project": project,
        "donors": list(project.donors.all()),
        "budget": view,
        "burn": burn,
        "burn_chart": reads.burn_chart_data(burn, view.allocated),
        "overrides": list(reads.project_overrides(project)),
        "contributions": contributions,
        "contribution_totals": reads.contribution_totals(contributions),
        "caps": list(reads.project_caps(project)),
        "perms": perms,
        "open_form": bound.get("open", ""),
    }
    if perms["manage"]:
        ctx["cap_form"] = bound.get("cap_form") or CapForm(prefix="cap")
        ctx["contribution_form"] = bound.get("contribution_form") or ContributionForm(
            prefix="contribution", project=project
        )
    return ctx


def render_budget(request, project, *, bound=None, status=200):
    bound = bound or {}
    return render(
        request,
        "finance/project_budget.html",
        _budget_context(request, project, bound),
        status=status,
    )


@login_required
def project_budget(request, pk):
    """A project's budget: aggregates only (finance.view: finance, managers, M&E); a fixed
    number of queries whatever the number of lines, charges, months."""
    project = get_or_deny(reads.project_get_for, request.user, pk)
    return render_budget(request, project)


# ---- budget lines -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request, pk):
    project = get_or_deny(reads.project_get_for, request.user, pk, action="finance.manage")
    form = LineForm(request.POST or None, new=True, prefix="line")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            line, status = call_service(
                form,
                lambda: services.budget_line_create(
                    request.user, project=project, **form.service_data()
                ),
            )
            if status is None:
                messages.success(request, _("Line %(code)s is added.") % {"code": line.code})
                return redirect(budget_url(project, "budget-lines"))
        else:
            status = 400
    return render(
        request,
        "finance/line_form.html",
        {"project": project, "form": form, "line": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request, line_pk):
    line = get_or_deny(reads.line_get_for, request.user, line_pk)
    project = line.project
    initial = {
        "version": line.version,
        "code": line.code,
        "name": line.name,
        "amount": line.amount,
        "categories": line.categories,
        "warning_percent": line.warning_percent,
    }
    form = LineForm(request.POST or None, initial=initial, prefix="line")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            version = form.cleaned_data["version"]
            saved, status = call_service(
                form,
                lambda: services.budget_line_update(
                    request.user, line=line, expected_version=version, **form.service_data()
                ),
            )
            if status is None:
                messages.success(request, _("Line %(code)s is saved.") % {"code": saved.code})
                flash_warning(request, saved)
                return redirect(budget_url(project, "budget-lines"))
        else:
            status = 400
    return render(
        request,
        "finance/line_form.html",
        {
            "project": project,
            "form": form,
            "line": line,
            "delete_form": VersionForm(prefix="delete", initial={"version": line.version}),
        },
        status=status,
    )


@login_required
@require_POST
def line_delete(request, line_pk):
    line = get_or_deny(reads.line_get_for, request.user, line_pk)
    form = VersionForm(request.POST, prefix="delete")
    if form.is_valid():
        _done, status = call_service(
            form,
            lambda: services.budget_line_delete(
                request.user, line=line, expected_version=form.cleaned_data["version"]
            ),
        )
        if status is None:
            messages.success(request, _("Line %(code)s is deleted.") % {"code": line.code})
            return redirect(budget_url(line.project, "budget-lines"))
    flash_form_errors(request, form)
    return redirect("finance:line_edit", line.pk)


@login_required
@require_http_methods(["GET", "POST"])
def override_grant(request, line_pk):
    """Grant an override on a line (amount and reason); the page shows the line's figures."""
    line = get_or_deny(reads.line_get_for, request.user, line_pk)
    project = line.project
    form = OverrideForm(request.POST or None, prefix="override")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            override, status = call_service(
                form,
                lambda: services.budget_override_grant(
                    request.user,
                    line=line,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                ),
            )
            if status is None:
                messages.success(
                    request,
                    _(
                        "Line %(code)s may now take up to %(amount)s %(currency)s past its "
                        "allocation."
                    )
                    % {
                        "code": line.code,
                        "amount": f"{override.line.overrun_allowed:.2f}",
                        "currency": project.currency,
                    },
                )
                return redirect(budget_url(project, "budget-lines"))
        else:
            status = 400
    row = next((r for r in reads.budget_view(project).lines if r.line.pk == line.pk), None)
    return render(
        request,
        "finance/override_form.html",
        {"project": project, "line": line, "row": row, "form": form},
        status=status,
    )


# ---- caps and contributions (forms on the budget page) ------------------------------------------


@login_required
@require_POST
def cap_set(request, pk):
    project = get_or_deny(reads.project_get_for, request.user, pk, action="finance.manage")
    form = CapForm(request.POST, prefix="cap")
    if form.is_valid():
        d = form.cleaned_data
        cap, status = call_service(
            form,
            lambda: services.person_cap_set(
                request.user, project=project, category=d["category"], amount=d["amount"]
            ),
        )
        if status is None:
            messages.success(
                request,
                _("Each person may receive at most %(amount)s %(currency)s of %(category)s.")
                % {
                    "amount": f"{cap.amount:.2f}",
                    "currency": project.currency,
                    "category": cap.get_category_display(),
                },
            )
            return redirect(budget_url(project, "caps"))
    else:
        status = 400
    return render_budget(request, project, bound={"cap_form": form, "open": "caps"}, status=status)


@login_required
@require_POST
def cap_remove(request, cap_pk):
    cap = get_or_deny(reads.cap_get_for, request.user, cap_pk)
    project = cap.project
    services.person_cap_remove(request.user, cap=cap)
    messages.success(request, _("The per-person cap is removed."))
    return redirect(budget_url(project, "caps"))


@login_required
@require_POST
def contribution_record(request, pk):
    project = get_or_deny(reads.project_get_for, request.user, pk, action="finance.manage")
    form = ContributionForm(request.POST, prefix="contribution", project=project)
    if form.is_valid():
        d = dict(form.cleaned_data)
        donor = Donor.objects.filter(pk=d.pop("donor")).first()
        _c, status = call_service(
            form,
            lambda: services.contribution_record(request.user, project=project, donor=donor, **d),
        )
        if status is None:
            messages.success(request, _("The contribution is recorded."))
            return redirect(budget_url(project, "contributions"))
    else:
        status = 400
    return render_budget(
        request,
        project,
        bound={"contribution_form": form, "open": "contributions"},
        status=status,
    )


# ---- charges ------------------------------------------------------------------------------------


def _line_filter(value, lines):
    if value == reads.UNALLOCATED:
        return reads.UNALLOCATED, None
    if value and value.isdigit():
        line = next((ln for ln in lines if ln.pk == int(value)), None)
        if line is not None:
            return line.pk, line
    return None, None


@login_required
def project_charges(request, pk):
    """The charges of a project, with their case numbers (finance.charges: finance officers and
    managers), by line, stage, awaiting a rate, flagged; 50 a page, a fixed number of
    queries."""
    project = get_or_deny(reads.project_get_for, request.user, pk, action="finance.charges")
    lines = list(reads.project_lines(project))
    filters = ChargeFilterForm(request.GET or None)
    filters.is_valid()
    f = getattr(filters, "cleaned_data", {}) or {}
    line_id, line = _line_filter(f.get("line", ""), lines)
    qs = reads.project_charges(
        project,
        line=line_id,
        stage=f.get("stage") or None,
        awaiting=True if f.get("awaiting") else None,
        flagged=True if f.get("flagged") else None,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/charge_list.html",
        {
            "project": project,
            "lines": lines,
            "line": line,
            "line_filter": f.get("line", ""),
            "unallocated": reads.UNALLOCATED,
            "filters": filters,
            "page_obj": page,
            "charges": page.object_list,
            "may_manage": policies.may_manage(request.user, project),
            "Stage": ChargeStage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def charge_reallocate(request, charge_pk):
    charge = get_or_deny(reads.charge_get_for, request.user, charge_pk, action="finance.manage")
    project = charge.project
    lines = list(reads.project_lines(project))
    form = ReallocateForm(
        request.POST or None, prefix="move", lines=lines, current=charge.budget_line_id
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            target = next(ln for ln in lines if ln.pk == form.cleaned_data["budget_line"])
            moved, status = call_service(
                form,
                lambda: services.charge_reallocate(
                    request.user,
                    charge=charge,
                    budget_line=target,
                    reason=form.cleaned_data["reason"],
                ),
            )
            if status is None:
                messages.success(
                    request,
                    _("The charge is moved to line %(code)s.") % {"code": target.code},
                )
                flash_warning(request, moved)
                url = reverse("finance:project_charges", args=[project.pk])
                return redirect(f"{url}?line={target.pk}")
        else:
            status = 400
    return render(
        request,
        "finance/charge_reallocate.html",
        {"project": project, "charge": charge, "form": form},
        status=status,
    )
