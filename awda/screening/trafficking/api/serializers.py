"""Serializers of the trafficking API (restricted: protection officers only)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awda.accounts.api.serializers import MissionSummarySerializer, UserSummarySerializer
from awda.core.api.fields import VersionField
from awda.registry.api.serializers import PersonSummarySerializer
from awda.registry.choices import LANGUAGES
from awda.screening.selectors import origin_missions

from ..choices import (
    INDICATOR_CODES,
    INDICATORS,
    ExploitationType,
    Outcome,
    RiskLevel,
)
from ..models import (
    OriginAcceptance,
    ReturnRiskAssessment,
    TraffickingDetermination,
    TraffickingInterview,
)

INDICATOR_CHOICES = [(i.code, i.label) for i in INDICATORS]
RECORD_FIELDS = ["id", "person_id", "recorded_by", "created_at"]


class _RecordSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)


class InterviewSerializer(_RecordSerializer):
    indicators = serializers.SerializerMethodField(
        help_text=_("The indicators found at the interview.")
    )
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices), read_only=True
    )

    class Meta:
        model = TraffickingInterview
        fields = [
            *RECORD_FIELDS,
            "interviewed_on",
            "interpreter_used",
            "language",
            "indicators",
            "exploitation_types",
            "narrative",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(INDICATOR_CHOICES)))
    def get_indicators(self, obj):
        return obj.indicator_codes


class DeterminationSerializer(_RecordSerializer):
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = TraffickingDetermination
        fields = [*RECORD_FIELDS, "determined_on", "outcome", "outcome_label", "reasons"]
        read_only_fields = fields


class RiskAssessmentSerializer(_RecordSerializer):
    origin_mission = MissionSummarySerializer(read_only=True)
    completed_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReturnRiskAssessment
        fields = [
            *RECORD_FIELDS,
            "version",
            "status",
            "origin_mission",
            "origin_focal_point",
            "risk_level",
            "risks",
            "mitigation",
            "security_plan",
            "completed_on",
            "completed_by",
            "updated_at",
        ]
        read_only_fields = fields


class AcceptanceSerializer(_RecordSerializer):
    origin_mission = MissionSummarySerializer(read_only=True)

    class Meta:
        model = OriginAcceptance
        fields = [
            *RECORD_FIELDS,
            "decided_on",
            "accepted",
            "origin_mission",
            "decided_by_name",
            "reference",
            "conditions",
        ]
        read_only_fields = fields


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    ok = serializers.BooleanField(read_only=True)
    detail = serializers.CharField(read_only=True)


class PersonTraffickingSerializer(serializers.Serializer):
    """Everything recorded about one member of the case, newest first in each list."""

    member = serializers.IntegerField(read_only=True, help_text=_("The case member's id."))
    person = PersonSummarySerializer(read_only=True)
    flagged = serializers.BooleanField(
        read_only=True,
        help_text=_("The current rapid screening has indicators of trafficking."),
    )
    applies = serializers.BooleanField(
        read_only=True,
        help_text=_("The trafficking safeguards apply (flagged, interviewed or determined)."),
    )
    checks = CheckSerializer(many=True, read_only=True)
    interviews = InterviewSerializer(many=True, read_only=True)
    determinations = DeterminationSerializer(many=True, read_only=True)
    risk_assessments = RiskAssessmentSerializer(many=True, read_only=True)
    acceptances = AcceptanceSerializer(many=True, read_only=True)


# ---- writes -------------------------------------------------------------------------------------

# One optional boolean per indicator of the catalogue (choices.INDICATORS); absent means no.
IndicatorsSerializer = type(
    "TraffickingIndicatorsSerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        **{
            i.code: serializers.BooleanField(required=False, default=False, help_text=i.help)
            for i in INDICATORS
        },
    },
)


class _MemberSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text=_("The id of the case member concerned."))


class InterviewWriteSerializer(_MemberSerializer):
    interviewed_on = serializers.DateField(required=False, help_text=_("Default: today."))
    interpreter_used = serializers.BooleanField(required=False, default=False)
    language = serializers.ChoiceField(
        choices=LANGUAGES, required=False, allow_blank=True, default=""
    )
    indicators = IndicatorsSerializer(required=False)
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices),
        required=False,
        default=list,
    )
    narrative = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000
    )

    def indicator_values(self) -> dict:
        given = self.validated_data.get("indicators") or {}
        return {code: bool(given.get(code, False)) for code in INDICATOR_CODES}


class DeterminationWriteSerializer(_MemberSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reasons = serializers.CharField(max_length=20000)
    determined_on = serializers.DateField(required=False, help_text=_("Default: today."))


class _AssessmentFields(serializers.Serializer):
    origin_focal_point = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    risk_level = serializers.ChoiceField(
        choices=RiskLevel.choices, required=False, allow_blank=True, default=""
    )
    risks = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    mitigation = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000
    )
    security_plan = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000
    )


class RiskAssessmentWriteSerializer(_MemberSerializer, _AssessmentFields):
    origin_mission = serializers.PrimaryKeyRelatedField(
        queryset=origin_missions(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "The origin mission (id). Default: the case's receiving mission, else the origin "
            "mission of the country of return."
        ),
    )


class RiskAssessmentUpdateSerializer(_AssessmentFields):
    """A draft's fields to change (those sent) and its `version`."""

    version = VersionField()

    def changes(self) -> dict:
        return {k: v for k, v in self.validated_data.items() if k != "version"}


class RiskAssessmentCompleteSerializer(serializers.Serializer):
    version = VersionField()
    completed_on = serializers.DateField(required=False, help_text=_("Default: today."))


class AcceptanceWriteSerializer(_MemberSerializer):
    accepted = serializers.BooleanField(help_text=_("True: the return is accepted."))
    decided_by_name = serializers.CharField(max_length=200)
    decided_on = serializers.DateField(required=False, help_text=_("Default: today."))
    origin_mission = serializers.PrimaryKeyRelatedField(
        queryset=origin_missions(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Default: the mission of the completed risk assessment."),
    )
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    conditions = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000
    )
