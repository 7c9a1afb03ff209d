"""Serializers of the origin office's file API. Input serializers parse; the rules stay in the
services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from awda.accounts.api.serializers import OfficeSummarySerializer, UserSummarySerializer
from awda.core.api.fields import VersionField
from awda.registry.api.serializers import PersonSummarySerializer

from ..choices import (
    ActivityStatus,
    AssessmentKind,
    EducationLevel,
    Level,
    VisitMode,
    VisitStatus,
)
from ..models import Assessment, MonitoringVisit, Reception
from .selectors import QUEUES

MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


# ---- reception ----------------------------------------------------------------------------------


class ReceptionSerializer(serializers.ModelSerializer):
    recorded_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = Reception
        fields = [
            "id",
            "version",
            "received_on",
            "airport_reception",
            "met_by",
            "onward_transport",
            "onward_destination",
            "accommodation_nights",
            "accommodation_place",
            "first_needs",
            "notes",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReceptionWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_("The version you read: required to correct a recorded reception."),
    )
    received_on = serializers.DateField()
    airport_reception = serializers.BooleanField(default=False)
    met_by = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    onward_transport = serializers.BooleanField(default=False)
    onward_destination = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    accommodation_nights = serializers.IntegerField(min_value=0, max_value=366, default=0)
    accommodation_place = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    first_needs = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


# ---- the file -----------------------------------------------------------------------------------


class ReintegrationFileSerializer(serializers.Serializer):
    """The origin office's file on the case (accepted false: nobody accepted the handover)."""

    accepted = serializers.BooleanField()
    id = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)
    case_status = serializers.CharField()
    office = OfficeSummarySerializer(allow_null=True)
    officer = UserSummarySerializer(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    accepted_by = UserSummarySerializer(allow_null=True)
    arrived_on = serializers.DateField(allow_null=True)
    plan_due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField(
        help_text=_("The plan's due date has passed and no plan was submitted or approved.")
    )
    reception = ReceptionSerializer(allow_null=True)


class AcceptSerializer(serializers.Serializer):
    office = IdField(help_text=_("An office of the receiving mission where you work."))
    officer = IdField(required=False, allow_null=True, default=None)


class AssignSerializer(serializers.Serializer):
    version = VersionField()
    officer = IdField(allow_null=True, help_text=_("null: nobody follows the case yet."))


# ---- assessments --------------------------------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    kind = serializers.ChoiceField(choices=AssessmentKind.choices, read_only=True)
    level = serializers.ChoiceField(choices=Level.choices, read_only=True, allow_blank=True)
    education_level = serializers.ChoiceField(
        choices=EducationLevel.choices, read_only=True, allow_blank=True
    )
    assessed_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "version",
            "case",
            "person",
            "kind",
            "assessed_on",
            "level",
            "findings",
            "recommendations",
            "education_level",
            "work_experience",
            "skills",
            "interests",
            "preferred_activity",
            "assessed_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _AssessmentFields(serializers.Serializer):
    assessed_on = serializers.DateField()
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)
    findings = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    recommendations = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    education_level = serializers.ChoiceField(
        choices=EducationLevel.choices, required=False, allow_blank=True
    )
    work_experience = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    skills = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    interests = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    preferred_activity = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AssessmentCreateSerializer(_AssessmentFields):
    person = IdField(help_text=_("The id of the person (a member of the case)."))
    kind = serializers.ChoiceField(choices=AssessmentKind.choices)


class AssessmentUpdateSerializer(_AssessmentFields):
    """The fields to change (the others keep their value), with the version read."""

    version = VersionField()


# ---- visits -------------------------------------------------------------------------------------


class VisitSerializer(serializers.ModelSerializer):
    office = OfficeSummarySerializer(read_only=True)
    mode = serializers.ChoiceField(choices=VisitMode.choices, read_only=True)
    status = serializers.ChoiceField(choices=VisitStatus.choices, read_only=True)
    activity_status = serializers.ChoiceField(
        choices=ActivityStatus.choices, read_only=True, allow_blank=True
    )
    conducted_by = UserSummarySerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField(
        help_text=_("Still planned and its due date has passed.")
    )

    class Meta:
        model = MonitoringVisit
        fields = [
            "id",
            "version",
            "case",
            "office",
            "plan",
            "months",
            "due_on",
            "overdue",
            "mode",
            "status",
            "conducted_on",
            "outcome",
            "activity_status",
            "re_migrated",
            "re_migration_notes",
            "conducted_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_overdue(self, visit) -> bool:
        from django.utils import timezone

        return visit.status == VisitStatus.PLANNED and visit.due_on < timezone.localdate()


class VisitAddSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=VisitMode.choices, default=VisitMode.VISIT)


class VisitRecordSerializer(serializers.Serializer):
    version = VersionField()
    status = serializers.ChoiceField(
        choices=[(VisitStatus.DONE, _("Done")), (VisitStatus.MISSED, _("Could not be reached"))]
    )
    conducted_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=VisitMode.choices, required=False)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    activity_status = serializers.ChoiceField(
        choices=ActivityStatus.choices, required=False, allow_blank=True, default=""
    )
    re_migrated = serializers.BooleanField(default=False)
    re_migration_notes = serializers.CharField(required=False, allow_blank=True, default="")


class VisitRescheduleSerializer(serializers.Serializer):
    version = VersionField()
    due_on = serializers.DateField()


class VisitCancelSerializer(serializers.Serializer):
    version = VersionField()
    reason = serializers.CharField(max_length=2000)


# ---- workspace ----------------------------------------------------------------------------------


class WorkspaceRowSerializer(serializers.Serializer):
    object_id = serializers.IntegerField(
        help_text=_("The row's record: case, file, plan, purchase or visit, by queue.")
    )
    case_id = serializers.IntegerField()
    case_number = serializers.CharField()
    case_status = serializers.CharField()
    principal_name = serializers.CharField()
    office = serializers.CharField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    missing = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Assessments due: the missing assessment kinds and baseline_survey."),
    )
    detail = serializers.CharField(allow_blank=True)


class WorkspaceQueueSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=[(q, q) for q in QUEUES])
    label = serializers.CharField()
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    rows = WorkspaceRowSerializer(many=True)


class WorkspaceSerializer(serializers.Serializer):
    queues = WorkspaceQueueSerializer(many=True)


class WorkspaceFilterSerializer(serializers.Serializer):
    queue = serializers.ChoiceField(
        choices=[(q, q) for q in QUEUES],
        required=False,
        help_text=_("Only this queue, a page of 50 rows (default: every queue, 10 rows each)."),
    )
    page = serializers.IntegerField(min_value=1, required=False, default=1)
    office = IdField(required=False, help_text=_("Only this office of yours."))
