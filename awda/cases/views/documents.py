"""Printable documents of a case (HTML UI): the declaration of voluntary return as a PDF, in the
language asked for (?lang=fr|en, default the user's). 404 for a case the user may not see, 403
without "case.declaration"; every print is audited (services.case_declaration_printed)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from awda.core.documents import pdf_response

from .. import services
from ..declaration import language_for
from .detail import get_case
from .submit import require


@login_required
@require_GET
def declaration_pdf(request, pk):
    case = get_case(request, pk)
    require(request.user, "case.declaration", case)
    language = language_for(request.GET.get("lang"), getattr(request, "LANGUAGE_CODE", None))
    data = services.case_declaration_printed(request.user, case=case, language=language)
    return pdf_response(data, f"declaration-{case.number}-{language}.pdf")
