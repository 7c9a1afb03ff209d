"""Printable documents of a case (API): the declaration of voluntary return as a PDF."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from awda.core.documents import pdf_response

from .. import services
from ..declaration import LANGUAGES, language_for
from .views import CaseView, PassthroughRenderer


class PdfRenderer(PassthroughRenderer):
    media_type = "application/pdf"
    format = "pdf"


class DeclarationQuerySerializer(serializers.Serializer):
    lang = serializers.ChoiceField(
        choices=[(c, c) for c in LANGUAGES],
        required=False,
        help_text=_("fr or en; by default the language of the request."),
    )


class CaseDeclarationPdfView(CaseView):
    renderer_classes = [JSONRenderer, PdfRenderer, PassthroughRenderer]

    @extend_schema(
        operation_id="cases_declaration_pdf",
        parameters=[
            OpenApiParameter(
                "lang",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=list(LANGUAGES),
                description=_("fr or en; by default the language of the request."),
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description=_("The declaration of voluntary return, filled in, to be signed."),
            )
        },
    )
    def get(self, request, case_pk: int):
        """The declaration of voluntary return of the case (principal applicant, travellers,
        standard text, signature boxes) in French or English. Needs "case.declaration"; every
        print is recorded in the audit trail."""
        case = self.get_case()
        params = DeclarationQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        language = language_for(
            params.validated_data.get("lang"), getattr(request, "LANGUAGE_CODE", None)
        )
        data = services.case_declaration_printed(request.user, case=case, language=language)
        return pdf_response(data, f"declaration-{case.number}-{language}.pdf")
