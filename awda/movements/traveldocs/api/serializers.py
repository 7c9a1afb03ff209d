"""Serializers of the travel documents API. Output only, and input parsing: the rules stay in the
services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awda.accounts.api.serializers import UserSummarySerializer
from awda.core.api.fields import CountryField, VersionField
from awda.registry.api.serializers import OrganisationSummarySerializer, PersonSummarySerializer

from ..choices import (
    BatchKind,
    BatchStatus,
    DocumentKind,
    DocumentOutcome,
    DocumentStatus,
    ExitOutcome,
    ExitStatus,
)
from ..models import BatchItem, DocumentBatch, ExitAuthorisation, TravelDocument

PERSON_HELP = _("The id of the person (a member of the case).")
MAX_ID = 2**63 - 1  # the largest primary key (BigAutoField)
RECORD_FIELDS = ["id", "case", "person", "recorded_by", "created_at", "updated_at", "version"]
# Choice subsets of the inputs (named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
NEW_DOCUMENT_STATUSES = [
    (DocumentStatus.ISSUED.value, DocumentStatus.ISSUED.label),
    (DocumentStatus.REQUESTED.value, DocumentStatus.REQUESTED.label),
]
DOCUMENT_UPDATE_STATUSES = [(DocumentStatus.CANCELLED.value, DocumentStatus.CANCELLED.label)]
BATCH_OUTCOMES = [*DocumentOutcome.choices, (ExitOutcome.GRANTED.value, ExitOutcome.GRANTED.label)]


class IdField(serializers.IntegerField):
    """The id of a record: a positive integer that fits a primary key (a larger one is a field
    error, not a database error)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


# ---- travel documents ---------------------------------------------------------------------------


class TravelDocumentSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    consulate = OrganisationSummarySerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=DocumentStatus.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = TravelDocument
        fields = [
            *RECORD_FIELDS,
            "kind",
            "kind_label",
            "status",
            "status_label",
            "number",
            "issuing_country",
            "consulate",
            "requested_on",
            "issued_on",
            "expires_on",
            "answered_on",
            "refusal_reason",
            "notes",
            "identity_document",
            "batch",
        ]
        read_only_fields = fields


class TravelDocumentCreateSerializer(serializers.Serializer):
    person = IdField(help_text=PERSON_HELP)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.PASSPORT)
    status = serializers.ChoiceField(
        choices=NEW_DOCUMENT_STATUSES,
        default=DocumentStatus.ISSUED,
        help_text=_("issued: a document the person holds; requested: asked from a consulate."),
    )
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    issuing_country = CountryField(required=False, allow_blank=True, default="")
    consulate = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The id of the consulate (partner organisation of type consulate)."),
    )
    requested_on = serializers.DateField(required=False, allow_null=True, default=None)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    identity_document = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "The id of a passport or laissez-passer of the person in the registry: its type, "
            "number, country and dates are copied (values given win)."
        ),
    )


class TravelDocumentUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=DOCUMENT_UPDATE_STATUSES,
        required=False,
        help_text=_("Only 'cancelled' (the document no longer counts)."),
    )
    number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    issuing_country = CountryField(required=False, allow_blank=True)
    consulate = IdField(required=False, allow_null=True)
    requested_on = serializers.DateField(required=False, allow_null=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = VersionField()


class TravelDocumentAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DocumentOutcome.choices)
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    issued_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Default: today.")
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_("Required when refused."),
    )
    version = VersionField()


# ---- exit authorisations ------------------------------------------------------------------------


class ExitAuthorisationSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    authority = OrganisationSummarySerializer(read_only=True)
    status = serializers.ChoiceField(choices=ExitStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ExitAuthorisation
        fields = [
            *RECORD_FIELDS,
            "status",
            "status_label",
            "authority",
            "requested_on",
            "reference",
            "granted_on",
            "valid_until",
            "answered_on",
            "refusal_reason",
            "notes",
            "batch",
        ]
        read_only_fields = fields


class ExitAuthorisationCreateSerializer(serializers.Serializer):
    person = IdField(help_text=PERSON_HELP)
    authority = IdField(
        help_text=_("The id of the authority (partner organisation of type authority).")
    )
    requested_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Default: today.")
    )
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ExitAuthorisationUpdateSerializer(serializers.Serializer):
    authority = IdField(required=False)
    requested_on = serializers.DateField(required=False)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=60)
    granted_on = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = VersionField()


class ExitAuthorisationAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ExitOutcome.choices)
    granted_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Default: today.")
    )
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    valid_until = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Empty when the authorisation has no end date."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_("Required when refused."),
    )
    version = VersionField()


# ---- batches ------------------------------------------------------------------------------------


class BatchItemSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    travel_document = TravelDocumentSerializer(read_only=True, allow_null=True)
    exit_authorisation = ExitAuthorisationSerializer(read_only=True, allow_null=True)
    answered = serializers.BooleanField(read_only=True)

    class Meta:
        model = BatchItem
        fields = [
            "id",
            "case",
            "case_number",
            "person",
            "travel_document",
            "exit_authorisation",
            "answered",
        ]
        read_only_fields = fields


class BatchSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=BatchKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=BatchStatus.choices, read_only=True)
    recipient = OrganisationSummarySerializer(read_only=True)
    created_by = UserSummarySerializer(read_only=True)
    sent_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = DocumentBatch
        fields = [
            "id",
            "kind",
            "status",
            "recipient",
            "office",
            "created_by",
            "created_at",
            "sent_on",
            "sent_by",
            "notes",
            "version",
        ]
        read_only_fields = fields


class BatchDetailSerializer(BatchSerializer):
    items = serializers.SerializerMethodField()

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(BatchItemSerializer(many=True))
    def get_items(self, batch):
        """The persons of the list (given by the view in the context: one query)."""
        return BatchItemSerializer(self.context.get("items", []), many=True).data


class BatchCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BatchKind.choices)
    recipient = IdField(
        help_text=_("The id of the consulate (consulate list) or authority (authorities list).")
    )
    office = IdField(help_text=_("The id of the office the list belongs to."))
    members = serializers.ListField(
        child=IdField(),
        allow_empty=False,
        help_text=_(
            "Ids of case members (CaseMember) who travel in a case of the office (eligible, "
            "pre-departure or ready to travel) and still need the document."
        ),
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class BatchSendSerializer(serializers.Serializer):
    sent_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Default: today.")
    )
    version = VersionField()


class BatchAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=BATCH_OUTCOMES,
        help_text=_("issued or refused (consulate list); granted or refused (authorities list)."),
    )
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    granted_on = serializers.DateField(required=False, allow_null=True, default=None)
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    version = VersionField(
        help_text=_(
            "The version of the request (travel document or exit "
            "authorisation) of this person, as read."
        )
    )
