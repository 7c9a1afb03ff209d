"""Helpers shared by the finance pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import reverse

from awda.core.errors import NotFound, PermissionDenied

PAGE_SIZE = 50


def get_or_deny(fn, *args, **kwargs):
    """A scoped read: NotFound is a 404, PermissionDenied a 403."""
    try:
        return fn(*args, **kwargs)
    except NotFound:
        raise Http404() from None
    except PermissionDenied:
        raise DjangoPermissionDenied() from None


def budget_url(project, anchor: str = "") -> str:
    url = reverse("finance:project_budget", args=[project.pk])
    return f"{url}#{anchor}" if anchor else url


def flash_warning(request, obj) -> None:
    from django.contrib import messages

    warning = getattr(obj, "warning", "")
    if warning:
        messages.warning(request, warning)
