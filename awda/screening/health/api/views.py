"""Health API: fitness-to-travel decisions, medical needs, referrals and documents of a case.

Thin views over health.selectors and health.services. The case is resolved through the scoped
selector (404 outside your scope); every read is audited (part "fitness" or "medical").

Medical records are restricted: a medical officer of the case sees every person's; a caseworker
of the case sees those of the persons who consented to the processing of their health data (the
lists hold only them, another person's record is a 404); anyone else gets a 404, as if the
resource did not exist. Fitness decisions are seen with fitness.view."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from awda.cases.api.views import CaseView, PassthroughRenderer
from awda.cases.services import case_viewed
from awda.core.api.pagination import cursor_pagination
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.registry.models import Organisation

from .. import policies, selectors, services
from .serializers import (
    FitnessRecordSerializer,
    FitnessSerializer,
    MedicalDocumentSerializer,
    MedicalDocumentUploadSerializer,
    MedicalNeedCreateSerializer,
    MedicalNeedSerializer,
    MedicalNeedUpdateSerializer,
    MedicalReferralCreateSerializer,
    MedicalReferralSerializer,
    MedicalReferralUpdateSerializer,
)

# The parts of the case read, as the audit trail records them.
FITNESS_PART = "fitness"
MEDICAL_PART = "medical"


def _person(case, person_id):
    """The person, if a member of the case (400 otherwise)."""
    member = case.members.select_related("person").filter(person_id=person_id).first()
    if member is None:
        raise ValidationFailed(fields={"person": [_("This person is not a member of the case.")]})
    return member.person


class HealthRecordsView(CaseView):
    """Base of the restricted lists: the persons whose records the user may see."""

    pagination_class = cursor_pagination("-created_at", "-id")

    def visible_case(self):
        """(case, person ids whose medical records the user may see); 404 for a user who may see
        none by role (neither medical officer nor caseworker of the case)."""
        case = self.get_case()
        if not policies.may_read_health_records(self.request.user, case):
            raise NotFound()
        person_ids = case.members.values_list("person_id", flat=True)
        return case, policies.health_visible_persons(self.request.user, case, person_ids)

    def read(self):
        case, visible = self.visible_case()
        case_viewed(self.request.user, case=case, part=MEDICAL_PART)
        return case, visible


# ---- fitness to travel --------------------------------------------------------------------------


class CaseFitnessListView(CaseView):
    pagination_class = cursor_pagination("-created_at", "-id")
    serializer_class = FitnessSerializer

    @extend_schema(operation_id="cases_fitness_list", responses=FitnessSerializer(many=True))
    def get(self, request, case_pk: int):
        """Every fitness-to-travel decision of the case's members, newest first; the newest of a
        person is their current one. No medical content (outcome, validity, escort, special
        needs, remarks for the movement team). The read is audited."""
        case = self.read_case(FITNESS_PART, action="fitness.view")
        return self.paginated(selectors.fitness_history(case))

    @extend_schema(
        operation_id="cases_fitness_create",
        request=FitnessRecordSerializer,
        responses={201: FitnessSerializer},
    )
    def post(self, request, case_pk: int):
        """Record a fitness-to-travel decision for a member (medical officers). It supersedes
        the previous one; `valid_until` = `decided_on` + `valid_days`."""
        case = self.get_case()
        if not policies.may_record_fitness(request.user, case):
            raise PermissionDenied()
        data = FitnessRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        person = _person(case, v.pop("person"))
        decision = services.fitness_record(request.user, case=case, person=person, **v)
        decision = selectors.fitness_history(case).get(pk=decision.pk)
        return Response(self.get_serializer(decision).data, status=201)


# ---- medical needs ------------------------------------------------------------------------------


class CaseMedicalNeedListView(HealthRecordsView):
    serializer_class = MedicalNeedSerializer

    @extend_schema(
        operation_id="cases_medical_needs_list", responses=MedicalNeedSerializer(many=True)
    )
    def get(self, request, case_pk: int):
        """The medical needs you may see (restricted), newest first. The read is audited."""
        case, visible = self.read()
        return self.paginated(selectors.medical_needs(case, visible))

    @extend_schema(
        operation_id="cases_medical_needs_create",
        request=MedicalNeedCreateSerializer,
        responses={201: MedicalNeedSerializer},
    )
    def post(self, request, case_pk: int):
        """Record a medical need of a member (medical officers)."""
        case = self.get_case()
        if not policies.may_record_health(request.user, case):
            raise PermissionDenied()
        data = MedicalNeedCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        person = _person(case, v.pop("person"))
        need = services.medical_need_record(request.user, case=case, person=person, **v)
        need = selectors.medical_needs(case).get(pk=need.pk)
        return Response(self.get_serializer(need).data, status=201)


class CaseMedicalNeedDetailView(HealthRecordsView):
    serializer_class = MedicalNeedSerializer

    @extend_schema(
        operation_id="cases_medical_needs_update",
        request=MedicalNeedUpdateSerializer,
        responses=MedicalNeedSerializer,
    )
    def patch(self, request, case_pk: int, need_pk: int):
        """Change a medical need (medical officers) with the `version` you read; a stale one is
        refused with 409 stale_edit."""
        case, visible = self.visible_case()
        need = selectors.medical_needs(case, visible).filter(pk=need_pk).first()
        if need is None:
            raise NotFound()
        need.case = case
        data = MedicalNeedUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        services.medical_need_update(request.user, need=need, expected_version=version, **v)
        need = selectors.medical_needs(case).get(pk=need.pk)
        return Response(self.get_serializer(need).data)


# ---- referrals ----------------------------------------------------------------------------------


class CaseMedicalReferralListView(HealthRecordsView):
    serializer_class = MedicalReferralSerializer

    @extend_schema(
        operation_id="cases_medical_referrals_list",
        responses=MedicalReferralSerializer(many=True),
    )
    def get(self, request, case_pk: int):
        """The referrals you may see (restricted), newest first. The read is audited."""
        case, visible = self.read()
        return self.paginated(selectors.medical_referrals(case, visible))

    @extend_schema(
        operation_id="cases_medical_referrals_create",
        request=MedicalReferralCreateSerializer,
        responses={201: MedicalReferralSerializer},
    )
    def post(self, request, case_pk: int):
        """Refer a member to a provider (medical officers). Discloses identity and health data to
        the provider: recorded in the transfer log, refused (400 consent_missing, nothing
        written) without valid consents to sharing with service providers and to the processing
        of health data."""
        case = self.get_case()
        if not policies.may_record_health(request.user, case):
            raise PermissionDenied()
        data = MedicalReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        person = _person(case, v.pop("person"))
        provider = Organisation.objects.filter(pk=v.pop("provider")).first()
        referral = services.medical_referral_record(
            request.user, case=case, person=person, provider=provider, **v
        )
        referral = selectors.medical_referrals(case).get(pk=referral.pk)
        return Response(self.get_serializer(referral).data, status=201)


class CaseMedicalReferralDetailView(HealthRecordsView):
    serializer_class = MedicalReferralSerializer

    @extend_schema(
        operation_id="cases_medical_referrals_update",
        request=MedicalReferralUpdateSerializer,
        responses=MedicalReferralSerializer,
    )
    def patch(self, request, case_pk: int, referral_pk: int):
        """Follow a referral up (status, outcome; medical officers) with the `version` you read."""
        case, visible = self.visible_case()
        referral = selectors.medical_referrals(case, visible).filter(pk=referral_pk).first()
        if referral is None:
            raise NotFound()
        referral.case = case
        data = MedicalReferralUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        services.medical_referral_update(
            request.user, referral=referral, expected_version=version, **v
        )
        referral = selectors.medical_referrals(case).get(pk=referral.pk)
        return Response(self.get_serializer(referral).data)


# ---- documents ----------------------------------------------------------------------------------


class CaseMedicalDocumentListView(HealthRecordsView):
    parser_classes = [MultiPartParser]
    serializer_class = MedicalDocumentSerializer
    conflict_statuses = False

    @extend_schema(
        operation_id="cases_medical_documents_list",
        responses=MedicalDocumentSerializer(many=True),
    )
    def get(self, request, case_pk: int):
        """The medical documents you may see (restricted), newest first. The read is audited."""
        case, visible = self.read()
        return self.paginated(selectors.medical_documents(case, visible))

    @extend_schema(
        operation_id="cases_medical_documents_create",
        request=MedicalDocumentUploadSerializer,
        responses={201: MedicalDocumentSerializer},
    )
    def post(self, request, case_pk: int):
        """Upload a medical document of a member (multipart/form-data; medical officers). Type
        (extension and content) and size are checked as for case attachments."""
        case = self.get_case()
        if not policies.may_record_health(request.user, case):
            raise PermissionDenied()
        data = MedicalDocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        person = _person(case, v.pop("person"))
        doc = services.medical_document_add(request.user, case=case, person=person, **v)
        doc = selectors.medical_documents(case).get(pk=doc.pk)
        return Response(self.get_serializer(doc).data, status=201)


class CaseMedicalDocumentDownloadView(HealthRecordsView):
    renderer_classes = [JSONRenderer, PassthroughRenderer]
    pagination_class = None
    conflict_statuses = False

    @extend_schema(
        operation_id="cases_medical_documents_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=gettext_lazy("The file, as uploaded.")
            )
        },
    )
    def get(self, request, case_pk: int, document_pk: int):
        """Download a medical document you may see. Every download is audited."""
        case, visible = self.visible_case()
        doc = selectors.medical_documents(case, visible).filter(pk=document_pk).first()
        if doc is None:
            raise NotFound()
        services.medical_document_viewed(request.user, document=doc, case=case)
        return FileResponse(
            doc.file.open("rb"),
            as_attachment=True,
            filename=doc.original_name,
            content_type=doc.content_type,
        )
