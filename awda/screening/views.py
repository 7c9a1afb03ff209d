"""The "Screening" tab of the case page (registered by apps.ScreeningConfig.ready) and the form
that records a (re-)screening of a member. Same flow as the case actions: policy first (403),
form, one service call, redirect to the tab; errors come back on the tab (400 / 409)."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awda.cases.policies import can
from awda.cases.views.detail import get_case
from awda.cases.views.submit import one_or_404, require, submit_on_tab

from . import selectors, services
from .factors import RESTRICTED_FACTORS, STICKY_FACTORS, by_level
from .forms import ScreeningForm

LOCKED_HELP = {
    "child.record": gettext_lazy("Only a protection officer can clear this answer."),
    "health.record": gettext_lazy("Only a medical officer can clear this answer."),
    "screening.restricted": gettext_lazy("Only a protection officer can clear this answer."),
}


def _initial(current, restricted_ok: bool) -> dict:
    """A re-screening starts from the current answers (restricted ones only for those who may
    see them; the service keeps them anyway)."""
    if current is None:
        return {}
    return {
        code: True
        for code in current.factor_codes
        if restricted_ok or code not in RESTRICTED_FACTORS
    }


def tab_screening(request, case, perms, bound):
    """Per member: the current result, the form to (re-)screen, the history. Three queries
    whatever the number of members (members with persons, screenings with their users and
    offices, and the policy's scope)."""
    user = request.user
    restricted_ok = selectors.may_see_restricted(user, case)
    may_record = can(user, "screening.record", case)
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    owned: dict[str, bool] = {}

    def owns(action: str) -> bool:
        if action not in owned:
            owned[action] = can(user, action, case)
        return owned[action]

    history = list(selectors.screening_history(case))
    current = selectors.current_by_person(history)
    rows = []
    for m in members:
        mine = [s for s in history if s.person_id == m.person_id]
        cur = current.get(m.person_id)
        form = None
        if may_record:
            form = bound.get(f"screening_form_{m.pk}") or ScreeningForm(
                prefix=f"scr-{m.pk}",
                initial={"version": case.version, **_initial(cur, restricted_ok)},
            )
            # A factor raised before that this user may not clear is shown ticked and locked
            # (the service keeps it anyway).
            for f in STICKY_FACTORS:
                raised = not f.restricted and cur is not None and getattr(cur, f.code)
                if raised and not owns(f.cleared_by):
                    form.fields[f.code].disabled = True
                    form.fields[f.code].help_text = LOCKED_HELP[f.cleared_by]
        rows.append(
            {
                "member": m,
                "current": selectors.present(cur, restricted_ok=restricted_ok) if cur else None,
                "history": [selectors.present(s, restricted_ok=restricted_ok) for s in mine],
                "form": form,
                "open_form": f"screening_form_{m.pk}" in bound,
            }
        )
    return {
        "screening_rows": rows,
        "unscreened_count": sum(1 for r in rows if r["current"] is None),
        "may_screen": may_record and case.status != "closed",
        "restricted_ok": restricted_ok,
        "levels": by_level(),
    }


@login_required
@require_POST
def screening_record(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "screening.record", case)
    member = one_or_404(case.members.select_related("person").filter(pk=member_pk))
    form = ScreeningForm(request.POST, prefix=f"scr-{member.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.screening_record(
            request.user,
            case=case,
            member=member,
            factors=form.factors(),
            notes=form.cleaned_data["notes"],
            expected_version=form.cleaned_data["version"],
        ),
        tab="screening",
        bound_key=f"screening_form_{member.pk}",
        reload=True,
        success=_("The screening of %(name)s is recorded.") % {"name": member.person.full_name},
    )
