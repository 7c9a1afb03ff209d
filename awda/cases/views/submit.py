"""The flow every case action of the HTML UI follows: check the policy (403 before anything is
done), validate the form, call one service and redirect to the right tab of the case with a
message. Errors from the service come back on the form: 400 for invalid input, 409 for a stale
version or a refused transition; a missing object is a 404 and a denial a 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from awda.core.errors import (
    ApplicationError,
    NotFound,
    PermissionDenied,
    StaleEdit,
    TransitionRefused,
)
from awda.core.htmx import apply_error

from ..policies import can
from .detail import get_case, render_detail


def require(user, action, case):
    if not can(user, action, case):
        raise DjangoPermissionDenied()


def tab_url(case, tab):
    return f"{reverse('cases:case_detail', args=[case.pk])}?tab={tab}"


def call_service(form, fn, *, on_validation=None):
    """Run a service call. Returns (result, None) on success or (None, http_status) after putting
    the error on `form`. Missing objects become 404 and denials 403."""
    try:
        return fn(), None
    except NotFound:
        raise Http404() from None
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from None
    except StaleEdit as exc:
        form.add_error(None, str(exc.message))
        return None, 409
    except TransitionRefused as exc:
        apply_error(form, exc)
        return None, 409
    except ApplicationError as exc:
        if on_validation:
            on_validation(exc)
        else:
            apply_error(form, exc)
        return None, 400


def submit(request, form, service, *, case, tab, success, on_validation=None):
    """Validate `form` and run `service()` (which reads `form.cleaned_data`) through call_service. On
    success, flash `success` (a message, or a function of what the service returned) and return
    (a redirect to the case's `tab`, None); otherwise (None, http_status) with the error on the
    form: 400 for invalid input, 409 for a stale version or a refused transition."""
    if not form.is_valid():
        return None, 400
    result, status = call_service(form, service, on_validation=on_validation)
    if status is not None:
        return None, status
    messages.success(request, success(result) if callable(success) else success)
    return redirect(tab_url(case, tab)), None


def submit_on_tab(request, case, form, service, *, tab, bound_key, reload=False, **kwargs):
    """A form posted from a tab of the case page (see submit). On an error the tab is shown again
    with the bound form under `bound_key`; `reload` reads the case again first."""
    done, status = submit(request, form, service, case=case, tab=tab, **kwargs)
    if done:
        return done
    if reload:
        case = get_case(request, case.pk)
    return render_detail(request, case, tab=tab, bound={bound_key: form}, status=status)


def submit_or_flash(request, case, form, service, *, tab, **kwargs):
    """A button form with no page of its own (remove, delete; see submit): on an error, flash it
    and go back to the tab."""
    done, _status = submit(request, form, service, case=case, tab=tab, **kwargs)
    if done:
        return done
    flash_form_errors(request, form)
    return redirect(tab_url(case, tab))


def one_or_404(queryset):
    """The object `queryset` (already narrowed to the case) finds, or 404."""
    obj = queryset.first()
    if obj is None:
        raise Http404()
    return obj


def flash_form_errors(request, form):
    for err in form.non_field_errors():
        messages.error(request, err)
    for name, errs in form.errors.items():
        if name != "__all__":
            for err in errs:
                messages.error(request, err)
