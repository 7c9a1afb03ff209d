"""Donor report API: a project's report for a period as PDF or XLSX (finance officers, managers
and M&E officers of the project's mission; another mission's project is a 404, another role a
403). Downloads are audited (`reports.donor_report.exported`)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from awda.cases.api.views import PassthroughRenderer
from awda.core.api.views import ApiView

from .services import donor_report_export
from .views import file_response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodSerializer(serializers.Serializer):
    date_from = serializers.DateField(help_text=gettext_lazy("First day of the period."))
    date_to = serializers.DateField(help_text=gettext_lazy("Last day of the period."))


class PdfRenderer(PassthroughRenderer):
    media_type = "application/pdf"
    format = "pdf"


class XlsxRenderer(PassthroughRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"


class _DonorReportView(ApiView):
    fmt = ""

    def download(self, request, project_pk):
        params = PeriodSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = donor_report_export(
            request.user,
            project_id=project_pk,
            date_from=params.validated_data["date_from"],
            date_to=params.validated_data["date_to"],
            fmt=self.fmt,
        )
        return file_response(result)


class DonorReportPdfView(_DonorReportView):
    renderer_classes = [JSONRenderer, PdfRenderer]
    fmt = "pdf"

    @extend_schema(
        operation_id="reports_donor_report_pdf",
        parameters=[PeriodSerializer],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=gettext_lazy("The donor report (PDF).")
            )
        },
    )
    def get(self, request, project_pk: int):
        """The donor report of the project for the period: activities, people reached by sex
        and age group, assistance by type, spending by budget line. Aggregates only (small
        counts suppressed), no names or case numbers. Audited."""
        return self.download(request, project_pk)


class DonorReportXlsxView(_DonorReportView):
    renderer_classes = [JSONRenderer, XlsxRenderer]
    fmt = "xlsx"

    @extend_schema(
        operation_id="reports_donor_report_xlsx",
        parameters=[PeriodSerializer],
        responses={
            (200, XLSX_TYPE): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description=gettext_lazy("The donor report's annex (XLSX, one sheet per part)."),
            )
        },
    )
    def get(self, request, project_pk: int):
        """The donor report's XLSX annex: the same figures as the PDF, one sheet per part,
        numbers as numbers. Audited."""
        return self.download(request, project_pk)
