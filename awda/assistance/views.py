"""The "Assistance" tab of the case page (registered by apps.AssistanceConfig.ready) and the
distribution pages.

The tab lists the case's lines with totals per currency (overall and per person), a form to
record a line, and per line: print the receipt, attach the signed copy, cancel. Same flow as the
other case actions: policy first (403), form, one service call, redirect to the tab; errors come
back on the tab (400 / 409). Rendering the tab is an audited read (part "assistance"); printing
a receipt and downloading a signed copy are audited by the services.

The distribution pages are office-level: list, new (pick the items, then the persons among the
office's open cases), detail with the printable distribution sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awda.accounts.models import Office
from awda.cases.choices import Status
from awda.cases.models import CaseMember
from awda.cases.views.detail import get_case
from awda.cases.views.submit import (
    call_service,
    one_or_404,
    require,
    submit_on_tab,
    submit_or_flash,
)
from awda.core.documents import pdf_response
from awda.core.errors import NotFound, PermissionDenied
from awda.finance.models import Project
from awda.registry.models import Organisation

from . import policies, selectors, services
from .choices import UNIT_SUGGESTIONS, LineStatus
from .forms import UNIT_LIST_ID, CancelForm, DistributionForm, LineForm, ReceiptUploadForm
from .models import SignedReceipt

TAB = "assistance"


def budget_warnings(request, warnings) -> None:
    """Show the budget lines' warnings (past their threshold) of a cost just recorded."""
    for warning in warnings:
        if warning:
            messages.warning(request, warning)


def _provider_choices():
    return list(selectors.providers().values_list("pk", "name"))


def _project_choices(qs):
    return [(p.pk, f"{p.code} — {p.name}") for p in qs]


def _line_form(case, members, providers, projects, data=None):
    initial = {}
    if case.project_id:
        initial = {"project": case.project_id, "currency": ""}
    return LineForm(
        data,
        prefix="line",
        members=[(m.person_id, m.person.full_name) for m in members],
        providers=providers,
        projects=projects,
        initial=initial,
    )


def tab_assistance(request, case, perms, bound):
    """A fixed number of queries whatever the number of lines: members, lines (with persons,
    providers, projects, authors, receipts and distributions), and for those who may record,
    providers and projects. Totals are added up from the lines read."""
    user = request.user
    lines = list(selectors.case_lines(case))
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    may_record = policies.may_record(user, case) and case.status != Status.CLOSED
    accepts = services.status_refusal(case) is None
    by_person: dict = {}
    for line in lines:
        by_person.setdefault(line.person_id, []).append(line)
    persons = []
    for m in members:
        own = by_person.get(m.person_id, [])
        live = selectors.recorded(own)
        persons.append(
            {
                "member": m,
                "count": len(live),
                "totals": selectors.totals_of(own),
                "unsigned": sum(1 for ln in live if not ln.receipt_id),
            }
        )
    ctx = {
        "assistance_lines": [
            {
                "line": ln,
                "cancel_form": CancelForm(prefix=f"cancel-{ln.pk}", initial={"version": ln.version})
                if may_record and ln.status == LineStatus.RECORDED
                else None,
            }
            for ln in lines
        ],
        "assistance_totals": selectors.totals_of(lines),
        "assistance_persons": persons,
        "may_record_assistance": may_record,
        "assistance_accepts": accepts,
        "assistance_refusal": services.status_refusal(case),
        "unit_suggestions": UNIT_SUGGESTIONS,
        "unit_list_id": UNIT_LIST_ID,
        "open_line_form": "line_form" in bound,
    }
    if may_record and accepts:
        ctx["line_form"] = bound.get("line_form") or _line_form(
            case,
            members,
            _provider_choices(),
            _project_choices(selectors.projects_for_case(case)),
        )
    return ctx


def _line(case, line_pk):
    line = one_or_404(selectors.case_lines(case).filter(pk=line_pk))
    line.case = case
    return line


@login_required
@require_POST
def line_record(request, pk):
    case = get_case(request, pk)
    require(request.user, "assistance.record", case)
    members = list(case.members.select_related("person"))
    form = _line_form(
        case,
        members,
        _provider_choices(),
        _project_choices(selectors.projects_for_case(case)),
        data=request.POST,
    )

    def save():
        data = dict(form.cleaned_data)
        person = next(m.person for m in members if m.person_id == data.pop("person"))
        provider_id = data.pop("provider")
        project_id = data.pop("project")
        return services.assistance_record(
            request.user,
            case=case,
            person=person,
            provider=Organisation.objects.filter(pk=provider_id).first() if provider_id else None,
            project=Project.objects.filter(pk=project_id).first() if project_id else None,
            **data,
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key="line_form",
        reload=True,
        success=lambda line: (
            budget_warnings(request, [line.charge_warning])
            or _("Recorded: %(what)s for %(name)s, %(total)s %(currency)s.")
            % {
                "what": line.get_kind_display(),
                "name": line.person.full_name,
                "total": f"{line.total:.2f}",
                "currency": line.currency,
            }
        ),
    )


@login_required
@require_POST
def line_cancel(request, pk, line_pk):
    case = get_case(request, pk)
    require(request.user, "assistance.record", case)
    line = _line(case, line_pk)
    form = CancelForm(request.POST, prefix=f"cancel-{line.pk}")
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.assistance_cancel(
            request.user,
            line=line,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        tab=TAB,
        success=_("The line is cancelled; it stays in the ledger, out of the totals."),
    )


def _pdf(request, build, filename):
    try:
        data = build()
    except NotFound:
        raise Http404() from None
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    return pdf_response(data, filename)


@login_required
@require_GET
def line_receipt(request, pk, line_pk):
    """The receipt PDF of one line (audited)."""
    case = get_case(request, pk)
    require(request.user, "assistance.view", case)
    line = _line(case, line_pk)
    if line.status != LineStatus.RECORDED:
        raise Http404()
    return _pdf(
        request,
        lambda: services.assistance_receipt_print(request.user, case=case, lines=[line]),
        f"receipt-{case.number}-{line.pk}.pdf",
    )


@login_required
@require_GET
def person_receipt(request, pk, person_pk):
    """The receipt PDF of every recorded line of a member (audited)."""
    case = get_case(request, pk)
    require(request.user, "assistance.view", case)
    member = one_or_404(case.members.filter(person_id=person_pk))
    lines = list(selectors.case_lines(case, person_ids=[member.person_id], include_cancelled=False))
    if not lines:
        raise Http404()
    lines.reverse()  # oldest first on paper
    return _pdf(
        request,
        lambda: services.assistance_receipt_print(request.user, case=case, lines=lines),
        f"receipt-{case.number}-{member.person_id}.pdf",
    )


def _attach(request, case, lines, form):
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.assistance_receipt_attach(
            request.user, case=case, lines=lines, file=form.cleaned_data["file"]
        ),
        tab=TAB,
        success=_("The signed copy is stored."),
    )


@login_required
@require_POST
def line_receipt_upload(request, pk, line_pk):
    case = get_case(request, pk)
    require(request.user, "assistance.record", case)
    line = _line(case, line_pk)
    form = ReceiptUploadForm(request.POST, request.FILES)
    return _attach(request, case, [line], form)


@login_required
@require_POST
def person_receipt_upload(request, pk, person_pk):
    """The signed copy of a person's receipt: linked to their recorded lines that have none
    yet."""
    case = get_case(request, pk)
    require(request.user, "assistance.record", case)
    member = one_or_404(case.members.filter(person_id=person_pk))
    lines = [
        ln
        for ln in selectors.case_lines(case, person_ids=[member.person_id], include_cancelled=False)
        if not ln.receipt_id
    ]
    form = ReceiptUploadForm(request.POST, request.FILES)
    return _attach(request, case, lines, form)


@login_required
@require_GET
def receipt_download(request, pk, receipt_pk):
    """The signed copy, scoped to the case and audited."""
    case = get_case(request, pk)
    require(request.user, "assistance.view", case)
    receipt = one_or_404(SignedReceipt.objects.filter(case=case, pk=receipt_pk))
    try:
        services.assistance_receipt_viewed(request.user, receipt=receipt, case=case)
        handle = receipt.file.open("rb")
    except (NotFound, FileNotFoundError):
        raise Http404() from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=receipt.original_name,
        content_type=receipt.content_type,
    )


# ---- distributions ------------------------------------------------------------------------------


@login_required
@require_GET
def distribution_list(request):
    offices = policies.offices_viewing(request.user)
    if not offices:
        raise DjangoPermissionDenied()
    distributions = list(selectors.distribution_list_for(request.user)[:200])
    return render(
        request,
        "assistance/distribution_list.html",
        {
            "distributions": distributions,
            "may_record": bool(policies.offices_recording(request.user)),
        },
    )


def _recording_office(request):
    """The office the distribution is for: `office` of the request if the user may record
    there, else their first such office (403 when none)."""
    office_ids = policies.offices_recording(request.user)
    if not office_ids:
        raise DjangoPermissionDenied()
    offices = list(Office.objects.filter(pk__in=office_ids).select_related("mission"))
    offices.sort(key=lambda o: o.name)
    wanted = request.POST.get("office") or request.GET.get("office")
    chosen = next((o for o in offices if str(o.pk) == str(wanted)), offices[0])
    return chosen, offices


def _selected(request, pairs):
    """The (case, member) of the checked recipients this user may see, in order: two queries.
    Unknown ones are dropped (and reported by the caller on submission)."""
    if not pairs:
        return []
    cases = selectors.cases_by_id(request.user, {c for c, _p in pairs})
    members = {
        (m.case_id, m.person_id): m
        for m in CaseMember.objects.filter(case_id__in=list(cases)).select_related("person")
    }
    out = []
    for case_id, person_id in pairs:
        if case_id in cases and (case_id, person_id) in members:
            out.append((cases[case_id], members[(case_id, person_id)]))
    return out


def _pairs(values):
    field = DistributionForm.base_fields["recipients"]
    out = []
    for v in values:
        m = field.valid_value(v) and v.split("-")
        if m:
            pair = (int(m[0]), int(m[1]))
            if pair not in out:
                out.append(pair)
    return out


def _candidates_context(request, office, data):
    query = (data.get("q") or "").strip()
    selected = _selected(request, _pairs(data.getlist("recipients")))
    chosen = {(c.pk, m.person_id) for c, m in selected}
    cases = selectors.recipient_candidates(request.user, office=office, query=query)
    return {
        "office": office,
        "query": query,
        "selected": selected,
        "candidates": [
            {
                "case": c,
                "members": [m for m in c.members.all() if (c.pk, m.person_id) not in chosen],
            }
            for c in cases
        ],
        "candidate_limit_reached": len(cases) >= 100,
    }


@login_required
@require_GET
def distribution_candidates(request):
    """The candidate list of the distribution page (an htmx fragment): the office's open cases
    matching the search, the checked persons first."""
    office, _offices = _recording_office(request)
    return render(
        request,
        "assistance/_candidates.html",
        _candidates_context(request, office, request.GET),
    )


@login_required
@require_http_methods(["GET", "POST"])
def distribution_new(request):
    office, offices = _recording_office(request)
    projects = _project_choices(selectors.projects_for_office(office))
    initial = {}
    if request.method == "GET":
        # a search (the "Search" button submits the form by GET) keeps what was typed
        kept = set(DistributionForm.base_fields) - {"recipients"}
        initial.update({k: v for k, v in request.GET.items() if k in kept and v})
    form = DistributionForm(
        request.POST or None,
        providers=_provider_choices(),
        projects=projects,
        initial=initial,
    )
    status = 200
    row_errors: list = []
    if request.method == "POST":
        if form.is_valid():
            pairs = form.cleaned_data["recipients"]
            selected = _selected(request, pairs)
            found = {(c.pk, m.person_id) for c, m in selected}
            missing = [i + 1 for i, p in enumerate(pairs) if p not in found]
            if missing:
                form.add_error(
                    None,
                    _("Some persons are no longer in the list (rows %(rows)s): search again.")
                    % {"rows": ", ".join(map(str, missing))},
                )
                status = 400
            else:
                data = form.service_kwargs()
                provider_id, project_id = data.pop("provider"), data.pop("project")

                def save():
                    return services.assistance_distribute(
                        request.user,
                        office=office,
                        recipients=[(c, m.person) for c, m in selected],
                        provider=Organisation.objects.filter(pk=provider_id).first()
                        if provider_id
                        else None,
                        project=Project.objects.filter(pk=project_id).first()
                        if project_id
                        else None,
                        **data,
                    )

                def on_validation(exc):
                    rows = (exc.details or {}).get("rows") or []
                    row_errors.extend(rows)
                    form.add_error(None, str(exc.message))
                    for name, msgs in (exc.fields or {}).items():
                        if name.startswith("recipients."):
                            continue
                        target = "distributed_on" if name == "start_date" else name
                        for m in msgs:
                            form.add_error(target if target in form.fields else None, str(m))

                distribution, status = call_service(form, save, on_validation=on_validation)
                if distribution is not None:
                    messages.success(
                        request,
                        _("The distribution to %(n)s persons is recorded.") % {"n": len(selected)},
                    )
                    budget_warnings(request, distribution.charge_warnings)
                    return redirect("assistance:distribution_detail", pk=distribution.pk)
        else:
            status = 400
    ctx = {
        "form": form,
        "offices": offices,
        "office": office,
        "row_errors": row_errors,
        "unit_suggestions": UNIT_SUGGESTIONS,
        "unit_list_id": UNIT_LIST_ID,
        **_candidates_context(
            request, office, request.POST if request.method == "POST" else request.GET
        ),
    }
    return render(request, "assistance/distribution_form.html", ctx, status=status)


def _distribution(request, pk):
    try:
        return selectors.distribution_get_for(request.user, pk)
    except NotFound:
        raise Http404() from None


@login_required
@require_GET
def distribution_detail(request, pk):
    distribution = _distribution(request, pk)
    lines = list(selectors.distribution_lines(distribution))
    services.distribution_viewed(request.user, distribution=distribution)
    return render(
        request,
        "assistance/distribution_detail.html",
        {
            "distribution": distribution,
            "lines": lines,
            "totals": selectors.totals_of(lines),
            "recorded_count": len(selectors.recorded(lines)),
            "sheet_url": reverse("assistance:distribution_sheet", args=[distribution.pk]),
        },
    )


@login_required
@require_GET
def distribution_sheet(request, pk):
    distribution = _distribution(request, pk)
    return _pdf(
        request,
        lambda: services.distribution_sheet_print(request.user, distribution=distribution),
        f"distribution-{distribution.pk}.pdf",
    )
