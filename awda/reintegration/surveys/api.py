"""API of the sustainability survey: a case's surveys (list, record), a returnee's score series,
voiding, the instruments, and cohort averages. Thin views over surveys.selectors and
surveys.services; the case is resolved through the scoped selector (404 outside your scope) and
reads of a case's surveys are audited (part "surveys")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from awda.cases.api.views import CaseView
from awda.core.api.views import ApiView
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.registry.choices import Sex

from .. import policies
from ..choices import SurveyKind
from ..models import Instrument, MonitoringVisit, Survey
from . import selectors, services

PART = "surveys"


# ---- serializers --------------------------------------------------------------------------------


class InstrumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "version",
            "name",
            "is_placeholder",
            "is_active",
            "checksum",
            "created_at",
        ]


class InstrumentDetailSerializer(InstrumentSerializer):
    definition = serializers.JSONField(
        help_text="The definition as loaded (docs/sustainability-survey.md)."
    )

    class Meta(InstrumentSerializer.Meta):
        fields = [*InstrumentSerializer.Meta.fields, "definition"]


class SurveySerializer(serializers.ModelSerializer):
    instrument = InstrumentSerializer(read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    conducted_by = serializers.CharField(source="conducted_by.get_username", read_only=True)
    answers = serializers.DictField(child=serializers.CharField())

    class Meta:
        model = Survey
        fields = [
            "id",
            "case",
            "person",
            "person_name",
            "kind",
            "conducted_on",
            "age",
            "visit",
            "instrument",
            "answers",
            "economic",
            "social",
            "psychosocial",
            "composite",
            "notes",
            "conducted_by",
            "created_at",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = fields


class SurveyCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="A member of the case (person id).")
    kind = serializers.ChoiceField(choices=SurveyKind.choices)
    answers = serializers.DictField(
        child=serializers.CharField(),
        help_text="{question code: option code} for every question of the instrument in use.",
    )
    conducted_on = serializers.DateField(required=False, help_text="Default: today.")
    visit = serializers.IntegerField(
        required=False, allow_null=True, help_text="A monitoring visit of the case (follow-up)."
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField()


class SeriesPointSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    conducted_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=SurveyKind.choices)
    instrument_version = serializers.CharField()
    economic = serializers.DecimalField(max_digits=5, decimal_places=4)
    social = serializers.DecimalField(max_digits=5, decimal_places=4)
    psychosocial = serializers.DecimalField(max_digits=5, decimal_places=4)
    composite = serializers.DecimalField(max_digits=5, decimal_places=4)


class SeriesParamsSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="A member of the case (person id).")


class CohortParamsSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=list(selectors.GROUP_BY), default="kind")
    kind = serializers.ChoiceField(
        choices=SurveyKind.choices,
        required=False,
        help_text="baseline, or follow_up (each returnee's latest follow-up).",
    )
    nationality = serializers.CharField(required=False, max_length=2)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    age_group = serializers.ChoiceField(
        choices=[g[0] for g in selectors.AGE_GROUPS], required=False
    )
    project = serializers.IntegerField(required=False)
    return_year = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
    instrument = serializers.IntegerField(required=False)


class CohortRowSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="The group's value (empty when unknown).")
    kind = serializers.ChoiceField(choices=SurveyKind.choices)
    n = serializers.IntegerField()
    economic = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    social = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    psychosocial = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    composite = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)


# ---- views --------------------------------------------------------------------------------------


def _member(case, person_id):
    member = case.members.select_related("person").filter(person_id=person_id).first()
    if member is None:
        raise ValidationFailed(fields={"person": [_("This person is not a member of the case.")]})
    return member.person


class CaseSurveyListView(CaseView):
    serializer_class = SurveySerializer

    @extend_schema(operation_id="cases_surveys_list", responses=SurveySerializer(many=True))
    def get(self, request, case_pk: int):
        """The case's sustainability surveys, oldest first per person, voided ones included
        (voided_at). The read is audited."""
        case = self.read_case(PART, action="reintegration.view")
        return Response(self.get_serializer(selectors.case_surveys(case), many=True).data)

    @extend_schema(
        operation_id="cases_surveys_create",
        request=SurveyCreateSerializer,
        responses={201: SurveySerializer},
    )
    def post(self, request, case_pk: int):
        """Record and score a survey with the instrument in use (reintegration officers and
        managers of the receiving mission, once the returnee has arrived). Every question needs
        an answer; errors name them (fields answers.<question code>)."""
        case = self.get_case()
        if not policies.may_record(request.user, case):
            raise PermissionDenied()
        data = SurveyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        visit = None
        if v.get("visit"):
            visit = MonitoringVisit.objects.filter(case_id=case.pk, pk=v["visit"]).first()
            if visit is None:
                raise ValidationFailed(
                    fields={"visit": [_("This monitoring visit is not one of the case's.")]}
                )
        survey = services.survey_record(
            request.user,
            case=case,
            person=_member(case, v["person"]),
            kind=v["kind"],
            answers=v["answers"],
            conducted_on=v.get("conducted_on"),
            visit=visit,
            notes=v.get("notes") or "",
        )
        survey = selectors.case_surveys(case).get(pk=survey.pk)
        return Response(self.get_serializer(survey).data, status=201)


class CaseSurveySeriesView(CaseView):
    serializer_class = SeriesPointSerializer

    @extend_schema(
        operation_id="cases_surveys_series",
        parameters=[SeriesParamsSerializer],
        responses=SeriesPointSerializer(many=True),
    )
    def get(self, request, case_pk: int):
        """A returnee's scores over time on this case (surveys not voided, oldest first). The
        read is audited."""
        case = self.read_case(PART, action="reintegration.view")
        params = SeriesParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        person = _member(case, params.validated_data["person"])
        series = selectors.person_series(case, person.pk)
        return Response(SeriesPointSerializer(series, many=True).data)


class SurveyVoidView(ApiView):
    serializer_class = SurveySerializer

    @extend_schema(
        operation_id="reintegration_surveys_void",
        request=VoidSerializer,
        responses=SurveySerializer,
    )
    def post(self, request, survey_pk: int):
        """Void a wrong survey with a reason: it stays on record, out of the series and the
        averages."""
        survey = selectors.survey_get_for(request.user, survey_pk)
        data = VoidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.survey_void(request.user, survey=survey, reason=data.validated_data["reason"])
        survey = selectors.case_surveys(survey.case).get(pk=survey.pk)
        return Response(self.get_serializer(survey).data)


class _InstrumentView(ApiView):
    def check_reader(self):
        if not selectors.may_see_cohorts(self.request.user):
            raise PermissionDenied()


class InstrumentListView(_InstrumentView):
    serializer_class = InstrumentSerializer

    @extend_schema(
        operation_id="reintegration_instruments_list", responses=InstrumentSerializer(many=True)
    )
    def get(self, request):
        """The survey instrument versions loaded (the newest active one of a code is used for
        new surveys)."""
        self.check_reader()
        return Response(self.get_serializer(selectors.instruments(), many=True).data)


class InstrumentDetailView(_InstrumentView):
    serializer_class = InstrumentDetailSerializer

    @extend_schema(
        operation_id="reintegration_instruments_retrieve", responses=InstrumentDetailSerializer
    )
    def get(self, request, instrument_pk: int):
        """One instrument version with its definition (questions, options, scores, weights)."""
        self.check_reader()
        return Response(self.get_serializer(selectors.instrument_get(instrument_pk)).data)


class CohortView(ApiView):
    serializer_class = CohortRowSerializer

    @extend_schema(
        operation_id="reintegration_sustainability_cohorts",
        parameters=[CohortParamsSerializer],
        responses=CohortRowSerializer(many=True),
    )
    def get(self, request):
        """Average scores and counts per group and kind of survey (baseline; each returnee's
        latest follow-up), over the cases you may see or count. No names."""
        params = CohortParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        v = dict(params.validated_data)
        group_by = v.pop("group_by")
        if v.get("nationality"):
            v["nationality"] = v["nationality"].upper()
        rows = selectors.cohort_averages(request.user, group_by=group_by, filters=v)
        return Response(CohortRowSerializer(rows, many=True).data)
