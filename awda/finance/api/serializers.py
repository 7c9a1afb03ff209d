from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from awda.accounts.api.serializers import UserSummarySerializer
from awda.core.api.fields import VersionField

from ..choices import ChargeSource, ChargeStage, CostCategory
from ..models import (
    CURRENCIES,
    BudgetLine,
    BudgetOverride,
    Charge,
    Contribution,
    Donor,
    ExchangeRate,
    PersonCap,
    Project,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}


def _enum(choices):
    """A choice field of `choices` (named in the schema by SPECTACULAR ENUM_NAME_OVERRIDES)."""

    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices.choices, **kwargs)

    return EnumField


CostCategoryField = _enum(CostCategory)
ChargeStageField = _enum(ChargeStage)
ChargeSourceField = _enum(ChargeSource)


class DonorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Donor
        fields = ["id", "name", "short_name", "country", "iati_identifier"]
        read_only_fields = fields


class ProjectSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "name"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    donors = DonorSerializer(many=True, read_only=True)
    eligible_office_ids = serializers.PrimaryKeyRelatedField(
        source="eligible_offices", many=True, read_only=True
    )
    eligible_nationalities = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "mission",
            "donors",
            "start_date",
            "end_date",
            "currency",
            "eligible_office_ids",
            "eligible_nationalities",
            "is_active",
        ]
        read_only_fields = fields


# ---- budgets ------------------------------------------------------------------------------------


class ProjectBudgetSummarySerializer(serializers.ModelSerializer):
    """A project with its totals (in its currency)."""

    donors = DonorSerializer(many=True, read_only=True)
    allocated = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    remaining = serializers.SerializerMethodField()
    unallocated = serializers.DecimalField(
        **MONEY, help_text=_("Committed and spent on no budget line.")
    )
    awaiting = serializers.IntegerField(
        read_only=True, help_text=_("Charges awaiting an exchange rate (not in the totals).")
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "mission",
            "donors",
            "start_date",
            "end_date",
            "currency",
            "is_active",
            "allocated",
            "committed",
            "spent",
            "remaining",
            "unallocated",
            "awaiting",
        ]
        read_only_fields = fields

    def get_remaining(self, project) -> str:
        return f"{project.allocated - project.committed - project.spent:.2f}"


class BudgetLineSerializer(serializers.ModelSerializer):
    categories = serializers.ListField(child=CostCategoryField(), read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "project",
            "code",
            "name",
            "amount",
            "categories",
            "warning_percent",
            "overrun_allowed",
            "version",
        ]
        read_only_fields = fields


class BudgetLineWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("Allocated, in the project's currency.")
    )
    categories = serializers.ListField(
        child=CostCategoryField(),
        required=False,
        default=list,
        max_length=len(CostCategory.values),
        help_text=_("What the line pays for; empty: the project's general line."),
    )
    warning_percent = serializers.IntegerField(min_value=1, max_value=100, default=90)


class BudgetLineUpdateSerializer(BudgetLineWriteSerializer):
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("categories", "warning_percent"):
            self.fields[name].default = serializers.empty


class BudgetLineResultSerializer(BudgetLineSerializer):
    warning = serializers.CharField(
        read_only=True,
        default="",
        help_text=_("Set when the new allocation is below what the line already carries."),
    )

    class Meta(BudgetLineSerializer.Meta):
        fields = [*BudgetLineSerializer.Meta.fields, "warning"]
        read_only_fields = fields


class LineFiguresSerializer(serializers.Serializer):
    line = BudgetLineSerializer(read_only=True, allow_null=True)
    allocated = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    percent = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True
    )
    warning = serializers.BooleanField(read_only=True)
    over = serializers.BooleanField(read_only=True)
    overrun_allowed = serializers.DecimalField(**MONEY)
    charges = serializers.IntegerField(read_only=True)
    over_budget_charges = serializers.IntegerField(
        read_only=True, help_text=_("Costs accepted past the line's allocation (flagged).")
    )
    over_cap_charges = serializers.IntegerField(
        read_only=True, help_text=_("Costs accepted past a person's cap (flagged).")
    )


class AwaitingSerializer(serializers.Serializer):
    currency = serializers.CharField(read_only=True)
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    charges = serializers.IntegerField(read_only=True)


class BudgetTotalsSerializer(serializers.Serializer):
    allocated = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    percent = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True
    )
    overrun_allowed = serializers.DecimalField(**MONEY)
    over_budget_charges = serializers.IntegerField(read_only=True)
    over_cap_charges = serializers.IntegerField(read_only=True)


class BurnMonthSerializer(serializers.Serializer):
    month = serializers.CharField(read_only=True, help_text=_("YYYY-MM"))
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    committed_cumulative = serializers.DecimalField(**MONEY)
    spent_cumulative = serializers.DecimalField(**MONEY)


class BudgetViewSerializer(serializers.Serializer):
    project = ProjectSummarySerializer(read_only=True)
    currency = serializers.CharField(read_only=True)
    lines = LineFiguresSerializer(many=True, read_only=True)
    unallocated = LineFiguresSerializer(
        read_only=True, help_text=_("Costs on no budget line (line is null).")
    )
    awaiting = AwaitingSerializer(
        many=True,
        read_only=True,
        help_text=_("Costs awaiting an exchange rate, per currency, in that currency."),
    )
    totals = BudgetTotalsSerializer(read_only=True)
    burn = BurnMonthSerializer(many=True, read_only=True)


class OverrideSerializer(serializers.ModelSerializer):
    """An override; its reason (free text that may name a case) and who granted it only for
    those who see the charges (context `see_reasons`): null for M&E officers."""

    PRIVATE = ("reason", "granted_by")

    reason = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_("Finance officers and managers only (null otherwise)."),
    )
    granted_by = UserSummarySerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Finance officers and managers only (null otherwise)."),
    )

    class Meta:
        model = BudgetOverride
        fields = ["id", "line", "amount", "reason", "granted_by", "created_at"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("see_reasons"):
            for name in self.PRIVATE:
                data[name] = None
        return data


class OverrideCreateSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text=_("Extra amount allowed past the allocation (added to earlier overrides)."),
    )
    reason = serializers.CharField(max_length=2000)


class PersonCapSerializer(serializers.ModelSerializer):
    category = CostCategoryField(read_only=True)

    class Meta:
        model = PersonCap
        fields = ["id", "project", "category", "amount"]
        read_only_fields = fields


class PersonCapWriteSerializer(serializers.Serializer):
    category = CostCategoryField()
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("Per person, in the project's currency.")
    )


class ContributionSerializer(serializers.ModelSerializer):
    donor = DonorSerializer(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "project",
            "donor",
            "amount",
            "currency",
            "received_on",
            "reference",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class ContributionCreateSerializer(serializers.Serializer):
    donor = serializers.IntegerField(min_value=1, help_text=_("A donor of the project."))
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.ChoiceField(choices=CURRENCIES)
    received_on = serializers.DateField()
    reference = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)


# ---- charges ------------------------------------------------------------------------------------


class ChargeSerializer(serializers.ModelSerializer):
    source = ChargeSourceField(read_only=True)
    category = CostCategoryField(read_only=True)
    stage = ChargeStageField(read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    budget_line_code = serializers.CharField(
        source="budget_line.code", read_only=True, default=None
    )

    class Meta:
        model = Charge
        fields = [
            "id",
            "source",
            "source_id",
            "category",
            "case",
            "case_number",
            "person",
            "project",
            "budget_line",
            "budget_line_code",
            "description",
            "amount",
            "currency",
            "stage",
            "committed_on",
            "spent_on",
            "released_on",
            "rate",
            "rate_inverted",
            "rate_on",
            "project_amount",
            "over_budget",
            "over_cap",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "rate": {
                "help_text": _(
                    "The rate as recorded: the amount was multiplied by it, or divided by it "
                    "when rate_inverted (a rate of the reverse pair, project currency into the "
                    "charge's)."
                )
            },
        }


class ChargeFilterSerializer(serializers.Serializer):
    line = serializers.CharField(
        required=False, help_text=_('A budget line id, or "none" for the costs on no line.')
    )
    stage = ChargeStageField(required=False)
    awaiting = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Awaiting a rate (true/false).")
    )
    currency = serializers.ChoiceField(choices=CURRENCIES, required=False)
    flagged = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Flagged over budget or over a person's cap (true/false)."),
    )


class ReallocateSerializer(serializers.Serializer):
    budget_line = serializers.IntegerField(min_value=1, help_text=_("A line of the same project."))
    reason = serializers.CharField(max_length=2000)


class ReallocatedSerializer(ChargeSerializer):
    warning = serializers.CharField(read_only=True, default="")

    class Meta(ChargeSerializer.Meta):
        fields = [*ChargeSerializer.Meta.fields, "warning"]
        read_only_fields = fields


# ---- rates --------------------------------------------------------------------------------------


class ExchangeRateSerializer(serializers.ModelSerializer):
    recorded_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = ExchangeRate
        fields = [
            "id",
            "currency",
            "to_currency",
            "rate",
            "valid_from",
            "source",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class RateFilterSerializer(serializers.Serializer):
    currency = serializers.ChoiceField(
        choices=CURRENCIES, required=False, help_text=_("Rates with this currency on either side.")
    )


class RateCreateSerializer(serializers.Serializer):
    currency = serializers.ChoiceField(choices=CURRENCIES)
    to_currency = serializers.ChoiceField(choices=CURRENCIES)
    rate = serializers.DecimalField(
        max_digits=20, decimal_places=10, help_text=_("1 currency = rate to_currency.")
    )
    valid_from = serializers.DateField()
    source = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    replace = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Replace another rate recorded for the same pair and day."),
    )


class RateRecordedSerializer(ExchangeRateSerializer):
    outcome = serializers.ChoiceField(
        choices=[("created", "created"), ("unchanged", "unchanged"), ("replaced", "replaced")],
        read_only=True,
    )
    converted = serializers.IntegerField(
        read_only=True, help_text=_("Charges awaiting a rate converted now.")
    )

    class Meta(ExchangeRateSerializer.Meta):
        fields = [*ExchangeRateSerializer.Meta.fields, "outcome", "converted"]
        read_only_fields = fields


class RateImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "CSV with the columns currency, to_currency, rate, valid_from (YYYY-MM-DD) and "
            "optionally source; all or nothing: errors are in details.errors (row, field, "
            "message)."
        )
    )
    replace = serializers.BooleanField(required=False, default=False)


class RateImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(read_only=True)
    created = serializers.IntegerField(read_only=True)
    unchanged = serializers.IntegerField(read_only=True)
    replaced = serializers.IntegerField(read_only=True)
    converted = serializers.IntegerField(read_only=True)
