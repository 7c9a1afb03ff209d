"""The "Reintegration" and "Monitoring" tabs of the case page (registered by setup.register),
their forms, and the reintegration workspace (the origin office's queues).

Same flow as the other case actions: policy first (403), form, one service call, redirect to
the tab; errors come back on the tab (400 / 409). Rendering a tab is an audited read (the case
page does it, with the tab as the part read)."""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awda.accounts.models import Office
from awda.cases.choices import ClosureReason, Status
from awda.cases.views.detail import get_case
from awda.cases.views.submit import (
    flash_form_errors,
    one_or_404,
    require,
    submit,
    submit_on_tab,
    submit_or_flash,
)
from awda.core.text import as_id

from .. import policies
from ..choices import AssessmentKind, VisitStatus
from ..common import WORKING_STATUSES
from ..models import ReintegrationFile
from . import selectors, services
from .forms import (
    AcceptForm,
    AssessmentForm,
    AssignForm,
    ReceptionForm,
    VisitAddForm,
    VisitCancelForm,
    VisitRecordForm,
    VisitRescheduleForm,
)
from .services._common import BACK_STATUSES

TAB = "reintegration"
MONITORING_TAB = "monitoring"
PAGE_SIZE = 20
User = get_user_model()


def follow_up_survey_url(case, person_id, visit) -> str:
    """The page recording the follow-up survey of a visit (surveys area)."""
    base = reverse("reintegration:survey_record", args=[case.pk])
    query = {"person": person_id, "kind": "follow_up", "visit": visit.pk}
    return f"{base}?{urlencode({k: v for k, v in query.items() if v})}"


def _members(case):
    return [
        (m.person_id, m.person.full_name)
        for m in case.members.select_related("person").order_by("-is_principal", "id")
    ]


def _refusal(case, file) -> str | None:
    """Why reintegration work cannot be recorded on the case now (None when it can)."""
    if not case.handed_over_at:
        return _("The case has not been handed over to an origin mission yet.")
    if case.status == Status.CLOSED:
        return _("The case is closed.")
    if case.status not in WORKING_STATUSES:
        return _("The case is not in reintegration.")
    if file is None:
        return _("Accept the handover first.")
    if case.status == Status.DEPARTED:
        return _(
            "The arrival is not confirmed yet: confirm the arrival first (Movements > Arrivals)."
        )
    return None


def tab_reintegration(request, case, perms, bound):
    """Acceptance (form or summary), reception (form or summary), assessments (list and form).
    A fixed number of queries whatever the number of assessments."""
    user = request.user
    file = selectors.file_of(case)
    reception = selectors.reception_of(case)
    assessments = list(selectors.case_assessments(case))
    may_record = policies.may_record(user, case)
    refusal = _refusal(case, file)
    has_plan = selectors.has_approved_plan(case) if file else False
    ctx = {
        "reint_file": file,
        "reint_overdue": selectors.is_overdue(file, has_approved_plan=has_plan),
        "reint_reception": reception,
        "reint_assessments": [{"assessment": a} for a in assessments],
        "may_record_reintegration": may_record,
        "reint_refusal": refusal,
        "reint_open": {k for k in bound},
        "assessment_kinds": AssessmentKind,
    }
    if not may_record:
        return ctx
    open_case = case.status in WORKING_STATUSES and case.handed_over_at
    if file is None and open_case:
        offices = selectors.accepting_offices(user, case)
        ctx["accept_form"] = bound.get("accept_form") or AcceptForm(
            offices=offices, officers=selectors.officer_choices([o.pk for o in offices])
        )
    if file is not None and case.status != Status.CLOSED:
        ctx["assign_form"] = bound.get("assign_form") or AssignForm(
            officers=selectors.officer_choices([file.office_id]),
            initial={"version": file.version, "officer": file.officer_id},
        )
    if refusal is None and case.status in BACK_STATUSES:
        initial = {"received_on": timezone.localdate()}
        if reception is not None:
            initial = {f: getattr(reception, f) for f in ReceptionForm.base_fields}
        ctx["reception_form"] = bound.get("reception_form") or ReceptionForm(
            prefix="reception", initial=initial
        )
        members = _members(case)
        ctx["assessment_form"] = bound.get("assessment_form") or AssessmentForm(
            prefix="assessment", members=members, initial={"assessed_on": timezone.localdate()}
        )
        for row in ctx["reint_assessments"]:
            a = row["assessment"]
            key = f"assessment_edit_{a.pk}"
            row["form"] = bound.get(key) or AssessmentForm(
                prefix=f"assessment-{a.pk}",
                editing=True,
                initial={
                    "version": a.version,
                    **{f: getattr(a, f) for f in AssessmentForm.base_fields if hasattr(a, f)},
                },
            )
    return ctx


def tab_monitoring(request, case, perms, bound):
    """The visits with their status, due or overdue, the forms to record, reschedule and
    cancel, the re-migration flag, and the link to the follow-up survey."""
    user = request.user
    file = selectors.file_of(case)
    visits = list(selectors.case_visits(case))
    may_record = policies.may_record(user, case)
    refusal = _refusal(case, file)
    today = timezone.localdate()
    principal_id = case.principal_id
    rows = []
    for v in visits:
        row = {
            "visit": v,
            "overdue": v.status == VisitStatus.PLANNED and v.due_on < today,
            "survey_url": follow_up_survey_url(case, principal_id, v)
            if v.status == VisitStatus.DONE
            else None,
        }
        if may_record and refusal is None:
            if v.status != VisitStatus.CANCELLED:
                row["record_form"] = bound.get(f"visit_record_{v.pk}") or VisitRecordForm(
                    prefix=f"visit-{v.pk}",
                    initial={
                        "version": v.version,
                        "status": v.status if v.status != VisitStatus.PLANNED else "done",
                        "conducted_on": v.conducted_on or today,
                        "mode": v.mode,
                        "outcome": v.outcome,
                        "activity_status": v.activity_status,
                        "re_migrated": v.re_migrated,
                        "re_migration_notes": v.re_migration_notes,
                    },
                )
            if v.status == VisitStatus.PLANNED:
                row["reschedule_form"] = VisitRescheduleForm(
                    prefix=f"reschedule-{v.pk}", initial={"version": v.version, "due_on": v.due_on}
                )
                row["cancel_form"] = VisitCancelForm(
                    prefix=f"cancel-{v.pk}", initial={"version": v.version}
                )
        rows.append(row)
    re_migrated = [v for v in visits if v.re_migrated]
    ctx = {
        "reint_file": file,
        "monitoring_visits": rows,
        "monitoring_re_migrated": re_migrated,
        "may_record_reintegration": may_record,
        "monitoring_refusal": refusal,
        "suggest_close": bool(re_migrated) and case.status != Status.CLOSED,
        "close_reason_label": ClosureReason.RE_MIGRATED.label,
        "reint_open": {k for k in bound},
        "reint_open_visits": {k.rsplit("_", 1)[1] for k in bound if k.startswith("visit_record_")},
    }
    if may_record and file is not None and case.status in (Status.DEPARTED, *BACK_STATUSES):
        ctx["visit_add_form"] = bound.get("visit_add_form") or VisitAddForm(prefix="visit-add")
    return ctx


# ---- acceptance -------------------------------------------------------------------------------


def _from_workspace(request) -> bool:
    return request.POST.get("next") == "workspace"


@login_required
@require_POST
def accept(request, pk):
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    offices = selectors.accepting_offices(request.user, case)
    form = AcceptForm(
        request.POST,
        offices=offices,
        officers=selectors.officer_choices([o.pk for o in offices]),
    )

    def save():
        office = next(o for o in offices if o.pk == form.cleaned_data["office"])
        officer_id = form.cleaned_data["officer"]
        officer = User.objects.filter(pk=officer_id).first() if officer_id else None
        return services.handover_accept(request.user, case=case, office=office, officer=officer)

    success = _("The handover of %(number)s is accepted.") % {"number": case.number}
    if _from_workspace(request):
        done, _status = submit(request, form, save, case=case, tab=TAB, success=success)
        if not done:
            flash_form_errors(request, form)
        return redirect(reverse("reintegration:workspace") + "#queue-acceptance")
    return submit_on_tab(
        request, case, form, save, tab=TAB, bound_key="accept_form", reload=True, success=success
    )


@login_required
@require_POST
def assign(request, pk):
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    file = one_or_404(ReintegrationFile.objects.filter(case_id=case.pk))
    form = AssignForm(request.POST, officers=selectors.officer_choices([file.office_id]))

    def save():
        officer_id = form.cleaned_data["officer"]
        return services.file_assign(
            request.user,
            case=case,
            officer=User.objects.filter(pk=officer_id).first() if officer_id else None,
            expected_version=form.cleaned_data["version"],
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key="assign_form",
        reload=True,
        success=_("The reintegration officer is changed."),
    )


# ---- reception and assessments ----------------------------------------------------------------


@login_required
@require_POST
def reception(request, pk):
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    form = ReceptionForm(request.POST, prefix="reception")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.reception_record(request.user, case=case, **form.service_kwargs()),
        tab=TAB,
        bound_key="reception_form",
        reload=True,
        success=_("The reception is recorded."),
    )


@login_required
@require_POST
def assessment_add(request, pk):
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    members = _members(case)
    form = AssessmentForm(request.POST, prefix="assessment", members=members)

    def save():
        person = case.members.get(person_id=form.cleaned_data["person"]).person
        return services.assessment_record(
            request.user,
            case=case,
            person=person,
            kind=form.cleaned_data["kind"],
            **form.service_kwargs(),
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key="assessment_form",
        reload=True,
        success=lambda a: (
            _("Recorded: %(kind)s of %(name)s.")
            % {"kind": a.get_kind_display(), "name": a.person.full_name}
        ),
    )


@login_required
@require_POST
def assessment_edit(request, pk, assessment_pk):
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    assessment = one_or_404(selectors.case_assessments(case).filter(pk=assessment_pk))
    assessment.case = case
    form = AssessmentForm(request.POST, prefix=f"assessment-{assessment.pk}", editing=True)
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.assessment_update(
            request.user,
            assessment=assessment,
            expected_version=form.cleaned_data["version"],
            **form.service_kwargs(),
        ),
        tab=TAB,
        bound_key=f"assessment_edit_{assessment.pk}",
        reload=True,
        success=_("The assessment is corrected."),
    )


# ---- monitoring -------------------------------------------------------------------------------


def _visit(case, visit_pk):
    visit = one_or_404(selectors.case_visits(case).filter(pk=visit_pk))
    visit.case = case
    return visit


@login_required
@require_POST
def visit_add(request, pk):
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    form = VisitAddForm(request.POST, prefix="visit-add")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.visit_add(request.user, case=case, **form.cleaned_data),
        tab=MONITORING_TAB,
        bound_key="visit_add_form",
        reload=True,
        success=_("The visit is planned."),
    )


@login_required
@require_POST
def visit_record(request, pk, visit_pk):
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    visit = _visit(case, visit_pk)
    form = VisitRecordForm(request.POST, prefix=f"visit-{visit.pk}")

    def success(v):
        if v.re_migrated:
            return _(
                "The visit is recorded. The returnee re-migrated: consider closing the case "
                "with the reason “%(reason)s”."
            ) % {"reason": ClosureReason.RE_MIGRATED.label}
        return _("The visit is recorded.")

    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.visit_record(request.user, visit=visit, **form.service_kwargs()),
        tab=MONITORING_TAB,
        bound_key=f"visit_record_{visit.pk}",
        reload=True,
        success=success,
    )


@login_required
@require_POST
def visit_reschedule(request, pk, visit_pk):
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    visit = _visit(case, visit_pk)
    form = VisitRescheduleForm(request.POST, prefix=f"reschedule-{visit.pk}")
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.visit_reschedule(
            request.user,
            visit=visit,
            due_on=form.cleaned_data["due_on"],
            expected_version=form.cleaned_data["version"],
        ),
        tab=MONITORING_TAB,
        success=_("The visit is rescheduled."),
    )


@login_required
@require_POST
def visit_cancel(request, pk, visit_pk):
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    visit = _visit(case, visit_pk)
    form = VisitCancelForm(request.POST, prefix=f"cancel-{visit.pk}")
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.visit_cancel(
            request.user,
            visit=visit,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        tab=MONITORING_TAB,
        success=_("The visit is cancelled."),
    )


# ---- workspace --------------------------------------------------------------------------------


def _page_url(request, name, number):
    params = request.GET.copy()
    params[f"{name}_page"] = number
    return f"?{params.urlencode()}#queue-{name}"


@login_required
@require_GET
def workspace(request):
    """The origin office's queues, each with its count and a page of rows (two queries per
    queue whatever the rows), filtered by office."""
    user = request.user
    if not selectors.may_use_workspace(user):
        raise DjangoPermissionDenied()
    full = selectors.workspace_scope(user)
    office_id = as_id(request.GET.get("office") or "")
    if office_id not in full.offices:
        office_id = None
    scope = selectors.workspace_scope(user, office=office_id) if office_id else full
    today = timezone.localdate()
    queues = []
    for name in selectors.QUEUES:
        if name == "approval" and not full.approving_offices:
            continue
        page = Paginator(selectors.queue(scope, name, today=today), PAGE_SIZE).get_page(
            request.GET.get(f"{name}_page")
        )
        queues.append(
            {
                "name": name,
                "label": selectors.QUEUE_LABELS[name],
                "count": page.paginator.count,
                "rows": [selectors.row_summary(name, obj, today=today) for obj in page],
                "page": page,
                "previous_url": _page_url(request, name, page.previous_page_number())
                if page.has_previous()
                else None,
                "next_url": _page_url(request, name, page.next_page_number())
                if page.has_next()
                else None,
            }
        )
    offices = list(Office.objects.filter(pk__in=full.offices).order_by("name"))
    return render(
        request,
        "reintegration/files/workspace.html",
        {
            "queues": queues,
            "offices": offices,
            "office_id": office_id,
            "accept_offices": offices,
            "accept_officers": selectors.officer_choices(full.offices),
            "assessment_labels": dict(AssessmentKind.choices),
        },
    )
