"""Query parameters of the registry lists: parsed and validated here, then handed to selectors."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..choices import OrganisationKind


class OrganisationFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    country = serializers.CharField(max_length=2, required=False, help_text=_("ISO 3166 alpha-2"))
    q = serializers.CharField(required=False, help_text=_("Part of the name"))
    include_inactive = serializers.BooleanField(required=False, default=False)
