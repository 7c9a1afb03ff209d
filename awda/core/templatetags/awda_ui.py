"""Small presentation helpers shared by the HTML templates: status labels, country names,
pagination windows and sortable column headers. No business logic here."""

from django import template
from django.utils import timezone

from awda.core import countries

register = template.Library()


@register.filter
def status_label(value):
    """The translated label of a case status value ('pre_departure' -> 'Pré-départ')."""
    from awda.cases.choices import Status

    try:
        return Status(value).label
    except ValueError:
        return value or ""


@register.filter
def country_name(alpha2):
    """Country name in the active language from an ISO 3166 alpha-2 code."""
    return countries.name(alpha2) if alpha2 else ""


@register.filter
def page_window(page_obj, on_each_side=2):
    """Page numbers around the current one, with None where pages are elided."""
    ellipsis = page_obj.paginator.ELLIPSIS
    return [
        None if n == ellipsis else n
        for n in page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=1
        )
    ]


@register.filter
def due_state(due_date):
    """'overdue', 'today', 'soon' (within 3 days) or '' for a task due date."""
    if not due_date:
        return ""
    today = timezone.localdate()
    if due_date < today:
        return "overdue"
    if due_date == today:
        return "today"
    if (due_date - today).days <= 3:
        return "soon"
    return ""


@register.simple_tag(takes_context=True)
def sort_state(context, key):
    """For a sortable column `key`: ('asc'|'desc'|'', next sort value) given request's `sort`."""
    current = context["request"].GET.get("sort", "")
    if current == key:
        return {"state": "asc", "next": f"-{key}"}
    if current == f"-{key}":
        return {"state": "desc", "next": key}
    return {"state": "", "next": key}


@register.filter
def minutes(value):
    """Whole minutes of a timedelta (or seconds), at least 1."""
    if value in (None, ""):
        return ""
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value)
    return max(1, int(round(seconds / 60)))
