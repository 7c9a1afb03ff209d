"""Serializers of the imports API (shapes only: the rules are in services)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import ImportMode, JobStatus, SourceKind


class MappingSerializer(serializers.Serializer):
    columns = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text=_('Awda field -> source column, e.g. {"principal.given_name": "prenom"}.'),
    )
    values = serializers.DictField(
        child=serializers.DictField(child=serializers.JSONField()),
        required=False,
        help_text=_(
            'Choice field -> {value in the file: Awda value}, e.g. {"principal.sex": '
            '{"Femme": "female"}}.'
        ),
    )
    member_group = serializers.CharField(
        required=False, allow_blank=True, help_text=_("The repeat group of household members.")
    )
    defaults = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=_("Awda field -> value used when the cell is empty."),
    )
    date_order = serializers.ChoiceField(choices=[("dmy", "dmy"), ("mdy", "mdy")], required=False)


class MappingUpdateSerializer(MappingSerializer):
    save_to_source = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_(
            "Also save the mapping to the job's source (or to a new one named "
            "`source_name`), for the next files."
        ),
    )
    source_name = serializers.CharField(required=False, allow_blank=True, max_length=120)


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=SourceKind.choices, default=SourceKind.FILE)
    office = serializers.IntegerField(
        source="office_id", help_text=_("The office registering the cases by default.")
    )
    mission = serializers.IntegerField(source="mission_id", read_only=True)
    mapping = serializers.SerializerMethodField()
    kobo_url = serializers.CharField(required=False, allow_blank=True, max_length=300)
    kobo_asset_uid = serializers.CharField(required=False, allow_blank=True, max_length=100)
    kobo_token = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        trim_whitespace=True,
        help_text=_("The Kobo API token: stored encrypted, never returned."),
    )
    has_token = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)

    @extend_schema_field(MappingSerializer)
    def get_mapping(self, source) -> dict:
        return source.mapping_json()


class SourceUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=120)
    office = serializers.IntegerField(required=False)
    mapping = MappingSerializer(required=False)
    kobo_url = serializers.CharField(required=False, allow_blank=True, max_length=300)
    kobo_asset_uid = serializers.CharField(required=False, allow_blank=True, max_length=100)
    kobo_token = serializers.CharField(required=False, allow_blank=True, write_only=True)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("CSV, XLSX or Kobo JSON."))
    office = serializers.IntegerField(help_text=_("The office registering the cases."))
    source = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("A saved source whose mapping to use.")
    )


class PullSerializer(serializers.Serializer):
    office = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Default: the source's office.")
    )


class StartSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=ImportMode.choices)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    column = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()


class ErrorPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Errors in all."))
    offset = serializers.IntegerField()
    results = RowErrorSerializer(many=True)


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    file_name = serializers.CharField(read_only=True)
    file_size = serializers.IntegerField(read_only=True)
    sha256 = serializers.CharField(read_only=True)
    office = serializers.IntegerField(source="office_id", read_only=True)
    source = serializers.IntegerField(source="source_id", read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()
    mode = serializers.CharField(read_only=True)
    total = serializers.IntegerField(read_only=True)
    valid = serializers.IntegerField(read_only=True)
    invalid = serializers.IntegerField(read_only=True)
    already_imported = serializers.IntegerField(read_only=True)
    error_count = serializers.IntegerField(read_only=True)
    created = serializers.IntegerField(read_only=True)
    persons_created = serializers.IntegerField(read_only=True)
    skipped_existing = serializers.IntegerField(read_only=True)
    rejected = serializers.IntegerField(read_only=True)
    progress = serializers.IntegerField(read_only=True)
    percent = serializers.IntegerField(read_only=True)
    error = serializers.CharField(read_only=True)
    sample = serializers.SerializerMethodField()
    rejected_url = serializers.SerializerMethodField()
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    previewed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)

    @extend_schema_field(serializers.ChoiceField(choices=JobStatus.choices))
    def get_status(self, job) -> str:
        return job.shown_status

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_sample(self, job) -> list:
        return (job.summary or {}).get("sample", [])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rejected_url(self, job) -> str | None:
        if job.status != JobStatus.DONE or not job.rejected_path:
            return None
        url = reverse("api-import-rejected", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
