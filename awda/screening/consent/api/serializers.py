"""Serializers of the consent API: what a consent and a transfer look like, and the bodies of the
writes (parsed only: the rules are in services)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awda.accounts.api.serializers import UserSummarySerializer
from awda.registry.choices import LANGUAGES

from .. import selectors
from ..choices import DataCategory, Purpose


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class ConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = serializers.SerializerMethodField(
        help_text=_(
            "The case in which it was taken; null when it is a case you may not see (its notes, "
            "who took it and the reason of a withdrawal are then left out too)."
        )
    )
    person = PersonRefSerializer(read_only=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices, read_only=True)
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)
    given = serializers.BooleanField(
        read_only=True, help_text=_("False: the person refused (a refusal is recorded too).")
    )
    given_on = serializers.DateField(read_only=True)
    language = serializers.ChoiceField(choices=LANGUAGES, read_only=True)
    taken_by = UserSummarySerializer(read_only=True, allow_null=True)
    guardian_name = serializers.CharField(read_only=True)
    guardian_relationship = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    withdrawn_on = serializers.DateField(read_only=True, allow_null=True)
    withdrawn_by = UserSummarySerializer(read_only=True, allow_null=True)
    withdrawal_reason = serializers.CharField(read_only=True)
    valid = serializers.SerializerMethodField(
        help_text=_("Valid today: given, dated today or earlier, and not withdrawn.")
    )
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_case(self, obj) -> int | None:
        return None if getattr(obj, "foreign", False) else obj.case_id

    @extend_schema_field(serializers.BooleanField())
    def get_valid(self, obj) -> bool:
        today = self.context.setdefault("today", timezone.localdate())
        return obj.is_valid_on(today)


class ConsentCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text=_("The id of the person (a member of the case)."))
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    given = serializers.BooleanField(
        required=False, default=True, help_text=_("False to record a refusal.")
    )
    given_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Today if absent.")
    )
    language = serializers.ChoiceField(
        choices=LANGUAGES,
        help_text=_("The language in which the information was given and the consent taken."),
    )
    guardian_name = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text=_("Required for a person under 18 on the date of the consent."),
    )
    guardian_relationship = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ConsentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    withdrawn_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Today if absent.")
    )


class DataTransferSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    persons = PersonRefSerializer(many=True, read_only=True, source="persons.all")
    recipient = serializers.CharField(read_only=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices, read_only=True)
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)
    categories = serializers.SerializerMethodField(
        help_text=_(
            "The data categories disclosed; a restricted one you may not see (trafficking, "
            "health) is left out and `restricted_category` is true."
        )
    )
    restricted_category = serializers.SerializerMethodField()
    consents = serializers.SerializerMethodField(
        help_text=_("The ids of the consents the disclosure relied on.")
    )
    transferred_on = serializers.DateField(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    notes = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def _categories(self, obj):
        hidden = self.context.get("hidden_categories", frozenset())
        return selectors.visible_categories(obj.categories, hidden)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices))
    )
    def get_categories(self, obj) -> list[str]:
        return self._categories(obj)[0]

    @extend_schema_field(serializers.BooleanField())
    def get_restricted_category(self, obj) -> bool:
        return self._categories(obj)[1]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_consents(self, obj) -> list[int]:
        return sorted(c.pk for c in obj.consents.all())


class DataTransferCreateSerializer(serializers.Serializer):
    persons = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=False,
        help_text=_("The ids of the persons whose data were disclosed (members of the case)."),
    )
    recipient = serializers.CharField(max_length=200)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices), allow_empty=False
    )
    transferred_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Today if absent.")
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
