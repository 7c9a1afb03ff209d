"""Delivery API: the purchases, cash tranches and referrals of a case, and their follow-up.

Thin views over delivery.selectors and delivery.services. A case or record outside your scope
answers 404; reads are audited (part "delivery"), and so are downloads of documents and prints
of the acknowledgement of receipt. Writes need reintegration.record (403 otherwise, checked by
the services)."""

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from awda.accounts.api.serializers import UserSummarySerializer
from awda.cases.api.views import CaseView, PassthroughRenderer
from awda.cases.services import case_viewed
from awda.core.api.fields import VersionField
from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.core.documents import pdf_response
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.finance.api.serializers import ProjectSummarySerializer
from awda.finance.models import CURRENCIES
from awda.registry.api.serializers import OrganisationSummarySerializer, PersonSummarySerializer
from awda.registry.models import Organisation

from .. import policies
from ..choices import (
    AssistanceType,
    DeliveryDocumentKind,
    PaymentChannel,
    PurchaseStatus,
    ReferralStatus,
    TrancheStatus,
)
from ..models import CashTranche, DeliveryDocument, Purchase, PurchaseLine, Referral
from . import selectors, services

PART = "delivery"
MAX_ID = 2**63 - 1


def _url(context, name, *args) -> str:
    url = reverse(name, args=args)
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


# ---- serializers --------------------------------------------------------------------------------


class PurchaseLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PurchaseLine
        fields = ["id", "description", "quantity", "unit", "unit_price", "total", "plan_item"]
        read_only_fields = fields


class DeliveryDocumentSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=DeliveryDocumentKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    uploaded_by = UserSummarySerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DeliveryDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, doc) -> str:
        return _url(self.context, "api-reintegration-document-download", doc.purchase_id, doc.pk)


class PurchaseSerializer(serializers.ModelSerializer):
    supplier = OrganisationSummarySerializer(read_only=True)
    project = ProjectSummarySerializer(read_only=True)
    status = serializers.ChoiceField(choices=PurchaseStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    lines = PurchaseLineSerializer(many=True, read_only=True)
    documents = DeliveryDocumentSerializer(many=True, read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    cancelled_by = UserSummarySerializer(read_only=True, allow_null=True)
    acknowledgement_pdf_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The acknowledgement of receipt to print (null when cancelled).")
    )

    class Meta:
        model = Purchase
        fields = [
            "id",
            "case",
            "plan",
            "supplier",
            "project",
            "currency",
            "ordered_on",
            "invoice_number",
            "total",
            "status",
            "status_label",
            "delivered_on",
            "acknowledged_on",
            "notes",
            "lines",
            "documents",
            "acknowledgement_pdf_url",
            "recorded_by",
            "created_at",
            "cancelled_at",
            "cancelled_by",
            "cancel_reason",
            "version",
        ]
        read_only_fields = fields

    def get_acknowledgement_pdf_url(self, purchase) -> str | None:
        if purchase.status == PurchaseStatus.CANCELLED:
            return None
        return _url(self.context, "api-reintegration-purchase-acknowledgement", purchase.pk)


class LineInputSerializer(serializers.Serializer):
    """Lenient on purpose: the service checks each line and names the error
    ("lines[1].quantity")."""

    description = serializers.CharField(required=False, allow_blank=True, default="")
    quantity = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=gettext_lazy("A decimal > 0.")
    )
    unit = serializers.CharField(required=False, allow_blank=True, default="")
    unit_price = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("A decimal >= 0, at most two decimals."),
    )
    plan_item = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy("An item of the approved plan this line buys."),
    )


class PurchaseCreateSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    lines = LineInputSerializer(many=True, allow_empty=True)
    ordered_on = serializers.DateField(required=False, allow_null=True, default=None)
    currency = serializers.ChoiceField(
        choices=CURRENCIES,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Empty: the plan's currency."),
    )
    invoice_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=60
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DeliverSerializer(serializers.Serializer):
    delivered_on = serializers.DateField()
    version = VersionField()


class AcknowledgeSerializer(serializers.Serializer):
    acknowledged_on = serializers.DateField()
    version = VersionField()


class DeliveryCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    version = VersionField()


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeliveryDocumentKind.choices)
    file = serializers.FileField(help_text=gettext_lazy("PDF, JPEG or PNG (checked)."))


class TrancheSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    project = ProjectSummarySerializer(read_only=True)
    channel = serializers.ChoiceField(choices=PaymentChannel.choices, read_only=True)
    status = serializers.ChoiceField(choices=TrancheStatus.choices, read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    cancelled_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CashTranche
        fields = [
            "id",
            "case",
            "plan",
            "person",
            "project",
            "amount",
            "currency",
            "due_on",
            "paid_on",
            "channel",
            "reference",
            "status",
            "notes",
            "recorded_by",
            "created_at",
            "cancelled_at",
            "cancelled_by",
            "cancel_reason",
            "version",
        ]
        read_only_fields = fields


class TrancheCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=gettext_lazy("A member of the case.")
    )
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    currency = serializers.ChoiceField(
        choices=CURRENCIES, required=False, allow_blank=True, default=""
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    channel = serializers.ChoiceField(choices=PaymentChannel.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class PaySerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    version = VersionField()


class ReferralSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    project = ProjectSummarySerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=AssistanceType.choices, read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "plan",
            "person",
            "organisation",
            "kind",
            "service",
            "referred_on",
            "status",
            "outcome",
            "cost",
            "currency",
            "project",
            "recorded_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(choices=AssistanceType.choices)
    service = serializers.CharField(max_length=200)
    referred_on = serializers.DateField(required=False, allow_null=True, default=None)
    cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    currency = serializers.ChoiceField(
        choices=CURRENCIES, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    version = VersionField()


class DeliveryCurrencyTotalSerializer(serializers.Serializer):
    currency = serializers.CharField()
    committed = serializers.DecimalField(max_digits=14, decimal_places=2)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class DeliveryTotalsSerializer(serializers.Serializer):
    currencies = DeliveryCurrencyTotalSerializer(many=True)
    plan_total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    plan_currency = serializers.CharField(allow_blank=True)
    plan_used = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    plan_remaining = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    over_plan = serializers.BooleanField()


# ---- helpers ------------------------------------------------------------------------------------

PDF = {
    (200, "application/pdf"): OpenApiResponse(
        response=OpenApiTypes.BINARY, description=gettext_lazy("The PDF to print.")
    )
}
DOWNLOAD = {
    (200, "application/octet-stream"): OpenApiResponse(
        response=OpenApiTypes.BINARY, description=gettext_lazy("The file, as uploaded.")
    )
}


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _member(case, person_id):
    member = case.members.select_related("person").filter(person_id=person_id).first()
    if member is None:
        raise ValidationFailed(fields={"person": [_("This person is not a member of the case.")]})
    return member.person


def _organisation(pk):
    return Organisation.objects.filter(pk=pk).first()


class DeliveryCaseView(CaseView):
    def viewed_case(self):
        return self.read_case(PART, action="reintegration.view")


class RecordView(ApiView):
    """Base of /reintegration/<record>/<id>/ views: the record is resolved through the scoped
    selectors (404 outside your scope)."""

    conflict_statuses = True

    def purchase(self):
        return selectors.purchase_get_for(self.request.user, self.kwargs["purchase_pk"])

    def fresh_purchase(self, purchase):
        return selectors.purchase_get_for(self.request.user, purchase.pk)


# ---- purchases ----------------------------------------------------------------------------------


class CasePurchaseListView(DeliveryCaseView):
    pagination_class = cursor_pagination("-ordered_on", "-id")
    serializer_class = PurchaseSerializer
    conflict_statuses = False

    @extend_schema(operation_id="cases_purchases_list", responses=PurchaseSerializer(many=True))
    def get(self, request, case_pk: int):
        """The case's in-kind purchases, newest first, with lines and documents (cancelled
        ones included). The read is audited."""
        case = self.viewed_case()
        return self.paginated(selectors.case_purchases(case))

    @extend_schema(
        operation_id="cases_purchases_create",
        request=PurchaseCreateSerializer,
        responses={201: PurchaseSerializer},
    )
    def post(self, request, case_pk: int):
        """Order goods from a supplier under the case's approved plan, charged to its project.
        Each line's total is quantity x unit_price to the cent; the purchase total is their
        sum. An invalid line is named: `lines[1].quantity`."""
        case = self.get_case()
        data = PurchaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        purchase = services.purchase_create(
            request.user,
            case=case,
            supplier=_organisation(v.pop("supplier")),
            lines=[dict(line) for line in v.pop("lines")],
            **v,
        )
        purchase = selectors.purchase_get_for(request.user, purchase.pk)
        return Response(self.get_serializer(purchase).data, status=201)


class PurchaseDetailView(RecordView):
    serializer_class = PurchaseSerializer

    @extend_schema(operation_id="reintegration_purchases_retrieve", responses=PurchaseSerializer)
    def get(self, request, purchase_pk: int):
        """A purchase with its lines and documents. The read is audited."""
        purchase = self.purchase()
        case_viewed(request.user, case=purchase.case, part=PART)
        return Response(self.get_serializer(purchase).data)


class PurchaseDeliverView(RecordView):
    serializer_class = PurchaseSerializer

    @extend_schema(
        operation_id="reintegration_purchases_deliver",
        request=DeliverSerializer,
        responses=PurchaseSerializer,
    )
    def post(self, request, purchase_pk: int):
        """The supplier delivered the purchase (with the `version` you read)."""
        purchase = self.purchase()
        data = DeliverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.purchase_deliver(
            request.user,
            purchase=purchase,
            delivered_on=data.validated_data["delivered_on"],
            expected_version=data.validated_data["version"],
        )
        return Response(self.get_serializer(self.fresh_purchase(purchase)).data)


class PurchaseAcknowledgeView(RecordView):
    serializer_class = PurchaseSerializer

    @extend_schema(
        operation_id="reintegration_purchases_acknowledge",
        request=AcknowledgeSerializer,
        responses=PurchaseSerializer,
    )
    def post(self, request, purchase_pk: int):
        """The returnee signed the acknowledgement of receipt of a delivered purchase."""
        purchase = self.purchase()
        data = AcknowledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.purchase_acknowledge(
            request.user,
            purchase=purchase,
            acknowledged_on=data.validated_data["acknowledged_on"],
            expected_version=data.validated_data["version"],
        )
        return Response(self.get_serializer(self.fresh_purchase(purchase)).data)


class PurchaseCancelView(RecordView):
    serializer_class = PurchaseSerializer

    @extend_schema(
        operation_id="reintegration_purchases_cancel",
        request=DeliveryCancelSerializer,
        responses=PurchaseSerializer,
    )
    def post(self, request, purchase_pk: int):
        """Cancel an ordered purchase with a reason (a delivered one cannot be cancelled). It
        is kept, out of the totals."""
        purchase = self.purchase()
        data = DeliveryCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.purchase_cancel(
            request.user,
            purchase=purchase,
            reason=data.validated_data["reason"],
            expected_version=data.validated_data["version"],
        )
        return Response(self.get_serializer(self.fresh_purchase(purchase)).data)


class PurchaseDocumentsView(RecordView):
    parser_classes = [MultiPartParser]
    serializer_class = DeliveryDocumentSerializer
    conflict_statuses = False

    @extend_schema(
        operation_id="reintegration_purchases_documents_upload",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DeliveryDocumentSerializer},
    )
    def post(self, request, purchase_pk: int):
        """Attach an invoice, a supplier's receipt or the signed acknowledgement
        (multipart/form-data; PDF, JPEG or PNG, checked like case attachments)."""
        purchase = self.purchase()
        data = DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        doc = services.delivery_document_attach(
            request.user,
            purchase=purchase,
            kind=data.validated_data["kind"],
            upload=data.validated_data["file"],
        )
        return Response(self.get_serializer(doc).data, status=201)


class PurchaseDocumentDownloadView(RecordView):
    renderer_classes = [JSONRenderer, PassthroughRenderer]
    conflict_statuses = False

    @extend_schema(operation_id="reintegration_purchases_documents_download", responses=DOWNLOAD)
    def get(self, request, purchase_pk: int, document_pk: int):
        """Download a document of a purchase. Every download is audited."""
        doc = selectors.document_of(self.purchase(), document_pk)
        try:
            handle = doc.file.open("rb")  # first: a missing file is not audited as downloaded
        except FileNotFoundError:
            raise NotFound() from None
        services.delivery_document_viewed(request.user, document=doc)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=doc.original_name,
            content_type=doc.content_type,
        )


class PurchaseAcknowledgementView(RecordView):
    renderer_classes = [JSONRenderer, PdfRenderer]
    conflict_statuses = False

    @extend_schema(operation_id="reintegration_purchases_acknowledgement", responses=PDF)
    def get(self, request, purchase_pk: int):
        """The acknowledgement of receipt to print and have signed (PDF). Audited."""
        purchase = self.purchase()
        data = services.acknowledgement_print(request.user, purchase=purchase)
        return pdf_response(
            data, f"acknowledgement-{purchase.case.number}-{purchase.pk}.pdf", inline=False
        )


# ---- tranches -----------------------------------------------------------------------------------


class CaseTrancheListView(DeliveryCaseView):
    pagination_class = cursor_pagination("id")
    serializer_class = TrancheSerializer

    @extend_schema(operation_id="cases_tranches_list", responses=TrancheSerializer(many=True))
    def get(self, request, case_pk: int):
        """The case's cash tranches (cancelled ones included). The read is audited."""
        case = self.viewed_case()
        return self.paginated(selectors.case_tranches(case).order_by("id"))

    @extend_schema(
        operation_id="cases_tranches_create",
        request=TrancheCreateSerializer,
        responses={201: TrancheSerializer},
    )
    def post(self, request, case_pk: int):
        """Plan a cash tranche for a member under the approved plan, charged to its project."""
        case = self.get_case()
        if not policies.may_record(request.user, case):
            raise PermissionDenied()
        data = TrancheCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        tranche = services.tranche_plan(
            request.user, case=case, person=_member(case, v.pop("person")), **v
        )
        return Response(
            self.get_serializer(selectors.tranche_get_for(request.user, tranche.pk)).data,
            status=201,
        )


class TrancheActionView(RecordView):
    serializer_class = TrancheSerializer

    def tranche(self):
        return selectors.tranche_get_for(self.request.user, self.kwargs["tranche_pk"])

    def done(self, tranche):
        return Response(
            self.get_serializer(selectors.tranche_get_for(self.request.user, tranche.pk)).data
        )


class TranchePayView(TrancheActionView):
    @extend_schema(
        operation_id="reintegration_tranches_pay",
        request=PaySerializer,
        responses=TrancheSerializer,
    )
    def post(self, request, tranche_pk: int):
        """A planned tranche was paid (with the `version` you read)."""
        tranche = self.tranche()
        data = PaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.tranche_pay(
            request.user,
            tranche=tranche,
            paid_on=data.validated_data["paid_on"],
            reference=data.validated_data["reference"],
            expected_version=data.validated_data["version"],
        )
        return self.done(tranche)


class TrancheCancelView(TrancheActionView):
    @extend_schema(
        operation_id="reintegration_tranches_cancel",
        request=DeliveryCancelSerializer,
        responses=TrancheSerializer,
    )
    def post(self, request, tranche_pk: int):
        """Cancel a planned tranche with a reason (a paid one cannot be cancelled)."""
        tranche = self.tranche()
        data = DeliveryCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.tranche_cancel(
            request.user,
            tranche=tranche,
            reason=data.validated_data["reason"],
            expected_version=data.validated_data["version"],
        )
        return self.done(tranche)


# ---- referrals ----------------------------------------------------------------------------------


class CaseReferralListView(DeliveryCaseView):
    pagination_class = cursor_pagination("-referred_on", "-id")
    serializer_class = ReferralSerializer

    @extend_schema(operation_id="cases_referrals_list", responses=ReferralSerializer(many=True))
    def get(self, request, case_pk: int):
        """The case's referrals, newest first. The read is audited."""
        case = self.viewed_case()
        return self.paginated(selectors.case_referrals(case))

    @extend_schema(
        operation_id="cases_referrals_create",
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer},
    )
    def post(self, request, case_pk: int):
        """Refer a member to a service (from the arrival on); with a `cost`, it is charged to
        the plan's (or case's) project."""
        case = self.get_case()
        if not policies.may_record(request.user, case):
            raise PermissionDenied()
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        referral = services.referral_create(
            request.user,
            case=case,
            person=_member(case, v.pop("person")),
            organisation=_organisation(v.pop("organisation")),
            **v,
        )
        return Response(
            self.get_serializer(selectors.referral_get_for(request.user, referral.pk)).data,
            status=201,
        )


class ReferralDetailView(RecordView):
    serializer_class = ReferralSerializer

    @extend_schema(operation_id="reintegration_referrals_retrieve", responses=ReferralSerializer)
    def get(self, request, referral_pk: int):
        """A referral. The read is audited."""
        referral = selectors.referral_get_for(request.user, referral_pk)
        case_viewed(request.user, case=referral.case, part=PART)
        return Response(self.get_serializer(referral).data)

    @extend_schema(
        operation_id="reintegration_referrals_update",
        request=ReferralUpdateSerializer,
        responses=ReferralSerializer,
    )
    def patch(self, request, referral_pk: int):
        """Follow a referral up: its status and outcome (with the `version` you read)."""
        referral = selectors.referral_get_for(request.user, referral_pk)
        data = ReferralUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.referral_update(
            request.user,
            referral=referral,
            status=data.validated_data["status"],
            outcome=data.validated_data["outcome"],
            expected_version=data.validated_data["version"],
        )
        return Response(
            self.get_serializer(selectors.referral_get_for(request.user, referral.pk)).data
        )


# ---- totals -------------------------------------------------------------------------------------


class CaseDeliveryTotalsView(DeliveryCaseView):
    serializer_class = DeliveryTotalsSerializer

    @extend_schema(operation_id="cases_delivery_totals", responses=DeliveryTotalsSerializer)
    def get(self, request, case_pk: int):
        """Money per currency: committed (ordered purchases, planned tranches, open referral
        costs), spent (delivered, paid, completed) and their total, against the approved plan.
        The read is audited."""
        case = self.viewed_case()
        totals = selectors.case_totals(case)
        body = {
            "currencies": [
                {
                    "currency": r.currency,
                    "committed": r.committed,
                    "spent": r.spent,
                    "total": r.total,
                }
                for r in totals.currencies
            ],
            "plan_total": totals.plan_total,
            "plan_currency": totals.plan_currency,
            "plan_used": totals.plan_used,
            "plan_remaining": totals.plan_remaining,
            "over_plan": totals.over_plan,
        }
        return Response(DeliveryTotalsSerializer(body).data)
