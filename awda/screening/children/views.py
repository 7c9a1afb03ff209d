"""The "Child protection" tab of the case page (registered by apps.ChildrenConfig.ready) and the
forms posted from it. Same flow as the case actions (cases.views.submit): policy first, form, one
service call, redirect to the tab; errors come back on the tab (400 / 409).

Child-protection data is a restricted category: a user without "child.view" who can see the case
gets a 404 for it (the tab is not listed for them)."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awda.accounts.models import Mission
from awda.cases.policies import can
from awda.cases.views.detail import get_case
from awda.cases.views.submit import one_or_404, require, submit_on_tab
from awda.core.errors import ValidationFailed
from awda.screening.selectors import origin_missions

from . import selectors, services
from .choices import Step
from .forms import (
    AssessmentForm,
    CaregiverForm,
    DeterminationForm,
    EscortForm,
    GuardianConsentForm,
    IdentificationForm,
    ReceptionForm,
    ReopenForm,
    TracingForm,
    TracingOutcomeForm,
)

TAB = "child_protection"


@dataclass(frozen=True)
class StepAction:
    form: type
    service: object
    success: str  # with %(name)s
    button: str


STEP_ACTIONS = {
    Step.IDENTIFICATION: StepAction(
        IdentificationForm,
        services.child_identification_record,
        gettext_lazy("The identification of %(name)s is recorded."),
        gettext_lazy("Record the identification"),
    ),
    Step.ASSESSMENT: StepAction(
        AssessmentForm,
        services.best_interests_assessment_record,
        gettext_lazy("The best-interests assessment of %(name)s is recorded."),
        gettext_lazy("Record the assessment"),
    ),
    Step.TRACING: StepAction(
        TracingForm,
        services.family_tracing_request,
        gettext_lazy("The family tracing request for %(name)s is sent and logged."),
        gettext_lazy("Send the tracing request"),
    ),
    Step.CAREGIVER: StepAction(
        CaregiverForm,
        services.caregiver_assessment_record,
        gettext_lazy("The caregiver assessment for %(name)s is recorded."),
        gettext_lazy("Record the caregiver assessment"),
    ),
    Step.DETERMINATION: StepAction(
        DeterminationForm,
        services.determination_record,
        gettext_lazy("The best-interests determination for %(name)s is recorded."),
        gettext_lazy("Record the determination"),
    ),
    Step.GUARDIAN_CONSENT: StepAction(
        GuardianConsentForm,
        services.guardian_consent_record,
        gettext_lazy("The guardian's consent for %(name)s is recorded."),
        gettext_lazy("Record the guardian's consent"),
    ),
    Step.ESCORT: StepAction(
        EscortForm,
        services.escort_plan_record,
        gettext_lazy("The escort plan for %(name)s is recorded."),
        gettext_lazy("Record the escort plan"),
    ),
    Step.RECEPTION: StepAction(
        ReceptionForm,
        services.reception_arrangement_record,
        gettext_lazy("The reception arrangements for %(name)s are recorded."),
        gettext_lazy("Record the reception arrangements"),
    ),
}


def _prefix(step, person_id):
    return f"uasc-{step}-{person_id}"


def _bound_key(step, person_id):
    return f"uasc_{step}_{person_id}"


def _mission_choices():
    return list(origin_missions().values_list("pk", "name"))


def _default_mission_id(case, missions_by_code):
    if case.receiving_mission_id:
        return case.receiving_mission_id
    return missions_by_code.get(case.country_of_return)


def _step_form(action, step, person_id, bound, *, initial=None, missions=()):
    key = _bound_key(step, person_id)
    if key in bound:
        return bound[key], True
    kwargs = {"missions": missions} if action.form is TracingForm else {}
    return action.form(prefix=_prefix(step, person_id), initial=initial or {}, **kwargs), False


def _records(file, step):
    return {
        Step.IDENTIFICATION: file.identifications,
        Step.ASSESSMENT: file.assessments,
        Step.TRACING: file.tracings,
        Step.CAREGIVER: file.caregivers,
        Step.DETERMINATION: file.determinations,
        Step.GUARDIAN_CONSENT: file.guardian_consents,
        Step.ESCORT: file.escorts,
        Step.RECEPTION: file.receptions,
    }[step]


def tab_child_protection(request, case, perms, bound):
    """Per child (under 18 or of unknown age, identified, or flagged by the screening): the steps
    with their state, records and forms. A fixed number of queries whatever the number of
    children (selectors.child_files, the missions once, the policy's scope)."""
    user = request.user
    may_record = can(user, "child.record", case) and case.status != "closed"
    files = selectors.case_children(case)
    missions, missions_by_code, default_mission = [], {}, None
    if may_record and files:
        rows = list(origin_missions().values_list("pk", "name", "code"))
        missions = [(pk, name) for pk, name, _code in rows]
        missions_by_code = {code: pk for pk, _name, code in rows}
        default_mission = _default_mission_id(case, missions_by_code)
    children = []
    for file in files:
        pid = file.person.pk
        states = {s.step: s for s in file.steps}
        shown = list(Step) if file.applies else [Step.IDENTIFICATION]
        steps = []
        for step in shown:
            action = STEP_ACTIONS[step]
            form, is_open = (None, False)
            if may_record:
                initial = None
                if step == Step.TRACING:
                    initial = {"origin_mission": default_mission}
                elif step == Step.IDENTIFICATION and file.age is not None:
                    initial = {"age_years": file.age}  # from the registry, to be confirmed
                form, is_open = _step_form(
                    action, step, pid, bound, initial=initial, missions=missions
                )
            steps.append(
                {
                    "step": step.value,
                    "label": step.label,
                    "state": states[step],
                    "records": _records(file, step),
                    "form": form,
                    "open": is_open,
                    "button": action.button,
                }
            )
        reopen_form, reopen_open = None, False
        if may_record:
            # Each tracing request carries the form that records its progress or outcome.
            for t in file.tracings:
                key = f"uasc_outcome_{t.pk}"
                t.outcome_open = key in bound
                t.outcome_form = bound.get(key) or TracingOutcomeForm(
                    prefix=f"uasc-outcome-{t.pk}",
                    initial={
                        "status": t.status,
                        "outcome_on": t.outcome_on or timezone.localdate(),
                        "outcome_notes": t.outcome_notes,
                        "version": t.version,
                    },
                )
            current = file.current_determination
            if current is not None:
                key = f"uasc_reopen_{current.pk}"
                reopen_open = key in bound
                reopen_form = bound.get(key) or ReopenForm(prefix=f"uasc-reopen-{current.pk}")
        children.append(
            {
                "file": file,
                "steps": steps,
                "done": sum(1 for s in file.steps if s.ok),
                "total": len(file.steps),
                "current_determination": file.current_determination,
                "reopen_form": reopen_form,
                "reopen_open": reopen_open,
            }
        )
    return {"uasc_children": children, "uasc_may_record": may_record}


# ---- posts ---------------------------------------------------------------------------------------


def _child_case(request, pk):
    """The case, if the user may see child-protection data on it (404 otherwise, like a case
    out of scope), and may record it (403)."""
    case = get_case(request, pk)
    if not can(request.user, "child.view", case):
        raise Http404()
    require(request.user, "child.record", case)
    return case


def _mission(pk):
    mission = Mission.objects.filter(pk=pk).first()  # the service checks it is a valid one
    if mission is None:
        raise ValidationFailed(fields={"origin_mission": [_("Choose the origin mission.")]})
    return mission


@login_required
@require_POST
def step_record(request, pk, person_pk, step):
    if step not in STEP_ACTIONS:
        raise Http404()
    case = _child_case(request, pk)
    person = one_or_404(case.members.select_related("person").filter(person_id=person_pk)).person
    action = STEP_ACTIONS[Step(step)]
    kwargs = {"missions": _mission_choices()} if action.form is TracingForm else {}
    form = action.form(request.POST, prefix=_prefix(step, person.pk), **kwargs)

    def run():
        values = form.kwargs()
        if "origin_mission" in values and step == Step.TRACING:
            values["origin_mission"] = _mission(values["origin_mission"])
        return action.service(request.user, case=case, person=person, **values)

    return submit_on_tab(
        request,
        case,
        form,
        run,
        tab=TAB,
        bound_key=_bound_key(step, person.pk),
        reload=True,
        success=str(action.success) % {"name": person.full_name},
    )


@login_required
@require_POST
def tracing_outcome(request, pk, tracing_pk):
    case = _child_case(request, pk)
    tracing = one_or_404(
        selectors.tracing_queryset(case).filter(pk=tracing_pk).select_related("case")
    )
    form = TracingOutcomeForm(request.POST, prefix=f"uasc-outcome-{tracing.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.tracing_outcome_record(
            request.user,
            tracing=tracing,
            status=form.cleaned_data["status"],
            outcome_on=form.cleaned_data["outcome_on"],
            outcome_notes=form.cleaned_data["outcome_notes"],
            expected_version=form.cleaned_data["version"],
        ),
        tab=TAB,
        bound_key=f"uasc_outcome_{tracing.pk}",
        reload=True,
        success=_("The tracing request for %(name)s is updated.")
        % {"name": tracing.person.full_name},
    )


@login_required
@require_POST
def determination_reopen(request, pk, determination_pk):
    case = _child_case(request, pk)
    determination = one_or_404(
        selectors.determination_queryset(case).filter(pk=determination_pk).select_related("case")
    )
    form = ReopenForm(request.POST, prefix=f"uasc-reopen-{determination.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.determination_reopen(
            request.user, determination=determination, reason=form.cleaned_data["reason"]
        ),
        tab=TAB,
        bound_key=f"uasc_reopen_{determination.pk}",
        reload=True,
        success=_(
            "The determination for %(name)s is reopened: a new determination is needed before "
            "the child can travel."
        )
        % {"name": determination.person.full_name},
    )
