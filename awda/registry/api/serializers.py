from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from awda.core.api.fields import VersionField, with_labels

from ..choices import DocumentType, OrganisationKind, Sex
from ..models import IdentityDocument, Organisation, Person
from ..services import DOCUMENT_FIELDS, ORGANISATION_FIELDS

# ---- organisations ------------------------------------------------------------------------------


class OrganisationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "country"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = with_labels(
            ["id", *ORGANISATION_FIELDS, "created_at", "updated_at"], kind="kind_label"
        )
        read_only_fields = fields


class OrganisationWriteSerializer(serializers.Serializer):
    """Input for organisation_create / organisation_update (the service validates the rest)."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    country = serializers.CharField(max_length=60, help_text=_("ISO 3166 alpha-2 or alpha-3"))
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


# ---- identity documents -------------------------------------------------------------------------


class IdentityDocumentSerializer(serializers.ModelSerializer):
    doc_type_label = serializers.CharField(source="get_doc_type_display", read_only=True)

    class Meta:
        model = IdentityDocument
        fields = with_labels(["id", *DOCUMENT_FIELDS], doc_type="doc_type_label")
        read_only_fields = fields


class IdentityDocumentWriteSerializer(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    number = serializers.CharField(max_length=60)
    issuing_country = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text=_("ISO 3166 alpha-2 or alpha-3")
    )
    issue_date = serializers.DateField(required=False, allow_null=True)
    expiry_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PersonDocumentSerializer(IdentityDocumentSerializer):
    """A document as answered by the persons' document endpoints, with the person's version
    after the change (documents are part of the person's record and share its version)."""

    person_version = serializers.IntegerField(source="person.version", read_only=True)

    class Meta(IdentityDocumentSerializer.Meta):
        fields = [*IdentityDocumentSerializer.Meta.fields, "person_version"]
        read_only_fields = fields


class IdentityDocumentEditSerializer(IdentityDocumentWriteSerializer):
    """Add or edit (PATCH) a person's document, with the person's version you read."""

    version = VersionField(
        help_text=_(
            "Required: the person's version you read (documents share it); a stale one is "
            "refused with 409 stale_edit."
        )
    )


# ---- persons ------------------------------------------------------------------------------------

PERSON_READ_FIELDS = [
    "id",
    "given_name",
    "family_name",
    "full_name",
    "other_names",
    "name_arabic",
    "sex",
    "date_of_birth",
    "birth_year",
    "dob_estimated",
    "age",
    "nationality",
    "nationality_alpha3",
    "languages",
    "phone",
]


class PersonSummarySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Person
        fields = PERSON_READ_FIELDS + ["version"]
        read_only_fields = fields


class PersonSerializer(PersonSummarySerializer):
    documents = IdentityDocumentSerializer(many=True, read_only=True)
    registered_by_office = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Person
        fields = PERSON_READ_FIELDS + [
            "address",
            "city",
            "registered_by_office",
            "documents",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonWriteSerializer(serializers.Serializer):
    """Person fields as the registry service takes them (it normalises and validates them).

    Give the date of birth, or an estimated year of birth."""

    given_name = serializers.CharField(max_length=120)
    family_name = serializers.CharField(max_length=120)
    other_names = serializers.CharField(max_length=300, required=False, allow_blank=True)
    name_arabic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    dob_estimated = serializers.BooleanField(required=False)
    nationality = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text=_("ISO 3166 alpha-2 or alpha-3")
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, help_text=_("Language codes")
    )
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)


class PersonUpdateSerializer(PersonWriteSerializer):
    """PATCH: any subset of the person fields, with the version read (optimistic locking)."""

    version = VersionField()
