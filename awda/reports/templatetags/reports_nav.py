"""Navigation filter of the reports: who sees the "Reports" link."""

from django import template

register = template.Library()


@register.filter
def sees_reports(user) -> bool:
    """Users who see cases or count them (case.view or reports.aggregates somewhere)."""
    from awda.reports.indicators.base import may_count

    return bool(getattr(user, "is_authenticated", False)) and may_count(user)
