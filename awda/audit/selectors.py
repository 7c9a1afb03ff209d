from django.db.models import Q

from .models import AuditEvent


def timeline_for_case(case_id: int, *, person_ids=(), limit: int = 500):
    """Events about the case and its members' person records, newest first."""
    q = Q(case_id=case_id)
    if person_ids:
        q |= Q(person_id__in=list(person_ids), case_id__isnull=True)
    return (
        AuditEvent.objects.filter(q).select_related("actor").order_by("-occurred_at", "-id")[:limit]
    )
