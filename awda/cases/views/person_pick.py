"""Choosing a person already in the registry (one person can appear in several cases over the
years): the htmx fragments behind the "existing person" search of the register flow and of the
members tab, the "possible existing persons" hint shown while a new principal's names are typed,
and the card of the person chosen.

All three read through cases.selectors (scoped to what the user may see) and are cheap: a short
query, at most a handful of rows, documents and case history prefetched in two more queries. The
choice is stored in the page as the person's id and checked again by the form (scoped queryset)
and the service. The card of the chosen person (documents and case history) is a read of the
person's record and is audited (registry.person.viewed, part "pick"); the short lists of search
results are not."""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from awda.core.text import compact, fold

from .. import selectors, services
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
    """Possible existing persons for the new principal being typed: same given and family names
    (any order, accent-blind), same nationality and a year of birth within two years when given.
    A light precursor of duplicate detection; at most MATCH_LIMIT rows."""
    prefix = _guard(request) or "principal"
    criteria = PersonMatchForm(request.GET, prefix=prefix).criteria()
    persons, more = [], False
    if criteria:
        qs = selectors.person_list_for(
            request.user, query=criteria["query"], nationality=criteria["nationality"]
        )
        if criteria["years"]:
            qs = qs.filter(birth_year__range=criteria["years"])
        persons, more = _first(with_history(request.user, qs), MATCH_LIMIT)
    return render(
        request,
        "cases/_person_matches.html",
        {"persons": persons, "more": more, "prefix": prefix},
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
