"""Reintegration plan API: the plans of a case (list, draft), a plan (read, edit with its
version, submit, approve, return, override the cap, revise) and collective projects.

Thin views over plans.selectors and plans.services. A case or plan outside your scope answers
404 like a missing one; reads are audited as reads of the case (part "plan"); the rules (cap,
workflow, who may do what) live in the services."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from awda.accounts.api.serializers import UserSummarySerializer
from awda.accounts.models import Office
from awda.cases.api.views import CaseView
from awda.cases.services import case_viewed
from awda.core.api.fields import VersionField
from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.finance.api.serializers import ProjectSummarySerializer
from awda.finance.models import CURRENCIES, Project

from .. import policies
from ..choices import (
    AssistanceCategory,
    AssistanceType,
    CollectiveKind,
    PlanStatus,
)
from ..models import CollectiveProject, Plan, PlanAssistance, PlanItem
from . import selectors, services

PART = "plan"
MAX_ID = 2**63 - 1


def _enum(choices):
    """A choice field of `choices` (named in the schema by SPECTACULAR ENUM_NAME_OVERRIDES)."""

    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices.choices, **kwargs)

    return EnumField


PlanStatusField = _enum(PlanStatus)
AssistanceTypeField = _enum(AssistanceType)
AssistanceCategoryField = _enum(AssistanceCategory)
CollectiveKindField = _enum(CollectiveKind)


@extend_schema_field({"type": "string", "enum": [c for c, _label in CURRENCIES]})
class CurrencyField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(CURRENCIES, **kwargs)


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


# ---- output -------------------------------------------------------------------------------------


class PlanAssistanceSerializer(serializers.ModelSerializer):
    kind = AssistanceTypeField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    category = AssistanceCategoryField(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = PlanAssistance
        fields = ["kind", "kind_label", "category", "category_label", "description", "referral"]
        read_only_fields = fields


class PlanItemSerializer(serializers.ModelSerializer):
    kind = AssistanceTypeField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True, default=None)

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "kind",
            "kind_label",
            "description",
            "quantity",
            "unit",
            "unit_cost",
            "total",
            "supplier",
            "supplier_name",
        ]
        read_only_fields = fields


class PlanCapSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    currency = serializers.CharField(read_only=True)
    basis = serializers.CharField(read_only=True)
    rule = serializers.CharField(read_only=True)
    persons = serializers.IntegerField(read_only=True)
    entitled = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


class PlanSerializer(serializers.ModelSerializer):
    status = PlanStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    project = ProjectSummarySerializer(read_only=True)
    assistances = PlanAssistanceSerializer(many=True, read_only=True)
    items = PlanItemSerializer(many=True, read_only=True)
    created_by = UserSummarySerializer(read_only=True)
    submitted_by = UserSummarySerializer(read_only=True)
    decided_by = UserSummarySerializer(read_only=True)
    override_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "case",
            "revision",
            "previous",
            "status",
            "status_label",
            "project",
            "currency",
            "economic_summary",
            "social_summary",
            "psychosocial_summary",
            "collective",
            "assistances",
            "items",
            "total",
            "cap_amount",
            "cap_currency",
            "cap_rule",
            "override_reason",
            "override_by",
            "override_at",
            "submitted_at",
            "submitted_by",
            "decided_at",
            "decided_by",
            "return_reason",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class PlanDetailSerializer(PlanSerializer):
    cap = serializers.SerializerMethodField(
        help_text=gettext_lazy("The cap that applies now (null when none is configured).")
    )

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "cap"]
        read_only_fields = fields

    @extend_schema_field(PlanCapSerializer(allow_null=True))
    def get_cap(self, plan):
        cap = services.plan_cap(plan)
        return PlanCapSerializer(cap).data if cap else None


class CollectiveParticipantSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    status = PlanStatusField(read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "case", "case_number", "revision", "status", "total", "currency"]
        read_only_fields = fields


class CurrencyAmountSerializer(serializers.Serializer):
    currency = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


class CollectiveProjectSerializer(serializers.ModelSerializer):
    kind = CollectiveKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    project = ProjectSummarySerializer(read_only=True)
    participant_count = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("Participating cases (each counted once).")
    )
    plans_totals = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Sum of one plan per participating case (the approved one, else the one being "
            "prepared), per currency: amounts in different currencies are never added."
        )
    )

    class Meta:
        model = CollectiveProject
        fields = [
            "id",
            "mission",
            "office",
            "name",
            "kind",
            "kind_label",
            "activity",
            "location",
            "description",
            "project",
            "participant_count",
            "plans_totals",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(CurrencyAmountSerializer(many=True))
    def get_plans_totals(self, collective):
        return [{"currency": c, "amount": f"{a:.2f}"} for c, a in collective.plans_totals]


class CollectiveProjectDetailSerializer(CollectiveProjectSerializer):
    participants = serializers.SerializerMethodField()

    class Meta(CollectiveProjectSerializer.Meta):
        fields = [*CollectiveProjectSerializer.Meta.fields, "participants"]
        read_only_fields = fields

    @extend_schema_field(CollectiveParticipantSerializer(many=True))
    def get_participants(self, collective):
        return CollectiveParticipantSerializer(
            selectors.collective_participants(collective), many=True
        ).data


# ---- input --------------------------------------------------------------------------------------


class PlanCreateSerializer(serializers.Serializer):
    project = IdField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The funding project; default: the case's project."),
    )
    currency = CurrencyField(
        required=False, help_text=gettext_lazy("Default: the project's currency.")
    )


def _loose(schema):
    """A field the service validates (its errors are named by row: items[2].unit_cost), typed
    for the schema."""

    @extend_schema_field(schema)
    class Loose(serializers.Field):
        def to_internal_value(self, data):
            if isinstance(data, dict | list):
                raise serializers.ValidationError(_("Not a valid value."))
            return data

        def to_representation(self, value):
            return value

    return Loose


# the input's enum (values only) is named in SPECTACULAR ENUM_NAME_OVERRIDES
ASSISTANCE_TYPE_VALUES = list(AssistanceType.values)
LooseKind = _loose({"type": "string", "enum": ASSISTANCE_TYPE_VALUES})
LooseText = _loose({"type": "string"})
LooseDecimal = _loose({"type": "string", "format": "decimal"})
LooseId = _loose({"type": "integer", "nullable": True})
LooseBool = _loose({"type": "boolean"})


class PlanAssistanceInputSerializer(serializers.Serializer):
    kind = LooseKind(required=False)
    description = LooseText(required=False)
    referral = LooseBool(required=False)


class PlanItemInputSerializer(serializers.Serializer):
    kind = LooseKind(required=False)
    description = LooseText(required=False)
    quantity = LooseDecimal(required=False)
    unit = LooseText(required=False)
    unit_cost = LooseDecimal(required=False)
    supplier = LooseId(required=False, allow_null=True)


class PlanUpdateSerializer(serializers.Serializer):
    version = VersionField()
    economic_summary = serializers.CharField(required=False, allow_blank=True)
    social_summary = serializers.CharField(required=False, allow_blank=True)
    psychosocial_summary = serializers.CharField(required=False, allow_blank=True)
    currency = CurrencyField(required=False)
    project = IdField(
        required=False,
        help_text=gettext_lazy(
            "Change the funding project (the currency becomes the project's unless `currency` "
            "is sent too); the cap kept and any override are cleared."
        ),
    )
    collective = IdField(required=False, allow_null=True)
    assistances = PlanAssistanceInputSerializer(
        many=True, required=False, help_text=gettext_lazy("Replaces the plan's assistance types.")
    )
    items = PlanItemInputSerializer(
        many=True,
        required=False,
        help_text=gettext_lazy("Replaces the plan's items; errors are named items[i].field."),
    )


class PlanVersionSerializer(serializers.Serializer):
    version = VersionField()


class PlanReasonSerializer(serializers.Serializer):
    version = VersionField()
    reason = serializers.CharField()


class CollectiveProjectCreateSerializer(serializers.Serializer):
    office = IdField()
    name = serializers.CharField(max_length=200)
    kind = CollectiveKindField()
    project = IdField()
    activity = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class CollectiveProjectUpdateSerializer(serializers.Serializer):
    version = VersionField()
    name = serializers.CharField(max_length=200, required=False)
    kind = CollectiveKindField(required=False)
    project = IdField(required=False)
    activity = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


def _project(pk, field="project", *, within=None):
    """The project `pk`, among `within` (a queryset of the projects allowed) when given."""
    project = (within if within is not None else Project.objects.all()).filter(pk=pk).first()
    if project is None:
        raise ValidationFailed(fields={field: [_("Choose a project that may fund this.")]})
    return project


# ---- views --------------------------------------------------------------------------------------


class CasePlansView(CaseView):
    serializer_class = PlanSerializer

    @extend_schema(operation_id="cases_plans_list", responses=PlanSerializer(many=True))
    def get(self, request, case_pk: int):
        """Every reintegration plan of the case (revisions, newest first). Audited read."""
        case = self.read_case(PART, action="reintegration.view")
        return Response(self.get_serializer(selectors.plan_history(case), many=True).data)

    @extend_schema(
        operation_id="cases_plans_create",
        request=PlanCreateSerializer,
        responses={201: PlanDetailSerializer},
    )
    def post(self, request, case_pk: int):
        """Draft the case's first plan (reintegration officers and managers of the receiving
        mission, once the returnee has arrived and the handover is accepted)."""
        case = self.get_case()
        if not policies.may_record(request.user, case):
            raise PermissionDenied()
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        project = _project(v["project"]) if v.get("project") else None
        plan = services.plan_create(
            request.user, case=case, project=project, currency=v.get("currency", "")
        )
        return Response(_plan_data(request, plan.pk), status=201)


def _plan_data(request, pk):
    plan = selectors.plan_get_for(request.user, pk)
    return PlanDetailSerializer(plan, context={"request": request}).data


class PlanView(ApiView):
    serializer_class = PlanDetailSerializer
    conflict_statuses = True

    def plan(self):
        plan = selectors.plan_get_for(self.request.user, self.kwargs["plan_pk"])
        if not policies.may_view(self.request.user, plan.case):
            raise PermissionDenied()
        return plan

    def answer(self, plan):
        return Response(_plan_data(self.request, plan.pk))


class PlanDetailView(PlanView):
    @extend_schema(operation_id="reintegration_plans_retrieve", responses=PlanDetailSerializer)
    def get(self, request, plan_pk: int):
        """A plan with its assistance types, items, totals and the cap that applies. Audited."""
        plan = self.plan()
        case_viewed(request.user, case=plan.case, part=PART)
        return self.answer(plan)

    @extend_schema(
        operation_id="reintegration_plans_update",
        request=PlanUpdateSerializer,
        responses=PlanDetailSerializer,
    )
    def patch(self, request, plan_pk: int):
        """Edit a draft or returned plan with the `version` you read (409 stale_edit
        otherwise). `assistances` and `items`, when sent, replace the plan's rows; totals are
        computed (quantity x unit cost, to the cent)."""
        plan = self.plan()
        data = PlanUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        if "project" in v:
            v["project"] = _project(
                v["project"], within=selectors.plan_projects(plan.case, keep=plan.project_id)
            )
        if "collective" in v:
            pk = v["collective"]
            v["collective"] = None
            if pk is not None:
                v["collective"] = selectors.collectives_for_case(plan.case).filter(pk=pk).first()
                if v["collective"] is None:
                    raise ValidationFailed(
                        fields={
                            "collective": [
                                _("Choose a collective project of the receiving mission.")
                            ]
                        }
                    )
        for key in ("assistances", "items"):
            if key in v:
                v[key] = [dict(row) for row in v[key]]
        plan = services.plan_update(request.user, plan=plan, expected_version=version, **v)
        return self.answer(plan)


def _action_view(name, service, *, reason=False, doc=""):
    body = PlanReasonSerializer if reason else PlanVersionSerializer

    class View(PlanView):
        @extend_schema(
            operation_id=f"reintegration_plans_{name}",
            request=body,
            responses=PlanDetailSerializer,
        )
        def post(self, request, plan_pk: int):
            plan = self.plan()
            data = body(data=request.data)
            data.is_valid(raise_exception=True)
            v = data.validated_data
            kwargs = {"reason": v["reason"]} if reason else {}
            plan = service(request.user, plan=plan, expected_version=v["version"], **kwargs)
            return self.answer(plan)

    View.post.__doc__ = doc
    View.__name__ = View.__qualname__ = f"Plan{name.title()}View"
    return View


PlanSubmitView = _action_view(
    "submit",
    services.plan_submit,
    doc="Submit the plan for approval. Refused (400 over_cap) when the total is over the cap "
    "and no manager overrode it; 400 no_cap when the project has no cap for the case.",
)
PlanApproveView = _action_view(
    "approve",
    services.plan_approve,
    doc="Approve a submitted plan (managers of the receiving mission). The cap is checked "
    "again; the previous approved plan is superseded; the monitoring visits are scheduled.",
)
PlanReturnView = _action_view(
    "return",
    services.plan_return,
    reason=True,
    doc="Send a submitted plan back for changes, with the reason (managers).",
)
PlanOverrideView = _action_view(
    "override",
    services.plan_override_cap,
    reason=True,
    doc="Accept a total above the cap, with the reason (managers of the receiving mission).",
)


class PlanDiscardView(PlanView):
    @extend_schema(
        operation_id="reintegration_plans_discard",
        request=PlanVersionSerializer,
        responses={204: None},
    )
    def post(self, request, plan_pk: int):
        """Discard (delete) a draft or returned plan that was never approved, with the `version`
        you read. A discarded revision leaves the approved plan in force; a discarded first
        plan lets a new one be drafted (with another project). Audited."""
        plan = self.plan()
        data = PlanVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_discard(
            request.user, plan=plan, expected_version=data.validated_data["version"]
        )
        return Response(status=204)


class PlanReviseView(PlanView):
    @extend_schema(
        operation_id="reintegration_plans_revise",
        request=None,
        responses={201: PlanDetailSerializer},
    )
    def post(self, request, plan_pk: int):
        """A new draft revision of the approved plan (copy of its content); the approved plan
        stays in force until the revision is approved."""
        plan = self.plan()
        draft = services.plan_revise(request.user, plan=plan)
        return Response(_plan_data(request, draft.pk), status=201)


# ---- collective projects ------------------------------------------------------------------------


class CollectiveListView(ApiView):
    pagination_class = cursor_pagination("name", "id")
    serializer_class = CollectiveProjectSerializer

    @extend_schema(
        operation_id="reintegration_collective_projects_list",
        responses=CollectiveProjectSerializer(many=True),
    )
    def get(self, request):
        """The collective and community projects of the missions where you work on
        reintegration, with their participants' count and total."""
        page = self.paginate_queryset(selectors.collective_list_for(request.user))
        page = selectors.collective_totals(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="reintegration_collective_projects_create",
        request=CollectiveProjectCreateSerializer,
        responses={201: CollectiveProjectDetailSerializer},
    )
    def post(self, request):
        """Create a collective or community project in an office of a mission where you record
        reintegration."""
        data = CollectiveProjectCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        office = Office.objects.filter(pk=v.pop("office")).first()
        if office is None or office.pk not in policies.offices_recording(request.user):
            raise PermissionDenied()
        project = _project(
            v.pop("project"), within=selectors.collective_projects(office.mission_id)
        )
        collective = services.collective_create(request.user, office=office, project=project, **v)
        return Response(_collective_data(request, collective.pk), status=201)


def _collective_data(request, pk):
    collective = selectors.collective_get_for(request.user, pk)
    return CollectiveProjectDetailSerializer(collective, context={"request": request}).data


class CollectiveDetailView(ApiView):
    serializer_class = CollectiveProjectDetailSerializer
    conflict_statuses = True

    @extend_schema(
        operation_id="reintegration_collective_projects_retrieve",
        responses=CollectiveProjectDetailSerializer,
    )
    def get(self, request, collective_pk: int):
        """A collective project with its participants (their plans)."""
        return Response(_collective_data(request, collective_pk))

    @extend_schema(
        operation_id="reintegration_collective_projects_update",
        request=CollectiveProjectUpdateSerializer,
        responses=CollectiveProjectDetailSerializer,
    )
    def patch(self, request, collective_pk: int):
        """Edit a collective project with the `version` you read (409 stale_edit otherwise)."""
        collective = selectors.collective_get_for(request.user, collective_pk)
        data = CollectiveProjectUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        if "project" in v and v["project"] != collective.project_id:
            v["project"] = _project(
                v["project"], within=selectors.collective_projects(collective.mission_id)
            )
        elif "project" in v:
            v["project"] = collective.project
        services.collective_update(
            request.user, collective=collective, expected_version=version, **v
        )
        return Response(_collective_data(request, collective_pk))
