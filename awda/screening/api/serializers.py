"""Serializers of the screening API. The output is what the requesting user may see: restricted
factors and flags are replaced by a protection referral (selectors.present)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awda.accounts.api.serializers import OfficeSummarySerializer, UserSummarySerializer
from awda.cases.choices import Priority
from awda.core.api.fields import VersionField
from awda.registry.api.serializers import PersonSummarySerializer

from .. import selectors
from ..factors import FACTORS, REQUIREMENTS, Flag

FACTOR_CHOICES = [(f.code, f.label) for f in FACTORS]
REQUIREMENT_CHOICES = [(r.code, r.title) for r in REQUIREMENTS.values()]


class ScreeningSerializer(serializers.Serializer):
    """A screening as the requesting user may see it (context `restricted_ok`)."""

    id = serializers.IntegerField(read_only=True)
    person = PersonSummarySerializer(read_only=True)
    screened_on = serializers.DateField(read_only=True)
    screened_by = UserSummarySerializer(read_only=True)
    office = OfficeSummarySerializer(read_only=True)
    priority = serializers.ChoiceField(choices=Priority.choices, read_only=True)
    priority_label = serializers.CharField(source="get_priority_display", read_only=True)
    factors = serializers.SerializerMethodField(
        help_text=_("The factors present (restricted ones only for protection officers).")
    )
    flags = serializers.SerializerMethodField(
        help_text=_(
            "Flags raised. Users without the protection role get `protection_referral` in place "
            "of a restricted flag."
        )
    )
    requirements = serializers.SerializerMethodField(
        help_text=_("The specialised assessments required (created as tasks on the case).")
    )
    redacted = serializers.SerializerMethodField(
        help_text=_("True when a restricted answer is hidden from you.")
    )
    notes = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def _view(self, obj):
        cache = self.context.setdefault("_views", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.present(
                obj, restricted_ok=self.context.get("restricted_ok", False)
            )
        return cache[obj.pk]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(FACTOR_CHOICES)))
    def get_factors(self, obj):
        return [f.code for f in self._view(obj).factors]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Flag.choices)))
    def get_flags(self, obj):
        return list(self._view(obj).flags)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(REQUIREMENT_CHOICES)))
    def get_requirements(self, obj):
        return list(self._view(obj).requirements)

    @extend_schema_field(serializers.BooleanField())
    def get_redacted(self, obj) -> bool:
        return self._view(obj).redacted


# One optional boolean per factor of the catalogue (factors.py); absent means no.
FactorsSerializer = type(
    "ScreeningFactorsSerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        **{
            f.code: serializers.BooleanField(required=False, default=False, help_text=f.help)
            for f in FACTORS
        },
    },
)


class ScreeningRecordSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text=_("The id of the case member screened."))
    factors = FactorsSerializer()
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    version = VersionField(
        help_text=_(
            "Required: the case version you read; a stale one is refused with 409 stale_edit."
        )
    )
