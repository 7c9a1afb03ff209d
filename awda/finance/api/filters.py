"""Query parameters of the project list: parsed here, handed to finance.selectors."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ProjectFilterSerializer(serializers.Serializer):
    mission = serializers.IntegerField(required=False, help_text=_("Mission id"))
    active = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only active projects that have not ended."),
    )
