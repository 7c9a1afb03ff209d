from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.core.errors import NotFound

from .. import selectors
from .filters import ProjectFilterSerializer
from .serializers import ProjectSerializer


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
