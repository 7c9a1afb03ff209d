"""Base classes for API views: thin adapters that parse input, call one service or selector and
serialise the result. Scoping and permissions live in selectors and policies, never here."""

from rest_framework import generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

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

    def paginated(self, queryset):
        """One page of `queryset` in the view's serializer_class (the request in its context),
        as the response of the view's pagination."""
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
