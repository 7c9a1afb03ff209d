"""Serializers of the child-protection API: each record as stored (protection officers only), the
per-child file (records, applicability, checks), and the inputs of each write. The inputs parse
types; the rules (required texts, dates, who may) are the services'."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awda.accounts.api.serializers import MissionSummarySerializer, UserSummarySerializer
from awda.core.api.fields import VersionField
from awda.registry.api.serializers import PersonSummarySerializer
from awda.screening.consent.models import Consent

from ..choices import (
    AgeBasis,
    CaregiverOutcome,
    CareStatus,
    DeterminationOutcome,
    EscortRole,
    Recommendation,
    Step,
    TracingStatus,
)
from ..models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
    CaregiverAssessment,
    ChildIdentification,
    EscortPlan,
    FamilyTracing,
    ReceptionArrangement,
)

COMMON = ["id", "person_id", "recorded_by", "created_at"]


class _RecordSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)


class ChildIdentificationSerializer(_RecordSerializer):
    class Meta:
        model = ChildIdentification
        fields = COMMON + [
            "identified_on",
            "age_years",
            "age_basis",
            "care_status",
            "current_caregiver",
            "notes",
        ]
        read_only_fields = fields


class BestInterestsAssessmentSerializer(_RecordSerializer):
    class Meta:
        model = BestInterestsAssessment
        fields = COMMON + [
            "assessed_on",
            "child_views",
            "family_situation",
            "safety_and_risks",
            "health_and_education",
            "recommendation",
            "notes",
        ]
        read_only_fields = fields


class FamilyTracingSerializer(_RecordSerializer):
    origin_mission = MissionSummarySerializer(read_only=True)
    updated_by = UserSummarySerializer(read_only=True, allow_null=True)
    transfer_id = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("The entry of the transfer log that records the disclosure."),
    )

    class Meta:
        model = FamilyTracing
        fields = COMMON + [
            "requested_on",
            "origin_mission",
            "information_shared",
            "status",
            "outcome_on",
            "outcome_notes",
            "transfer_id",
            "updated_by",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class CaregiverAssessmentSerializer(_RecordSerializer):
    class Meta:
        model = CaregiverAssessment
        fields = COMMON + [
            "assessed_on",
            "caregiver_name",
            "relationship",
            "location",
            "conducted_by",
            "outcome",
            "findings",
        ]
        read_only_fields = fields


class BestInterestsDeterminationSerializer(_RecordSerializer):
    review_of = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    reopened_by = UserSummarySerializer(read_only=True, allow_null=True)
    is_current = serializers.SerializerMethodField(
        help_text=_("The determination that counts: the newest one, unless it was reopened.")
    )

    class Meta:
        model = BestInterestsDetermination
        fields = COMMON + [
            "panel",
            "decided_on",
            "outcome",
            "reasons",
            "review_of",
            "reopened_on",
            "reopened_by",
            "reopen_reason",
            "is_current",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_current(self, obj) -> bool:
        current = self.context.get("current_ids")
        if current is None:
            return obj.reopened_on is None
        return obj.pk in current


class EscortPlanSerializer(_RecordSerializer):
    class Meta:
        model = EscortPlan
        fields = COMMON + [
            "escort_name",
            "escort_role",
            "escort_trained",
            "planned_on",
            "itinerary_notes",
        ]
        read_only_fields = fields


class ReceptionArrangementSerializer(_RecordSerializer):
    class Meta:
        model = ReceptionArrangement
        fields = COMMON + [
            "arranged_on",
            "received_by_name",
            "relationship_or_organisation",
            "place",
            "contact_phone",
            "notes",
        ]
        read_only_fields = fields


class GuardianConsentSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "person_id",
            "purpose",
            "given_on",
            "language",
            "guardian_name",
            "guardian_relationship",
        ]
        read_only_fields = fields


class UascCheckSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("uasc.<step>, as in the readiness checklist."))
    step = serializers.ChoiceField(choices=Step.choices)
    label = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField(
        help_text=_("What is not done yet (neutral: missing, family not yet located, ...).")
    )


class ChildFileSerializer(serializers.Serializer):
    """One child of the case: whether the UASC procedure applies, the state of each step and
    every record, newest first (the first one counts)."""

    member_id = serializers.IntegerField(source="member.pk")
    person = PersonSummarySerializer(source="member.person")
    travels = serializers.SerializerMethodField()
    age = serializers.IntegerField(allow_null=True, help_text=_("Age today, from the registry."))
    flagged = serializers.BooleanField(
        help_text=_("The current rapid screening says unaccompanied child.")
    )
    applies = serializers.BooleanField(
        help_text=_("The UASC procedure applies: the child cannot travel before every step.")
    )
    checks = serializers.SerializerMethodField()
    identifications = ChildIdentificationSerializer(many=True)
    assessments = BestInterestsAssessmentSerializer(many=True)
    tracings = FamilyTracingSerializer(many=True)
    caregiver_assessments = CaregiverAssessmentSerializer(many=True, source="caregivers")
    determinations = serializers.SerializerMethodField()
    guardian_consents = GuardianConsentSerializer(many=True)
    escort_plans = EscortPlanSerializer(many=True, source="escorts")
    reception_arrangements = ReceptionArrangementSerializer(many=True, source="receptions")

    @extend_schema_field(serializers.BooleanField())
    def get_travels(self, obj) -> bool:
        return bool(obj.member.travels or obj.member.is_principal)

    @extend_schema_field(UascCheckSerializer(many=True))
    def get_checks(self, obj):
        return [
            {
                "code": f"uasc.{s.step}",
                "step": s.step,
                "label": str(s.label),
                "ok": s.ok,
                "detail": str(s.detail),
            }
            for s in obj.steps
        ]

    @extend_schema_field(BestInterestsDeterminationSerializer(many=True))
    def get_determinations(self, obj):
        current = obj.current_determination
        return BestInterestsDeterminationSerializer(
            obj.determinations,
            many=True,
            context={"current_ids": {current.pk} if current else set()},
        ).data


class ChildProtectionSerializer(serializers.Serializer):
    case_id = serializers.IntegerField()
    case_version = serializers.IntegerField()
    children = ChildFileSerializer(many=True)


# ---- inputs ------------------------------------------------------------------------------------


def _text(**kwargs):
    return serializers.CharField(max_length=5000, **kwargs)


def _optional_text():
    return serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class _ChildInput(serializers.Serializer):
    person = serializers.IntegerField(help_text=_("The id of the child (a person of the case)."))


class ChildIdentificationInput(_ChildInput):
    identified_on = serializers.DateField()
    age_years = serializers.IntegerField(min_value=0, max_value=99)
    age_basis = serializers.ChoiceField(choices=AgeBasis.choices)
    care_status = serializers.ChoiceField(choices=CareStatus.choices)
    current_caregiver = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    notes = _optional_text()


class BestInterestsAssessmentInput(_ChildInput):
    assessed_on = serializers.DateField()
    child_views = _text()
    family_situation = _text()
    safety_and_risks = _text()
    health_and_education = _optional_text()
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    notes = _optional_text()


class FamilyTracingInput(_ChildInput):
    requested_on = serializers.DateField()
    information_shared = _text()
    origin_mission = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "The id of an active origin mission (a host mission is refused); by default the "
            "case's receiving mission, or the origin mission of the country of return."
        ),
    )


class FamilyTracingOutcomeInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=TracingStatus.choices)
    outcome_on = serializers.DateField(required=False, allow_null=True, default=None)
    outcome_notes = _optional_text()
    version = VersionField(
        help_text=_("Required: the version of the tracing request you read (409 if stale).")
    )


class CaregiverAssessmentInput(_ChildInput):
    assessed_on = serializers.DateField()
    caregiver_name = serializers.CharField(max_length=200)
    relationship = serializers.CharField(max_length=100)
    location = serializers.CharField(max_length=200)
    conducted_by = serializers.CharField(max_length=200)
    outcome = serializers.ChoiceField(choices=CaregiverOutcome.choices)
    findings = _text()


class BestInterestsDeterminationInput(_ChildInput):
    panel = _text(help_text=_("Members of the panel and their roles."))
    decided_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=DeterminationOutcome.choices)
    reasons = _text()


class BestInterestsDeterminationReopenInput(serializers.Serializer):
    reason = _text()
    reopened_on = serializers.DateField(required=False, allow_null=True, default=None)


class GuardianConsentInput(_ChildInput):
    guardian_name = serializers.CharField(max_length=200)
    guardian_relationship = serializers.CharField(max_length=100)
    language = serializers.CharField(max_length=8)
    given_on = serializers.DateField(required=False, allow_null=True, default=None)
    origin_mission = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_(
            "Also record the consent to sharing with the origin mission (needed for tracing)."
        ),
    )
    # No notes: the consent records are read beyond protection officers.


class GuardianConsentResultSerializer(serializers.Serializer):
    consents = GuardianConsentSerializer(many=True)


class EscortPlanInput(_ChildInput):
    escort_name = serializers.CharField(max_length=200)
    escort_role = serializers.ChoiceField(choices=EscortRole.choices)
    escort_trained = serializers.BooleanField()
    planned_on = serializers.DateField()
    itinerary_notes = _optional_text()


class ReceptionArrangementInput(_ChildInput):
    arranged_on = serializers.DateField()
    received_by_name = serializers.CharField(max_length=200)
    relationship_or_organisation = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=200)
    contact_phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    notes = _optional_text()
