"""A case's costs through the API: GET /api/v1/cases/{case_pk}/costs/ (the case's policy
`assistance.view`; the read is audited as part "costs"), the same figures as the case page's
"Costs" tab (finance.cost_selectors)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from awda.cases.api.views import CaseView

from .. import cost_selectors
from .serializers import MONEY, ChargeSerializer, CostCategoryField, ProjectSummarySerializer


class AmountByCurrencySerializer(serializers.Serializer):
    currency = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(**MONEY)


class CostRowSerializer(serializers.Serializer):
    category = CostCategoryField(read_only=True)
    category_label = serializers.CharField(read_only=True)
    committed_by_currency = AmountByCurrencySerializer(many=True, read_only=True)
    spent_by_currency = AmountByCurrencySerializer(many=True, read_only=True)
    committed = serializers.DecimalField(**MONEY, help_text=_("In the project's currency."))
    spent = serializers.DecimalField(**MONEY, help_text=_("In the project's currency."))
    awaiting = serializers.IntegerField(read_only=True)


class ProjectCostsSerializer(serializers.Serializer):
    project = ProjectSummarySerializer(read_only=True)
    currency = serializers.CharField(read_only=True)
    rows = CostRowSerializer(many=True, read_only=True)
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    awaiting = serializers.IntegerField(read_only=True)


class PersonAllCasesProjectSerializer(serializers.Serializer):
    project_code = serializers.CharField(read_only=True)
    currency = serializers.CharField(read_only=True)
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    awaiting = serializers.IntegerField(read_only=True)


class PersonAllCasesSerializer(serializers.Serializer):
    cases = serializers.IntegerField(read_only=True)
    projects = PersonAllCasesProjectSerializer(many=True, read_only=True)


class PersonCostsSerializer(serializers.Serializer):
    person = serializers.IntegerField(read_only=True, allow_null=True)
    full_name = serializers.CharField(read_only=True, allow_null=True)
    is_principal = serializers.BooleanField(read_only=True)
    is_member = serializers.BooleanField(read_only=True)
    projects = ProjectCostsSerializer(many=True, read_only=True)
    all_cases = PersonAllCasesSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("The person's costs across every case you can see (null: this case only)."),
    )


class CaseCurrencyTotalSerializer(serializers.Serializer):
    currency = serializers.CharField(read_only=True)
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)


class CaseChargeSerializer(ChargeSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)

    class Meta(ChargeSerializer.Meta):
        fields = [*ChargeSerializer.Meta.fields, "project_code"]
        read_only_fields = fields


class CaseCostsSerializer(serializers.Serializer):
    projects = ProjectCostsSerializer(many=True, read_only=True)
    persons = PersonCostsSerializer(many=True, read_only=True)
    by_currency = CaseCurrencyTotalSerializer(
        many=True, read_only=True, help_text=_("The case's costs in each original currency.")
    )
    charges = CaseChargeSerializer(many=True, read_only=True)


def _cost_row(row) -> dict:
    return {
        "category": row.category,
        "category_label": row.category_label,
        "committed_by_currency": [
            {"currency": c, "amount": a} for c, a in sorted(row.committed_by_currency.items())
        ],
        "spent_by_currency": [
            {"currency": c, "amount": a} for c, a in sorted(row.spent_by_currency.items())
        ],
        "committed": row.committed,
        "spent": row.spent,
        "awaiting": row.awaiting,
    }


def _project_costs(p) -> dict:
    return {
        "project": p.project,
        "currency": p.project.currency,
        "rows": [_cost_row(r) for r in p.rows],
        "committed": p.committed,
        "spent": p.spent,
        "awaiting": p.awaiting,
    }


def case_costs_data(user, case) -> dict:
    costs = cost_selectors.case_costs(case)
    ids = [p.person.pk for p in costs.persons if p.person is not None]
    across = cost_selectors.person_costs_across(user, ids)
    persons = []
    for entry in costs.persons:
        other = across.get(entry.person.pk) if entry.person is not None else None
        persons.append(
            {
                "person": entry.person.pk if entry.person else None,
                "full_name": entry.person.full_name if entry.person else None,
                "is_principal": entry.is_principal,
                "is_member": entry.is_member,
                "projects": [_project_costs(p) for p in entry.projects],
                "all_cases": other if other and other["cases"] > 1 else None,
            }
        )
    return {
        "projects": [_project_costs(p) for p in costs.projects],
        "persons": persons,
        "by_currency": [{"currency": c, **v} for c, v in costs.by_currency.items()],
        "charges": costs.charges,
    }


class CaseCostsView(CaseView):
    serializer_class = CaseCostsSerializer

    @extend_schema(operation_id="cases_costs_retrieve", responses=CaseCostsSerializer)
    def get(self, request, case_pk: int):
        """The case's costs per project, per person and per cost category (committed and spent,
        in the original currencies and in the project's), and its charges. Audited read."""
        case = self.read_case("costs", action="assistance.view")
        return Response(CaseCostsSerializer(case_costs_data(request.user, case)).data)
