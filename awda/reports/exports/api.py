"""Export API: request an export (a background job), follow it, download its file, list mine.

Thin views over exports.services and exports.selectors: a job is seen by its requester only
(404 for anyone else), the M&E role is refused (403: a case list carries names), and every
request and download is audited by the services."""

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from awda.cases.choices import Priority, Status
from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.screening.consent.choices import Purpose

from . import selectors, services
from .choices import ExportFormat, ExportKind, JobStatus

# ---- serializers --------------------------------------------------------------------------------


class CaseListFiltersSerializer(serializers.Serializer):
    """The case list's filters (as GET /api/v1/cases/ and the case list page take them)."""

    q = serializers.CharField(
        required=False, max_length=100, help_text=_("Name, case number, document, phone.")
    )
    status = serializers.ListField(
        child=serializers.ChoiceField(choices=Status.choices), required=False
    )
    office = serializers.IntegerField(required=False, help_text=_("One of your offices."))
    nationality = serializers.CharField(required=False, help_text=_("ISO 3166 alpha-2."))
    assigned_to = serializers.CharField(
        required=False, help_text=_('A caseworker\'s user id, or "none" (not assigned).')
    )
    project = serializers.IntegerField(required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    registered_from = serializers.DateField(required=False)
    registered_to = serializers.DateField(required=False)
    departed_from = serializers.DateField(required=False)
    departed_to = serializers.DateField(required=False)


class ExportCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExportKind.choices, default=ExportKind.CASE_LIST)
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    filters = CaseListFiltersSerializer(required=False)
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=_(
            "Protects the file (XLSX: encrypted workbook; CSV: delivered in an AES-encrypted "
            "ZIP). At least 8 characters; required when the export leaves the organisation. "
            "Never stored in clear, never returned."
        ),
    )
    leaves_organisation = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "The file goes to a recipient outside the organisation: it is recorded in the "
            "transfer log and holds only the cases whose principal applicant has a valid "
            "consent for `purpose`."
        ),
    )
    recipient = serializers.CharField(required=False, allow_blank=True, max_length=200)
    purpose = serializers.ChoiceField(
        choices=Purpose.choices,
        required=False,
        allow_blank=True,
        help_text=_(
            "Required when leaving the organisation: consulate, authorities, unhcr, "
            "origin_mission, service_providers or donors."
        ),
    )


class ExportTransferSerializer(serializers.Serializer):
    recipient = serializers.CharField(read_only=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices, read_only=True)
    categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    case_count = serializers.IntegerField(read_only=True, allow_null=True)
    excluded_count = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Cases left out: their principal applicant had no valid consent."),
    )
    transferred_on = serializers.DateField(read_only=True)


class ExportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=ExportKind.choices, read_only=True)
    format = serializers.ChoiceField(choices=ExportFormat.choices, read_only=True)
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)
    filters = serializers.JSONField(source="params", read_only=True)
    progress = serializers.IntegerField(read_only=True, help_text=_("Rows written so far."))
    total = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Rows expected (known once it runs).")
    )
    percent = serializers.IntegerField(read_only=True)
    error = serializers.CharField(read_only=True)
    password_protected = serializers.BooleanField(read_only=True)
    leaves_organisation = serializers.BooleanField(read_only=True)
    transfer = serializers.SerializerMethodField()
    file_size = serializers.IntegerField(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file once it is done (null before, and once expired).")
    )
    created_at = serializers.DateTimeField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)
    expires_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(ExportTransferSerializer(allow_null=True))
    def get_transfer(self, job):
        transfer = getattr(job, "transfer", None) if job.leaves_organisation else None
        return ExportTransferSerializer(transfer).data if transfer else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, job) -> str | None:
        if not job.downloadable:
            return None
        url = reverse("api-report-export-download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


# ---- views --------------------------------------------------------------------------------------


class _PassthroughRenderer(BaseRenderer):
    media_type = "application/octet-stream"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ExportListView(ApiView):
    serializer_class = ExportJobSerializer
    pagination_class = cursor_pagination("-created_at", "-id")

    @extend_schema(operation_id="reports_exports_list", responses=ExportJobSerializer(many=True))
    def get(self, request):
        """Your exports, newest first."""
        return self.paginated(selectors.export_list_for(request.user))

    @extend_schema(
        operation_id="reports_exports_create",
        request=ExportCreateSerializer,
        responses={201: ExportJobSerializer},
    )
    def post(self, request):
        """Request an export of the case list with the list's filters. It runs in the
        background (a worker; in-process when no broker is configured): follow `status` and
        `progress` with GET on the job, then download it from `download_url`. A role that sees
        aggregates only (M&E) is refused (403)."""
        data = ExportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        job = services.export_request(
            request.user,
            kind=d["kind"],
            format=d["format"],
            params=request.data.get("filters") or {},
            password=d.get("password") or "",
            leaves_organisation=d["leaves_organisation"],
            recipient=d.get("recipient") or "",
            purpose=d.get("purpose") or "",
        )
        job = selectors.export_get_for(request.user, job.pk)
        body = ExportJobSerializer(job, context={"request": request}).data
        url = reverse("api-report-export-detail", args=[job.pk])
        return Response(body, status=201, headers={"Location": url})


class ExportDetailView(ApiView):
    serializer_class = ExportJobSerializer

    @extend_schema(operation_id="reports_exports_retrieve", responses=ExportJobSerializer)
    def get(self, request, export_pk: int):
        """One of your exports: status, progress, and the download URL once done."""
        job = selectors.export_get_for(request.user, export_pk)
        return Response(ExportJobSerializer(job, context={"request": request}).data)


class ExportDownloadView(ApiView):
    renderer_classes = [JSONRenderer, _PassthroughRenderer]

    @extend_schema(
        operation_id="reports_exports_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description=_(
                    "The file: CSV, XLSX, or for a protected CSV an AES-encrypted ZIP. 409 while "
                    "the export runs or after it failed, 410 once it has expired."
                ),
            )
        },
    )
    def get(self, request, export_pk: int):
        """Download the file of one of your finished exports. Every download is audited."""
        job = selectors.export_get_for(request.user, export_pk)
        handle = services.export_open(request.user, job=job)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=services.download_name(job),
            content_type=services.content_type(job),
        )
