"""Screening API: GET the history of every member's screenings, POST a (re-)screening of one
member. Thin views over screening.selectors and screening.services; the case is resolved through
the scoped selector (404 outside your scope) and every read is audited (part "screening")."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from awda.cases.api.views import CaseView
from awda.core.api.pagination import cursor_pagination
from awda.core.errors import NotFound

from .. import selectors, services
from .serializers import ScreeningRecordSerializer, ScreeningSerializer


class CaseScreeningListView(CaseView):
    pagination_class = cursor_pagination("-created_at", "-id")
    serializer_class = ScreeningSerializer
    conflict_statuses = True

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["restricted_ok"] = getattr(self, "restricted_ok", False)
        return context

    @extend_schema(operation_id="cases_screenings_list", responses=ScreeningSerializer(many=True))
    def get(self, request, case_pk: int):
        """Every screening of the case's members, newest first; the newest of a person is their
        current one. Trafficking indicators are shown to protection officers only (others get a
        `protection_referral` flag and `redacted: true`). The read is audited."""
        case = self.read_case("screening", action="screening.view")
        self.restricted_ok = selectors.may_see_restricted(request.user, case)
        return self.paginated(selectors.screening_history(case))

    @extend_schema(
        operation_id="cases_screenings_create",
        request=ScreeningRecordSerializer,
        responses={201: ScreeningSerializer},
    )
    def post(self, request, case_pk: int):
        """Record a (re-)screening of one member with the case `version` you read. Derives
        flags and priority, creates the required assessment tasks (once), raises the case's
        priority if needed and bumps the case version."""
        case = self.get_case()
        data = ScreeningRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        member = case.members.select_related("person").filter(pk=v["member"]).first()
        if member is None:
            raise NotFound()
        screening = services.screening_record(
            request.user,
            case=case,
            member=member,
            factors=dict(v["factors"]),
            notes=v["notes"],
            expected_version=v["version"],
        )
        self.restricted_ok = selectors.may_see_restricted(request.user, case)
        screening = selectors.screening_history(case).get(pk=screening.pk)
        return Response(self.get_serializer(screening).data, status=201)
