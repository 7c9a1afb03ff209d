"""Persons API. Persons are registry records, but who may see or edit one depends on the cases
they belong to, so scoping and policy come from cases.selectors (the same as the web UI)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView, version_param
from awda.core.errors import NotFound, PermissionDenied
from awda.registry.api.serializers import (
    IdentityDocumentEditSerializer,
    PersonDocumentSerializer,
    PersonSummarySerializer,
    PersonUpdateSerializer,
)

from .. import selectors, services
from .filters import PersonFilterSerializer
from .serializers import PersonDetailSerializer

PERSON_VERSION_QUERY = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=True,
    description=_(
        "Required: the person's version you read; a stale one is refused with 409 stale_edit."
    ),
)


def person_detail_data(user, person) -> dict:
    context = {"cases": selectors.person_cases_for(user, person)}
    return PersonDetailSerializer(person, context=context).data


class PersonListView(ApiView):
    """Persons in your scope: registered by your offices or members of cases you can see."""

    pagination_class = cursor_pagination("family_name", "given_name", "id")
    serializer_class = PersonSummarySerializer

    @extend_schema(
        parameters=[PersonFilterSerializer], responses=PersonSummarySerializer(many=True)
    )
    def get(self, request):
        params = PersonFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = selectors.person_list_for(
            request.user,
            query=params.validated_data.get("q"),
            nationality=params.validated_data.get("nationality"),
        )
        return self.paginated(qs)


class PersonView(ApiView):
    conflict_statuses = True

    def get_person(self):
        return selectors.person_get_for(self.request.user, self.kwargs["person_pk"])

    def get_editable_person(self):
        person = self.get_person()
        if not selectors.person_can_edit(self.request.user, person):
            raise PermissionDenied()
        return person


class PersonDetailView(PersonView):
    serializer_class = PersonDetailSerializer

    @extend_schema(responses=PersonDetailSerializer)
    def get(self, request, person_pk: int):
        """The person with their identity documents and the cases you may see (the read is
        audited: registry.person.viewed)."""
        person = self.get_person()
        services.person_viewed(request.user, person=person, part="detail")
        return Response(person_detail_data(request.user, person))

    @extend_schema(request=PersonUpdateSerializer, responses=PersonDetailSerializer)
    def patch(self, request, person_pk: int):
        """Edit the person; send the `version` you read (409 stale_edit if it changed)."""
        person = self.get_person()
        data = PersonUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        person = services.person_update(
            request.user, person=person, expected_version=version, data=v
        )
        return Response(person_detail_data(request.user, self.get_person()))


class PersonDocumentListView(PersonView):
    """A person's identity documents. They are part of the person's record: adding, editing or
    deleting one needs the person's `version` and bumps it (409 stale_edit if it changed)."""

    serializer_class = PersonDocumentSerializer

    @extend_schema(responses=PersonDocumentSerializer(many=True))
    def get(self, request, person_pk: int):
        """The person's identity documents (the read is audited)."""
        person = self.get_person()
        services.person_viewed(request.user, person=person, part="documents")
        return Response(PersonDocumentSerializer(person.documents.all(), many=True).data)

    @extend_schema(
        request=IdentityDocumentEditSerializer, responses={201: PersonDocumentSerializer}
    )
    def post(self, request, person_pk: int):
        """Add a document; send the person's `version` you read."""
        person = self.get_editable_person()
        data = IdentityDocumentEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        doc = services.person_document_add(
            request.user, person=person, data=v, expected_version=version
        )
        return Response(PersonDocumentSerializer(doc).data, status=201)


class PersonDocumentDetailView(PersonView):
    serializer_class = PersonDocumentSerializer

    def get_document(self, person):
        doc = person.documents.filter(pk=self.kwargs["document_pk"]).first()
        if doc is None:
            raise NotFound()
        doc.person = person
        return doc

    @extend_schema(request=IdentityDocumentEditSerializer, responses=PersonDocumentSerializer)
    def patch(self, request, person_pk: int, document_pk: int):
        """Edit a document; send the person's `version` you read."""
        person = self.get_editable_person()
        doc = self.get_document(person)
        data = IdentityDocumentEditSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        doc = services.person_document_update(
            request.user, document=doc, data=v, expected_version=version
        )
        return Response(PersonDocumentSerializer(doc).data)

    @extend_schema(parameters=[PERSON_VERSION_QUERY], responses={204: None})
    def delete(self, request, person_pk: int, document_pk: int):
        """Delete a document; send the person's version you read as `?version=`."""
        person = self.get_editable_person()
        doc = self.get_document(person)
        services.person_document_delete(
            request.user, document=doc, expected_version=version_param(request)
        )
        return Response(status=204)
