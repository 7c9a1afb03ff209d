from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..choices import MissionKind, Role
from ..models import Membership, Mission, Office, User


class MissionSummarySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=MissionKind.choices, read_only=True)

    class Meta:
        model = Mission
        fields = ["id", "code", "name", "country_alpha3", "kind"]
        read_only_fields = fields


class OfficeSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Office
        fields = ["id", "code", "name", "city", "mission_id"]
        read_only_fields = fields


class UserSummarySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    office = OfficeSummarySerializer(read_only=True)
    mission = MissionSummarySerializer(source="office.mission", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "office", "mission", "role", "role_label"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    memberships = MembershipSerializer(
        many=True, read_only=True, help_text=_("Active memberships: a role in an office.")
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "preferred_language",
            "memberships",
        ]
        read_only_fields = fields


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(trim_whitespace=False)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
