"""Serializers of the assistance API. Input serializers parse; the rules stay in the services."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from awda.accounts.api.serializers import UserSummarySerializer
from awda.core.api.fields import VersionField
from awda.finance.api.serializers import ProjectSummarySerializer
from awda.finance.models import CURRENCIES
from awda.registry.api.serializers import OrganisationSummarySerializer, PersonSummarySerializer

from ..choices import AssistanceKind, LineStatus
from ..models import AssistanceLine, Distribution, SignedReceipt

PERSON_HELP = _("The id of the person (a member of the case).")
MAX_ID = 2**63 - 1  # the largest primary key (BigAutoField)


class IdField(serializers.IntegerField):
    """The id of a record: a positive integer that fits a primary key (a larger one is a field
    error, not a database error)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def _url(context, name, *args) -> str:
    url = reverse(name, args=args)
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


class SignedReceiptSerializer(serializers.ModelSerializer):
    uploaded_by = UserSummarySerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SignedReceipt
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, receipt) -> str:
        return _url(
            self.context, "api-case-assistance-receipt-download", receipt.case_id, receipt.pk
        )


class AssistanceLineSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    kind = serializers.ChoiceField(choices=AssistanceKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.ChoiceField(choices=LineStatus.choices, read_only=True)
    provider = OrganisationSummarySerializer(read_only=True, allow_null=True)
    project = ProjectSummarySerializer(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    cancelled_by = UserSummarySerializer(read_only=True, allow_null=True)
    receipt = SignedReceiptSerializer(read_only=True, allow_null=True)
    distribution = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    receipt_pdf_url = serializers.SerializerMethodField(
        help_text=_("The receipt to print and have signed (PDF); null for a cancelled line.")
    )

    class Meta:
        model = AssistanceLine
        fields = [
            "id",
            "case",
            "person",
            "kind",
            "kind_label",
            "start_date",
            "end_date",
            "place",
            "nights",
            "provider",
            "description",
            "quantity",
            "unit",
            "unit_cost",
            "currency",
            "total",
            "project",
            "notes",
            "distribution",
            "status",
            "cancelled_at",
            "cancelled_by",
            "cancel_reason",
            "receipt",
            "receipt_pdf_url",
            "recorded_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_receipt_pdf_url(self, line) -> str | None:
        if line.status != LineStatus.RECORDED:
            return None
        return _url(self.context, "api-case-assistance-receipt", line.case_id, line.pk)


class ItemInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AssistanceKind.choices)
    end_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("For a period.")
    )
    place = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text=_("Accommodation.")
    )
    nights = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=366,
        help_text=_("Accommodation; default: the length of the period."),
    )
    provider = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The id of the partner organisation that provided it."),
    )
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )
    quantity = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Accommodation: default the nights."),
    )
    unit = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=30,
        help_text=_("night, meal, kit, session... Default: the usual unit of the kind."),
    )
    unit_cost = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    project = IdField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class AssistanceLineCreateSerializer(ItemInputSerializer):
    person = IdField(help_text=PERSON_HELP)
    start_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Default: today.")
    )
    currency = serializers.ChoiceField(
        choices=CURRENCIES,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Default: the project's currency."),
    )
    project = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The project charged; default: the case's project (of the case's mission)."),
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    version = VersionField()


class ReceiptUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("The signed copy: PDF, JPEG or PNG; size limited by AWDA_MAX_UPLOAD_MB.")
    )


class PersonReceiptUploadSerializer(ReceiptUploadSerializer):
    person = IdField(help_text=PERSON_HELP)


class CurrencyTotalSerializer(serializers.Serializer):
    currency = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class KindCountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AssistanceKind.choices)
    persons = serializers.IntegerField()


class PersonTotalsSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    totals = CurrencyTotalSerializer(many=True)


class AssistanceSummarySerializer(serializers.Serializer):
    line_count = serializers.IntegerField(help_text=_("Recorded lines (cancelled ones apart)."))
    cancelled_count = serializers.IntegerField()
    persons = serializers.IntegerField(help_text=_("Persons who received some assistance."))
    totals = CurrencyTotalSerializer(many=True)
    kinds = KindCountSerializer(many=True, help_text=_("Persons assisted, per kind."))
    by_person = PersonTotalsSerializer(many=True)


# ---- distributions ------------------------------------------------------------------------------


class DistributionSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=AssistanceKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)
    provider = OrganisationSummarySerializer(read_only=True, allow_null=True)
    recorded_by = UserSummarySerializer(read_only=True)
    recipient_count = serializers.IntegerField(read_only=True)
    sheet_pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Distribution
        fields = [
            "id",
            "office",
            "office_name",
            "distributed_on",
            "kind",
            "kind_label",
            "description",
            "provider",
            "quantity",
            "unit",
            "unit_cost",
            "currency",
            "notes",
            "recipient_count",
            "recorded_by",
            "created_at",
            "sheet_pdf_url",
        ]
        read_only_fields = fields

    def get_sheet_pdf_url(self, distribution) -> str:
        return _url(self.context, "api-assistance-distribution-sheet", distribution.pk)


class DistributionLineSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    person = PersonSummarySerializer(read_only=True)
    project = ProjectSummarySerializer(read_only=True)
    status = serializers.ChoiceField(choices=LineStatus.choices, read_only=True)

    class Meta:
        model = AssistanceLine
        fields = [
            "id",
            "case",
            "case_number",
            "person",
            "quantity",
            "unit",
            "total",
            "currency",
            "project",
            "status",
            "cancel_reason",
            "version",
        ]
        read_only_fields = fields


class DistributionDetailSerializer(DistributionSerializer):
    lines = DistributionLineSerializer(many=True, read_only=True, source="line_rows")

    class Meta(DistributionSerializer.Meta):
        fields = [*DistributionSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class RecipientSerializer(serializers.Serializer):
    case = IdField(help_text=_("The id of the case."))
    person = IdField(help_text=PERSON_HELP)


class DistributionCreateSerializer(ItemInputSerializer):
    office = IdField(help_text=_("The id of the office distributing."))
    distributed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Default: today.")
    )
    description = serializers.CharField(max_length=300, help_text=_("The items given."))
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2, help_text=_("Per person."))
    currency = serializers.ChoiceField(choices=CURRENCIES)
    project = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The project charged for every line; default: each case's own project."),
    )
    recipients = RecipientSerializer(
        many=True,
        help_text=_(
            "The persons (case, person), at most 500. All or nothing: one invalid row and "
            'nothing is recorded (fields "recipients.<row>.<field>", details.rows).'
        ),
    )
