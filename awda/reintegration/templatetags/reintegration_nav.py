"""Navigation filter of the reintegration pages: who sees the "Reintegration" menu."""

from django import template

register = template.Library()


@register.filter
def works_on_reintegration(user) -> bool:
    """Reintegration officers and managers of an origin mission (the workspace's users)."""
    from awda.reintegration.files.selectors import may_use_workspace

    return bool(getattr(user, "is_authenticated", False)) and may_use_workspace(user)


@register.filter
def sees_sustainability(user) -> bool:
    """Who sees the cohort averages of sustainability scores (aggregates, no names)."""
    from awda.reintegration.surveys.selectors import may_see_cohorts

    return bool(getattr(user, "is_authenticated", False)) and may_see_cohorts(user)
