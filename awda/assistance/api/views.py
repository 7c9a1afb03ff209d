"""Assistance API: the ledger lines of a case (list, record, cancel, receipt PDF, signed copy)
and the distributions of your offices.

Thin views over assistance.selectors and assistance.services. The case is resolved through the
scoped selector (404 outside your scope); reads are audited (part "assistance"), and so are the
receipt and distribution-sheet PDFs and the downloads of signed copies."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from awda.accounts.models import Office
from awda.cases.api.views import CaseView, PassthroughRenderer
from awda.cases.models import CaseMember
from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.core.documents import pdf_response
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.finance.models import Project
from awda.registry.models import Organisation

from .. import policies, selectors, services
from ..models import SignedReceipt
from .serializers import (
    AssistanceLineCreateSerializer,
    AssistanceLineSerializer,
    AssistanceSummarySerializer,
    CancelSerializer,
    DistributionCreateSerializer,
    DistributionDetailSerializer,
    DistributionSerializer,
    PersonReceiptUploadSerializer,
    ReceiptUploadSerializer,
)

PART = "assistance"
PDF = {
    (200, "application/pdf"): OpenApiResponse(
        response=OpenApiTypes.BINARY, description=gettext_lazy("The PDF to print.")
    )
}


class PdfRenderer(BaseRenderer):
    """Lets a PDF answer clients that ask for application/pdf."""

    media_type = "application/pdf"
    format = "pdf"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _person(case, person_id):
    member = case.members.select_related("person").filter(person_id=person_id).first()
    if member is None:
        raise ValidationFailed(fields={"person": [_("This person is not a member of the case.")]})
    return member.person


def _organisation(pk):
    if pk is None:
        return None
    org = Organisation.objects.filter(pk=pk).first()
    if org is None:
        raise ValidationFailed(fields={"provider": [_("Choose an active partner organisation.")]})
    return org


def _project(pk):
    if pk is None:
        return None
    project = Project.objects.filter(pk=pk).first()
    if project is None:
        raise ValidationFailed(fields={"project": [_("Unknown project.")]})
    return project


class LineView(CaseView):
    def line(self, case):
        line = selectors.case_lines(case).filter(pk=self.kwargs["line_pk"]).first()
        if line is None:
            raise NotFound()
        line.case = case
        return line

    def viewable_case(self):
        case = self.get_case()
        if not policies.may_view(self.request.user, case):
            raise PermissionDenied()
        return case

    def recordable_case(self):
        case = self.get_case()
        if not policies.may_record(self.request.user, case):
            raise PermissionDenied()
        return case


class CaseAssistanceListView(LineView):
    pagination_class = cursor_pagination("-start_date", "-id")
    serializer_class = AssistanceLineSerializer

    @extend_schema(
        operation_id="cases_assistance_list", responses=AssistanceLineSerializer(many=True)
    )
    def get(self, request, case_pk: int):
        """The case's assistance lines, newest first, cancelled ones included (status). The
        read is audited."""
        case = self.read_case(PART, action="assistance.view")
        return self.paginated(selectors.case_lines(case))

    @extend_schema(
        operation_id="cases_assistance_create",
        request=AssistanceLineCreateSerializer,
        responses={201: AssistanceLineSerializer},
    )
    def post(self, request, case_pk: int):
        """Record a line of assistance for a member (caseworkers, managers, protection and
        medical officers of the host office), from registration up to departure (400
        case_status otherwise). total = quantity x unit_cost, to the cent."""
        case = self.recordable_case()
        data = AssistanceLineCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        line = services.assistance_record(
            request.user,
            case=case,
            person=_person(case, v.pop("person")),
            provider=_organisation(v.pop("provider")),
            project=_project(v.pop("project")),
            **v,
        )
        line = selectors.case_lines(case).get(pk=line.pk)
        return Response(self.get_serializer(line).data, status=201)


class CaseAssistanceSummaryView(LineView):
    serializer_class = AssistanceSummarySerializer

    @extend_schema(operation_id="cases_assistance_summary", responses=AssistanceSummarySerializer)
    def get(self, request, case_pk: int):
        """Totals per currency (recorded lines), overall and per person, and persons assisted
        per kind. The read is audited."""
        case = self.read_case(PART, action="assistance.view")
        summary = selectors.assistance_summary(case)

        def totals(d):
            return [{"currency": c, "amount": a} for c, a in d.items()]

        body = {
            "line_count": summary.line_count,
            "cancelled_count": summary.cancelled_count,
            "persons": summary.persons,
            "totals": totals(summary.totals),
            "kinds": [{"kind": k, "persons": n} for k, n in summary.kinds.items()],
            "by_person": [
                {"person": pid, "totals": totals(t)}
                for pid, t in selectors.person_totals(case).items()
            ],
        }
        return Response(AssistanceSummarySerializer(body).data)


class CaseAssistanceCancelView(LineView):
    serializer_class = AssistanceLineSerializer

    @extend_schema(
        operation_id="cases_assistance_cancel",
        request=CancelSerializer,
        responses=AssistanceLineSerializer,
    )
    def post(self, request, case_pk: int, line_pk: int):
        """Cancel a recorded line with a reason and the `version` you read (409 stale_edit
        otherwise). The line stays in the ledger, out of the totals."""
        case = self.recordable_case()
        line = self.line(case)
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.assistance_cancel(
            request.user,
            line=line,
            reason=data.validated_data["reason"],
            expected_version=data.validated_data["version"],
        )
        return Response(self.get_serializer(selectors.case_lines(case).get(pk=line.pk)).data)


class CaseAssistanceReceiptView(LineView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(operation_id="cases_assistance_receipt", responses=PDF)
    def get(self, request, case_pk: int, line_pk: int):
        """The receipt of one recorded line, to print and have signed (PDF). Audited."""
        case = self.viewable_case()
        line = self.line(case)
        if line.status != "recorded":
            raise NotFound()
        data = services.assistance_receipt_print(request.user, case=case, lines=[line])
        return pdf_response(data, f"receipt-{case.number}-{line.pk}.pdf", inline=False)


class CasePersonReceiptView(LineView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(operation_id="cases_assistance_person_receipt", responses=PDF)
    def get(self, request, case_pk: int, person_pk: int):
        """The receipt of every recorded line of a member (PDF). Audited."""
        case = self.viewable_case()
        if not case.members.filter(person_id=person_pk).exists():
            raise NotFound()
        lines = list(selectors.case_lines(case, person_ids=[person_pk], include_cancelled=False))[
            ::-1
        ]
        if not lines:
            raise NotFound()
        data = services.assistance_receipt_print(request.user, case=case, lines=lines)
        return pdf_response(data, f"receipt-{case.number}-{person_pk}.pdf", inline=False)


class CaseAssistanceSignedReceiptView(LineView):
    parser_classes = [MultiPartParser]
    serializer_class = AssistanceLineSerializer
    conflict_statuses = False

    @extend_schema(
        operation_id="cases_assistance_signed_receipt_upload",
        request={"multipart/form-data": ReceiptUploadSerializer},
        responses={201: AssistanceLineSerializer},
    )
    def post(self, request, case_pk: int, line_pk: int):
        """Upload the signed copy of a line's receipt (multipart/form-data; PDF, JPEG or PNG,
        checked like case attachments)."""
        case = self.recordable_case()
        line = self.line(case)
        data = ReceiptUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.assistance_receipt_attach(
            request.user, case=case, lines=[line], file=data.validated_data["file"]
        )
        line = selectors.case_lines(case).get(pk=line.pk)
        return Response(self.get_serializer(line).data, status=201)


class CasePersonSignedReceiptView(LineView):
    parser_classes = [MultiPartParser]
    serializer_class = AssistanceLineSerializer
    conflict_statuses = False

    @extend_schema(
        operation_id="cases_assistance_person_signed_receipt_upload",
        request={"multipart/form-data": PersonReceiptUploadSerializer},
        responses={201: AssistanceLineSerializer(many=True)},
    )
    def post(self, request, case_pk: int):
        """Upload the signed copy of a person's receipt: linked to their recorded lines that
        have no signed copy yet (400 when there is none)."""
        case = self.recordable_case()
        data = PersonReceiptUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = _person(case, data.validated_data["person"])
        lines = [
            ln
            for ln in selectors.case_lines(case, person_ids=[person.pk], include_cancelled=False)
            if not ln.receipt_id
        ]
        services.assistance_receipt_attach(
            request.user, case=case, lines=lines, file=data.validated_data["file"]
        )
        rows = selectors.case_lines(case).filter(pk__in=[ln.pk for ln in lines])
        return Response(self.get_serializer(rows, many=True).data, status=201)


class CaseAssistanceReceiptDownloadView(LineView):
    renderer_classes = [JSONRenderer, PassthroughRenderer]

    @extend_schema(
        operation_id="cases_assistance_signed_receipt_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=gettext_lazy("The file, as uploaded.")
            )
        },
    )
    def get(self, request, case_pk: int, receipt_pk: int):
        """Download a signed receipt. Every download is audited."""
        case = self.viewable_case()
        receipt = SignedReceipt.objects.filter(case=case, pk=receipt_pk).first()
        if receipt is None:
            raise NotFound()
        services.assistance_receipt_viewed(request.user, receipt=receipt, case=case)
        return FileResponse(
            receipt.file.open("rb"),
            as_attachment=True,
            filename=receipt.original_name,
            content_type=receipt.content_type,
        )


# ---- distributions ------------------------------------------------------------------------------

OFFICE_QUERY = OpenApiParameter(
    "office",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description=gettext_lazy("Only the distributions of this office."),
)


class DistributionListView(ApiView):
    pagination_class = cursor_pagination("-distributed_on", "-id")
    serializer_class = DistributionSerializer

    @extend_schema(
        operation_id="assistance_distributions_list",
        parameters=[OFFICE_QUERY],
        responses=DistributionSerializer(many=True),
    )
    def get(self, request):
        """The distributions of the offices where you may see assistance, newest first."""
        office = request.query_params.get("office")
        # isdigit() alone accepts digits int() refuses ("²")
        if office not in (None, "") and not (office.isascii() and office.isdigit()):
            raise ValidationFailed(fields={"office": [_("Enter a whole number.")]})
        qs = selectors.distribution_list_for(request.user, office=int(office) if office else None)
        return self.paginated(qs)

    @extend_schema(
        operation_id="assistance_distributions_create",
        request=DistributionCreateSerializer,
        responses={201: DistributionDetailSerializer},
    )
    def post(self, request):
        """Record a distribution: the same items, the same day, to each (case, person) of
        `recipients` (cases of `office`). All or nothing: one invalid row and nothing is
        recorded; the error names the row, the person and the field."""
        data = DistributionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        office_id = v.pop("office")
        if office_id not in policies.offices_recording(request.user):
            raise PermissionDenied()
        office = Office.objects.get(pk=office_id)
        rows = v.pop("recipients")
        cases = selectors.cases_by_id(request.user, {r["case"] for r in rows})
        persons = {
            (m.case_id, m.person_id): m.person
            for m in CaseMember.objects.filter(case_id__in=list(cases)).select_related("person")
        }
        unknown = {
            f"recipients.{i}.case": [_("Row %(row)s: no such case.") % {"row": i + 1}]
            for i, r in enumerate(rows)
            if r["case"] not in cases
        }
        if unknown:
            raise ValidationFailed(fields=unknown)
        recipients = [(cases[r["case"]], persons.get((r["case"], r["person"]))) for r in rows]
        distribution = services.assistance_distribute(
            request.user,
            office=office,
            recipients=recipients,
            provider=_organisation(v.pop("provider")),
            project=_project(v.pop("project")),
            **v,
        )
        return Response(_detail(request, distribution), status=201)


def _detail(request, distribution):
    distribution = selectors.distribution_get_for(request.user, distribution.pk)
    distribution.line_rows = list(selectors.distribution_lines(distribution))
    distribution.recipient_count = len(distribution.line_rows)
    return DistributionDetailSerializer(distribution, context={"request": request}).data


class DistributionDetailView(ApiView):
    serializer_class = DistributionDetailSerializer

    @extend_schema(
        operation_id="assistance_distributions_retrieve", responses=DistributionDetailSerializer
    )
    def get(self, request, distribution_pk: int):
        """A distribution with its lines (recipients). The read is audited."""
        distribution = selectors.distribution_get_for(request.user, distribution_pk)
        services.distribution_viewed(request.user, distribution=distribution)
        return Response(_detail(request, distribution))


class DistributionSheetView(ApiView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(operation_id="assistance_distributions_sheet", responses=PDF)
    def get(self, request, distribution_pk: int):
        """The distribution sheet (PDF, one signature line per recipient). Audited."""
        distribution = selectors.distribution_get_for(request.user, distribution_pk)
        data = services.distribution_sheet_print(request.user, distribution=distribution)
        return pdf_response(data, f"distribution-{distribution.pk}.pdf", inline=False)
