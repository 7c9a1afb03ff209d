"""Handover API: GET the case's handovers, POST to hand the case over to the origin mission.

Thin views over movements.handover. The case is resolved through the scoped selector (404 outside
your scope); reading is audited (part "handover"); the service checks "handover.record" (403),
the status, and the consent (400 consent_missing naming who lacks it)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from awda.accounts.api.serializers import MissionSummarySerializer, UserSummarySerializer
from awda.accounts.models import Mission
from awda.cases.api.views import CaseView
from awda.core.api.pagination import cursor_pagination
from awda.core.errors import ValidationFailed

from .. import handover as ho
from ..models import Handover

CATEGORY_CHOICES = [(c.value, c.label) for c in ho.HANDOVER_CATEGORIES]


class HandoverSerializer(serializers.ModelSerializer):
    mission = MissionSummarySerializer(read_only=True)
    handed_over_by = UserSummarySerializer(read_only=True)
    categories = serializers.SerializerMethodField(
        help_text=_("Data categories shared (a restricted one you may not see is left out).")
    )
    withheld = serializers.SerializerMethodField(
        help_text=_("Handover categories not shared (no consent, or not chosen).")
    )
    restricted_category = serializers.SerializerMethodField(
        help_text=_("True when a category you may not see was left out of the lists.")
    )
    transfer = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("The entry of the transfer log.")
    )

    class Meta:
        model = Handover
        fields = [
            "id",
            "mission",
            "categories",
            "withheld",
            "restricted_category",
            "transfer",
            "notes",
            "handed_over_by",
            "created_at",
        ]
        read_only_fields = fields

    def _hidden(self):
        return self.context.get("hidden", frozenset())

    def get_categories(self, obj) -> list[str]:
        return [c for c in obj.categories if c not in self._hidden()]

    def get_withheld(self, obj) -> list[str]:
        return [c for c in obj.withheld if c not in self._hidden()]

    def get_restricted_category(self, obj) -> bool:
        return any(c in self._hidden() for c in [*obj.categories, *obj.withheld])


class HandoverCreateSerializer(serializers.Serializer):
    mission = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("The id of the origin mission; by default the one of the country of return."),
    )
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=CATEGORY_CHOICES),
        required=False,
        allow_null=True,
        help_text=_(
            "What is shared (identity required); by default every category the travellers "
            "consented to share."
        ),
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class CaseHandoverListView(CaseView):
    pagination_class = cursor_pagination("-created_at", "-id")
    serializer_class = HandoverSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        case = getattr(self, "_case", None)
        if case is not None:
            context["hidden"] = ho.hidden_handover_categories(self.request.user, case)
        return context

    @extend_schema(operation_id="cases_handover_list", responses=HandoverSerializer(many=True))
    def get(self, request, case_pk: int):
        """The case's handovers to the origin mission, newest first. The read is audited."""
        self._case = self.read_case("handover")
        return self.paginated(ho.handovers_for_case(self._case))

    @extend_schema(
        operation_id="cases_handover_create",
        request=HandoverCreateSerializer,
        responses={201: HandoverSerializer},
    )
    def post(self, request, case_pk: int):
        """Hand the case over to the origin mission (host side; ready to travel to departed).
        The disclosure is written to the transfer log; refused (400 `consent_missing`, nothing
        written) when a traveller has not consented to it. The mission's staff then see the
        case."""
        self._case = self.get_case()
        data = HandoverCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        mission = None
        if v.get("mission") is not None:
            mission = Mission.objects.filter(pk=v["mission"]).first()
            if mission is None:
                raise ValidationFailed(fields={"mission": [_("Unknown mission.")]})
        handover = ho.case_handover(
            request.user,
            case=self._case,
            mission=mission,
            categories=v.get("categories"),
            notes=v.get("notes", ""),
        )
        handover = ho.handovers_for_case(self._case).get(pk=handover.pk)
        return Response(self.get_serializer(handover).data, status=201)
