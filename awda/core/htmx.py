"""Helpers shared by HTML views: one view returns a full page or an htmx fragment, and domain
errors become form errors or messages (the HTML face of the single error translation)."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from .errors import ApplicationError


def render_page_or_fragment(
    request, full_template: str, fragment_template: str, context: dict, **kwargs
):
    """Full page for a normal request; only the fragment for an htmx request (unless boosted, or
    a history restore after a cache miss, which needs the whole page). The response varies on
    HX-Request so a browser cache never serves a fragment as a page."""
    htmx = getattr(request, "htmx", False)
    is_fragment = bool(htmx) and not htmx.boosted and not htmx.history_restore_request
    response = render(
        request, fragment_template if is_fragment else full_template, context, **kwargs
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


def apply_error(form, exc: ApplicationError) -> None:
    """Put an ApplicationError onto a Django form: field errors on their fields (dotted names such
    as 'principal.given_name' are matched on their last part when the form has that field), the
    message as a non-field error."""
    placed = False
    for name, msgs in (exc.fields or {}).items():
        target = name if name in form.fields else name.rsplit(".", 1)[-1]
        for m in msgs:
            if target in form.fields:
                form.add_error(target, str(m))
                placed = True
            else:
                form.add_error(None, f"{name}: {m}")
                placed = True
    details = exc.details or {}
    gates = details.get("failed_gates") if isinstance(details, dict) else None
    if gates:
        for gate in gates:
            for m in gate.get("messages", []):
                form.add_error(None, m)
    elif not placed or exc.code != "validation_error":
        form.add_error(None, str(exc.message))


def error_message(request, exc: ApplicationError) -> None:
    messages.error(request, str(exc.message))
    for name, msgs in (exc.fields or {}).items():
        for m in msgs:
            messages.error(request, f"{name}: {m}")
