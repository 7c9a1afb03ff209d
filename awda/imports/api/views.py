"""Imports API: saved sources, upload (multipart), mapping, preview with its errors page by page,
start, status and progress, rejected-rows download. Thin views over imports.services and
imports.selectors: jobs of other offices are 404, roles without registration rights 403."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from awda.accounts.models import Office
from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed

from .. import policies, selectors, services
from ..services.files import RejectedUnavailable, rejected_content_type
from ..services.jobs import max_upload_bytes
from .serializers import (
    ErrorPageSerializer,
    JobSerializer,
    MappingSerializer,
    MappingUpdateSerializer,
    PullSerializer,
    SourceSerializer,
    SourceUpdateSerializer,
    StartSerializer,
    UploadSerializer,
)


def _office(user, pk) -> Office:
    office = Office.objects.select_related("mission").filter(pk=pk).first()
    if office is None or not policies.may_import_in(user, office.pk):
        raise ValidationFailed(fields={"office": ["Choose an office where you register cases."]})
    return office


def _require_importer(user):
    if not policies.may_import(user):
        raise PermissionDenied()


class _Passthrough(BaseRenderer):
    media_type = "application/octet-stream"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class SourceListView(ApiView):
    serializer_class = SourceSerializer
    pagination_class = cursor_pagination("name", "id")

    @extend_schema(operation_id="imports_sources_list", responses=SourceSerializer(many=True))
    def get(self, request):
        """The saved sources of your missions."""
        _require_importer(request.user)
        return self.paginated(selectors.import_source_list_for(request.user))

    @extend_schema(
        operation_id="imports_sources_create",
        request=SourceSerializer,
        responses={201: SourceSerializer},
    )
    def post(self, request):
        """Save a source: a file layout with its mapping, or a Kobo server (office managers)
        with its form and token (stored encrypted)."""
        _require_importer(request.user)
        data = SourceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        mapping = request.data.get("mapping") if isinstance(request.data, dict) else None
        source = services.source_create(
            request.user,
            office=_office(request.user, d["office_id"]),
            name=d["name"],
            kind=d["kind"],
            mapping=MappingSerializer(mapping).data if isinstance(mapping, dict) else None,
            **{k: d[k] for k in ("kobo_url", "kobo_asset_uid", "kobo_token") if k in d},
        )
        return Response(SourceSerializer(source).data, status=201)


class SourceDetailView(ApiView):
    serializer_class = SourceSerializer

    @extend_schema(operation_id="imports_sources_retrieve")
    def get(self, request, source_pk: int):
        return Response(
            SourceSerializer(selectors.import_source_get_for(request.user, source_pk)).data
        )

    @extend_schema(operation_id="imports_sources_update", request=SourceUpdateSerializer)
    def patch(self, request, source_pk: int):
        """Rename, change the office, the mapping, or the Kobo server, form or token (an empty
        token keeps the saved one)."""
        source = selectors.import_source_get_for(request.user, source_pk)
        data = SourceUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        source = services.source_update(request.user, source=source, data=data.validated_data)
        return Response(SourceSerializer(source).data)

    @extend_schema(operation_id="imports_sources_destroy", responses={204: None})
    def delete(self, request, source_pk: int):
        source = selectors.import_source_get_for(request.user, source_pk)
        services.source_delete(request.user, source=source)
        return Response(status=204)


class SourcePullView(ApiView):
    serializer_class = JobSerializer

    @extend_schema(
        operation_id="imports_sources_pull",
        request=PullSerializer,
        responses={201: JobSerializer},
    )
    def post(self, request, source_pk: int):
        """Fetch the submissions of a Kobo server source into a new import job."""
        source = selectors.import_source_get_for(request.user, source_pk)
        data = PullSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        office = data.validated_data.get("office")
        job = services.import_pull(
            request.user,
            source=source,
            office=_office(request.user, office) if office else None,
        )
        return Response(JobSerializer(job, context={"request": request}).data, status=201)


class JobListView(ApiView):
    serializer_class = JobSerializer
    pagination_class = cursor_pagination("-created_at", "-id")
    parser_classes = [MultiPartParser]

    def initial(self, request, *args, **kwargs):
        # An import file may be larger than an attachment (AWDA_IMPORT_MAX_UPLOAD_MB).
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_upload_bytes() + settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise RequestDataTooBig("Import upload too large.")
        super(ApiView, self).initial(request, *args, **kwargs)

    @extend_schema(operation_id="imports_list", responses=JobSerializer(many=True))
    def get(self, request):
        """Imports of your offices, newest first."""
        _require_importer(request.user)
        return self.paginated(selectors.import_job_list_for(request.user))

    @extend_schema(
        operation_id="imports_create", request=UploadSerializer, responses={201: JobSerializer}
    )
    def post(self, request):
        """Upload a file (multipart/form-data): it is stored with its SHA-256 and read at once;
        the mapping is the source's or a suggestion. Nothing is registered yet: check the
        mapping, preview, then start."""
        _require_importer(request.user)
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        job = services.import_upload(
            request.user,
            office=_office(request.user, d["office"]),
            file=d["file"],
            source=d.get("source"),
        )
        url = reverse("api-import-detail", args=[job.pk])
        return Response(
            JobSerializer(job, context={"request": request}).data,
            status=201,
            headers={"Location": url},
        )


class JobDetailView(ApiView):
    serializer_class = JobSerializer

    @extend_schema(operation_id="imports_retrieve")
    def get(self, request, import_pk: int):
        """One import: status, counts, progress while it runs, result."""
        job = selectors.import_job_get_for(request.user, import_pk)
        services.fail_if_stalled(job)
        return Response(JobSerializer(job, context={"request": request}).data)


class JobMappingView(ApiView):
    serializer_class = MappingSerializer

    @extend_schema(operation_id="imports_mapping_retrieve")
    def get(self, request, import_pk: int):
        """The job's mapping (suggested, or from its source, or as saved)."""
        job = selectors.import_job_get_for(request.user, import_pk)
        return Response(job.mapping)

    @extend_schema(
        operation_id="imports_mapping_update",
        request=MappingUpdateSerializer,
        responses=JobSerializer,
    )
    def put(self, request, import_pk: int):
        """Replace the job's mapping (then preview again)."""
        job = selectors.import_job_get_for(request.user, import_pk)
        data = MappingUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        save = d.pop("save_to_source", True)
        name = d.pop("source_name", "")
        job = services.import_mapping_save(
            request.user, job=job, mapping=d, save_to_source=save, source_name=name
        )
        return Response(JobSerializer(job, context={"request": request}).data)


class JobPreviewView(ApiView):
    serializer_class = JobSerializer

    @extend_schema(operation_id="imports_preview", request=None, responses=JobSerializer)
    def post(self, request, import_pk: int):
        """Validate every row with the job's mapping: counts, first rows, errors (then GET
        errors/ page by page). Nothing is written."""
        job = selectors.import_job_get_for(request.user, import_pk)
        job = services.import_preview(request.user, job=job)
        return Response(JobSerializer(job, context={"request": request}).data)


class JobErrorsView(ApiView):
    serializer_class = ErrorPageSerializer

    @extend_schema(
        operation_id="imports_errors",
        parameters=[
            OpenApiParameter("offset", int, required=False),
            OpenApiParameter("limit", int, required=False, description="At most 500."),
        ],
    )
    def get(self, request, import_pk: int):
        """The preview's errors: row, field, source column, value and message."""
        job = selectors.import_job_get_for(request.user, import_pk)
        try:
            offset = max(0, int(request.query_params.get("offset") or 0))
            limit = int(request.query_params.get("limit") or 50)
        except ValueError:
            raise ValidationFailed(fields={"offset": ["Enter a whole number."]}) from None
        results, count = services.import_errors(request.user, job=job, offset=offset, limit=limit)
        return Response({"count": count, "offset": offset, "results": results})


class JobStartView(ApiView):
    serializer_class = JobSerializer
    conflict_statuses = True

    @extend_schema(operation_id="imports_start", request=StartSerializer, responses=JobSerializer)
    def post(self, request, import_pk: int):
        """Start the import in the background: all_or_nothing (refused while rows are
        invalid) or valid_only (the invalid rows go to the rejected-rows file). Follow
        `status` and `progress` with GET on the job."""
        job = selectors.import_job_get_for(request.user, import_pk)
        data = StartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.import_request(request.user, job=job, mode=data.validated_data["mode"])
        job = selectors.import_job_get_for(request.user, job.pk)
        return Response(JobSerializer(job, context={"request": request}).data, status=202)


class JobRejectedView(ApiView):
    renderer_classes = [JSONRenderer, _Passthrough]

    @extend_schema(
        operation_id="imports_rejected",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="The rejected rows with an errors column (CSV or XLSX).",
            )
        },
    )
    def get(self, request, import_pk: int):
        """Download the rejected rows of a valid-rows-only import (audited)."""
        job = selectors.import_job_get_for(request.user, import_pk)
        try:
            handle = services.import_open_rejected(request.user, job=job)
        except RejectedUnavailable as exc:
            raise NotFound(exc.message) from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=services.rejected_download_name(job),
            content_type=rejected_content_type(job),
        )
