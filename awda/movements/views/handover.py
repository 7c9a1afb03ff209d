"""The "Handover" tab of the case page (registered by movements.handover.register) and its form.

Everyone who sees the case sees the tab: the origin mission's staff, once the case is handed
over to them, see what was shared. The form is shown to users with "handover.record" (host side)
while the case may be handed over. Rendering the tab is an audited read (part "handover")."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awda.cases.policies import can
from awda.cases.views.detail import get_case
from awda.cases.views.submit import require, submit_on_tab
from awda.registry.forms import StyledForm

from .. import handover as ho

TAB = "handover"


class HandoverForm(StyledForm):
    mission = forms.ModelChoiceField(
        label=gettext_lazy("Origin mission"), queryset=ho.handover_missions(), empty_label=None
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Data shared"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only what the travellers consented to share can be chosen."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (c.code, c.label) for c in (plan.categories if plan else [])
        ]
        if plan is not None and not self.is_bound:
            self.initial.setdefault("categories", plan.allowed_codes)
            if plan.mission is not None:
                self.initial.setdefault("mission", plan.mission.pk)


def tab_handover(request, case, perms, bound):
    """A fixed number of queries: the travellers, their consents, the default mission, the
    past handovers (and the missions of the form)."""
    user = request.user
    plan = ho.handover_plan(case)
    may_record = (
        can(user, "handover.record", case)
        and plan.status_ok
        and not case.handed_over_at
        and plan.possible
    )
    hidden = ho.hidden_handover_categories(user, case)
    labels = {c.code: c.label for c in plan.categories}
    rows = []
    for h in ho.handovers_for_case(case):
        rows.append(
            {
                "handover": h,
                "shared": [labels.get(c, c) for c in h.categories if c not in hidden],
                "withheld": [labels.get(c, c) for c in h.withheld if c not in hidden],
                "redacted": any(c in hidden for c in [*h.categories, *h.withheld]),
            }
        )
    form = bound.get("handover_form")
    if form is None and may_record:
        form = HandoverForm(plan=plan, prefix="ho")
    return {
        "handover_plan": plan,
        "handover_categories": [c for c in plan.categories if c.code not in hidden],
        "handover_rows": rows,
        "handover_form": form,
        "handover_may_record": can(user, "handover.record", case),
        "handover_statuses": [str(s.label) for s in ho.HANDOVER_STATUSES],
    }


@login_required
@require_POST
def handover_record(request, pk):
    case = get_case(request, pk)
    require(request.user, "handover.record", case)
    plan = ho.handover_plan(case)
    form = HandoverForm(request.POST, plan=plan, prefix="ho")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: ho.case_handover(
            request.user,
            case=case,
            mission=form.cleaned_data["mission"],
            categories=form.cleaned_data["categories"],
            notes=form.cleaned_data["notes"],
        ),
        tab=TAB,
        bound_key="handover_form",
        reload=True,
        success=lambda h: (
            _("The case is handed over to %(mission)s.") % {"mission": h.mission.name}
        ),
    )
