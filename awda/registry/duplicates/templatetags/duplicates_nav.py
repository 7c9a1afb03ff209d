from django import template

from .. import policies

register = template.Library()


@register.filter
def reviews_duplicates(user) -> bool:
    """Show the "Duplicates" entry of the navigation (roles that may see the review queue)."""
    return policies.may_view(user)
