"""Cases API: thin views over cases.selectors (scoped reads) and cases.services (the one write
path). A case outside the user's scope is a 404, exactly like a missing one; a policy denial is a
403 raised by the service; every error uses the JSON shape of awda.core.api.errors."""

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from awda.audit.selectors import timeline_for_case
from awda.core.api.pagination import KeysetCursorPagination, cursor_pagination
from awda.core.api.views import ApiView, version_param
from awda.core.errors import NotFound, PermissionDenied

from .. import readiness, restricted, selectors, services
from ..policies import PERMISSIONS, can
from .filters import CASE_SORTS, CaseFilterSerializer
from .serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    CaseMemberSerializer,
    CaseRegisterSerializer,
    CaseUpdateSerializer,
    DeclarationSerializer,
    MemberAddSerializer,
    MemberUpdateSerializer,
    NoteCreateSerializer,
    NoteSerializer,
    ReadinessQuerySerializer,
    ReadinessSerializer,
    TaskFilterSerializer,
    TaskSerializer,
    TaskStatusSerializer,
    TaskUpdateSerializer,
    TaskWriteSerializer,
    TimelineEventSerializer,
    TimelineFilterSerializer,
    TransitionRecordSerializer,
    TransitionRequestSerializer,
    TransitionsSerializer,
)

CASE_ID = OpenApiParameter("case_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
VERSION_QUERY = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=True,
    description=_(
        "Required: the case version you read; a stale one is refused with 409 stale_edit."
    ),
)


class CaseCursorPagination(KeysetCursorPagination):
    """Keyset pages in the order of the `sort` parameter the view parsed (filters.CASE_SORTS,
    set as `view.cursor_ordering`); the unique id ends every ordering."""

    ordering = CASE_SORTS["-registered"]


def case_detail_data(user, case, request=None) -> dict:
    """The full case representation: fields, members, and what this user may do on it."""
    context = {
        "request": request,
        "members": selectors.case_members(case),
        "permissions": sorted(a for a in PERMISSIONS if can(user, a, case)),
    }
    return CaseDetailSerializer(case, context=context).data


class CaseView(ApiView):
    """Base for the views under /cases/{case_pk}/: the case is resolved through the scoped
    selector, so a case of another office answers 404 like a missing one."""

    conflict_statuses = True

    def get_case(self):
        return selectors.case_get_for(self.request.user, self.kwargs["case_pk"])

    def read_case(self, part: str, *, action: str | None = None, refused_as_missing=False):
        """The case for a read of `part` of it: resolved through the scoped selector, the policy
        `action` checked if given (403; 404 with `refused_as_missing`, for a restricted category
        whose existence is not to be confirmed), and the read written to the audit trail."""
        case = self.get_case()
        if action and not can(self.request.user, action, case):
            raise NotFound() if refused_as_missing else PermissionDenied()
        services.case_viewed(self.request.user, case=case, part=part)
        return case


# ---- cases --------------------------------------------------------------------------------------


class CaseListView(ApiView):
    """Cases in your scope, filtered and sorted; register a case in one request."""

    pagination_class = CaseCursorPagination
    serializer_class = CaseListSerializer

    @extend_schema(
        operation_id="cases_list",
        parameters=[CaseFilterSerializer],
        responses=CaseListSerializer(many=True),
    )
    def get(self, request):
        """Cases in your scope (the same selector as the web UI), filtered and sorted."""
        params = CaseFilterSerializer(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        kwargs = params.selector_kwargs()
        self.cursor_ordering = CASE_SORTS[kwargs["sort"]]
        qs = selectors.case_list_for(request.user, **kwargs)
        return self.paginated(qs)

    @extend_schema(
        operation_id="cases_register",
        request=CaseRegisterSerializer,
        responses={201: CaseDetailSerializer},
    )
    def post(self, request):
        """Register a case: principal applicant (new, or `principal_person_id`), their identity
        documents and the other members, in one transaction."""
        if not can(request.user, "case.register"):
            raise PermissionDenied()
        data = CaseRegisterSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        principal_person = v.pop("principal_person_id", None)
        members = [data.fields["members"].child.to_service(m) for m in v.pop("members", [])]
        case = services.case_register(
            request.user,
            office=v.pop("office"),
            principal=v.pop("principal", None) if principal_person is None else None,
            principal_person=principal_person,
            principal_documents=v.pop("principal_documents", None),
            members=members,
            registered_on=v.pop("registered_on", None),
            **v,
        )
        case = selectors.case_get_for(request.user, case.pk)
        return Response(case_detail_data(request.user, case, request), status=201)


class CaseDetailView(CaseView):
    serializer_class = CaseDetailSerializer

    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request, case_pk: int):
        """The case with its members. Every read is recorded in the audit trail."""
        case = self.read_case("detail")
        return Response(case_detail_data(request.user, case, request))

    @extend_schema(request=CaseUpdateSerializer, responses=CaseDetailSerializer)
    def patch(self, request, case_pk: int):
        """Edit the case fields; send the `version` you read (409 stale_edit if it changed)."""
        case = self.get_case()
        data = CaseUpdateSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        services.case_update(request.user, case=case, expected_version=version, data=v)
        case = self.get_case()
        return Response(case_detail_data(request.user, case, request))


class CaseDeclarationView(CaseView):
    serializer_class = DeclarationSerializer

    @extend_schema(
        operation_id="cases_declaration_record",
        request=DeclarationSerializer,
        responses={200: CaseDetailSerializer},
    )
    def post(self, request, case_pk: int):
        """Record the date the declaration of voluntary return was signed (upload the signed
        copy as an attachment of kind `declaration`)."""
        case = self.get_case()
        data = DeclarationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_declaration_record(
            request.user,
            case=case,
            signed_on=data.validated_data["signed_on"],
            expected_version=data.validated_data["version"],
        )
        return Response(case_detail_data(request.user, self.get_case(), request))


# ---- members ------------------------------------------------------------------------------------


class CaseMemberListView(CaseView):
    serializer_class = CaseMemberSerializer

    @extend_schema(responses=CaseMemberSerializer(many=True))
    def get(self, request, case_pk: int):
        """The members with their persons and identity documents (the read is audited)."""
        case = self.read_case("members")
        return Response(CaseMemberSerializer(selectors.case_members(case), many=True).data)

    @extend_schema(request=MemberAddSerializer, responses={201: CaseMemberSerializer})
    def post(self, request, case_pk: int):
        """Add a member: a new person (`person`, `documents`) or a known one (`person_id`)."""
        case = self.get_case()
        data = MemberAddSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        member = services.case_member_add(
            request.user,
            case=case,
            expected_version=v["version"],
            **data.to_service(v),
        )
        member = selectors.case_members(case).get(pk=member.pk)
        return Response(CaseMemberSerializer(member).data, status=201)


class CaseMemberDetailView(CaseView):
    serializer_class = CaseMemberSerializer

    def get_member(self, case):
        member = selectors.case_members(case).filter(pk=self.kwargs["member_pk"]).first()
        if member is None:
            raise NotFound()
        return member

    @extend_schema(request=MemberUpdateSerializer, responses=CaseMemberSerializer)
    def patch(self, request, case_pk: int, member_pk: int):
        case = self.get_case()
        member = self.get_member(case)
        data = MemberUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        member = services.case_member_update(
            request.user,
            case=case,
            member=member,
            relationship=data.validated_data.get("relationship"),
            travels=data.validated_data.get("travels"),
            expected_version=data.validated_data["version"],
        )
        return Response(CaseMemberSerializer(member).data)

    @extend_schema(parameters=[VERSION_QUERY], responses={204: None})
    def delete(self, request, case_pk: int, member_pk: int):
        """Remove a member (not the principal applicant); their person record stays."""
        case = self.get_case()
        member = self.get_member(case)
        services.case_member_remove(
            request.user, case=case, member=member, expected_version=version_param(request)
        )
        return Response(status=204)


# ---- notes --------------------------------------------------------------------------------------


class CaseNoteListView(CaseView):
    pagination_class = cursor_pagination("-created_at", "-id")
    serializer_class = NoteSerializer
    conflict_statuses = False

    @extend_schema(responses=NoteSerializer(many=True))
    def get(self, request, case_pk: int):
        """The notes, newest first (the read is audited)."""
        case = self.read_case("notes")
        return self.paginated(case.notes.select_related("author"))

    @extend_schema(request=NoteCreateSerializer, responses={201: NoteSerializer})
    def post(self, request, case_pk: int):
        case = self.get_case()
        data = NoteCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_add(request.user, case=case, body=data.validated_data["body"])
        return Response(NoteSerializer(note).data, status=201)


# ---- tasks --------------------------------------------------------------------------------------


class CaseTaskListView(CaseView):
    pagination_class = cursor_pagination("due_date", "id")
    serializer_class = TaskSerializer
    conflict_statuses = False

    @extend_schema(parameters=[TaskFilterSerializer], responses=TaskSerializer(many=True))
    def get(self, request, case_pk: int):
        """The case's tasks (the read is audited)."""
        params = TaskFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        case = self.read_case("tasks")
        qs = selectors.task_list_for(
            request.user, case=case, status=params.validated_data.get("status")
        )
        return self.paginated(qs)

    @extend_schema(request=TaskWriteSerializer, responses={201: TaskSerializer})
    def post(self, request, case_pk: int):
        case = self.get_case()
        data = TaskWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        task = services.task_create(request.user, case=case, **data.validated_data)
        return Response(TaskSerializer(task).data, status=201)


class CaseTaskMixin:
    def get_task(self, case):
        task = (
            selectors.task_list_for(self.request.user, case=case, status=None)
            .filter(pk=self.kwargs["task_pk"])
            .first()
        )
        if task is None:
            raise NotFound()
        return task


class CaseTaskDetailView(CaseTaskMixin, CaseView):
    serializer_class = TaskSerializer
    conflict_statuses = True

    @extend_schema(request=TaskUpdateSerializer, responses=TaskSerializer)
    def patch(self, request, case_pk: int, task_pk: int):
        """Edit the task; send the task `version` you read (409 stale_edit if it changed)."""
        task = self.get_task(self.get_case())
        data = TaskUpdateSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        task = services.task_update(request.user, task=task, data=v, expected_version=version)
        return Response(TaskSerializer(task).data)


class CaseTaskStatusView(CaseTaskMixin, CaseView):
    serializer_class = TaskStatusSerializer
    conflict_statuses = True

    @extend_schema(
        operation_id="cases_tasks_status_set",
        request=TaskStatusSerializer,
        responses={200: TaskSerializer},
    )
    def post(self, request, case_pk: int, task_pk: int):
        """Mark a task done, cancelled or open again; send the task `version` you read."""
        task = self.get_task(self.get_case())
        data = TaskStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.task_set_status(
            request.user,
            task=task,
            status=data.validated_data["status"],
            expected_version=data.validated_data["version"],
        )
        return Response(TaskSerializer(task).data)


# ---- attachments --------------------------------------------------------------------------------


class CaseAttachmentListView(CaseView):
    pagination_class = cursor_pagination("-created_at", "-id")
    parser_classes = [MultiPartParser]
    serializer_class = AttachmentSerializer
    conflict_statuses = False

    @extend_schema(responses=AttachmentSerializer(many=True))
    def get(self, request, case_pk: int):
        """The files attached to the case, newest first (the read is audited)."""
        case = self.read_case("attachments", action="attachment.view")
        qs = case.attachments.select_related("uploaded_by")
        return self.paginated(qs)

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    def post(self, request, case_pk: int):
        """Upload a file (multipart/form-data). Type (extension and content) and size are
        checked."""
        case = self.get_case()
        data = AttachmentUploadSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        att = services.attachment_add(request.user, case=case, **data.validated_data)
        return Response(AttachmentSerializer(att, context={"request": request}).data, status=201)


class PassthroughRenderer(BaseRenderer):
    """Lets a download answer clients that only accept binary content."""

    media_type = "application/octet-stream"
    format = "bin"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CaseAttachmentDownloadView(CaseView):
    renderer_classes = [JSONRenderer, PassthroughRenderer]
    conflict_statuses = False

    @extend_schema(
        operation_id="cases_attachments_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=_("The file, as uploaded.")
            )
        },
    )
    def get(self, request, case_pk: int, attachment_pk: int):
        """Download the file. Every download is recorded in the audit trail."""
        case = self.get_case()
        att = case.attachments.filter(pk=attachment_pk).first()
        if att is None:
            raise NotFound()
        att.case = case
        services.attachment_viewed(request.user, attachment=att)
        return FileResponse(
            att.file.open("rb"),
            as_attachment=True,
            filename=att.original_name,
            content_type=att.content_type,
        )


# ---- workflow and timeline ----------------------------------------------------------------------


class CaseTransitionView(CaseView):
    serializer_class = TransitionsSerializer

    @extend_schema(operation_id="cases_transitions_list", responses=TransitionsSerializer)
    def get(self, request, case_pk: int):
        """The transition history, and the moves you may make now with what blocks them (the read
        is audited)."""
        case = self.read_case("transitions")
        available = [
            {
                "transition": o["transition"].name,
                "label": str(o["transition"].label),
                "target": o["transition"].target,
                "requires": sorted(o["transition"].requires),
                "allowed": o["allowed"],
                "blockers": [str(b) for b in o["blockers"]],
            }
            for o in selectors.transition_options(request.user, case)
        ]
        history = TransitionRecordSerializer(selectors.case_transitions(case), many=True).data
        body = {"status": case.status, "version": case.version}
        return Response({**body, "history": history, "available": available})

    @extend_schema(
        operation_id="cases_transitions_create",
        request=TransitionRequestSerializer,
        responses={200: CaseDetailSerializer},
    )
    def post(self, request, case_pk: int):
        """Move the case. A refused move answers 409: `gate_failed` with `details.failed_gates`
        (gate, label, messages), or `invalid_source_status`."""
        case = self.get_case()
        data = TransitionRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.case_transition(
            request.user,
            case=case,
            name=v["transition"],
            comment=v["comment"],
            reason=v["reason"],
            closure_reason=v["closure_reason"],
            project=v["project"],
            expected_version=v["version"],
        )
        return Response(case_detail_data(request.user, self.get_case(), request))


class CaseReadinessView(CaseView):
    serializer_class = ReadinessSerializer

    @extend_schema(
        operation_id="cases_readiness_retrieve",
        parameters=[ReadinessQuerySerializer],
        responses=ReadinessSerializer,
    )
    def get(self, request, case_pk: int):
        """Per traveller, the safeguards in place and those still missing before travel: the
        same checks the `mark_ready` and `book` moves make (gate `travel_safeguards`). Checks of
        a restricted category you may not see come as `restricted`, without detail. The read is
        audited."""
        query = ReadinessQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        on_date = query.validated_data.get("on_date") or timezone.localdate()
        case = self.read_case("readiness", action="readiness.view")
        rows = readiness.readiness_for(request.user, case, on_date=on_date)
        body = {"on_date": on_date, "ready": all(r.ready for r in rows), "travellers": rows}
        return Response(ReadinessSerializer(body, context={"request": request}).data)


class CaseTimelineView(CaseView):
    pagination_class = cursor_pagination("-id")
    serializer_class = TimelineEventSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "redact": getattr(self, "redact", None)}

    @extend_schema(
        parameters=[TimelineFilterSerializer], responses=TimelineEventSerializer(many=True)
    )
    def get(self, request, case_pk: int):
        """Audit events of the case and of its members' person records, newest first (the read
        is audited too). `views=false` leaves the reads out."""
        params = TimelineFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        case = self.read_case("timeline", action="timeline.view")
        self.redact = restricted.redactor(request.user, case)
        person_ids = case.members.values_list("person_id", flat=True)
        qs = timeline_for_case(
            case.pk,
            person_ids=list(person_ids),
            limit=None,
            exclude_actions=() if params.validated_data["views"] else services.VIEW_ACTIONS,
        )
        return self.paginated(qs)
