"""Duplicates review API: the queue of possible duplicates, a pair side by side, reject, merge,
the merges (undo), detection runs (start one, follow it).

Thin views over duplicates.selectors and duplicates.services: everything is scoped to the
missions where you may review (404 outside them); deciding is for the roles of
policies.may_decide (403 otherwise)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from awda.accounts.models import Mission
from awda.cases.services import person_viewed
from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.core.errors import NotFound, PermissionDenied

from .. import policies, selectors, services
from .serializers import (
    MergeCreateSerializer,
    MergeSerializer,
    PairDetailSerializer,
    PairFilterSerializer,
    PairSerializer,
    RejectSerializer,
    RunCreateSerializer,
    RunSerializer,
    UndoSerializer,
)


class _DuplicatesView(ApiView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not policies.may_view(request.user):
            raise PermissionDenied()


def _pair_detail(request, pair) -> dict:
    persons = selectors.persons_side_by_side(pair, request.user)
    return PairDetailSerializer(pair, context={"request": request, "persons": persons}).data


class PairListView(_DuplicatesView):
    serializer_class = PairSerializer
    pagination_class = cursor_pagination("-score", "-id")

    @extend_schema(
        operation_id="duplicates_pairs_list",
        parameters=[PairFilterSerializer],
        responses=PairSerializer(many=True),
    )
    def get(self, request):
        """The review queue of your missions, highest score first (open pairs by default)."""
        params = PairFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        qs = selectors.pair_list_for(
            request.user,
            status=d.get("status", "open"),
            band=d.get("band"),
            source=d.get("source"),
            mission=d.get("mission"),
        )
        return self.paginated(qs)


class PairDetailView(_DuplicatesView):
    serializer_class = PairDetailSerializer

    @extend_schema(operation_id="duplicates_pairs_retrieve", responses=PairDetailSerializer)
    def get(self, request, pair_pk: int):
        """A pair with both persons side by side (documents, cases) and the reasons. The read
        of both records is audited."""
        pair = selectors.pair_get_for(request.user, pair_pk)
        data = _pair_detail(request, pair)
        for person in (pair.person_a, pair.person_b):
            person_viewed(request.user, person=person, part="detail")
        return Response(data)


class PairRejectView(_DuplicatesView):
    serializer_class = PairDetailSerializer
    conflict_statuses = True

    @extend_schema(
        operation_id="duplicates_pairs_reject",
        request=RejectSerializer,
        responses=PairDetailSerializer,
    )
    def post(self, request, pair_pk: int):
        """Not the same person: the pair is closed for good and never proposed again. 400
        pair_not_open when it is no longer waiting for a decision."""
        pair = selectors.pair_get_for(request.user, pair_pk)
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.pair_reject(
            request.user,
            pair=pair,
            note=data.validated_data.get("note", ""),
            expected_version=data.validated_data["version"],
        )
        pair = selectors.pair_get_for(request.user, pair_pk)
        return Response(_pair_detail(request, pair))


class PairMergeView(_DuplicatesView):
    serializer_class = MergeSerializer
    conflict_statuses = True

    @extend_schema(
        operation_id="duplicates_pairs_merge",
        request=MergeCreateSerializer,
        responses={201: MergeSerializer},
    )
    def post(self, request, pair_pk: int):
        """Same person: merge the pair into `survivor`. Every record of the other person (cases,
        documents, consents, screenings, assistance, bookings, costs, ...) moves to the survivor
        and is listed in `items`; undo it with POST .../merges/{id}/undo/. Refused with 400 and
        a code: same_case (members of one case), person_already_merged, pair_not_open,
        invalid_survivor, merge_conflict (a record would be duplicated), cases_out_of_scope (a
        case of either person is one you may not see); 409 stale_edit. Records of a restricted
        category you may not see are counted in `restricted_items`, not listed."""
        pair = selectors.pair_get_for(request.user, pair_pk)
        data = MergeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        merge = services.persons_merge(
            request.user,
            pair=pair,
            survivor=d["survivor"],
            expected_versions=d["versions"],
            note=d.get("note", ""),
        )
        merge = selectors.merge_get_for(request.user, merge.pk)
        url = reverse("api-duplicates-merge-detail", args=[merge.pk])
        body = MergeSerializer(merge, context={"request": request}).data
        return Response(body, status=201, headers={"Location": url})


class MergeListView(_DuplicatesView):
    serializer_class = MergeSerializer
    pagination_class = cursor_pagination("-merged_at", "-id")

    @extend_schema(operation_id="duplicates_merges_list", responses=MergeSerializer(many=True))
    def get(self, request):
        """The merges of your missions, newest first."""
        return self.paginated(selectors.merge_list_for(request.user).prefetch_related("items"))


class MergeDetailView(_DuplicatesView):
    serializer_class = MergeSerializer

    @extend_schema(operation_id="duplicates_merges_retrieve", responses=MergeSerializer)
    def get(self, request, merge_pk: int):
        """A merge with every record it moved."""
        merge = selectors.merge_get_for(request.user, merge_pk)
        return Response(MergeSerializer(merge, context={"request": request}).data)


class MergeUndoView(_DuplicatesView):
    serializer_class = MergeSerializer
    conflict_statuses = True

    @extend_schema(
        operation_id="duplicates_merges_undo", request=UndoSerializer, responses=MergeSerializer
    )
    def post(self, request, merge_pk: int):
        """Undo a merge: exactly the recorded records go back (those deleted or reassigned
        since are left and listed in the audit), the aliases added are removed, the pair is
        open again. 400 merge_undone, survivor_merged (undo the later merge first),
        undo_conflict, cases_out_of_scope."""
        merge = selectors.merge_get_for(request.user, merge_pk)
        data = UndoSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.merge_undo(request.user, merge=merge, note=data.validated_data.get("note", ""))
        merge = selectors.merge_get_for(request.user, merge_pk)
        return Response(MergeSerializer(merge, context={"request": request}).data)


class RunListView(_DuplicatesView):
    serializer_class = RunSerializer
    pagination_class = cursor_pagination("-created_at", "-id")

    @extend_schema(operation_id="duplicates_runs_list", responses=RunSerializer(many=True))
    def get(self, request):
        """Detection runs of your missions, newest first."""
        return self.paginated(selectors.run_list_for(request.user))

    @extend_schema(
        operation_id="duplicates_runs_create",
        request=RunCreateSerializer,
        responses={201: RunSerializer},
    )
    def post(self, request):
        """Start a detection run over the persons of a mission (in the background: follow
        `status` and `percent` on the run). While a run of the mission is queued or running,
        that run is returned instead of a new one."""
        data = RunCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mission = Mission.objects.filter(pk=data.validated_data["mission"]).first()
        if mission is None or not policies.may_view(request.user, mission.pk):
            raise NotFound()
        run = services.duplicates_detect(request.user, mission=mission)
        run = selectors.run_get_for(request.user, run.pk)
        url = reverse("api-duplicates-run-detail", args=[run.pk])
        return Response(RunSerializer(run).data, status=201, headers={"Location": url})


class RunDetailView(_DuplicatesView):
    serializer_class = RunSerializer

    @extend_schema(operation_id="duplicates_runs_retrieve", responses=RunSerializer)
    def get(self, request, run_pk: int):
        """A detection run: status, phase, progress and counts."""
        return Response(RunSerializer(selectors.run_get_for(request.user, run_pk)).data)
