"""Trafficking API (restricted): GET every member's trafficking records, POST an interview, a
determination, a risk assessment (then PATCH it, complete it) and the origin mission's answer.

Thin views over trafficking.selectors and trafficking.services. The case is resolved through the
scoped selector (404 outside your scope). A user who sees the case but not trafficking data gets
the same 404 for every endpoint, and the attempt is audited (`trafficking.access.refused`); the
404 is returned by `handle_exception` without rolling anything back, so that audit row stays.
Every read is audited (`cases.case.viewed`, part "trafficking")."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from awda.cases.api.views import CaseView
from awda.cases.services import case_viewed
from awda.core.api.errors import error_response
from awda.core.errors import NotFound

from .. import access, selectors, services
from ..readiness import applies, checks, traveller_states
from .serializers import (
    AcceptanceSerializer,
    AcceptanceWriteSerializer,
    DeterminationSerializer,
    DeterminationWriteSerializer,
    InterviewSerializer,
    InterviewWriteSerializer,
    PersonTraffickingSerializer,
    RiskAssessmentCompleteSerializer,
    RiskAssessmentSerializer,
    RiskAssessmentUpdateSerializer,
    RiskAssessmentWriteSerializer,
)

PART = "trafficking"


class TraffickingView(CaseView):
    """Base of the trafficking endpoints: the case, if the user may see its trafficking data."""

    def protected_case(self, part: str):
        case = self.get_case()
        return access.protected_case(self.request.user, case, part=part, method=self.request.method)

    def handle_exception(self, exc):
        if isinstance(exc, access.AccessRefused):
            # Answered like any missing record, without DRF's rollback: the refusal is audited.
            data = exc.as_dict()
            return error_response(data["code"], data["message"], exc.status)
        return super().handle_exception(exc)

    def member(self, case, member_id):
        member = case.members.select_related("person").filter(pk=member_id).first()
        if member is None:
            raise NotFound()
        return member

    def valid(self, serializer_class, **kwargs):
        data = serializer_class(data=self.request.data, **kwargs)
        data.is_valid(raise_exception=True)
        return data


class CaseTraffickingView(TraffickingView):
    serializer_class = PersonTraffickingSerializer

    @extend_schema(
        operation_id="cases_trafficking_list",
        responses=PersonTraffickingSerializer(many=True),
    )
    def get(self, request, case_pk: int):
        """Every member of the case with their trafficking records (interviews, determinations,
        return-risk assessments, origin mission's answers; newest first), whether the
        safeguards apply to them and where they stand. Protection officers only: anyone else
        gets 404, and the attempt is audited. The read is audited."""
        case = self.protected_case(PART)
        case_viewed(request.user, case=case, part=PART)
        members = list(case.members.select_related("person").order_by("-is_principal", "id"))
        records = selectors.person_records(case)
        # the state the checklist and the gate use (earlier cases of the person count)
        states = traveller_states(case, [m.person_id for m in members])
        rows = []
        for m in members:
            mine = records.get(m.person_id) or selectors.PersonRecords()
            state = states[m.person_id]
            rows.append(
                {
                    "member": m.pk,
                    "person": m.person,
                    "flagged": state.flagged,
                    "applies": applies(state),
                    "checks": checks(state) if applies(state) else [],
                    "interviews": mine.interviews,
                    "determinations": mine.determinations,
                    "risk_assessments": mine.risk_assessments,
                    "acceptances": mine.acceptances,
                }
            )
        return Response(PersonTraffickingSerializer(rows, many=True).data)


class InterviewCreateView(TraffickingView):
    serializer_class = InterviewSerializer

    @extend_schema(
        operation_id="cases_trafficking_interviews_create",
        request=InterviewWriteSerializer,
        responses={201: InterviewSerializer},
    )
    def post(self, request, case_pk: int):
        """Record a trafficking screening interview of a member: indicators (one boolean each),
        types of exploitation, narrative."""
        case = self.protected_case("interview")
        data = self.valid(InterviewWriteSerializer)
        v = data.validated_data
        record = services.interview_record(
            request.user,
            case=case,
            member=self.member(case, v["member"]),
            interviewed_on=v.get("interviewed_on"),
            interpreter_used=v["interpreter_used"],
            language=v["language"],
            indicators=data.indicator_values(),
            exploitation_types=v["exploitation_types"],
            narrative=v["narrative"],
        )
        return Response(InterviewSerializer(record).data, status=201)


class DeterminationCreateView(TraffickingView):
    serializer_class = DeterminationSerializer

    @extend_schema(
        operation_id="cases_trafficking_determinations_create",
        request=DeterminationWriteSerializer,
        responses={201: DeterminationSerializer},
    )
    def post(self, request, case_pk: int):
        """Record the determination for a member already interviewed (the newest is current);
        `interview_missing` otherwise."""
        case = self.protected_case("determination")
        v = self.valid(DeterminationWriteSerializer).validated_data
        record = services.determination_record(
            request.user,
            case=case,
            member=self.member(case, v["member"]),
            outcome=v["outcome"],
            reasons=v["reasons"],
            determined_on=v.get("determined_on"),
        )
        return Response(DeterminationSerializer(record).data, status=201)


class RiskAssessmentCreateView(TraffickingView):
    serializer_class = RiskAssessmentSerializer

    @extend_schema(
        operation_id="cases_trafficking_risk_assessments_create",
        request=RiskAssessmentWriteSerializer,
        responses={201: RiskAssessmentSerializer},
    )
    def post(self, request, case_pk: int):
        """Start a return-risk assessment (draft) of a member already interviewed, with the
        origin mission. Sharing it with the origin mission is recorded in the transfer log and
        needs the person's consent to it (`consent_missing`, nothing written, otherwise). One
        draft per person (`draft_exists`)."""
        case = self.protected_case("risk-assessment")
        v = dict(self.valid(RiskAssessmentWriteSerializer).validated_data)
        member = self.member(case, v.pop("member"))
        record = services.risk_assessment_create(request.user, case=case, member=member, **v)
        return Response(RiskAssessmentSerializer(record).data, status=201)


class RiskAssessmentDetailView(TraffickingView):
    serializer_class = RiskAssessmentSerializer
    conflict_statuses = True

    def assessment(self, case, assessment_pk):
        return selectors.risk_assessment_get(case, assessment_pk)

    @extend_schema(operation_id="cases_trafficking_risk_assessments_retrieve")
    def get(self, request, case_pk: int, assessment_pk: int):
        """One return-risk assessment (with its `version`). The read is audited."""
        case = self.protected_case("risk-assessment")
        assessment = self.assessment(case, assessment_pk)
        services.record_viewed(request.user, case=case, record=assessment)
        return Response(RiskAssessmentSerializer(assessment).data)

    @extend_schema(
        operation_id="cases_trafficking_risk_assessments_update",
        request=RiskAssessmentUpdateSerializer,
        responses={200: RiskAssessmentSerializer},
    )
    def patch(self, request, case_pk: int, assessment_pk: int):
        """Change a draft (the fields sent) with the `version` you read: a stale one is refused
        (409 stale_edit); a completed assessment no longer changes (`assessment_completed`)."""
        case = self.protected_case("risk-assessment")
        assessment = self.assessment(case, assessment_pk)
        data = self.valid(RiskAssessmentUpdateSerializer, partial=True)
        assessment = services.risk_assessment_update(
            request.user,
            assessment=assessment,
            expected_version=data.validated_data["version"],
            data=data.changes(),
        )
        return Response(RiskAssessmentSerializer(assessment).data)


class RiskAssessmentCompleteView(TraffickingView):
    serializer_class = RiskAssessmentSerializer
    conflict_statuses = True

    @extend_schema(
        operation_id="cases_trafficking_risk_assessments_complete",
        request=RiskAssessmentCompleteSerializer,
        responses={200: RiskAssessmentSerializer},
    )
    def post(self, request, case_pk: int, assessment_pk: int):
        """Complete a draft: it needs a risk level, mitigation measures and a security plan
        (`assessment_incomplete` with the missing fields otherwise)."""
        case = self.protected_case("risk-assessment")
        assessment = selectors.risk_assessment_get(case, assessment_pk)
        v = self.valid(RiskAssessmentCompleteSerializer).validated_data
        assessment = services.risk_assessment_complete(
            request.user,
            assessment=assessment,
            expected_version=v["version"],
            completed_on=v.get("completed_on"),
        )
        return Response(RiskAssessmentSerializer(assessment).data)


class AcceptanceCreateView(TraffickingView):
    serializer_class = AcceptanceSerializer

    @extend_schema(
        operation_id="cases_trafficking_acceptances_create",
        request=AcceptanceWriteSerializer,
        responses={201: AcceptanceSerializer},
    )
    def post(self, request, case_pk: int):
        """Record the origin mission's answer (accepted or refused) for a member whose risk
        assessment is completed (`risk_assessment_missing` otherwise). The newest is current."""
        case = self.protected_case("acceptance")
        v = dict(self.valid(AcceptanceWriteSerializer).validated_data)
        member = self.member(case, v.pop("member"))
        record = services.acceptance_record(request.user, case=case, member=member, **v)
        return Response(AcceptanceSerializer(record).data, status=201)
