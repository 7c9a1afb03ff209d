"""Persons API. Persons are registry records, but who may see or edit one depends on the cases
they belong to, so scoping and policy come from cases.selectors (the same as the web UI)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.core.errors import NotFound, PermissionDenied
from awda.registry import services as registry
from awda.registry.api.serializers import (
    IdentityDocumentSerializer,
    IdentityDocumentWriteSerializer,
    PersonSummarySerializer,
    PersonUpdateSerializer,
)

from .. import selectors, services
from .filters import PersonFilterSerializer
from .serializers import PersonDetailSerializer


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
        """The person with their identity documents and the cases you may see."""
        return Response(person_detail_data(request.user, self.get_person()))

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
    serializer_class = IdentityDocumentSerializer
    conflict_statuses = False

    @extend_schema(responses=IdentityDocumentSerializer(many=True))
    def get(self, request, person_pk: int):
        person = self.get_person()
        return Response(IdentityDocumentSerializer(person.documents.all(), many=True).data)

    @extend_schema(
        request=IdentityDocumentWriteSerializer, responses={201: IdentityDocumentSerializer}
    )
    def post(self, request, person_pk: int):
        person = self.get_editable_person()
        data = IdentityDocumentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        doc = registry.identity_document_add(request.user, person=person, data=data.validated_data)
        return Response(IdentityDocumentSerializer(doc).data, status=201)


class PersonDocumentDetailView(PersonView):
    serializer_class = IdentityDocumentSerializer
    conflict_statuses = False

    def get_document(self, person):
        doc = person.documents.filter(pk=self.kwargs["document_pk"]).first()
        if doc is None:
            raise NotFound()
        doc.person = person
        return doc

    @extend_schema(request=IdentityDocumentWriteSerializer, responses=IdentityDocumentSerializer)
    def patch(self, request, person_pk: int, document_pk: int):
        person = self.get_editable_person()
        doc = self.get_document(person)
        data = IdentityDocumentWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        doc = registry.identity_document_update(
            request.user, document=doc, data=data.validated_data
        )
        return Response(IdentityDocumentSerializer(doc).data)

    @extend_schema(responses={204: None})
    def delete(self, request, person_pk: int, document_pk: int):
        person = self.get_editable_person()
        doc = self.get_document(person)
        registry.identity_document_delete(request.user, document=doc)
        return Response(status=204)
