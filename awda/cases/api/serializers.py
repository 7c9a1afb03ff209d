"""Serializers of the cases API. Output serializers describe what a client reads; input
serializers parse what it sends into the arguments of one service call. Validation of meaning
(gates, policies, cross-field rules) stays in the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awda.accounts.api.serializers import (
    MissionSummarySerializer,
    OfficeSummarySerializer,
    UserSummarySerializer,
)
from awda.accounts.models import Office, User
from awda.audit.models import AuditEvent
from awda.core.api.fields import ScopedPrimaryKeyRelatedField, VersionField
from awda.finance.api.serializers import ProjectSummarySerializer
from awda.finance.models import Project
from awda.finance.selectors import project_list_for
from awda.registry.api.serializers import (
    IdentityDocumentWriteSerializer,
    OrganisationSummarySerializer,
    PersonSerializer,
    PersonSummarySerializer,
    PersonWriteSerializer,
)
from awda.registry.models import Organisation, Person

from .. import workflow
from ..choices import (
    AttachmentKind,
    ClosureReason,
    Priority,
    ReferralSource,
    Relationship,
    Status,
    TaskStatus,
)
from ..models import Attachment, Case, CaseMember, CaseTransition, Note, Task
from ..policies import offices_where
from ..selectors import person_queryset_for

MEMBER_RELATIONSHIPS = [(v, label) for v, label in Relationship.choices if v != "principal"]


def _registrable_offices(user):
    return Office.objects.filter(pk__in=offices_where(user, "case.register"), is_active=True)


def _active_users(user):
    return User.objects.filter(is_active=True)


def _active_organisations(user):
    return Organisation.objects.filter(is_active=True)


def _person_ref(help_text, **kwargs):
    """A person by id, among those the requesting user may see."""
    return ScopedPrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        scope=person_queryset_for,
        required=False,
        help_text=help_text,
        **kwargs,
    )


def _user_ref(help_text):
    """An active user by id, or null (the service checks the user's office)."""
    return ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(),
        scope=_active_users,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


def _case_version():
    """The case version the client read (required: optimistic locking)."""
    return VersionField(
        help_text=_(
            "Required: the case version you read; a stale one is refused with 409 stale_edit."
        )
    )


# ---- cases: output ------------------------------------------------------------------------------


class CaseRefSerializer(serializers.ModelSerializer):
    """A case in a person's history."""

    office = OfficeSummarySerializer(read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "status", "office", "registered_on"]
        read_only_fields = fields


class CaseListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    office = OfficeSummarySerializer(read_only=True)
    principal = PersonSummarySerializer(read_only=True, allow_null=True)
    assigned_to = UserSummarySerializer(read_only=True, allow_null=True)
    project = ProjectSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "office",
            "principal",
            "nationality",
            "member_count",
            "priority",
            "registered_on",
            "country_of_return",
            "assigned_to",
            "project",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class CaseMemberSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    relationship_label = serializers.CharField(source="get_relationship_display", read_only=True)

    class Meta:
        model = CaseMember
        fields = ["id", "person", "relationship", "relationship_label", "is_principal", "travels"]
        read_only_fields = fields


class CaseDetailSerializer(CaseListSerializer):
    mission = MissionSummarySerializer(read_only=True)
    referral_organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)
    receiving_mission = MissionSummarySerializer(read_only=True, allow_null=True)
    members = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = CaseListSerializer.Meta.fields + [
            "mission",
            "status_changed_at",
            "referral_source",
            "referral_organisation",
            "referral_details",
            "destination_area",
            "destination_pcode",
            "eligibility_decided_at",
            "declaration_signed_on",
            "departed_on",
            "closure_reason",
            "receiving_mission",
            "handed_over_at",
            "created_at",
            "members",
            "permissions",
        ]
        read_only_fields = fields

    @extend_schema_field(CaseMemberSerializer(many=True))
    def get_members(self, case):
        members = self.context.get("members")
        return CaseMemberSerializer(members, many=True).data if members is not None else []

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text=_("Actions this user may take on this case (e.g. case.edit, note.add)."),
        )
    )
    def get_permissions(self, case):
        return self.context.get("permissions", [])


# ---- cases: input -------------------------------------------------------------------------------


class CaseFieldsSerializer(serializers.Serializer):
    """The editable fields of a case (services.CASE_EDIT_FIELDS)."""

    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    referral_source = serializers.ChoiceField(choices=ReferralSource.choices, required=False)
    referral_organisation = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        scope=_active_organisations,
        required=False,
        allow_null=True,
    )
    referral_details = serializers.CharField(required=False, allow_blank=True)
    country_of_return = serializers.CharField(
        max_length=60,
        required=False,
        help_text=_("ISO 3166 alpha-2 or alpha-3; defaults to the principal's nationality."),
    )
    destination_area = serializers.CharField(max_length=200, required=False, allow_blank=True)
    destination_pcode = serializers.CharField(max_length=20, required=False, allow_blank=True)
    assigned_to = _user_ref(_("A user of the case's office."))


class MemberInputSerializer(serializers.Serializer):
    relationship = serializers.ChoiceField(choices=MEMBER_RELATIONSHIPS)
    person = PersonWriteSerializer(
        required=False, help_text=_("A new person; or give person_id for a known one.")
    )
    person_id = _person_ref(_("A person already in the registry (one you can see)."))
    documents = IdentityDocumentWriteSerializer(many=True, required=False)
    travels = serializers.BooleanField(default=True)

    def validate(self, attrs):
        if not attrs.get("person") and not attrs.get("person_id"):
            raise serializers.ValidationError(
                {"person": [_("Give the new person's details or the id of a known person.")]}
            )
        return attrs

    def to_service(self, attrs) -> dict:
        out = {"relationship": attrs["relationship"], "travels": attrs["travels"]}
        if attrs.get("person_id"):
            out["person_id"] = attrs["person_id"].pk
        else:
            out["person"] = attrs["person"]
            out["documents"] = attrs.get("documents") or []
        return out


class CaseRegisterSerializer(CaseFieldsSerializer):
    """Register a case with its principal applicant, their documents and the other members."""

    office = ScopedPrimaryKeyRelatedField(
        queryset=Office.objects.all(),
        scope=_registrable_offices,
        help_text=_("An office where you may register cases (see /me/)."),
    )
    registered_on = serializers.DateField(required=False, help_text=_("Defaults to today."))
    principal = PersonWriteSerializer(
        required=False, help_text=_("The principal applicant (new person).")
    )
    principal_person_id = _person_ref(
        _("Or a person already in the registry as principal applicant.")
    )
    principal_documents = IdentityDocumentWriteSerializer(many=True, required=False)
    members = MemberInputSerializer(many=True, required=False)

    def validate(self, attrs):
        if not attrs.get("principal") and not attrs.get("principal_person_id"):
            raise serializers.ValidationError(
                {"principal": [_("The principal applicant is required.")]}
            )
        return attrs


class CaseUpdateSerializer(CaseFieldsSerializer):
    version = VersionField()


class DeclarationSerializer(serializers.Serializer):
    signed_on = serializers.DateField(
        help_text=_("Date the declaration of voluntary return was signed.")
    )
    version = _case_version()


# ---- members ------------------------------------------------------------------------------------


class MemberAddSerializer(MemberInputSerializer):
    version = _case_version()


class MemberUpdateSerializer(serializers.Serializer):
    relationship = serializers.ChoiceField(choices=MEMBER_RELATIONSHIPS, required=False)
    travels = serializers.BooleanField(required=False)
    version = _case_version()


# ---- notes, tasks, attachments ------------------------------------------------------------------


class NoteSerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True)

    class Meta:
        model = Note
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = fields


class NoteCreateSerializer(serializers.Serializer):
    body = serializers.CharField()


class TaskSerializer(serializers.ModelSerializer):
    assignee = UserSummarySerializer(read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "due_date",
            "assignee",
            "status",
            "status_label",
            "completed_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TaskWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    assignee = _user_ref(_("A user who can see the case."))


class TaskUpdateSerializer(TaskWriteSerializer):
    """PATCH a task: any of the fields, with the task `version` you read."""

    version = VersionField(
        help_text=_(
            "Required: the task version you read; a stale one is refused with 409 stale_edit."
        )
    )


class TaskStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    version = VersionField(
        help_text=_(
            "Required: the task version you read; a stale one is refused with 409 stale_edit."
        )
    )


class TaskFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=TaskStatus.choices, required=False, help_text=_("Default: all tasks.")
    )


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = UserSummarySerializer(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "kind",
            "kind_label",
            "original_name",
            "content_type",
            "size",
            "description",
            "person",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, att) -> str:
        from django.urls import reverse

        url = reverse("api-case-attachment-download", args=[att.case_id, att.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("PDF, JPEG, PNG, DOCX, XLSX or ODT; size limited by AWDA_MAX_UPLOAD_MB.")
    )
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    person = _person_ref(_("The member the file is about, if any."), allow_null=True)


# ---- transitions and timeline -------------------------------------------------------------------


class TransitionRecordSerializer(serializers.ModelSerializer):
    actor = UserSummarySerializer(read_only=True)
    office = OfficeSummarySerializer(read_only=True)
    project = ProjectSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseTransition
        fields = [
            "id",
            "name",
            "from_status",
            "to_status",
            "actor",
            "office",
            "occurred_at",
            "comment",
            "reason",
            "closure_reason",
            "project",
        ]
        read_only_fields = fields


class TransitionOptionSerializer(serializers.Serializer):
    transition = serializers.CharField(help_text=_("Name to POST to make this move."))
    label = serializers.CharField()
    target = serializers.ChoiceField(
        choices=Status.choices,
        allow_null=True,
        help_text=_("Null: back to the status before hold."),
    )
    requires = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Inputs to send: among comment, reason, project, closure_reason."),
    )
    allowed = serializers.BooleanField()
    blockers = serializers.ListField(
        child=serializers.CharField(), help_text=_("Why the move is blocked now, if it is.")
    )


class TransitionsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    version = serializers.IntegerField()
    history = TransitionRecordSerializer(many=True)
    available = TransitionOptionSerializer(
        many=True, help_text=_("Moves out of the current status that your role may make.")
    )


class TransitionRequestSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=[(t.name, t.label) for t in workflow.TRANSITIONS])
    comment = serializers.CharField(allow_blank=True, default="")
    reason = serializers.CharField(allow_blank=True, default="")
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, allow_blank=True, default=""
    )
    project = ScopedPrimaryKeyRelatedField(
        queryset=Project.objects.all(),
        scope=lambda user: project_list_for(user),
        allow_null=True,
        default=None,
        help_text=_("Funding project (approve_eligibility)."),
    )
    version = _case_version()


class TimelineFilterSerializer(serializers.Serializer):
    views = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_(
            "Include the reads of the case and of its members' records (cases.case.viewed, "
            "registry.person.viewed). Default: true."
        ),
    )


class TimelineEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "actor_username",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "person_id",
            "changes",
            "channel",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        hide = self.context.get("redact")
        if hide is not None and hide(instance):
            # a restricted category's event, for a user without its permission (restricted.py)
            data.update(action="restricted", object_type="", object_id="", object_repr="")
            data["changes"] = {}
        return data


# ---- persons ------------------------------------------------------------------------------------


class PersonDetailSerializer(PersonSerializer):
    cases = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = PersonSerializer.Meta.fields + ["cases"]
        read_only_fields = fields

    @extend_schema_field(CaseRefSerializer(many=True))
    def get_cases(self, person):
        return CaseRefSerializer(self.context.get("cases", []), many=True).data


class ReadinessCheckSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_("Stable code of the check (`restricted` when its category is hidden from you).")
    )
    label = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField(help_text=_("What is missing, or the state."))


class TravellerReadinessSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member.pk")
    person = PersonSummarySerializer()
    is_principal = serializers.BooleanField(source="member.is_principal")
    ready = serializers.BooleanField()
    checks = ReadinessCheckSerializer(many=True)


class ReadinessSerializer(serializers.Serializer):
    on_date = serializers.DateField()
    ready = serializers.BooleanField(
        help_text=_("True when every traveller has every safeguard: the gate will pass.")
    )
    travellers = TravellerReadinessSerializer(many=True)


class ReadinessQuerySerializer(serializers.Serializer):
    on_date = serializers.DateField(
        required=False,
        help_text=_("The day travel is checked for (default: today)."),
    )
