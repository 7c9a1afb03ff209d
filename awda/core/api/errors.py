"""One JSON error shape for the whole API:

{"error": {"code": "transition_refused", "message": "...", "fields": {...}, "details": {...}}}

`fields` maps a field path to its messages; nested fields use dots, list items their index
("principal.given_name", "members.0.relationship"), the same paths the services use.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from awda.core.errors import ApplicationError

logger = logging.getLogger("awda.api")

_DRF_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.ParseError: "parse_error",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "validation_error",
}

# Every code the API can answer with, for the docs (docs/api.md) and the schema description.
ERROR_CODES = {
    "validation_error": 400,
    "parse_error": 400,
    "bad_request": 400,
    "invalid_credentials": 400,
    "not_authenticated": 401,
    "authentication_failed": 401,
    "permission_denied": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "not_acceptable": 406,
    "stale_edit": 409,
    "transition_refused": 409,
    "gate_failed": 409,
    "invalid_source_status": 409,
    "request_too_large": 413,
    "unsupported_media_type": 415,
    "throttled": 429,
    "locked_out": 429,
    "server_error": 500,
}


def error_body(code: str, message: str, fields=None, details=None) -> dict:
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    if details:
        body["details"] = details
    return {"error": body}


def error_response(code: str, message: str, http_status: int, fields=None, details=None):
    return Response(error_body(code, message, fields, details), status=http_status)


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF error details (nested dicts and lists) -> {"a.0.b": ["message", ...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            out.update(flatten_errors(value, f"{prefix}{key}."))
    elif isinstance(detail, list):
        if all(not isinstance(x, dict | list) for x in detail):
            if detail:
                out[prefix.rstrip(".") or "non_field_errors"] = [str(x) for x in detail]
        else:
            for i, item in enumerate(detail):
                if item:
                    out.update(flatten_errors(item, f"{prefix}{i}."))
    else:
        out[prefix.rstrip(".") or "non_field_errors"] = [str(detail)]
    return out


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        set_rollback()
        data = exc.as_dict()
        return error_response(
            data["code"], data["message"], exc.status, data.get("fields"), data.get("details")
        )
    if isinstance(exc, RequestDataTooBig):
        set_rollback()
        return error_response(
            "request_too_large",
            too_large_message(),
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent | SuspiciousOperation):
        set_rollback()
        logger.warning("Suspicious API request: %s", exc)
        return error_response(
            "bad_request", _("The request could not be read."), status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # Django's debug page
        logger.error("Unhandled error in the API", exc_info=exc)
        set_rollback()
        return error_response(
            "server_error",
            _("An unexpected error occurred. It has been logged."),
            status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "error")
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(code, _("Some fields are invalid."), flatten_errors(exc.detail))
        return response
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    details = None
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        details = {"retry_after_seconds": int(exc.wait)}
    response.data = error_body(code, str(detail), details=details)
    return response


def too_large_message() -> str:
    return _(
        "The request is too large: %(form)s MB at most for the form fields, %(file)s MB for a "
        "file. Send less text, or a smaller file."
    ) % {
        "form": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_048_576, 1),
        "file": settings.AWDA_MAX_UPLOAD_MB,
    }


def api_not_found(request, *args, **kwargs):
    """Any unknown URL under /api/v1/ answers in the API's error shape, not an HTML page."""
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)
