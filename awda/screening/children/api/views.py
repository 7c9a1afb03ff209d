"""Child-protection API (the UASC procedure): GET every child's file, POST each step, PATCH a
tracing request's outcome, reopen a determination. Thin views over children.selectors and
children.services.

Child-protection data is a restricted category: a user who sees the case but not this category
("child.view") gets 404, as for a case out of scope; every read is audited (part
"child_protection")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from awda.accounts.models import Mission
from awda.cases.api.views import CaseView
from awda.cases.policies import can
from awda.core.errors import NotFound, ValidationFailed

from .. import selectors, services
from .serializers import (
    BestInterestsAssessmentInput,
    BestInterestsAssessmentSerializer,
    BestInterestsDeterminationInput,
    BestInterestsDeterminationReopenInput,
    BestInterestsDeterminationSerializer,
    CaregiverAssessmentInput,
    CaregiverAssessmentSerializer,
    ChildIdentificationInput,
    ChildIdentificationSerializer,
    ChildProtectionSerializer,
    EscortPlanInput,
    EscortPlanSerializer,
    FamilyTracingInput,
    FamilyTracingOutcomeInput,
    FamilyTracingSerializer,
    GuardianConsentInput,
    GuardianConsentResultSerializer,
    ReceptionArrangementInput,
    ReceptionArrangementSerializer,
)

PART = "child_protection"


class ChildProtectionView(CaseView):
    serializer_class = ChildProtectionSerializer

    def child_case(self, *, read: bool = False):
        """The case, if the user may see its child-protection data (404 otherwise); a read is
        audited."""
        if read:
            return self.read_case(PART, action="child.view", refused_as_missing=True)
        case = self.get_case()
        if not can(self.request.user, "child.view", case):
            raise NotFound()
        return case

    def parse(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @staticmethod
    def child_of(case, person_id):
        member = case.members.select_related("person").filter(person_id=person_id).first()
        if member is None:
            raise NotFound()
        return member.person


class CaseChildProtectionView(ChildProtectionView):
    @extend_schema(operation_id="cases_child_protection_retrieve")
    def get(self, request, case_pk: int):
        """The children of the case (under 18 or of unknown age, identified, or flagged by the
        screening): whether the UASC procedure applies, the state of each step (the checks of
        the readiness checklist) and every record, newest first. Protection officers only. The
        read is audited."""
        case = self.child_case(read=True)
        data = {
            "case_id": case.pk,
            "case_version": case.version,
            "children": selectors.case_children(case),
        }
        return Response(ChildProtectionSerializer(data).data)


class _StepCreateView(ChildProtectionView):
    """POST one record of a step for one child (`person`)."""

    input_class = None
    output_class = None
    service = None

    def values(self, case, v: dict) -> dict:
        return v

    def post(self, request, case_pk: int):
        case = self.child_case()
        v = self.parse(self.input_class)
        person = self.child_of(case, v.pop("person"))
        record = type(self).service(request.user, case=case, person=person, **self.values(case, v))
        return Response(self.output_class(record).data, status=201)


def _create_schema(operation_id, input_class, output_class, description):
    return extend_schema_view(
        post=extend_schema(
            operation_id=operation_id,
            request=input_class,
            responses={201: output_class},
            description=description,
        )
    )


@_create_schema(
    "cases_child_protection_identifications_create",
    ChildIdentificationInput,
    ChildIdentificationSerializer,
    "Identify a child: assessed age, basis, care status. The newest identification decides "
    "whether the UASC procedure applies.",
)
class IdentificationCreateView(_StepCreateView):
    input_class = ChildIdentificationInput
    output_class = ChildIdentificationSerializer
    service = staticmethod(services.child_identification_record)


@_create_schema(
    "cases_child_protection_assessments_create",
    BestInterestsAssessmentInput,
    BestInterestsAssessmentSerializer,
    "Record a best-interests assessment of the child.",
)
class AssessmentCreateView(_StepCreateView):
    input_class = BestInterestsAssessmentInput
    output_class = BestInterestsAssessmentSerializer
    service = staticmethod(services.best_interests_assessment_record)


@_create_schema(
    "cases_child_protection_tracing_create",
    FamilyTracingInput,
    FamilyTracingSerializer,
    "Send a family tracing request to the origin mission. The disclosure is written to the "
    "transfer log; refused (400 consent_missing, nothing written) without the consent to "
    "sharing with the origin mission.",
)
class TracingCreateView(_StepCreateView):
    input_class = FamilyTracingInput
    output_class = FamilyTracingSerializer
    service = staticmethod(services.family_tracing_request)

    def values(self, case, v):
        mission_id = v.pop("origin_mission", None)
        if mission_id is not None:
            # an origin mission, active: checked by the service (the one write path)
            mission = Mission.objects.filter(pk=mission_id).first()
            if mission is None:
                raise ValidationFailed(fields={"origin_mission": [_("Choose the origin mission.")]})
            v["origin_mission"] = mission
        return v


@_create_schema(
    "cases_child_protection_caregiver_assessments_create",
    CaregiverAssessmentInput,
    CaregiverAssessmentSerializer,
    "Record the assessment of the family or caregiver in the origin country.",
)
class CaregiverCreateView(_StepCreateView):
    input_class = CaregiverAssessmentInput
    output_class = CaregiverAssessmentSerializer
    service = staticmethod(services.caregiver_assessment_record)


@_create_schema(
    "cases_child_protection_determinations_create",
    BestInterestsDeterminationInput,
    BestInterestsDeterminationSerializer,
    "Record the best-interests determination (after an assessment). A new determination of a "
    "child reviews the previous one (`review_of`); the history is kept.",
)
class DeterminationCreateView(_StepCreateView):
    input_class = BestInterestsDeterminationInput
    output_class = BestInterestsDeterminationSerializer
    service = staticmethod(services.determination_record)


@_create_schema(
    "cases_child_protection_escort_plans_create",
    EscortPlanInput,
    EscortPlanSerializer,
    "Record the escort plan; the child travels only with a trained escort.",
)
class EscortCreateView(_StepCreateView):
    input_class = EscortPlanInput
    output_class = EscortPlanSerializer
    service = staticmethod(services.escort_plan_record)


@_create_schema(
    "cases_child_protection_reception_create",
    ReceptionArrangementInput,
    ReceptionArrangementSerializer,
    "Record who receives the child on arrival, where and how to reach them.",
)
class ReceptionCreateView(_StepCreateView):
    input_class = ReceptionArrangementInput
    output_class = ReceptionArrangementSerializer
    service = staticmethod(services.reception_arrangement_record)


class GuardianConsentCreateView(ChildProtectionView):
    @extend_schema(
        operation_id="cases_child_protection_guardian_consent_create",
        request=GuardianConsentInput,
        responses={201: GuardianConsentResultSerializer},
    )
    def post(self, request, case_pk: int):
        """Record the consent of the child's parent or guardian to the return and, unless
        `origin_mission` is false, to sharing the child's data with the origin mission (both
        in the consent records)."""
        case = self.child_case()
        v = self.parse(GuardianConsentInput)
        person = self.child_of(case, v.pop("person"))
        consents = services.guardian_consent_record(request.user, case=case, person=person, **v)
        return Response(GuardianConsentResultSerializer({"consents": consents}).data, status=201)


class TracingOutcomeView(ChildProtectionView):
    @extend_schema(
        operation_id="cases_child_protection_tracing_update",
        request=FamilyTracingOutcomeInput,
        responses={200: FamilyTracingSerializer},
    )
    def patch(self, request, case_pk: int, tracing_pk: int):
        """Record where a tracing request stands or its outcome, with the `version` of the
        request you read (409 stale_edit if someone updated it since)."""
        case = self.child_case()
        tracing = selectors.tracing_queryset(case).filter(pk=tracing_pk).first()
        if tracing is None:
            raise NotFound()
        v = self.parse(FamilyTracingOutcomeInput)
        tracing = services.tracing_outcome_record(
            request.user,
            tracing=tracing,
            status=v["status"],
            outcome_on=v["outcome_on"],
            outcome_notes=v["outcome_notes"],
            expected_version=v["version"],
        )
        return Response(FamilyTracingSerializer(tracing).data)


class DeterminationReopenView(ChildProtectionView):
    @extend_schema(
        operation_id="cases_child_protection_determinations_reopen",
        request=BestInterestsDeterminationReopenInput,
        responses={200: BestInterestsDeterminationSerializer},
    )
    def post(self, request, case_pk: int, determination_pk: int):
        """Reopen the child's current determination (a reason is required). It stays in the
        history but no longer counts: the child cannot travel until a new determination."""
        case = self.child_case()
        determination = selectors.determination_queryset(case).filter(pk=determination_pk).first()
        if determination is None:
            raise NotFound()
        v = self.parse(BestInterestsDeterminationReopenInput)
        determination = services.determination_reopen(
            request.user,
            determination=determination,
            reason=v["reason"],
            reopened_on=v["reopened_on"],
        )
        return Response(BestInterestsDeterminationSerializer(determination).data)
