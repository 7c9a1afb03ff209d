"""Download of a project's IATI activity file (web): finance officers, managers and M&E officers
of the project's mission; another mission's project is a 404, another role a 403."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from awda.core.errors import NotFound, PermissionDenied

from .services import iati_activity_export

XML_TYPE = "application/xml"


def xml_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=f"{XML_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def project_activity_xml(request, project_pk: int):
    """The IATI activity XML of the project (audited)."""
    try:
        result = iati_activity_export(request.user, project_id=project_pk)
    except NotFound:
        raise Http404() from None
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    return xml_response(result.data, result.filename)
