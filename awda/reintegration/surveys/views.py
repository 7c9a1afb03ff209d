"""Pages of the sustainability survey: the case tab "Sustainability" (registered in setup.py),
the page recording a survey, voiding one, and the cohort averages page.

The tab shows, for the chosen member (`person`, the principal applicant by default), a chart of
their scores over time, and the list of the case's surveys with their instrument version and
scores. The record page renders the instrument in use, one radio group per question in the UI
language. The cohort page shows averages and counts only, never names."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awda.cases.choices import Status
from awda.cases.services import case_viewed
from awda.cases.views.detail import get_case
from awda.cases.views.submit import call_service, one_or_404, require, submit_or_flash, tab_url
from awda.core.text import as_id
from awda.finance.models import Project

from .. import policies
from ..choices import SurveyKind, VisitStatus
from ..models import MonitoringVisit
from . import selectors, services
from .forms import CohortForm, SurveyForm, VoidForm
from .instrument import active_instrument, label, parse

TAB = "surveys"
PART = "surveys"


def _members(case):
    return list(case.members.select_related("person").order_by("-is_principal", "id"))


def tab_surveys(request, case, perms, bound):
    """A fixed number of queries whatever the number of surveys: members, surveys (with persons,
    instruments, visits, authors), the chosen person's series."""
    members = _members(case)
    surveys = list(selectors.case_surveys(case))
    wanted = as_id(request.GET.get("person") or "")
    chosen = next((m for m in members if m.person_id == wanted), members[0] if members else None)
    series = selectors.person_series(case, chosen.person_id) if chosen else []
    may_record = policies.may_record(request.user, case)
    refusal = services.status_refusal(case)
    for s in surveys:
        s.void_form = VoidForm(prefix=f"void-{s.pk}") if may_record and not s.voided_at else None
    return {
        "survey_members": members,
        "survey_person": chosen,
        "surveys": surveys,
        "survey_series": series,
        "survey_chart": selectors.chart_data(series),
        "may_record_survey": may_record and refusal is None,
        "may_void_survey": may_record and case.status != Status.CLOSED,
        "survey_refusal": refusal if may_record else None,
        "has_baseline": {
            s.person_id for s in surveys if s.kind == SurveyKind.BASELINE and not s.voided_at
        },
    }


def _visit_choices(case):
    """The visits a follow-up survey belongs to: those that took place."""
    visits = MonitoringVisit.objects.filter(case_id=case.pk, status=VisitStatus.DONE)
    out = []
    for v in visits.order_by("due_on", "id"):
        when = v.conducted_on or v.due_on
        months = (
            ngettext("%(n)s month", "%(n)s months", v.months) % {"n": v.months}
            if v.months
            else _("Visit")
        )
        out.append((v.pk, f"{months} — {when.isoformat()}"))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def survey_record(request, pk):
    """Record a survey: `person`, `kind` (baseline|follow_up) and `visit` (a monitoring visit of
    the case) may be given in the query string (links from the tab and the monitoring visits)."""
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    instrument = active_instrument()
    if instrument is None:
        messages.error(
            request, _("No survey instrument is in use: load one with manage.py load_instrument.")
        )
        return redirect(tab_url(case, TAB))
    definition = parse(instrument.definition)
    members = _members(case)
    member_choices = [(m.person_id, m.person.full_name) for m in members]
    visits = _visit_choices(case)
    initial = {"kind": SurveyKind.BASELINE}
    person = as_id(request.GET.get("person") or "")
    if person in {m.person_id for m in members}:
        initial["person"] = person
    if request.GET.get("kind") in SurveyKind.values:
        initial["kind"] = request.GET["kind"]
    visit = as_id(request.GET.get("visit") or "")
    if visit in {v for v, _label in visits}:
        initial["visit"] = visit
        if "kind" not in request.GET:
            initial["kind"] = SurveyKind.FOLLOW_UP
    form = SurveyForm(
        request.POST or None,
        initial=initial,
        definition=definition,
        members=member_choices,
        visits=visits,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            person_obj = next(m.person for m in members if m.person_id == data["person"])
            visit_obj = (
                MonitoringVisit.objects.filter(case_id=case.pk, pk=data["visit"]).first()
                if data.get("visit")
                else None
            )

            def on_validation(exc):
                if exc.fields:
                    form.add_service_errors(exc.fields)
                if not exc.fields or any(not k.startswith("answers.") for k in exc.fields):
                    form.add_error(None, str(exc.message))

            survey, status = call_service(
                form,
                lambda: services.survey_record(
                    request.user,
                    case=case,
                    person=person_obj,
                    kind=data["kind"],
                    answers=form.answers(),
                    conducted_on=data["conducted_on"],
                    visit=visit_obj,
                    notes=data.get("notes") or "",
                ),
                on_validation=on_validation,
            )
            if survey is not None:
                messages.success(
                    request,
                    _("Survey recorded for %(name)s: composite score %(score)s.")
                    % {"name": person_obj.full_name, "score": f"{survey.composite:.2f}"},
                )
                return redirect(f"{tab_url(case, TAB)}&person={person_obj.pk}")
        else:
            status = 400
    else:
        case_viewed(request.user, case=case, part=PART)
    return render(
        request,
        "reintegration/surveys/record.html",
        {
            "case": case,
            "form": form,
            "instrument": instrument,
            "instrument_name": label(definition.name, None) or instrument.name,
            "instrument_description": label(definition.description, None)
            if definition.description
            else "",
            "title": _("Record a sustainability survey"),
        },
        status=status,
    )


@login_required
@require_POST
def survey_void(request, pk, survey_pk):
    case = get_case(request, pk)
    require(request.user, "reintegration.record", case)
    survey = one_or_404(selectors.case_surveys(case).filter(pk=survey_pk))
    survey.case = case
    form = VoidForm(request.POST, prefix=f"void-{survey.pk}")
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.survey_void(
            request.user, survey=survey, reason=form.cleaned_data["reason"]
        ),
        tab=TAB,
        success=_("The survey is voided; it stays on record, out of the scores."),
    )


@login_required
@require_GET
def sustainability(request):
    """Cohort averages (no names): group by nationality, sex, age group, project, year of return
    or survey; filters alike."""
    if not selectors.may_see_cohorts(request.user):
        raise DjangoPermissionDenied()
    projects = [(p.pk, p.code) for p in _cohort_projects(request.user)]
    instruments = [(i.pk, f"{i.code} {i.version}") for i in selectors.instruments()]
    form = CohortForm(request.GET or None, projects=projects, instruments=instruments)
    group_by, filters = "kind", {}
    status = 200
    if request.GET:
        if form.is_valid():
            group_by, filters = form.query()
        else:
            status = 400
    rows = selectors.cohort_averages(request.user, group_by=group_by, filters=filters)
    group_labels = _group_labels(group_by, rows, dict(projects))
    for row in rows:
        row["label"] = group_labels.get(row["group"], row["group"]) or _("unknown")
        row["kind_label"] = (
            SurveyKind(row["kind"]).label if row["kind"] in SurveyKind.values else ""
        )
        if row["kind"] == SurveyKind.FOLLOW_UP:
            row["kind_label"] = _("Latest follow-up")
    return render(
        request,
        "reintegration/surveys/sustainability.html",
        {
            "form": form,
            "rows": rows,
            "group_by": group_by,
            "total": sum(r["n"] for r in rows),
        },
        status=status,
    )


def _cohort_projects(user):
    """The projects to filter by: those of the user's missions, and those funding the cases
    handed over to the user's origin missions (not every project of the instance)."""
    from awda.accounts.selectors import user_scope
    from awda.cases.models import Case

    scope = user_scope(user)
    received = Case.objects.filter(
        receiving_mission_id__in=scope.origin_mission_ids, project__isnull=False
    ).values("project_id")
    return (
        Project.objects.filter(Q(mission_id__in=scope.mission_ids) | Q(pk__in=received))
        .order_by("code")
        .only("pk", "code")
    )


def _group_labels(group_by, rows, projects_by_pk) -> dict:
    from awda.core.templatetags.awda_ui import country_name
    from awda.registry.choices import Sex

    if group_by == "nationality":
        return {r["group"]: country_name(r["group"]) for r in rows if r["group"]}
    if group_by == "sex":
        return {k: str(v) for k, v in Sex.choices}
    if group_by == "kind":
        return {
            SurveyKind.BASELINE: str(SurveyKind.BASELINE.label),
            SurveyKind.FOLLOW_UP: _("Latest follow-up"),
        }
    if group_by == "age_group":
        return {selectors.UNKNOWN: _("age unknown")}
    return {}
