from django import template

from awda.assistance import policies

register = template.Library()


@register.filter
def sees_distributions(user) -> bool:
    """Does `user` see the distribution pages (assistance.view in some office)? For the main
    navigation."""
    return bool(policies.offices_viewing(user))
