"""Serializer fields shared by the apps' API serializers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from awda.core import countries


def with_labels(fields, **labels) -> list[str]:
    """A serializer's field names: `fields`, each choice field named in `labels` followed by the
    name of its display label, e.g. with_labels(["id", "kind"], kind="kind_label")."""
    out = []
    for name in fields:
        out.append(name)
        if name in labels:
            out.append(labels[name])
    return out


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key resolved against what the requesting user may see.

    `scope(user)` returns the queryset of allowed objects; an id outside it is reported exactly
    like a missing one. `queryset` gives the model (for the schema) and is narrowed per request.
    """

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return self.queryset.none()
        return self.scope(user)


@extend_schema_field(OpenApiTypes.STR)
class CountryField(serializers.CharField):
    """ISO 3166 country: accepts alpha-2, alpha-3 or an English name; gives alpha-2."""

    default_error_messages = {"unknown": _("Unknown country code: %(v)s")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            return ""
        code = countries.resolve(value)
        if not code:
            raise serializers.ValidationError(self.error_messages["unknown"] % {"v": value})
        return code


class VersionField(serializers.IntegerField):
    """The version of the record the client read (optimistic locking).

    Required even in a PATCH (where DRF makes every field optional): an edit without it could
    silently overwrite someone else's change. A stale version is refused with 409 stale_edit."""

    default_error_messages = {
        "required": _("Send the version you read (optimistic locking)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            _("Required: the version you read; a stale one is refused with 409 stale_edit."),
        )
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is empty and self.required and getattr(self.root, "partial", False):
            self.fail("required")
        return super().validate_empty_values(data)
