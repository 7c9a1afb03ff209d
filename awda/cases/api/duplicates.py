"""Duplicate check API: POST /api/v1/persons/duplicates/ with what is known of a person about
to be registered; answers the persons in your scope who may be that person, best first, with the
engine's score and reasons (the same check as the registration form, cases.duplicate_check).
Nothing is said of persons outside your scope (see cases/duplicate_check.py)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from awda.core.api.views import ApiView
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.registry.api.serializers import PersonSummarySerializer
from awda.registry.choices import Sex
from awda.registry.reasons import reasons_payload

from .. import selectors
from ..duplicate_check import likely_duplicates
from ..policies import offices_where

MAX_LIMIT = 20


class DuplicateCheckThrottle(UserRateThrottle):
    """Each check scores up to a few hundred candidates: a tighter limit than the API's general
    one (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["duplicates"], else 120 a minute per user)."""

    scope = "duplicates"

    def get_rate(self):
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope, "120/min")


class DuplicateDocumentSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)


class DuplicateCheckSerializer(serializers.Serializer):
    """What is known so far of the person (all optional; the check needs both names, a phone
    number or a document number before it looks anything up)."""

    given_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    other_names = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text=_("Aliases, comma-separated")
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True
    )
    nationality = serializers.CharField(
        max_length=3, required=False, allow_blank=True, help_text=_("ISO 3166 alpha-2 or alpha-3")
    )
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    documents = DuplicateDocumentSerializer(many=True, required=False, max_length=10)
    case = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_(
            "The case the person is being added to, if any: its members are different people "
            "and are not proposed."
        ),
    )
    exclude = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=50,
        help_text=_("Ids of persons not to propose (e.g. the person being edited)."),
    )
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=5)

    PERSON_KEYS = (
        "given_name",
        "family_name",
        "other_names",
        "sex",
        "date_of_birth",
        "birth_year",
        "nationality",
        "phone",
    )


class DuplicateReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable reason code (see the API documentation)."))
    params = serializers.DictField(help_text=_("Values filling the reason's text."))
    text = serializers.CharField(help_text=_("The reason in the request's language."))
    weight = serializers.FloatField(help_text=_("> 0 speaks for the match, < 0 against."))


class DuplicateCandidateSerializer(serializers.Serializer):
    person = PersonSummarySerializer()
    score = serializers.FloatField(help_text=_("Match score between 0 and 1."))
    likely = serializers.BooleanField(
        help_text=_("At or above the threshold of a likely duplicate.")
    )
    reasons = DuplicateReasonSerializer(many=True, help_text=_("Strongest first."))


def candidate_data(candidate) -> dict:
    return {
        "person": PersonSummarySerializer(candidate.person).data,
        "score": round(candidate.match.score, 4),
        "likely": candidate.likely,
        "reasons": reasons_payload(candidate.match),
    }


class PersonDuplicateCheckView(ApiView):
    """Persons in your scope who may be the person described (duplicate check before
    registering): best first, each with a score in [0, 1], `likely` and the reasons. For users
    who may register cases or add members."""

    serializer_class = DuplicateCandidateSerializer
    throttle_classes = [UserRateThrottle, DuplicateCheckThrottle]
    throttle_scope = "duplicates"  # documents the 429 answer

    @extend_schema(
        request=DuplicateCheckSerializer,
        responses={200: DuplicateCandidateSerializer(many=True)},
    )
    def post(self, request):
        user = request.user
        if not (offices_where(user, "case.register") or offices_where(user, "case.members")):
            raise PermissionDenied()
        params = DuplicateCheckSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        v = params.validated_data
        households = []
        if v.get("case"):
            try:
                households = [selectors.case_get_for(request.user, v["case"]).pk]
            except NotFound:
                raise ValidationFailed(
                    fields={"case": [_("No such case in your scope.")]}
                ) from None
        keys = DuplicateCheckSerializer.PERSON_KEYS
        data = {k: v[k] for k in keys if v.get(k) not in (None, "")}
        candidates = likely_duplicates(
            request.user,
            data,
            documents=[d["number"] for d in v.get("documents") or []],
            households=households,
            exclude_ids=v.get("exclude") or [],
            limit=v["limit"],
        )
        return Response([candidate_data(c) for c in candidates])
