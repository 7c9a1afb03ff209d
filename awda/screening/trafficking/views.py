"""The "Protection (restricted)" tab of the case page (registered by apps.TraffickingConfig.ready,
shown only with `trafficking.view`), the forms posted from it and the page of one record.

Every view of this module goes through `protection_view`: the case is resolved through the scoped
selector (404 outside the user's scope), then a user without `trafficking.view` gets the same 404
as for a missing record, after the attempt was audited (access.protected_case). The tab itself is
audited by the case page (part "protection"); the record page audits its read."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.defaults import page_not_found

from awda.cases.choices import Status
from awda.cases.policies import can
from awda.cases.views.detail import get_case
from awda.cases.views.submit import one_or_404, require, submit_on_tab, tab_url
from awda.core.errors import NotFound
from awda.registry.choices import LANGUAGES
from awda.screening.selectors import default_origin_mission, origin_missions

from . import access, selectors, services
from .choices import INDICATORS, ExploitationType, Kind
from .forms import (
    AcceptanceForm,
    DeterminationForm,
    InterviewForm,
    RiskAssessmentCompleteForm,
    RiskAssessmentEditForm,
    RiskAssessmentForm,
)
from .readiness import applies, checks, traveller_states

TAB = "protection"
LANGUAGE_LABELS = dict(LANGUAGES)
EXPLOITATION_LABELS = dict(ExploitationType.choices)


def protection_view(part: str):
    """Decorate a view `(request, case, ...)` of trafficking data: scoped case (404), then the
    trafficking policy: refused -> audited, and answered with the ordinary 404 page (returned,
    not raised, so the audit row stays whatever the transaction settings)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            case = get_case(request, pk)
            try:
                access.protected_case(request.user, case, part=part, method=request.method)
            except access.AccessRefused:
                return page_not_found(request, Http404())
            return view(request, case, *args, **kwargs)

        return wrapper

    return decorator


# ---- the tab -------------------------------------------------------------------------------------


def _forms(m, records, bound, missions):
    """The forms of one person's card (bound ones, with their errors, from a failed post)."""
    draft = records.draft if records else None
    out = {
        "interview": bound.get(f"vot_interview_{m.pk}") or InterviewForm(prefix=f"vot-int-{m.pk}"),
        "determination": bound.get(f"vot_determination_{m.pk}")
        or DeterminationForm(prefix=f"vot-det-{m.pk}"),
        "risk": bound.get(f"vot_risk_{m.pk}")
        or RiskAssessmentForm(prefix=f"vot-risk-{m.pk}", missions=missions),
        "acceptance": bound.get(f"vot_acceptance_{m.pk}")
        or AcceptanceForm(prefix=f"vot-acc-{m.pk}", missions=missions),
    }
    if draft is not None:
        out["risk_edit"] = bound.get(f"vot_risk_edit_{draft.pk}") or RiskAssessmentEditForm(
            prefix=f"vot-risk-edit-{draft.pk}",
            initial={
                "version": draft.version,
                **{f: getattr(draft, f) for f in services.ASSESSMENT_FIELDS},
            },
        )
        out["risk_complete"] = bound.get(
            f"vot_risk_complete_{draft.pk}"
        ) or RiskAssessmentCompleteForm(
            prefix=f"vot-risk-done-{draft.pk}", initial={"version": draft.version}
        )
    return out


def _open_form(m, draft, bound) -> str:
    """Which form of the card to show open (the one that just failed)."""
    keys = {
        f"vot_interview_{m.pk}": "interview",
        f"vot_determination_{m.pk}": "determination",
        f"vot_risk_{m.pk}": "risk",
        f"vot_acceptance_{m.pk}": "acceptance",
    }
    if draft is not None:
        keys[f"vot_risk_edit_{draft.pk}"] = "risk_edit"
        keys[f"vot_risk_complete_{draft.pk}"] = "risk_complete"
    return next((name for key, name in keys.items() if key in bound), "")


def tab_protection(request, case, perms, bound):
    """Per person flagged by the rapid screening or with a trafficking record: where the
    safeguards stand, the forms (interview, determination, risk assessment, acceptance) and the
    history; the other members can be interviewed too. A fixed number of queries whatever the
    number of members and records. (The case page shows the tab to `trafficking.view` only;
    checked again here, as the data is built here.)"""
    if not access.may_view(request.user, case):
        raise Http404()
    may_record = can(request.user, "trafficking.record", case) and case.status != Status.CLOSED
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    records = selectors.person_records(case)
    # the same state the readiness checklist and the gate use (an interview or a determination
    # of the person in an earlier case counts): one source of truth
    states = traveller_states(case, [m.person_id for m in members])
    missions = list(origin_missions()) if may_record else []
    rows, others = [], []
    for m in members:
        mine = records.get(m.person_id) or selectors.PersonRecords()
        state = states[m.person_id]
        row = {
            "member": m,
            "state": state,
            "records": mine,
            "checks": checks(state),
            # counted from an earlier case of the person, whose records are not listed here
            "earlier": (state.interviewed and not mine.interviews)
            or (state.outcome is not None and not mine.determinations),
            "forms": _forms(m, mine if mine.any else None, bound, missions) if may_record else {},
            "open_form": _open_form(m, mine.draft if mine.any else None, bound),
        }
        (rows if applies(state) else others).append(row)
    return {
        "vot_rows": rows,
        "vot_others": others,
        "may_record": may_record,
        "default_mission": default_origin_mission(case) if may_record else None,
    }


# ---- form posts ----------------------------------------------------------------------------------


def _member(case, member_pk):
    return one_or_404(case.members.select_related("person").filter(pk=member_pk))


def _assessment(case, assessment_pk):
    try:
        return selectors.risk_assessment_get(case, assessment_pk)
    except NotFound:
        raise Http404() from None


def _post(request, case, form, service, *, bound_key, success):
    require(request.user, "trafficking.record", case)
    return submit_on_tab(
        request,
        case,
        form,
        service,
        tab=TAB,
        bound_key=bound_key,
        reload=True,
        success=success,
    )


@protection_view("interview")
@require_POST
def interview_record(request, case, member_pk):
    member = _member(case, member_pk)
    form = InterviewForm(request.POST, prefix=f"vot-int-{member.pk}")
    return _post(
        request,
        case,
        form,
        lambda: services.interview_record(
            request.user,
            case=case,
            member=member,
            interviewed_on=form.cleaned_data["interviewed_on"],
            interpreter_used=form.cleaned_data["interpreter_used"],
            language=form.cleaned_data["language"],
            indicators=form.indicators(),
            exploitation_types=form.cleaned_data["exploitation_types"],
            narrative=form.cleaned_data["narrative"],
        ),
        bound_key=f"vot_interview_{member.pk}",
        success=_("The interview of %(name)s is recorded.") % {"name": member.person.full_name},
    )


@protection_view("determination")
@require_POST
def determination_record(request, case, member_pk):
    member = _member(case, member_pk)
    form = DeterminationForm(request.POST, prefix=f"vot-det-{member.pk}")
    return _post(
        request,
        case,
        form,
        lambda: services.determination_record(
            request.user,
            case=case,
            member=member,
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
            determined_on=form.cleaned_data["determined_on"],
        ),
        bound_key=f"vot_determination_{member.pk}",
        success=_("The determination for %(name)s is recorded.")
        % {"name": member.person.full_name},
    )


@protection_view("risk-assessment")
@require_POST
def risk_assessment_create(request, case, member_pk):
    member = _member(case, member_pk)
    form = RiskAssessmentForm(
        request.POST, prefix=f"vot-risk-{member.pk}", missions=list(origin_missions())
    )
    return _post(
        request,
        case,
        form,
        lambda: services.risk_assessment_create(
            request.user,
            case=case,
            member=member,
            origin_mission=form.cleaned_data["origin_mission"],
            **form.assessment_data(),
        ),
        bound_key=f"vot_risk_{member.pk}",
        success=lambda assessment: (
            _("The risk assessment of %(name)s is started and shared with %(mission)s.")
            % {"name": member.person.full_name, "mission": assessment.origin_mission.name}
        ),
    )


@protection_view("risk-assessment")
@require_POST
def risk_assessment_update(request, case, assessment_pk):
    assessment = _assessment(case, assessment_pk)
    form = RiskAssessmentEditForm(request.POST, prefix=f"vot-risk-edit-{assessment.pk}")
    return _post(
        request,
        case,
        form,
        lambda: services.risk_assessment_update(
            request.user,
            assessment=assessment,
            expected_version=form.cleaned_data["version"],
            data=form.assessment_data(),
        ),
        bound_key=f"vot_risk_edit_{assessment.pk}",
        success=_("The risk assessment of %(name)s is saved.")
        % {"name": assessment.person.full_name},
    )


@protection_view("risk-assessment")
@require_POST
def risk_assessment_complete(request, case, assessment_pk):
    assessment = _assessment(case, assessment_pk)
    form = RiskAssessmentCompleteForm(request.POST, prefix=f"vot-risk-done-{assessment.pk}")
    return _post(
        request,
        case,
        form,
        lambda: services.risk_assessment_complete(
            request.user,
            assessment=assessment,
            expected_version=form.cleaned_data["version"],
            completed_on=form.cleaned_data["completed_on"],
        ),
        bound_key=f"vot_risk_complete_{assessment.pk}",
        success=_("The risk assessment of %(name)s is completed.")
        % {"name": assessment.person.full_name},
    )


@protection_view("acceptance")
@require_POST
def acceptance_record(request, case, member_pk):
    member = _member(case, member_pk)
    form = AcceptanceForm(
        request.POST, prefix=f"vot-acc-{member.pk}", missions=list(origin_missions())
    )
    return _post(
        request,
        case,
        form,
        lambda: services.acceptance_record(
            request.user,
            case=case,
            member=member,
            accepted=form.cleaned_data["accepted"],
            decided_on=form.cleaned_data["decided_on"],
            origin_mission=form.cleaned_data["origin_mission"],
            decided_by_name=form.cleaned_data["decided_by_name"],
            reference=form.cleaned_data["reference"],
            conditions=form.cleaned_data["conditions"],
        ),
        bound_key=f"vot_acceptance_{member.pk}",
        success=_("The answer of the origin mission for %(name)s is recorded.")
        % {"name": member.person.full_name},
    )


# ---- one record ----------------------------------------------------------------------------------


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def record_fields(record) -> list[tuple[str, str]]:
    """(label, text) of every field of a record, for its page."""
    kind = selectors.kind_of(record)
    if kind == Kind.INTERVIEW:
        return [
            (_("Interviewed on"), _date(record.interviewed_on)),
            (_("Interpreter used"), _yes_no(record.interpreter_used)),
            (
                _("Language of the interview"),
                LANGUAGE_LABELS.get(record.language, record.language) or "—",
            ),
            (
                _("Indicators"),
                ", ".join(str(i.label) for i in INDICATORS if getattr(record, i.code)) or "—",
            ),
            (
                _("Types of exploitation"),
                ", ".join(str(EXPLOITATION_LABELS.get(t, t)) for t in record.exploitation_types)
                or "—",
            ),
            (_("Narrative"), record.narrative or "—"),
        ]
    if kind == Kind.DETERMINATION:
        return [
            (_("Determined on"), _date(record.determined_on)),
            (_("Outcome"), record.get_outcome_display()),
            (_("Reasons"), record.reasons),
        ]
    if kind == Kind.RISK_ASSESSMENT:
        return [
            (_("Status"), record.get_status_display()),
            (_("Origin mission"), record.origin_mission.name),
            (_("Focal point in the origin mission"), record.origin_focal_point or "—"),
            (_("Risk level"), record.get_risk_level_display() or "—"),
            (_("Risks identified"), record.risks or "—"),
            (_("Mitigation measures"), record.mitigation or "—"),
            (_("Security plan"), record.security_plan or "—"),
            (_("Completed on"), _date(record.completed_on)),
            (_("Completed by"), str(record.completed_by or "—")),
        ]
    return [
        (_("Decided on"), _date(record.decided_on)),
        (_("Answer of the origin mission"), _("accepted") if record.accepted else _("refused")),
        (_("Origin mission"), record.origin_mission.name),
        (_("Decided by"), record.decided_by_name),
        (_("Reference"), record.reference or "—"),
        (_("Conditions"), record.conditions or "—"),
    ]


@protection_view("record")
@require_GET
def record_detail(request, case, kind, record_pk):
    try:
        record = selectors.record_get(case, kind, record_pk)
    except NotFound:
        raise Http404() from None
    services.record_viewed(request.user, case=case, record=record)
    return render(
        request,
        "trafficking/detail.html",
        {
            "case": case,
            "record": record,
            "kind_label": Kind(kind).label,
            "title": Kind(kind).label,
            "fields": record_fields(record),
        },
    )


@protection_view("home")
@require_GET
def protection_home(request, case):
    return redirect(tab_url(case, TAB))


@protection_view("unknown")
def unknown(request, case, rest):
    raise Http404()
