"""IATI export API: the activity XML of a project (finance officers, managers and M&E officers of
the project's mission; another mission's project is a 404, another role a 403)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer

from awda.cases.api.views import PassthroughRenderer
from awda.core.api.views import ApiView

from .services import iati_activity_export
from .views import XML_TYPE, xml_response


class XmlRenderer(PassthroughRenderer):
    media_type = XML_TYPE
    format = "xml"


class ProjectActivityXmlView(ApiView):
    renderer_classes = [JSONRenderer, XmlRenderer]

    @extend_schema(
        operation_id="reports_iati_project_retrieve",
        responses={
            (200, XML_TYPE): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description=gettext_lazy(
                    "The IATI 2.03 activity file of the project (<iati-activities>)."
                ),
            )
        },
    )
    def get(self, request, project_pk: int):
        """The project's IATI activity XML (IATI Standard 2.03): reporting and participating
        organisations, activity dates and status, recipient countries with percentages, sector
        15190, yearly budgets and transactions of types 1 to 4, without personal data. The
        download is audited (`reports.iati.exported`)."""
        result = iati_activity_export(request.user, project_id=project_pk)
        return xml_response(result.data, result.filename)
