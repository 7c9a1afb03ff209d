"""API of the origin office's file: acceptance and officer, reception, assessments, monitoring
visits, and the workspace queues.

Thin views over files.selectors and files.services. The case is resolved through the scoped
selector (404 outside your scope, e.g. before the handover for origin staff); reads are audited
(part "reintegration" or "monitoring"); writes are the services' (403 for view-only roles,
409 on a stale version)."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from awda.accounts.models import Office
from awda.cases.api.views import CaseView
from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed

from .. import policies
from ..models import Reception
from . import selectors, services
from .serializers import (
    AcceptSerializer,
    AssessmentCreateSerializer,
    AssessmentSerializer,
    AssessmentUpdateSerializer,
    AssignSerializer,
    ReceptionSerializer,
    ReceptionWriteSerializer,
    ReintegrationFileSerializer,
    VisitAddSerializer,
    VisitCancelSerializer,
    VisitRecordSerializer,
    VisitRescheduleSerializer,
    VisitSerializer,
    WorkspaceFilterSerializer,
    WorkspaceSerializer,
)

PART = "reintegration"
MONITORING = "monitoring"
User = get_user_model()


def _file_body(case) -> dict:
    file = selectors.file_of(case)
    reception = selectors.reception_of(case)
    has_plan = selectors.has_approved_plan(case) if file else False
    return {
        "accepted": file is not None,
        "id": file.pk if file else None,
        "version": file.version if file else None,
        "case_status": case.status,
        "office": file.office if file else None,
        "officer": file.officer if file else None,
        "accepted_at": file.accepted_at if file else None,
        "accepted_by": file.accepted_by if file else None,
        "arrived_on": file.arrived_on if file else None,
        "plan_due_on": file.plan_due_on if file else None,
        "overdue": selectors.is_overdue(file, has_approved_plan=has_plan),
        "reception": reception,
    }


def _user(pk, field="officer"):
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationFailed(fields={field: [_("Unknown user.")]})
    return user


class FileCaseView(CaseView):
    def recordable_case(self):
        case = self.get_case()
        if not policies.may_record(self.request.user, case):
            raise PermissionDenied()
        return case


class ReintegrationFileView(FileCaseView):
    serializer_class = ReintegrationFileSerializer

    @extend_schema(operation_id="cases_reintegration_file", responses=ReintegrationFileSerializer)
    def get(self, request, case_pk: int):
        """The origin office's file: office, officer, acceptance, arrival date, plan due date
        and whether it is overdue, and the reception. The read is audited."""
        case = self.read_case(PART, action="reintegration.view")
        return Response(ReintegrationFileSerializer(_file_body(case)).data)


class ReintegrationAcceptView(FileCaseView):
    serializer_class = ReintegrationFileSerializer

    @extend_schema(
        operation_id="cases_reintegration_accept",
        request=AcceptSerializer,
        responses={201: ReintegrationFileSerializer},
    )
    def post(self, request, case_pk: int):
        """Accept the handover in an office of the receiving mission where you work on
        reintegration (reintegration officers and managers of that mission), with the officer
        who follows the case (optional)."""
        case = self.recordable_case()
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        office = Office.objects.filter(pk=data.validated_data["office"]).first()
        if office is None:
            raise ValidationFailed(fields={"office": [_("Unknown office.")]})
        services.handover_accept(
            request.user,
            case=case,
            office=office,
            officer=_user(data.validated_data["officer"]),
        )
        case.refresh_from_db()
        return Response(ReintegrationFileSerializer(_file_body(case)).data, status=201)


class ReintegrationAssignView(FileCaseView):
    serializer_class = ReintegrationFileSerializer

    @extend_schema(
        operation_id="cases_reintegration_assign",
        request=AssignSerializer,
        responses=ReintegrationFileSerializer,
    )
    def post(self, request, case_pk: int):
        """Change the reintegration officer following the case (a reintegration officer or
        manager of the file's office; null: nobody) with the file's `version` you read."""
        case = self.recordable_case()
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.file_assign(
            request.user,
            case=case,
            officer=_user(data.validated_data["officer"]),
            expected_version=data.validated_data["version"],
        )
        return Response(ReintegrationFileSerializer(_file_body(case)).data)


class ReceptionView(FileCaseView):
    serializer_class = ReceptionSerializer

    @extend_schema(operation_id="cases_reception_get", responses=ReceptionSerializer)
    def get(self, request, case_pk: int):
        """The reception of the returnees (404 while not recorded). The read is audited."""
        case = self.read_case(PART, action="reintegration.view")
        reception = selectors.reception_of(case)
        if reception is None:
            raise NotFound()
        return Response(ReceptionSerializer(reception).data)

    @extend_schema(
        operation_id="cases_reception_put",
        request=ReceptionWriteSerializer,
        responses=ReceptionSerializer,
    )
    def put(self, request, case_pk: int):
        """Record the reception (no version), or correct it with the `version` you read. Needs
        the handover accepted and the arrival confirmed; an arrived case moves to
        reintegration."""
        case = self.recordable_case()
        data = ReceptionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        reception = services.reception_record(
            request.user, case=case, expected_version=v.pop("version", None), **v
        )
        reception = Reception.objects.select_related("recorded_by").get(pk=reception.pk)
        return Response(ReceptionSerializer(reception).data)


class AssessmentListView(FileCaseView):
    serializer_class = AssessmentSerializer
    pagination_class = cursor_pagination("-assessed_on", "-id")

    @extend_schema(operation_id="cases_assessments_list", responses=AssessmentSerializer(many=True))
    def get(self, request, case_pk: int):
        """The case's assessments, newest first. The read is audited."""
        case = self.read_case(PART, action="reintegration.view")
        return self.paginated(selectors.case_assessments(case))

    @extend_schema(
        operation_id="cases_assessments_create",
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer},
    )
    def post(self, request, case_pk: int):
        """Record an assessment of a member: vulnerability and risk need a level; the skills
        fields belong to the skills profile; not in the future; after the arrival."""
        case = self.recordable_case()
        data = AssessmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        member = case.members.select_related("person").filter(person_id=v.pop("person")).first()
        if member is None:
            raise ValidationFailed(
                fields={"person": [_("This person is not a member of the case.")]}
            )
        assessment = services.assessment_record(request.user, case=case, person=member.person, **v)
        assessment = selectors.case_assessments(case).get(pk=assessment.pk)
        return Response(AssessmentSerializer(assessment).data, status=201)


class AssessmentDetailView(ApiView):
    serializer_class = AssessmentSerializer
    conflict_statuses = True

    @extend_schema(
        operation_id="reintegration_assessments_update",
        request=AssessmentUpdateSerializer,
        responses=AssessmentSerializer,
    )
    def patch(self, request, assessment_pk: int):
        """Correct an assessment (the person and kind stay): send the fields to change and
        the `version` you read (409 stale_edit otherwise)."""
        assessment = selectors.assessment_get_for(request.user, assessment_pk)
        if not policies.may_record(request.user, assessment.case):
            raise PermissionDenied()
        data = AssessmentUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        values = {
            f: v.get(f, getattr(assessment, f))
            for f in (
                "assessed_on",
                "level",
                "findings",
                "recommendations",
                "education_level",
                "work_experience",
                "skills",
                "interests",
                "preferred_activity",
            )
        }
        services.assessment_update(
            request.user, assessment=assessment, expected_version=v["version"], **values
        )
        fresh = selectors.case_assessments(assessment.case).get(pk=assessment.pk)
        return Response(AssessmentSerializer(fresh).data)


class VisitListView(FileCaseView):
    serializer_class = VisitSerializer
    pagination_class = cursor_pagination("due_on", "id")

    @extend_schema(operation_id="cases_visits_list", responses=VisitSerializer(many=True))
    def get(self, request, case_pk: int):
        """The case's monitoring visits, soonest first (every status). The read is
        audited."""
        case = self.read_case(MONITORING, action="reintegration.view")
        return self.paginated(selectors.case_visits(case))

    @extend_schema(
        operation_id="cases_visits_create",
        request=VisitAddSerializer,
        responses={201: VisitSerializer},
    )
    def post(self, request, case_pk: int):
        """Plan an extra visit or call (today or later)."""
        case = self.recordable_case()
        data = VisitAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.visit_add(request.user, case=case, **data.validated_data)
        return Response(VisitSerializer(selectors.case_visits(case).get(pk=visit.pk)).data, 201)


class _VisitActionView(ApiView):
    serializer_class = VisitSerializer
    conflict_statuses = True
    input_serializer = None

    def visit(self):
        visit = selectors.visit_get_for(self.request.user, self.kwargs["visit_pk"])
        if not policies.may_record(self.request.user, visit.case):
            raise PermissionDenied()
        return visit

    def run(self, visit, v, expected):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, visit_pk: int):
        visit = self.visit()
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        expected = v.pop("version")
        self.run(visit, v, expected)
        return Response(VisitSerializer(selectors.case_visits(visit.case).get(pk=visit.pk)).data)


class VisitRecordView(_VisitActionView):
    input_serializer = VisitRecordSerializer

    def run(self, visit, v, expected):
        services.visit_record(self.request.user, visit=visit, expected_version=expected, **v)

    @extend_schema(
        operation_id="reintegration_visits_record",
        request=VisitRecordSerializer,
        responses=VisitSerializer,
    )
    def post(self, request, visit_pk: int):
        """Record what a visit found (done, or missed: could not be reached), with the
        business or activity and a re-migration (re_migration_notes: where, when)."""
        return super().post(request, visit_pk)


class VisitRescheduleView(_VisitActionView):
    input_serializer = VisitRescheduleSerializer

    def run(self, visit, v, expected):
        services.visit_reschedule(self.request.user, visit=visit, expected_version=expected, **v)

    @extend_schema(
        operation_id="reintegration_visits_reschedule",
        request=VisitRescheduleSerializer,
        responses=VisitSerializer,
    )
    def post(self, request, visit_pk: int):
        """Move a planned visit to another day (today or later)."""
        return super().post(request, visit_pk)


class VisitCancelView(_VisitActionView):
    input_serializer = VisitCancelSerializer

    def run(self, visit, v, expected):
        services.visit_cancel(self.request.user, visit=visit, expected_version=expected, **v)

    @extend_schema(
        operation_id="reintegration_visits_cancel",
        request=VisitCancelSerializer,
        responses=VisitSerializer,
    )
    def post(self, request, visit_pk: int):
        """Cancel a planned visit with a reason."""
        return super().post(request, visit_pk)


class WorkspaceView(ApiView):
    serializer_class = WorkspaceSerializer

    @extend_schema(
        operation_id="reintegration_workspace",
        parameters=[WorkspaceFilterSerializer],
        responses=WorkspaceSerializer,
    )
    def get(self, request):
        """The queues of the reintegration workspace (reintegration officers and managers of
        an origin mission): awaiting acceptance, to receive, assessments due, plans to draft,
        plans to approve (managers), purchases to deliver, visits due within 14 days or
        overdue. Each with its count and its first 10 rows; with `queue`, that queue only, a
        `page` of 50 rows."""
        if not selectors.may_use_workspace(request.user):
            raise PermissionDenied()
        params = WorkspaceFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        full = selectors.workspace_scope(request.user)
        office = p.get("office")
        if office is not None and office not in full.offices:
            raise ValidationFailed(fields={"office": [_("Not one of your offices.")]})
        scope = selectors.workspace_scope(request.user, office=office) if office else full
        names = [p["queue"]] if p.get("queue") else list(selectors.QUEUES)
        size = 50 if p.get("queue") else 10
        today = timezone.localdate()
        queues = []
        for name in names:
            if name == "approval" and not full.approving_offices:
                continue
            page = Paginator(selectors.queue(scope, name, today=today), size).get_page(
                p["page"] if p.get("queue") else 1
            )
            queues.append(
                {
                    "name": name,
                    "label": str(selectors.QUEUE_LABELS[name]),
                    "count": page.paginator.count,
                    "page": page.number,
                    "pages": page.paginator.num_pages,
                    "rows": [selectors.row_summary(name, o, today=today) for o in page],
                }
            )
        return Response(WorkspaceSerializer({"queues": queues}).data)
