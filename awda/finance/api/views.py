"""Finance API: projects (reference data and, for finance, with their totals), a project's budget
view, budget lines, overrides, per-person caps, contributions, charges and their reallocation,
exchange rates (list, entry, CSV import), and a case's costs.

Thin views over awda.finance's selectors and services. A project outside your missions answers
404 like a missing one; inside them without the role, 403 (finance.policies). A case's costs
follow the case's policy (assistance.view) and the read is audited (part "costs")."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView, version_param
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed

from .. import budget_selectors as reads
from .. import policies, selectors, services
from ..models import Donor
from .filters import ProjectFilterSerializer
from .serializers import (
    BudgetLineResultSerializer,
    BudgetLineSerializer,
    BudgetLineUpdateSerializer,
    BudgetLineWriteSerializer,
    BudgetViewSerializer,
    ChargeFilterSerializer,
    ChargeSerializer,
    ContributionCreateSerializer,
    ContributionSerializer,
    ExchangeRateSerializer,
    OverrideCreateSerializer,
    OverrideSerializer,
    PersonCapSerializer,
    PersonCapWriteSerializer,
    ProjectBudgetSummarySerializer,
    ProjectSerializer,
    RateCreateSerializer,
    RateFilterSerializer,
    RateImportResultSerializer,
    RateImportSerializer,
    RateRecordedSerializer,
    ReallocatedSerializer,
    ReallocateSerializer,
)

VERSION_QUERY = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=True,
    description="Required: the version you read; a stale one is refused with 409 stale_edit.",
)


class ProjectListView(ApiView):
    """Funded projects of the missions the user works in (reference data)."""

    pagination_class = cursor_pagination("-start_date", "id")
    serializer_class = ProjectSerializer

    @extend_schema(parameters=[ProjectFilterSerializer], responses=ProjectSerializer(many=True))
    def get(self, request):
        params = ProjectFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        qs = selectors.project_list_for(
            request.user,
            mission_ids=[p["mission"]] if p.get("mission") else None,
            active_only=p["active"],
        )
        return self.paginated(qs)


class ProjectDetailView(ApiView):
    serializer_class = ProjectSerializer

    @extend_schema(responses=ProjectSerializer)
    def get(self, request, project_pk: int):
        project = selectors.project_list_for(request.user).filter(pk=project_pk).first()
        if project is None:
            raise NotFound()
        return Response(ProjectSerializer(project).data)


# ---- budgets ------------------------------------------------------------------------------------


class FinanceProjectListView(ApiView):
    """The projects of the missions where you have finance.view, with their totals."""

    pagination_class = cursor_pagination("-start_date", "id")
    serializer_class = ProjectBudgetSummarySerializer

    @extend_schema(
        operation_id="finance_projects_list",
        parameters=[ProjectFilterSerializer],
        responses=ProjectBudgetSummarySerializer(many=True),
    )
    def get(self, request):
        if not policies.may_view(request.user):
            raise PermissionDenied()
        params = ProjectFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        qs = reads.project_budget_list_for(request.user, active_only=p["active"])
        if p.get("mission"):
            qs = qs.filter(mission_id=p["mission"])
        return self.paginated(qs)


def budget_data(project) -> dict:
    view = reads.budget_view(project)

    def figures(row):
        return {
            "line": row.line,
            "allocated": row.allocated,
            "committed": row.committed,
            "spent": row.spent,
            "remaining": row.remaining,
            "percent": row.percent,
            "warning": row.warning,
            "over": row.over,
            "overrun_allowed": row.overrun_allowed,
            "charges": row.charges,
            "over_budget_charges": row.over_budget_charges,
            "over_cap_charges": row.over_cap_charges,
        }

    return {
        "project": project,
        "currency": project.currency,
        "lines": [figures(r) for r in view.lines],
        "unallocated": figures(view.unallocated),
        "awaiting": view.awaiting,
        "totals": {
            "allocated": view.allocated,
            "committed": view.committed,
            "spent": view.spent,
            "remaining": view.remaining,
            "percent": view.percent,
            "overrun_allowed": view.overrun_allowed,
            "over_budget_charges": view.over_budget_charges,
            "over_cap_charges": view.over_cap_charges,
        },
        "burn": reads.budget_burn(project)["rows"],
    }


class ProjectBudgetView(ApiView):
    serializer_class = BudgetViewSerializer

    @extend_schema(operation_id="finance_projects_budget", responses=BudgetViewSerializer)
    def get(self, request, project_pk: int):
        """Per line allocated, committed, spent, remaining, % used, warning and over flags; the
        costs on no line and those awaiting a rate; totals; the burn month by month (all in the
        project's currency)."""
        project = reads.project_get_for(request.user, project_pk)
        return Response(BudgetViewSerializer(budget_data(project)).data)


class BudgetLineListView(ApiView):
    serializer_class = BudgetLineSerializer

    @extend_schema(
        operation_id="finance_projects_lines_list", responses=BudgetLineSerializer(many=True)
    )
    def get(self, request, project_pk: int):
        project = reads.project_get_for(request.user, project_pk)
        return Response(BudgetLineSerializer(reads.project_lines(project), many=True).data)

    @extend_schema(
        operation_id="finance_projects_lines_create",
        request=BudgetLineWriteSerializer,
        responses={201: BudgetLineResultSerializer},
    )
    def post(self, request, project_pk: int):
        """Add a line (finance officers of the project's mission)."""
        project = reads.project_get_for(request.user, project_pk, action="finance.manage")
        data = BudgetLineWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = services.budget_line_create(request.user, project=project, **data.validated_data)
        return Response(BudgetLineResultSerializer(line).data, status=201)


class BudgetLineDetailView(ApiView):
    serializer_class = BudgetLineSerializer
    conflict_statuses = True

    @extend_schema(operation_id="finance_lines_retrieve", responses=BudgetLineSerializer)
    def get(self, request, line_pk: int):
        line = reads.line_get_for(request.user, line_pk, action="finance.view")
        return Response(BudgetLineSerializer(line).data)

    @extend_schema(
        operation_id="finance_lines_update",
        request=BudgetLineUpdateSerializer,
        responses=BudgetLineResultSerializer,
    )
    def patch(self, request, line_pk: int):
        """Edit a line; send the version you read. A lowered allocation below what the line
        carries is accepted with a `warning`."""
        line = reads.line_get_for(request.user, line_pk)
        data = BudgetLineUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        line = services.budget_line_update(request.user, line=line, expected_version=version, **v)
        return Response(BudgetLineResultSerializer(line).data)

    @extend_schema(
        operation_id="finance_lines_destroy", parameters=[VERSION_QUERY], responses={204: None}
    )
    def delete(self, request, line_pk: int):
        """Delete a line without charges nor overrides (line_in_use otherwise)."""
        line = reads.line_get_for(request.user, line_pk)
        services.budget_line_delete(
            request.user, line=line, expected_version=version_param(request)
        )
        return Response(status=204)


class OverrideListView(ApiView):
    serializer_class = OverrideSerializer

    @extend_schema(
        operation_id="finance_lines_overrides_list", responses=OverrideSerializer(many=True)
    )
    def get(self, request, line_pk: int):
        """The line's overrides; their reasons and who granted them only for those who see
        the charges (finance officers, managers): null for M&E officers."""
        line = reads.line_get_for(request.user, line_pk, action="finance.view")
        qs = line.overrides.select_related("granted_by").order_by("-created_at", "-id")
        context = {"see_reasons": policies.may_see_charges(request.user, line.project)}
        return Response(OverrideSerializer(qs, many=True, context=context).data)

    @extend_schema(
        operation_id="finance_lines_overrides_create",
        request=OverrideCreateSerializer,
        responses={201: OverrideSerializer},
    )
    def post(self, request, line_pk: int):
        """Accept costs past the line's allocation up to `amount` more, for a reason (audited)."""
        line = reads.line_get_for(request.user, line_pk)
        data = OverrideCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        override = services.budget_override_grant(request.user, line=line, **data.validated_data)
        context = {"see_reasons": True}  # finance.manage holders see the charges
        return Response(OverrideSerializer(override, context=context).data, status=201)


class PersonCapListView(ApiView):
    serializer_class = PersonCapSerializer

    @extend_schema(
        operation_id="finance_projects_caps_list", responses=PersonCapSerializer(many=True)
    )
    def get(self, request, project_pk: int):
        project = reads.project_get_for(request.user, project_pk)
        return Response(PersonCapSerializer(reads.project_caps(project), many=True).data)

    @extend_schema(
        operation_id="finance_projects_caps_set",
        request=PersonCapWriteSerializer,
        responses={200: PersonCapSerializer},
    )
    def post(self, request, project_pk: int):
        """Set the cap of a category (created, or changed if the category has one)."""
        project = reads.project_get_for(request.user, project_pk, action="finance.manage")
        data = PersonCapWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cap = services.person_cap_set(request.user, project=project, **data.validated_data)
        return Response(PersonCapSerializer(cap).data)


class PersonCapDetailView(ApiView):
    serializer_class = PersonCapSerializer

    @extend_schema(operation_id="finance_caps_destroy", responses={204: None})
    def delete(self, request, cap_pk: int):
        cap = reads.cap_get_for(request.user, cap_pk)
        services.person_cap_remove(request.user, cap=cap)
        return Response(status=204)


class ContributionListView(ApiView):
    serializer_class = ContributionSerializer
    pagination_class = cursor_pagination("-received_on", "-id")

    @extend_schema(
        operation_id="finance_projects_contributions_list",
        responses=ContributionSerializer(many=True),
    )
    def get(self, request, project_pk: int):
        project = reads.project_get_for(request.user, project_pk)
        return self.paginated(reads.project_contributions(project))

    @extend_schema(
        operation_id="finance_projects_contributions_create",
        request=ContributionCreateSerializer,
        responses={201: ContributionSerializer},
    )
    def post(self, request, project_pk: int):
        project = reads.project_get_for(request.user, project_pk, action="finance.manage")
        data = ContributionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        donor = Donor.objects.filter(pk=v.pop("donor")).first()
        contribution = services.contribution_record(request.user, project=project, donor=donor, **v)
        return Response(ContributionSerializer(contribution).data, status=201)


# ---- charges ------------------------------------------------------------------------------------


class ChargeListView(ApiView):
    serializer_class = ChargeSerializer
    pagination_class = cursor_pagination("-created_at", "-id")

    @extend_schema(
        operation_id="finance_projects_charges_list",
        parameters=[ChargeFilterSerializer],
        responses=ChargeSerializer(many=True),
    )
    def get(self, request, project_pk: int):
        """The project's charges with their case numbers (finance officers and managers)."""
        project = reads.project_get_for(request.user, project_pk, action="finance.charges")
        params = ChargeFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        line = p.get("line")
        if line not in (None, "", reads.UNALLOCATED):
            if not line.isdigit():
                raise ValidationFailed(fields={"line": [_('Give a budget line id, or "none".')]})
            line = int(line)
        qs = reads.project_charges(
            project,
            line=line or None,
            stage=p.get("stage"),
            awaiting=p.get("awaiting"),
            currency=p.get("currency"),
            flagged=p.get("flagged"),
        )
        return self.paginated(qs)


class ChargeReallocateView(ApiView):
    serializer_class = ReallocatedSerializer

    @extend_schema(
        operation_id="finance_charges_reallocate",
        request=ReallocateSerializer,
        responses=ReallocatedSerializer,
    )
    def post(self, request, charge_pk: int):
        """Move the charge to another line of its project, for a reason (the target line's
        budget rule applies: budget_exceeded unless an override allows it)."""
        charge = reads.charge_get_for(request.user, charge_pk, action="finance.manage")
        data = ReallocateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = (
            reads.project_lines(charge.project)
            .filter(pk=data.validated_data["budget_line"])
            .first()
        )
        if line is None:
            raise ValidationFailed(
                fields={
                    "budget_line": [
                        _("Choose a line of project %(code)s.") % {"code": charge.project.code}
                    ]
                }
            )
        charge = services.charge_reallocate(
            request.user, charge=charge, budget_line=line, reason=data.validated_data["reason"]
        )
        return Response(ReallocatedSerializer(charge).data)


# ---- rates --------------------------------------------------------------------------------------


class RateListView(ApiView):
    serializer_class = ExchangeRateSerializer
    pagination_class = cursor_pagination("-valid_from", "-id")

    @extend_schema(
        operation_id="finance_rates_list",
        parameters=[RateFilterSerializer],
        responses=ExchangeRateSerializer(many=True),
    )
    def get(self, request):
        if not policies.may_view_rates(request.user):
            raise PermissionDenied()
        params = RateFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = reads.rate_list_for(request.user, currency=params.validated_data.get("currency"))
        return self.paginated(qs)

    @extend_schema(
        operation_id="finance_rates_create",
        request=RateCreateSerializer,
        responses={200: RateRecordedSerializer, 201: RateRecordedSerializer},
    )
    def post(self, request):
        """Record a rate (201), or nothing when the same rate is already recorded (200,
        outcome "unchanged"); then convert the charges awaiting it."""
        data = RateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rate = services.rate_record(request.user, **data.validated_data)
        status = 201 if rate.outcome == "created" else 200
        return Response(RateRecordedSerializer(rate).data, status=status)


class RateImportView(ApiView):
    serializer_class = RateImportSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="finance_rates_import",
        request={"multipart/form-data": RateImportSerializer},
        responses={200: RateImportResultSerializer},
    )
    def post(self, request):
        """Import rates from a CSV file, all or nothing (csv_invalid with details.errors)."""
        if not policies.may_record_rates(request.user):
            raise PermissionDenied()
        data = RateImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.rates_import_csv(
            request.user, file=data.validated_data["file"], replace=data.validated_data["replace"]
        )
        return Response(RateImportResultSerializer(result).data)
