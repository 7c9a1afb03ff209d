from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from awda.accounts.choices import Role
from awda.accounts.selectors import user_scope
from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.core.errors import NotFound

from .. import selectors, services
from ..models import Organisation
from .filters import OrganisationFilterSerializer
from .serializers import OrganisationSerializer, OrganisationWriteSerializer


def can_manage_organisations(user) -> bool:
    """Partner organisations are reference data: office managers and administrators keep them."""
    return user.is_superuser or user_scope(user).has_role(Role.MANAGER, Role.ADMIN)


class CanManageOrganisations(BasePermission):
    message = _("Only office managers and administrators can change partner organisations.")

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return can_manage_organisations(request.user)


class OrganisationListView(ApiView):
    """Partner organisations: referral sources, hospitals, consulates, suppliers, carriers."""

    permission_classes = [*ApiView.permission_classes, CanManageOrganisations]
    pagination_class = cursor_pagination("name", "id")
    serializer_class = OrganisationSerializer

    @extend_schema(
        parameters=[OrganisationFilterSerializer], responses=OrganisationSerializer(many=True)
    )
    def get(self, request):
        params = OrganisationFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        qs = selectors.organisation_list(
            kind=p.get("kind"),
            country=(p.get("country") or "").upper() or None,
            query=p.get("q"),
            active_only=not p["include_inactive"],
        )
        return self.paginated(qs)

    @extend_schema(request=OrganisationWriteSerializer, responses={201: OrganisationSerializer})
    def post(self, request):
        data = OrganisationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        org = services.organisation_create(request.user, data=data.validated_data)
        return Response(OrganisationSerializer(org).data, status=201)


class OrganisationDetailView(ApiView):
    permission_classes = [*ApiView.permission_classes, CanManageOrganisations]
    serializer_class = OrganisationSerializer

    def get_organisation(self, pk) -> Organisation:
        org = selectors.organisation_list(active_only=False).filter(pk=pk).first()
        if org is None:
            raise NotFound()
        return org

    @extend_schema(responses=OrganisationSerializer)
    def get(self, request, organisation_pk: int):
        return Response(OrganisationSerializer(self.get_organisation(organisation_pk)).data)

    @extend_schema(request=OrganisationWriteSerializer, responses=OrganisationSerializer)
    def patch(self, request, organisation_pk: int):
        org = self.get_organisation(organisation_pk)
        data = OrganisationWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        org = services.organisation_update(request.user, organisation=org, data=data.validated_data)
        return Response(OrganisationSerializer(org).data)
