from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers: 200 when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse(
            {"status": "error", "database": "unreachable", "detail": exc.__class__.__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


def bad_request(request, exception=None):
    """Django's 400 handler (handler400). A body too large for DATA_UPLOAD_MAX_MEMORY_SIZE
    (RequestDataTooBig, raised when the form is read) gets a 413 that says so: a page for the web
    UI, the API's JSON error shape under /api/; anything else keeps Django's plain 400."""
    from .api.errors import error_body, too_large_message

    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("request_too_large", too_large_message()), status=413)
    try:
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = "/"
        context = {"message": too_large_message(), "back_url": back}
        return render(request, "413.html", context, status=413)
    except Exception:  # noqa: BLE001 - never fail while reporting an error
        return HttpResponse(too_large_message(), status=413, content_type="text/plain")
