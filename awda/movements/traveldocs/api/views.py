"""Travel documents API: the travel documents and exit authorisations of a case, and the batch
lists sent to a consulate or to the authorities.

Thin views over traveldocs.selectors and traveldocs.services. The case is resolved through the
scoped selector (404 outside your scope); every case read is audited (part "travel_documents").
A batch of an office where you do not hold traveldocs.view is a 404; every printout is audited."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from awda.cases.api.views import CaseView, PassthroughRenderer
from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView, version_param
from awda.core.documents import pdf_response, xlsx_response
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.registry.models import IdentityDocument

from .. import documents, policies, selectors, services
from ..choices import BatchKind
from ..models import BatchItem
from .serializers import (
    BatchAnswerSerializer,
    BatchCreateSerializer,
    BatchDetailSerializer,
    BatchItemSerializer,
    BatchSendSerializer,
    BatchSerializer,
    ExitAuthorisationAnswerSerializer,
    ExitAuthorisationCreateSerializer,
    ExitAuthorisationSerializer,
    ExitAuthorisationUpdateSerializer,
    TravelDocumentAnswerSerializer,
    TravelDocumentCreateSerializer,
    TravelDocumentSerializer,
    TravelDocumentUpdateSerializer,
)

PART = "travel_documents"


def _person(case, person_id):
    member = case.members.select_related("person").filter(person_id=person_id).first()
    if member is None:
        raise ValidationFailed(fields={"person": [_("This person is not a member of the case.")]})
    return member.person


def _org(queryset, pk):
    return queryset.filter(pk=pk).first() if pk else None


class TravelDocsCaseView(CaseView):
    def record_case(self):
        case = self.get_case()
        if not policies.may_record(self.request.user, case):
            raise PermissionDenied()
        return case


# ---- travel documents ---------------------------------------------------------------------------


class CaseTravelDocumentListView(TravelDocsCaseView):
    pagination_class = cursor_pagination("-created_at", "-id")
    serializer_class = TravelDocumentSerializer

    @extend_schema(
        operation_id="cases_travel_documents_list",
        responses=TravelDocumentSerializer(many=True),
    )
    def get(self, request, case_pk: int):
        """The travel documents of the case's members, newest first. The read is audited."""
        case = self.read_case(PART, action="traveldocs.view")
        return self.paginated(selectors.travel_documents(case))

    @extend_schema(
        operation_id="cases_travel_documents_create",
        request=TravelDocumentCreateSerializer,
        responses={201: TravelDocumentSerializer},
    )
    def post(self, request, case_pk: int):
        """Record a document a member holds (status issued: number and expiry required), or a
        laissez-passer requested from a consulate (status requested: consulate required).
        With `identity_document`, a passport from the person's identity documents is used."""
        case = self.record_case()
        data = TravelDocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        person = _person(case, v.pop("person"))
        consulate_id = v.pop("consulate")
        consulate = _org(selectors.consulates(), consulate_id)
        if consulate_id and consulate is None:
            raise ValidationFailed(fields={"consulate": [_("Choose an active consulate.")]})
        identity_id = v.pop("identity_document")
        identity = None
        if identity_id:
            identity = IdentityDocument.objects.filter(pk=identity_id, person=person).first()
            if identity is None:
                raise ValidationFailed(
                    fields={
                        "identity_document": [
                            _("Choose a passport or laissez-passer of this person.")
                        ]
                    }
                )
        doc = services.travel_document_record(
            request.user,
            case=case,
            person=person,
            consulate=consulate,
            identity_document=identity,
            **v,
        )
        doc = selectors.travel_documents(case).get(pk=doc.pk)
        return Response(self.get_serializer(doc).data, status=201)


class TravelDocumentView(TravelDocsCaseView):
    serializer_class = TravelDocumentSerializer

    def document(self, case, doc_pk):
        doc = selectors.travel_documents(case).filter(pk=doc_pk).first()
        if doc is None:
            raise NotFound()
        doc.case = case
        return doc


class CaseTravelDocumentDetailView(TravelDocumentView):
    @extend_schema(
        operation_id="cases_travel_documents_update",
        request=TravelDocumentUpdateSerializer,
        responses=TravelDocumentSerializer,
    )
    def patch(self, request, case_pk: int, doc_pk: int):
        """Correct a travel document, or cancel it (status cancelled), with the `version` you
        read; a stale one is refused with 409 stale_edit."""
        case = self.record_case()
        doc = self.document(case, doc_pk)
        data = TravelDocumentUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        if "consulate" in v:
            consulate_id = v["consulate"]
            v["consulate"] = _org(selectors.consulates(), consulate_id)
            if consulate_id and v["consulate"] is None:
                raise ValidationFailed(fields={"consulate": [_("Choose an active consulate.")]})
        services.travel_document_update(request.user, document=doc, expected_version=version, **v)
        return Response(self.get_serializer(self.document(case, doc_pk)).data)


class CaseTravelDocumentAnswerView(TravelDocumentView):
    @extend_schema(
        operation_id="cases_travel_documents_answer",
        request=TravelDocumentAnswerSerializer,
        responses=TravelDocumentSerializer,
    )
    def post(self, request, case_pk: int, doc_pk: int):
        """Record the consulate's answer to a request: issued (number, dates) or refused
        (reason), with the `version` you read."""
        case = self.record_case()
        doc = self.document(case, doc_pk)
        data = TravelDocumentAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        services.travel_document_answer(request.user, document=doc, expected_version=version, **v)
        return Response(self.get_serializer(self.document(case, doc_pk)).data)


# ---- exit authorisations ------------------------------------------------------------------------


class CaseExitAuthorisationListView(TravelDocsCaseView):
    pagination_class = cursor_pagination("-created_at", "-id")
    serializer_class = ExitAuthorisationSerializer

    @extend_schema(
        operation_id="cases_exit_authorisations_list",
        responses=ExitAuthorisationSerializer(many=True),
    )
    def get(self, request, case_pk: int):
        """The exit authorisations of the case's members, newest first. The read is audited."""
        case = self.read_case(PART, action="traveldocs.view")
        return self.paginated(selectors.exit_authorisations(case))

    @extend_schema(
        operation_id="cases_exit_authorisations_create",
        request=ExitAuthorisationCreateSerializer,
        responses={201: ExitAuthorisationSerializer},
    )
    def post(self, request, case_pk: int):
        """Record that a member's exit authorisation was requested from the authorities."""
        case = self.record_case()
        data = ExitAuthorisationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        person = _person(case, v.pop("person"))
        authority = _org(selectors.authorities(), v.pop("authority"))
        auth = services.exit_authorisation_request(
            request.user, case=case, person=person, authority=authority, **v
        )
        auth = selectors.exit_authorisations(case).get(pk=auth.pk)
        return Response(self.get_serializer(auth).data, status=201)


class ExitAuthorisationView(TravelDocsCaseView):
    serializer_class = ExitAuthorisationSerializer

    def authorisation(self, case, exit_pk):
        auth = selectors.exit_authorisations(case).filter(pk=exit_pk).first()
        if auth is None:
            raise NotFound()
        auth.case = case
        return auth


class CaseExitAuthorisationDetailView(ExitAuthorisationView):
    @extend_schema(
        operation_id="cases_exit_authorisations_update",
        request=ExitAuthorisationUpdateSerializer,
        responses=ExitAuthorisationSerializer,
    )
    def patch(self, request, case_pk: int, exit_pk: int):
        """Correct an exit authorisation with the `version` you read (409 when stale)."""
        case = self.record_case()
        auth = self.authorisation(case, exit_pk)
        data = ExitAuthorisationUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        if "authority" in v:
            v["authority"] = _org(selectors.authorities(), v["authority"])
        services.exit_authorisation_update(
            request.user, authorisation=auth, expected_version=version, **v
        )
        return Response(self.get_serializer(self.authorisation(case, exit_pk)).data)


class CaseExitAuthorisationAnswerView(ExitAuthorisationView):
    @extend_schema(
        operation_id="cases_exit_authorisations_answer",
        request=ExitAuthorisationAnswerSerializer,
        responses=ExitAuthorisationSerializer,
    )
    def post(self, request, case_pk: int, exit_pk: int):
        """Record the authorities' answer: granted (date, reference, validity) or refused
        (reason), with the `version` you read."""
        case = self.record_case()
        auth = self.authorisation(case, exit_pk)
        data = ExitAuthorisationAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        services.exit_authorisation_answer(
            request.user, authorisation=auth, expected_version=version, **v
        )
        return Response(self.get_serializer(self.authorisation(case, exit_pk)).data)


# ---- batches ------------------------------------------------------------------------------------


def _batch_data(request, batch):
    items = selectors.batch_items(batch)
    return BatchDetailSerializer(batch, context={"request": request, "items": items}).data


class BatchListView(ApiView):
    pagination_class = cursor_pagination("-created_at", "-id")
    serializer_class = BatchSerializer

    @extend_schema(
        operation_id="travel_document_batches_list", responses=BatchSerializer(many=True)
    )
    def get(self, request):
        """The batch lists of your offices, newest first."""
        return self.paginated(selectors.batch_list_for(request.user))

    @extend_schema(
        operation_id="travel_document_batches_create",
        request=BatchCreateSerializer,
        responses={201: BatchDetailSerializer},
    )
    def post(self, request):
        """Draw up a list for a consulate (laissez-passer requests) or for the authorities (exit
        authorisation requests) from case members who still need the document."""
        data = BatchCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        if v["office"] not in policies.batch_record_offices(request.user):
            raise PermissionDenied()
        recipient = _org(selectors.recipients(v["kind"]), v.pop("recipient"))
        batch = services.batch_create(request.user, recipient=recipient, **v)
        batch = selectors.batch_get_for(request.user, batch.pk)
        return Response(_batch_data(request, batch), status=201)


class BatchView(ApiView):
    serializer_class = BatchDetailSerializer
    conflict_statuses = True

    def batch(self, pk):
        return selectors.batch_get_for(self.request.user, pk)


class BatchDetailView(BatchView):
    @extend_schema(operation_id="travel_document_batches_retrieve", responses=BatchDetailSerializer)
    def get(self, request, batch_pk: int):
        """A list with its persons and the request each of them got once it was sent."""
        return Response(_batch_data(request, self.batch(batch_pk)))

    @extend_schema(
        operation_id="travel_document_batches_discard",
        request=None,
        parameters=[
            OpenApiParameter(
                "version",
                int,
                OpenApiParameter.QUERY,
                required=True,
                description=gettext_lazy("The version of the list you read (optimistic locking)."),
            )
        ],
        responses={204: None},
    )
    def delete(self, request, batch_pk: int):
        """Discard a draft list (never sent), so that its persons can go on another list; a sent
        list is a record and is refused (409 already_sent). Send the version you read as
        `?version=`."""
        services.batch_discard(
            request.user,
            batch=self.batch(batch_pk),
            expected_version=version_param(request),
        )
        return Response(status=204)


class BatchSendView(BatchView):
    @extend_schema(
        operation_id="travel_document_batches_send",
        request=BatchSendSerializer,
        responses=BatchDetailSerializer,
    )
    def post(self, request, batch_pk: int):
        """Record that the list was sent: a data transfer per case (consulate or authorities
        purpose) and a request per person. Refused as a whole (400 consent_missing, nothing
        written) when a person has no valid consent; the message names them."""
        batch = self.batch(batch_pk)
        data = BatchSendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.batch_send(
            request.user,
            batch=batch,
            expected_version=data.validated_data["version"],
            sent_on=data.validated_data["sent_on"],
        )
        return Response(_batch_data(request, self.batch(batch_pk)))


class BatchAnswerView(BatchView):
    serializer_class = BatchItemSerializer

    @extend_schema(
        operation_id="travel_document_batches_answer",
        request=BatchAnswerSerializer,
        responses=BatchItemSerializer,
    )
    def post(self, request, batch_pk: int, item_pk: int):
        """Record the answer for one person of a sent list, with the `version` of their request:
        issued/refused for a consulate list, granted/refused for an authorities list."""
        batch = self.batch(batch_pk)
        item = (
            BatchItem.objects.filter(batch=batch, pk=item_pk)
            .select_related("travel_document", "exit_authorisation")
            .first()
        )
        if item is None:
            raise NotFound()
        item.batch = batch
        data = BatchAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        services.batch_answer(request.user, item=item, expected_version=version, **v)
        item = selectors.batch_items(batch).get(pk=item.pk)
        return Response(BatchItemSerializer(item).data)


class XlsxRenderer(PassthroughRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class PdfRenderer(PassthroughRenderer):
    media_type = "application/pdf"
    format = "pdf"


class BatchPrintView(BatchView):
    fmt = "pdf"
    conflict_statuses = False

    def get(self, request, batch_pk: int):
        batch = self.batch(batch_pk)
        items = selectors.batch_items_with_documents(batch)
        services.batch_printed(request.user, batch=batch, items=items, fmt=self.fmt)
        kind = "laissez-passer" if batch.kind == BatchKind.CONSULATE else "exit"
        name = f"{kind}-list-{batch.pk}.{self.fmt}"
        if self.fmt == "pdf":
            return pdf_response(documents.batch_pdf(batch, items), name, inline=False)
        return xlsx_response(documents.batch_xlsx(batch, items), name)


class BatchPdfView(BatchPrintView):
    renderer_classes = [JSONRenderer, PdfRenderer]
    fmt = "pdf"

    @extend_schema(
        operation_id="travel_document_batches_pdf",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=gettext_lazy("The list as PDF.")
            )
        },
    )
    def get(self, request, batch_pk: int):
        """The printable list (PDF). Every print is audited."""
        return super().get(request, batch_pk)


class BatchXlsxView(BatchPrintView):
    renderer_classes = [JSONRenderer, XlsxRenderer]
    fmt = "xlsx"

    @extend_schema(
        operation_id="travel_document_batches_xlsx",
        responses={
            (200, XlsxRenderer.media_type): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=gettext_lazy("The list as XLSX.")
            )
        },
    )
    def get(self, request, batch_pk: int):
        """The list as a spreadsheet (XLSX). Every print is audited."""
        return super().get(request, batch_pk)
