"""Choosing a person already in the registry (one person can appear in several cases over the
years): the htmx fragments behind the "existing person" search of the register flow and of the
members tab, the duplicate check ("possible existing persons") shown while a new person is typed,
and the card of the person chosen.

All three read through cases.selectors (scoped to what the user may see) and are cheap: a short
query, at most a handful of rows, documents and case history prefetched in two more queries. The
choice is stored in the page as the person's id and checked again by the form (scoped queryset)
and the service. The card of the chosen person (documents and case history) is a read of the
person's record and is audited (registry.person.viewed, part "pick"); the short lists of search
results are not."""

import contextlib
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from awda.core.errors import NotFound
from awda.core.text import as_id, compact, fold
from awda.registry.reasons import ordered_reasons, reason_text

from .. import selectors, services
from ..duplicate_check import likely_duplicates
from ..forms import PersonMatchForm
from ..policies import offices_where

SEARCH_LIMIT = 10
MATCH_LIMIT = 5
MIN_QUERY = 2
# The form prefixes a picker may fill: the principal, a member row of the register flow, the
# members tab's add form. Anything else is refused (the prefix is written into ids and names).
PICK_PREFIX = re.compile(r"^(principal|member|members-\d{1,3})$")


def may_pick(user) -> bool:
    return bool(offices_where(user, "case.register") or offices_where(user, "case.members"))


def with_history(user, persons):
    """Persons with their identity documents and the case history this user may see."""
    return selectors.with_case_history(user, persons)


def picked_persons(user, ids) -> dict:
    """{id: person with history} for re-displaying choices made on a form."""
    ids = [i for i in ids if i]
    if not ids:
        return {}
    qs = with_history(user, selectors.person_queryset_for(user).filter(pk__in=ids))
    return {p.pk: p for p in qs}


def attach_picked(user, forms) -> None:
    """Set `picked_person` on each form (ExistingPersonMixin) whose existing person is valid."""
    chosen = {}
    for form in forms:
        if form.is_existing and getattr(form, "cleaned_data", None):
            person = form.cleaned_data.get("existing_person")
            if person is not None:
                chosen[form] = person.pk
    found = picked_persons(user, chosen.values())
    for form, pk in chosen.items():
        form.picked_person = found.get(pk)


def _guard(request) -> str:
    if not may_pick(request.user):
        raise DjangoPermissionDenied()
    prefix = request.GET.get("prefix", "")
    if not PICK_PREFIX.match(prefix):
        return ""
    return prefix


def _first(qs, limit):
    rows = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit


@login_required
@require_GET
def person_search(request):
    """Search the registry for the "existing person" picker (names, aliases, documents, phones)."""
    prefix = _guard(request)
    if not prefix:
        return HttpResponseBadRequest()
    query = (request.GET.get("q") or "").strip()[:100]
    searched = len(fold(query)) >= MIN_QUERY or len(compact(query)) >= 4
    persons, more = [], False
    if searched:
        persons, more = _first(
            with_history(request.user, selectors.person_list_for(request.user, query=query)),
            SEARCH_LIMIT,
        )
    return render(
        request,
        "cases/_person_pick_results.html",
        {"persons": persons, "more": more, "searched": searched, "prefix": prefix, "q": query},
    )


@login_required
@require_GET
def person_matches(request):
    """The duplicate check while a new person is typed (the principal, a member row, the
    members tab's add form): the persons the user may see who may be that person, scored by the
    duplicate engine (cases.duplicate_check.likely_duplicates), each with the reasons and the
    "use this person instead" action. At most MATCH_LIMIT rows; nothing about persons outside
    the user's scope. On the members tab, `case` is the case the member joins: its members are
    different people (same household), never proposed."""
    prefix = _guard(request) or "principal"
    form = PersonMatchForm(request.GET, prefix=prefix)
    households = []
    case_pk = as_id(request.GET.get("case"))
    if case_pk:
        with contextlib.suppress(NotFound):  # not a case the user may see: no household
            households = [selectors.case_get_for(request.user, case_pk).pk]
    candidates = likely_duplicates(
        request.user,
        form.person_data(),
        documents=form.document_numbers(),
        households=households,
        limit=MATCH_LIMIT + 1,
    )
    rows = [
        {
            "candidate": c,
            "person": c.person,
            "reasons": [{"code": r.code, "text": reason_text(r)} for r in ordered_reasons(c.match)],
        }
        for c in candidates[:MATCH_LIMIT]
    ]
    return render(
        request,
        "cases/_person_matches.html",
        {"rows": rows, "more": len(candidates) > MATCH_LIMIT, "prefix": prefix},
    )


@login_required
@require_GET
def person_picked(request, person_pk):
    """The card of the chosen person, with the hidden input that carries the choice."""
    prefix = _guard(request)
    if not prefix:
        return HttpResponseBadRequest()
    person = picked_persons(request.user, [person_pk]).get(person_pk)
    if person is None:
        raise Http404()
    services.person_viewed(request.user, person=person, part="pick")
    return render(request, "cases/_person_picked.html", {"person": person, "prefix": prefix})
