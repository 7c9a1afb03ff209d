from django.db.models import Q

from .models import AuditEvent


def case_events(case_id: int, *, person_ids=()):
    """Events about the case and its members' person records (unordered, unsliced)."""
    q = Q(case_id=case_id)
    if person_ids:
        q |= Q(person_id__in=list(person_ids), case_id__isnull=True)
    return AuditEvent.objects.filter(q)


def timeline_for_case(
    case_id: int, *, person_ids=(), limit: int | None = 500, exclude_actions=(), only_actions=()
):
    """Events about the case and its members' person records, newest first.

    `exclude_actions` leaves out some actions (the case timeline hides reads unless asked), in the
    database, so a case read thousands of times still shows its last `limit` changes;
    `only_actions` keeps just those."""
    qs = case_events(case_id, person_ids=person_ids)
    if exclude_actions:
        qs = qs.exclude(action__in=list(exclude_actions))
    if only_actions:
        qs = qs.filter(action__in=list(only_actions))
    qs = qs.select_related("actor").order_by("-occurred_at", "-id")
    return qs if limit is None else qs[:limit]


def count_case_events(case_id: int, *, person_ids=(), actions=()) -> int:
    """How many events of the given `actions` concern the case (or its members' persons)."""
    return case_events(case_id, person_ids=person_ids).filter(action__in=list(actions)).count()
