"""{% load travel_documents_tags %}: whether to show the batch lists in the navigation."""

from django import template

from ..policies import batch_record_offices

register = template.Library()


@register.filter
def records_travel_documents(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and batch_record_offices(user))
