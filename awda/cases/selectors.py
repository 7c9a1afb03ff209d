"""Scoped reads. Every function takes the user and returns only what that user may see; 'does not
exist' and 'not yours' raise the same NotFound."""

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from awda.accounts.selectors import user_scope
from awda.core.errors import NotFound
from awda.registry.models import Person
from awda.registry.selectors import matching_person_ids, search_q

from . import workflow
from .choices import RETURNED_STATUSES, TaskStatus
from .models import Case, CaseMember, Task
from .policies import CASE_VIEWERS, can, transition_roles


def _visible_case_q(user, prefix: str = "") -> Q | None:
    scope = user_scope(user)
    offices = scope.offices_with(*CASE_VIEWERS)
    # Only origin missions receive cases: host staff get a plain office filter (index-friendly).
    missions = scope.missions_with(*CASE_VIEWERS) & scope.origin_mission_ids
    if not offices and not missions:
        return None
    q = Q(**{f"{prefix}office_id__in": offices})
    if missions:
        q |= Q(
            **{
                f"{prefix}receiving_mission_id__in": missions,
                f"{prefix}handed_over_at__isnull": False,
            }
        )
    return q


def case_queryset_for(user):
    q = _visible_case_q(user)
    return Case.objects.none() if q is None else Case.objects.filter(q)


SORTS = {
    "number": "number",
    "-number": "-number",
    "registered": "registered_on",
    "-registered": "-registered_on",
    "status": "status",
    "-status": "-status",
    "priority": "priority",
    "-priority": "-priority",
    "name": "principal__family_name",
    "-name": "-principal__family_name",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


def case_list_for(
    user,
    *,
    status=None,
    office=None,
    nationality=None,
    assigned_to=None,
    project=None,
    registered_from=None,
    registered_to=None,
    departed_from=None,
    departed_to=None,
    priority=None,
    query=None,
    sort=None,
):
    qs = case_queryset_for(user)
    if status:
        qs = qs.filter(status__in=status if isinstance(status, list | tuple) else [status])
    if office:
        qs = qs.filter(office_id=office)
    if nationality:
        qs = qs.filter(nationality=nationality)
    if assigned_to == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif assigned_to:
        qs = qs.filter(assigned_to_id=assigned_to)
    if project:
        qs = qs.filter(project_id=project)
    if priority:
        qs = qs.filter(priority=priority)
    if registered_from:
        qs = qs.filter(registered_on__gte=registered_from)
    if registered_to:
        qs = qs.filter(registered_on__lte=registered_to)
    if departed_from:
        qs = qs.filter(departed_on__gte=departed_from)
    if departed_to:
        qs = qs.filter(departed_on__lte=departed_to)
    if query:
        qs = qs.filter(case_search_q(query))
    order = SORTS.get(sort or "", "-registered_on")
    return qs.select_related("principal", "office", "assigned_to", "project").order_by(order, "-id")


def case_search_q(query: str) -> Q:
    """Case number, or any member matching the person search (names, phones, documents)."""
    query = (query or "").strip()
    # A UNION of two index-friendly parts rather than an OR (see registry.selectors).
    by_member = (
        CaseMember.objects.filter(person_id__in=matching_person_ids(query))
        .order_by()
        .values("case_id")
    )
    by_number = Case.objects.filter(number__icontains=query).order_by().values("pk")
    return Q(pk__in=by_member.union(by_number))


def _person_search_q(query: str) -> Q:
    return search_q(query)


def case_get_for(user, pk, *, for_update: bool = False) -> Case:
    qs = case_queryset_for(user).select_related(
        "principal",
        "office",
        "office__mission",
        "mission",
        "assigned_to",
        "project",
        "referral_organisation",
        "receiving_mission",
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def case_get_by_number_for(user, number: str) -> Case:
    case = case_queryset_for(user).filter(number=number).only("pk").first()
    if case is None:
        raise NotFound()
    return case_get_for(user, case.pk)


def case_members(case):
    return (
        case.members.select_related("person")
        .prefetch_related("person__documents")
        .order_by("-is_principal", "id")
    )


def case_members_with_history(user, case):
    """The case's members, each person with their identity documents and the case history this
    user may see (`person.visible_memberships`, see with_case_history): four queries whatever the
    number of members."""
    from django.db.models import Prefetch

    persons = with_case_history(user, Person.objects.all())
    return case.members.prefetch_related(Prefetch("person", queryset=persons)).order_by(
        "-is_principal", "id"
    )


def person_queryset_for(user):
    """Persons registered by one of the user's offices or members of a case the user can see."""
    scope = user_scope(user)
    offices = scope.offices_with(*CASE_VIEWERS)
    case_q = _visible_case_q(user)
    if case_q is None:
        return Person.objects.none()
    visible_cases = Case.objects.filter(case_q).values("pk")
    in_visible_case = CaseMember.objects.filter(person_id=OuterRef("pk"), case_id__in=visible_cases)
    return Person.objects.filter(
        Q(registered_by_office_id__in=offices) | Q(Exists(in_visible_case))
    )


def person_list_for(user, *, query=None, nationality=None):
    # A person merged into another (duplicates review) is listed and found as the survivor.
    qs = person_queryset_for(user).filter(merged_into__isnull=True)
    if query:
        qs = qs.filter(_person_search_q(query))
    if nationality:
        qs = qs.filter(nationality=nationality)
    return qs.order_by("family_name", "given_name", "id")


def with_case_history(user, persons, *, documents: bool = True):
    """Prefetch each person's identity documents and the case history this user may see
    (memberships in visible cases, newest first, as `visible_memberships`): two or three
    queries whatever the number of persons."""
    from django.db.models import Prefetch

    memberships = (
        CaseMember.objects.filter(case__in=case_queryset_for(user).values("pk"))
        .select_related("case", "case__office")
        .order_by("-case__registered_on", "-case_id")
    )
    lookups = ["documents"] if documents else []
    lookups.append(
        Prefetch("case_memberships", queryset=memberships, to_attr="visible_memberships")
    )
    return persons.prefetch_related(*lookups)


def person_get_for(user, pk) -> Person:
    """A person the user may see and use. A person merged into another (duplicates review) is
    NotFound with code "person_merged" and details {"merged_into": survivor id}."""
    try:
        person = person_queryset_for(user).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if person.merged_into_id:
        from django.utils.translation import gettext as _

        raise NotFound(
            _("This person was merged into another record (#%(id)s): use that one.")
            % {"id": person.merged_into_id},
            code="person_merged",
            details={"merged_into": person.merged_into_id},
        )
    return person


def person_cases_for(user, person):
    """The person's case history the user may see (a returnee can appear in several cases)."""
    return (
        case_queryset_for(user)
        .filter(members__person=person)
        .select_related("office")
        .order_by("-registered_on")
    )


def person_can_edit(user, person) -> bool:
    scope = user_scope(user)
    from .policies import PERMISSIONS

    allowed = PERMISSIONS["person.edit"]
    if person.registered_by_office_id in scope.offices_with(*allowed):
        return True
    return any(can(user, "person.edit", case) for case in person_cases_for(user, person))


# ---- workflow ---------------------------------------------------------------------------------


def transition_options(user, case):
    """For each move out of the case's current status: may the user make it, and what blocks it.

    Returns dicts {transition, allowed, role_ok, blockers}; moves the user has no role for are
    left out (the UI shows only what the user could do, and explains what blocks it)."""
    from .workflow import GateContext

    options = []
    for t in workflow.transitions_from(case.status):
        if not transition_roles(user, case, t):
            continue
        blockers = []
        ctx = GateContext(user=user, inputs={"project": None})
        for gate in t.gates:
            if "project" in t.requires and gate.code in ("project_rules", "project_of_mission"):
                continue  # depends on the project chosen in the form; checked on submit
            blockers.extend(gate.check(case, ctx))
        options.append({"transition": t, "allowed": not blockers, "blockers": blockers})
    return options


def case_transitions(case):
    return case.transitions.select_related("actor", "office", "project").order_by(
        "occurred_at", "id"
    )


# ---- tasks and dashboard ----------------------------------------------------------------------


def task_list_for(user, *, assignee=None, status=TaskStatus.OPEN, case=None):
    qs = Task.objects.filter(case__in=case_queryset_for(user).values("pk"))
    if case is not None:
        qs = qs.filter(case=case)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("case", "assignee").order_by("due_date", "id")


def dashboard_for(user, *, year=None):
    return _dashboard_figures(case_queryset_for(user), year=year)


def aggregate_case_queryset_for(user):
    """Cases a user may count but not list: offices where the user holds a role with the
    'reports.aggregates' right (M&E officers see figures only, never names)."""
    from .policies import PERMISSIONS

    offices = user_scope(user).offices_with(*PERMISSIONS["reports.aggregates"])
    return Case.objects.filter(office_id__in=offices) if offices else Case.objects.none()


def dashboard_aggregates_for(user, *, year=None):
    """The dashboard figures (counts only) over aggregate_case_queryset_for(user)."""
    return _dashboard_figures(aggregate_case_queryset_for(user), year=year)


def _dashboard_figures(visible, *, year=None):
    year = year or timezone.localdate().year
    by_status = dict(visible.values_list("status").annotate(n=Count("id")).order_by())
    returns = (
        visible.filter(status__in=RETURNED_STATUSES + ["closed"], departed_on__year=year)
        .values("nationality")
        .annotate(n=Count("id"), people=Sum("member_count"))
        .order_by("-n", "nationality")
    )
    return {
        "year": year,
        "by_status": by_status,
        "returns_by_nationality": list(returns),
        "open_cases": sum(n for s, n in by_status.items() if s not in ("closed",)),
    }
