from django import template

from awda.imports import policies

register = template.Library()


@register.filter
def may_import(user) -> bool:
    """Show the Imports entry to the users who may register cases in an office."""
    return policies.may_import(user)
