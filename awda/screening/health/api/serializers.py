"""Serializers of the health API. Output only: the rules stay in the services."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from awda.accounts.api.serializers import UserSummarySerializer
from awda.core.api.fields import VersionField
from awda.registry.api.serializers import OrganisationSummarySerializer, PersonSummarySerializer

from ..choices import (
    DocumentKind,
    Escort,
    FitnessOutcome,
    NeedCategory,
    NeedStatus,
    ReferralPurpose,
    ReferralStatus,
    Severity,
    SpecialNeed,
)
from ..models import FitnessToTravel, MedicalDocument, MedicalNeed, MedicalReferral

PERSON_HELP = _("The id of the person (a member of the case).")
RECORD_FIELDS = ["id", "person", "recorded_by", "created_at"]


# ---- fitness to travel --------------------------------------------------------------------------


class FitnessSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    escort_label = serializers.CharField(source="get_escort_display", read_only=True)
    special_needs = serializers.ListField(
        child=serializers.ChoiceField(choices=SpecialNeed.choices), read_only=True
    )
    valid_today = serializers.SerializerMethodField(
        help_text=_("True when the decision is in force today (decided_on..valid_until).")
    )

    class Meta:
        model = FitnessToTravel
        fields = [
            *RECORD_FIELDS,
            "decided_on",
            "outcome",
            "outcome_label",
            "valid_days",
            "valid_until",
            "valid_today",
            "escort",
            "escort_label",
            "special_needs",
            "remarks",
        ]
        read_only_fields = fields

    def get_valid_today(self, obj) -> bool:
        return obj.valid_on(timezone.localdate())


class FitnessRecordSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text=PERSON_HELP)
    outcome = serializers.ChoiceField(choices=FitnessOutcome.choices)
    decided_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Default: today.")
    )
    valid_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text=_(
            "Default: the mission's validity (MissionHealthSettings, else "
            "AWDA_FITNESS_VALIDITY_DAYS, else 7). It can be shorter, not longer."
        ),
    )
    escort = serializers.ChoiceField(choices=Escort.choices, default=Escort.NONE)
    special_needs = serializers.ListField(
        child=serializers.ChoiceField(choices=SpecialNeed.choices), required=False, default=list
    )
    remarks = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_("For the movement team: no diagnosis."),
    )


# ---- medical needs ------------------------------------------------------------------------------


class MedicalNeedSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = MedicalNeed
        fields = [
            *RECORD_FIELDS,
            "identified_on",
            "category",
            "description",
            "severity",
            "treatment_needed",
            "status",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class MedicalNeedCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text=PERSON_HELP)
    identified_on = serializers.DateField(required=False, allow_null=True, default=None)
    category = serializers.ChoiceField(choices=NeedCategory.choices)
    description = serializers.CharField(max_length=5000)
    severity = serializers.ChoiceField(choices=Severity.choices)
    treatment_needed = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )
    status = serializers.ChoiceField(choices=NeedStatus.choices, default=NeedStatus.OPEN)


class MedicalNeedUpdateSerializer(serializers.Serializer):
    identified_on = serializers.DateField(required=False)
    category = serializers.ChoiceField(choices=NeedCategory.choices, required=False)
    description = serializers.CharField(max_length=5000, required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    treatment_needed = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    status = serializers.ChoiceField(choices=NeedStatus.choices, required=False)
    version = VersionField()


# ---- referrals ----------------------------------------------------------------------------------


class MedicalReferralSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    provider = OrganisationSummarySerializer(read_only=True)
    transfer = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("The disclosure recorded in the transfer log.")
    )

    class Meta:
        model = MedicalReferral
        fields = [
            *RECORD_FIELDS,
            "provider",
            "referred_on",
            "purpose",
            "status",
            "outcome",
            "notes",
            "transfer",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class MedicalReferralCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text=PERSON_HELP)
    provider = serializers.IntegerField(
        help_text=_("The id of the partner organisation (hospital, NGO, UN agency, other).")
    )
    purpose = serializers.ChoiceField(choices=ReferralPurpose.choices)
    referred_on = serializers.DateField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_(
            "Notes on the referral, kept with it (restricted). The transfer log gets a neutral "
            "note only."
        ),
    )


class MedicalReferralUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = VersionField()


# ---- documents ----------------------------------------------------------------------------------


class MedicalDocumentSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = MedicalDocument
        fields = [
            *RECORD_FIELDS,
            "title",
            "kind",
            "document_date",
            "original_name",
            "content_type",
            "size",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, doc) -> str:
        url = reverse("api-case-medical-document-download", args=[doc.case_id, doc.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class MedicalDocumentUploadSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text=PERSON_HELP)
    file = serializers.FileField(
        help_text=_("PDF, JPEG, PNG, DOCX, XLSX or ODT; size limited by AWDA_MAX_UPLOAD_MB.")
    )
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
