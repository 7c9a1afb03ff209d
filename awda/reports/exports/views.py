"""Web pages of exports: the export form (opened from the case list with its filters), the job
page with its progress bar (an htmx fragment polled every second until the job is finished), the
download, and "My exports".

Thin views: policies.may_export_case_list answers 403 before anything is done; the form is parsed
and handed to services.export_request; jobs are read through selectors (someone else's job is a
404, like a missing one)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from awda.cases.selectors import case_list_for
from awda.core.errors import (
    ApplicationError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from awda.core.htmx import apply_error, render_page_or_fragment

from . import filters, policies, selectors, services
from .choices import ExportKind
from .forms import ExportForm

JOBS_PER_PAGE = 25


def _job_or_404(request, pk):
    try:
        return selectors.export_get_for(request.user, pk)
    except NotFound:
        raise Http404() from None


def _list_url(query_string: str) -> str:
    url = reverse("cases:case_list")
    return f"{url}?{query_string}" if query_string else url


def _list_query(query) -> str:
    """The case list's query string without its page and sort."""
    copy = query.copy()
    for name in filters.IGNORED:
        copy.pop(name, None)
    return copy.urlencode()


@login_required
@require_http_methods(["GET", "POST"])
def export_new(request):
    """GET: the export form for the case list's filters (from its query string; an htmx
    request from the list gets the form alone, shown above the list). POST: request the export
    and go to its page."""
    user = request.user
    if not policies.may_export_case_list(user):
        raise DjangoPermissionDenied()
    if request.method == "POST":
        form = ExportForm(request.POST)
        query_string = request.POST.get("filters", "")
    else:
        query_string = _list_query(request.GET)
        form = ExportForm(initial={"filters": query_string})
    query = QueryDict(query_string)
    status = 200
    params, filter_errors = None, []
    try:
        params = filters.clean_filters(user, query)
    except ValidationFailed as exc:
        filter_errors = [
            f"{k.split('.', 1)[-1]}: {m}" for k, msgs in exc.fields.items() for m in msgs
        ]
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                job = services.export_request(
                    user,
                    kind=ExportKind.CASE_LIST,
                    format=d["format"],
                    params=query,
                    password=d["password"],
                    leaves_organisation=d["leaves_organisation"],
                    recipient=d["recipient"],
                    purpose=d["purpose"],
                )
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from None
            except ApplicationError as exc:
                apply_error(form, exc)
                status = 400
            else:
                return redirect("reports:export_detail", job.pk)
        else:
            status = 400
    context = {
        "form": form,
        "filters": filters.describe(params) if params is not None else [],
        "filter_errors": filter_errors,
        "count": (
            case_list_for(user, **filters.selector_kwargs(params)).count()
            if params is not None
            else None
        ),
        "list_url": _list_url(query_string),
        "may_send_outside": policies.may_send_outside(user),
    }
    return render_page_or_fragment(
        request, "reports/exports/new.html", "reports/exports/_form.html", context, status=status
    )


@login_required
@require_GET
def export_detail(request, pk):
    """The job's page; for htmx (the progress bar polling) only the progress fragment."""
    job = _job_or_404(request, pk)
    context = {
        "job": job,
        "filters": filters.describe(job.params),
        "list_url": _list_url(filters.as_query_string(job.params)),
    }
    return render_page_or_fragment(
        request, "reports/exports/detail.html", "reports/exports/_progress.html", context
    )


@login_required
@require_GET
def export_download(request, pk):
    job = _job_or_404(request, pk)
    try:
        handle = services.export_open(request.user, job=job)
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("reports:export_detail", job.pk)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=services.download_name(job),
        content_type=services.content_type(job),
    )


@login_required
@require_GET
def export_list(request):
    """My exports, newest first (a page of JOBS_PER_PAGE: two queries)."""
    page_obj = Paginator(selectors.export_list_for(request.user), JOBS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/exports/list.html",
        {
            "page_obj": page_obj,
            "jobs": page_obj.object_list,
            "may_export": policies.may_export_case_list(request.user),
        },
    )
