"""Web pages of the duplicates review: the queue (filters, counts, "run detection now"), a pair
side by side (reasons, merge, reject), the merges (undo) and a detection run's progress (an htmx
fragment polled every second until the run is finished).

Thin views: policies answer 403 before anything is done, reads go through the scoped selectors
(someone else's pair is a 404), writes through services; domain errors become form errors or
messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awda.accounts.models import Mission
from awda.cases.services import person_viewed
from awda.core.errors import ApplicationError, NotFound, PermissionDenied, StaleEdit
from awda.core.htmx import apply_error, render_page_or_fragment
from awda.registry import matching

from . import policies, selectors, services
from .choices import PairStatus
from .forms import MergeForm, QueueFilterForm, RejectForm, RunForm, UndoForm

PAIRS_PER_PAGE = 25
MERGES_PER_PAGE = 25


def _require_view(user):
    if not policies.may_view(user):
        raise DjangoPermissionDenied()


def _or_404(fn, *args):
    try:
        return fn(*args)
    except NotFound:
        raise Http404() from None


@login_required
@require_GET
def queue(request):
    user = request.user
    _require_view(user)
    missions = list(selectors.missions_for(user))
    form = QueueFilterForm(request.GET or None, missions=missions)
    filters = form.filters()
    pairs = selectors.pair_list_for(user, **filters)
    page_obj = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.pair_counts_for(
        user, band=filters.get("band"), source=filters.get("source"), mission=filters.get("mission")
    )
    decide_missions = list(selectors.missions_for(user, "duplicates.decide"))
    context = {
        "form": form,
        "filters": filters,
        "page_obj": page_obj,
        "pairs": page_obj.object_list,
        "counts": counts,
        "statuses": PairStatus.choices,
        "runs": list(selectors.run_list_for(user, mission=filters.get("mission"))[:3]),
        "run_form": RunForm(missions=decide_missions) if decide_missions else None,
        "may_decide": bool(decide_missions),
        "likely": matching.LIKELY_THRESHOLD,
    }
    return render_page_or_fragment(
        request, "duplicates/queue.html", "duplicates/_queue_table.html", context
    )


def _pair_context(request, pair, *, merge_form=None, reject_form=None):
    user = request.user
    persons = selectors.persons_side_by_side(pair, user)
    may_decide = policies.may_decide(user, pair.mission_id) and pair.status == PairStatus.OPEN
    if may_decide and merge_form is None:
        merge_form = MergeForm(
            pair=pair,
            initial={
                "survivor": _default_survivor(persons),
                "version_a": persons[0].version,
                "version_b": persons[1].version,
            },
        )
    if may_decide and reject_form is None:
        reject_form = RejectForm(initial={"version": pair.version})
    fill_previews = []
    if may_decide:  # what the merge fills on the record kept, for either choice
        chosen = str(merge_form["survivor"].value())
        fill_previews = selectors.merge_fill_previews(persons)
        for preview in fill_previews:
            preview["chosen"] = str(preview["survivor"].pk) == chosen
    return {
        "pair": pair,
        "persons": persons,
        "reasons": selectors.pair_reasons(pair),
        "shared_cases": selectors.shared_cases(persons),
        "hidden_cases": sum(p.hidden_cases for p in persons),
        "merge": selectors.pair_merge(pair),
        "may_decide": may_decide,
        "merge_form": merge_form,
        "fill_previews": fill_previews,
        "reject_form": reject_form,
        "likely": matching.LIKELY_THRESHOLD,
    }


def _default_survivor(persons):
    """Propose to keep the record with more cases (then the older one)."""
    a, b = persons
    if len(b.memberships) > len(a.memberships):
        return b.pk
    return a.pk


@login_required
@require_GET
def pair_detail(request, pk):
    _require_view(request.user)
    pair = _or_404(selectors.pair_get_for, request.user, pk)
    context = _pair_context(request, pair)
    for person in context["persons"]:  # a read of both records, audited
        person_viewed(request.user, person=person, part="detail")
    return render(request, "duplicates/pair.html", context)


@login_required
@require_POST
def pair_reject(request, pk):
    _require_view(request.user)
    pair = _or_404(selectors.pair_get_for, request.user, pk)
    if not policies.may_decide(request.user, pair.mission_id):
        raise DjangoPermissionDenied()
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.pair_reject(
                request.user,
                pair=pair,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except PermissionDenied:
            raise DjangoPermissionDenied() from None
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Recorded as two different persons: this pair will not be proposed again."),
            )
            return redirect("duplicates:queue")
    context = _pair_context(request, pair, reject_form=form)
    return render(request, "duplicates/pair.html", context, status=400)


@login_required
@require_POST
def pair_merge(request, pk):
    _require_view(request.user)
    pair = _or_404(selectors.pair_get_for, request.user, pk)
    if not policies.may_decide(request.user, pair.mission_id):
        raise DjangoPermissionDenied()
    form = MergeForm(request.POST, pair=pair)
    if form.is_valid():
        d = form.cleaned_data
        try:
            merge = services.persons_merge(
                request.user,
                pair=pair,
                survivor=d["survivor"],
                expected_versions={
                    pair.person_a_id: d["version_a"],
                    pair.person_b_id: d["version_b"],
                },
                note=d["note"],
            )
        except PermissionDenied:
            raise DjangoPermissionDenied() from None
        except StaleEdit as exc:
            form.add_error(None, str(exc.message))
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Merged: %(n)s records moved to %(name)s. You can undo it from this page.")
                % {"n": merge.items.count(), "name": merge.survivor.full_name},
            )
            return redirect("duplicates:merge_detail", merge.pk)
    context = _pair_context(request, pair, merge_form=form)
    return render(request, "duplicates/pair.html", context, status=400)


@login_required
@require_GET
def merge_list(request):
    _require_view(request.user)
    merges = selectors.merge_list_for(request.user)
    page_obj = Paginator(merges, MERGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "duplicates/merge_list.html",
        {"page_obj": page_obj, "merges": page_obj.object_list},
    )


def _merge_context(request, merge, *, undo_form=None):
    may_undo = policies.may_decide(request.user, merge.mission_id) and not merge.undone
    return {
        "merge": merge,
        "groups": selectors.merge_item_groups(merge, request.user),
        "filled": selectors.filled_rows(merge.survivor_filled),
        "may_undo": may_undo,
        "undo_form": undo_form or (UndoForm() if may_undo else None),
    }


@login_required
@require_GET
def merge_detail(request, pk):
    _require_view(request.user)
    merge = _or_404(selectors.merge_get_for, request.user, pk)
    return render(request, "duplicates/merge.html", _merge_context(request, merge))


@login_required
@require_POST
def merge_undo(request, pk):
    _require_view(request.user)
    merge = _or_404(selectors.merge_get_for, request.user, pk)
    if not policies.may_decide(request.user, merge.mission_id):
        raise DjangoPermissionDenied()
    form = UndoForm(request.POST)
    if form.is_valid():
        try:
            services.merge_undo(request.user, merge=merge, note=form.cleaned_data["note"])
        except PermissionDenied:
            raise DjangoPermissionDenied() from None
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The merge was undone: both records are back."))
            return redirect("duplicates:merge_detail", merge.pk)
    return render(
        request, "duplicates/merge.html", _merge_context(request, merge, undo_form=form), status=400
    )


@login_required
@require_POST
def run_start(request):
    user = request.user
    missions = list(selectors.missions_for(user, "duplicates.decide"))
    if not missions:
        raise DjangoPermissionDenied()
    form = RunForm(request.POST, missions=missions)
    if not form.is_valid():
        messages.error(request, _("Choose a mission."))
        return redirect("duplicates:queue")
    mission = Mission.objects.get(pk=form.cleaned_data["mission"])
    try:
        run = services.duplicates_detect(user, mission=mission)
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    return redirect("duplicates:run_detail", run.pk)


@login_required
@require_GET
def run_detail(request, pk):
    """The run's page; for htmx (the progress bar polling) only the progress fragment."""
    _require_view(request.user)
    run = _or_404(selectors.run_get_for, request.user, pk)
    return render_page_or_fragment(
        request, "duplicates/run.html", "duplicates/_run_progress.html", {"run": run}
    )
