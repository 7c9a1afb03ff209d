"""Donor report pages: the projects one may report on, a project's report for a period (figures
on the page, PDF and XLSX downloads). Finance officers, managers and M&E officers of the
project's mission; another mission's project is a 404, another role a 403. Downloads are
audited by the service; the page shows aggregates only (no names, no case numbers)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.core.htmx import apply_error
from awda.finance import policies as finance_policies
from awda.finance.models import Project
from awda.reports.iati.policies import project_for_report

from .documents import display_sections, suppression_note
from .forms import PeriodForm
from .services import default_period, donor_report_export, donor_report_preview


@login_required
@require_GET
def donor_index(request):
    """The projects of the missions where the user may report on budgets."""
    missions = finance_policies.missions_with(request.user, "finance.view")
    if not missions:
        raise DjangoPermissionDenied()
    projects = (
        Project.objects.filter(mission_id__in=missions)
        .select_related("mission")
        .prefetch_related("donors")
        .order_by("-start_date", "code")
    )
    return render(request, "reports/donor/index.html", {"projects": projects})


def _project(request, project_pk):
    try:
        return project_for_report(request.user, project_pk)
    except NotFound:
        raise Http404() from None
    except PermissionDenied:
        raise DjangoPermissionDenied() from None


def _period_form(request, project):
    start, end = default_period(project)
    if "date_from" in request.GET or "date_to" in request.GET:
        form = PeriodForm(request.GET)
    else:
        form = PeriodForm({"date_from": start.isoformat(), "date_to": end.isoformat()})
    return form


@login_required
@require_GET
def donor_report_page(request, project_pk: int):
    """The report's figures for the chosen period, with the download buttons."""
    project = _project(request, project_pk)
    form = _period_form(request, project)
    report = None
    status = 200
    if form.is_valid():
        try:
            report = donor_report_preview(
                request.user,
                project_id=project.pk,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
            )
        except ValidationFailed as exc:
            apply_error(form, exc)
    if not form.is_valid() or report is None:
        status = 400
    sections = display_sections(report) if report is not None else []
    query = ""
    if report is not None:
        query = f"?date_from={report.date_from.isoformat()}&date_to={report.date_to.isoformat()}"
    return render(
        request,
        "reports/donor/project.html",
        {
            "project": project,
            "form": form,
            "report": report,
            "sections": sections,
            "query": query,
            "suppression_note": suppression_note(report) if report and report.min_cell > 1 else "",
        },
        status=status,
    )


@login_required
@require_GET
def donor_report_download(request, project_pk: int, fmt: str):
    """The report as PDF or XLSX (audited)."""
    project = _project(request, project_pk)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        result = donor_report_export(
            request.user,
            project_id=project.pk,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            fmt=fmt,
        )
    except ValidationFailed:
        return HttpResponse(status=400)
    return file_response(result)


def file_response(result) -> HttpResponse:
    response = HttpResponse(result.data, content_type=result.content_type)
    disposition = "inline" if result.content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{result.filename}"'
    response["Cache-Control"] = "no-store"
    return response
