"""Base classes for API views: thin adapters that parse input, call one service or selector and
serialise the result. Scoping and permissions live in selectors and policies, never here."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from awda.core.text import as_id

from .authentication import ExpiringTokenAuthentication
from .schema import AutoSchema


class ApiView(generics.GenericAPIView):
    # Token first, so an unauthenticated request gets 401 with `WWW-Authenticate: Token`.
    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    # Filtering is done by the selectors (parameters parsed by the api/filters.py serializers).
    filter_backends: list = []
    pagination_class = None
    schema = AutoSchema()
    # Documents the 409 answers (stale_edit, refused transitions) for writes on this view.
    conflict_statuses = False

    def initial(self, request, *args, **kwargs):
        check_body_size(request)
        super().initial(request, *args, **kwargs)

    def paginated(self, queryset):
        """One page of `queryset` in the view's serializer_class (the request in its context),
        as the response of the view's pagination."""
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def max_body_size(content_type: str) -> int:
    """The largest body accepted: DATA_UPLOAD_MAX_MEMORY_SIZE, plus AWDA_MAX_UPLOAD_MB for a
    multipart upload (the file itself; its exact size is checked again by the service)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return None
    if content_type.startswith("multipart/"):
        limit += settings.AWDA_MAX_UPLOAD_MB * 1_048_576
    return limit


def check_body_size(request) -> None:
    """Refuse (413, request_too_large) a body larger than max_body_size before it is parsed:
    Django checks the form fields only, and DRF's JSON parser reads whatever it is sent."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = max_body_size(request.META.get("CONTENT_TYPE", ""))
    if limit is not None and length > limit:
        raise RequestDataTooBig(f"Request body of {length} bytes is over the {limit} limit.")


def version_param(request, name: str = "version") -> int:
    """The required `version` query parameter of a DELETE (optimistic locking: the version of
    the record the client read). Missing or not a whole number: 400 validation_error."""
    from django.utils.translation import gettext as _

    from awda.core.errors import ValidationFailed

    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        raise ValidationFailed(
            fields={name: [_("Send the version you read (optimistic locking).")]}
        )
    if as_id(raw) is None:  # a version is a positive whole number, like an id
        raise ValidationFailed(fields={name: [_("Enter a whole number.")]})
    return as_id(raw)
