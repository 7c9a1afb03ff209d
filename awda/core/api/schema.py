"""OpenAPI helpers: the error body as a component, and an AutoSchema that documents the error
responses every operation can give, so clients see one error shape everywhere."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable, machine-readable code, e.g. stale_edit."))
    message = serializers.CharField(help_text=_("Human-readable message, translated."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_('Field path -> messages, e.g. {"principal.given_name": ["..."]}.'),
    )
    details = serializers.DictField(
        required=False,
        help_text=_("Extra data, e.g. failed_gates for a refused transition."),
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


_ERRORS = {
    "400": _("Invalid input (code validation_error; fields lists each invalid field)."),
    "401": _("Not authenticated (not_authenticated, authentication_failed)."),
    "403": _("Not allowed for your role (permission_denied)."),
    "404": _("Does not exist or is outside your scope (not_found)."),
    "409": _(
        "Conflict: stale_edit (the version sent is not the current one), or a refused "
        "transition (gate_failed with details.failed_gates, invalid_source_status)."
    ),
    "429": _("Too many requests (throttled) or too many failed logins (locked_out)."),
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the error responses to each operation.

    400 for writes; 401 and 403 when the view needs authentication; 404 when the path names an
    object; 409 for writes on views that set `conflict_statuses = True` (optimistic locking,
    transitions); 429 on throttled views."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = []
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("400")
        if any(not isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.method != "GET" and getattr(self.view, "conflict_statuses", False):
            codes.append("409")
        if getattr(self.view, "throttle_scope", None):
            codes.append("429")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=str(_ERRORS[code])),
                    code,
                )
        return responses
