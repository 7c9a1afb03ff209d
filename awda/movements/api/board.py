"""Operations board API: GET /api/v1/movements/board/ returns the sections of the board page
(ready to travel, waiting with what is missing, upcoming departures, the month calendar) with
the same filters. Thin view over movements.board; 403 without "movement.record" in some
office."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from awda.accounts.api.serializers import OfficeSummarySerializer
from awda.core import countries
from awda.core.api.views import ApiView

from .. import board


class BoardQuerySerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False, help_text=_("An office id."))
    nationality = serializers.CharField(
        required=False, max_length=2, help_text=_("ISO 3166 alpha-2.")
    )
    destination = serializers.CharField(
        required=False, max_length=2, help_text=_("Country of return, ISO 3166 alpha-2.")
    )
    month = serializers.RegexField(
        r"^\d{4}-\d{2}$", required=False, help_text=_("The calendar's month, YYYY-MM.")
    )
    ready_page = serializers.IntegerField(required=False, min_value=1)
    page = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Page of the waiting section.")
    )

    def validate_nationality(self, value):
        return self._country(value)

    def validate_destination(self, value):
        return self._country(value)

    def _country(self, value):
        value = (value or "").upper()
        if value and not countries.is_valid(value):
            raise serializers.ValidationError(_("Unknown country code."))
        return value


class BoardCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    status = serializers.CharField()
    principal_name = serializers.CharField(source="principal.full_name", default="")
    travellers = serializers.IntegerField()
    nationality = serializers.CharField()
    country_of_return = serializers.CharField()
    office = OfficeSummarySerializer()
    has_booking = serializers.BooleanField(
        help_text=_("A booking of the case is requested or confirmed.")
    )


class MissingSerializer(serializers.Serializer):
    documents = serializers.ListField(child=serializers.CharField())
    fitness = serializers.ListField(child=serializers.CharField())
    protection = serializers.ListField(child=serializers.CharField())
    other = serializers.ListField(child=serializers.CharField())


class WaitingCaseSerializer(serializers.Serializer):
    case = BoardCaseSerializer()
    missing = serializers.SerializerMethodField()

    def get_missing(self, obj) -> MissingSerializer:
        return {code: obj.groups.get(code, []) for code, _label in board.GROUPS}


class BoardDepartureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    kind = serializers.CharField()
    departure_date = serializers.DateField()
    departure_time = serializers.TimeField(allow_null=True)
    from_airport = serializers.CharField()
    to_airport = serializers.CharField()
    carrier = serializers.CharField()
    flight_number = serializers.CharField()
    office = OfficeSummarySerializer()
    capacity = serializers.IntegerField(allow_null=True)
    seats_used = serializers.IntegerField(help_text=_("Active bookings plus escort seats."))
    escort_count = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    special_needs = serializers.DictField(
        source="needs", child=serializers.IntegerField(), help_text=_("need code -> travellers")
    )
    special_needs_text = serializers.CharField(source="needs_text")


class CalendarItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("departure", "departure"), ("booking", "booking")])
    day = serializers.DateField()
    label = serializers.CharField()
    status = serializers.CharField()
    departure = serializers.IntegerField(source="departure.pk", default=None, allow_null=True)
    case = serializers.IntegerField(source="case.pk", default=None, allow_null=True)
    travellers = serializers.IntegerField(help_text=_("Travellers of an individual booking."))


class CalendarSerializer(serializers.Serializer):
    month = serializers.CharField(source="key")
    previous = serializers.CharField()
    next = serializers.CharField()
    items = CalendarItemSerializer(many=True)


class PageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()


class ReadySectionSerializer(PageSerializer):
    results = BoardCaseSerializer(many=True)


class WaitingSectionSerializer(PageSerializer):
    results = WaitingCaseSerializer(many=True)


class BoardSerializer(serializers.Serializer):
    ready = ReadySectionSerializer()
    waiting = WaitingSectionSerializer()
    departures = BoardDepartureSerializer(many=True)
    calendar = CalendarSerializer()


def _section(page_obj) -> dict:
    return {
        "count": page_obj.paginator.count,
        "page": page_obj.number,
        "pages": page_obj.paginator.num_pages,
        "results": list(page_obj.object_list),
    }


class OperationsBoardView(ApiView):
    serializer_class = BoardSerializer

    @extend_schema(
        operation_id="movements_board", parameters=[BoardQuerySerializer], responses=BoardSerializer
    )
    def get(self, request):
        """The operations board of the movement officers: cases ready to travel, cases waiting
        (what is missing, grouped as documents / fitness / protection / other; restricted
        safeguards stay neutral), upcoming departures with seats, escorts, special needs and
        no-shows, and the month's calendar. Filters apply to every section."""
        params = BoardQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        v = params.validated_data
        data = board.operations_board(
            request.user,
            filters=board.BoardFilters(
                office=v.get("office"),
                nationality=v.get("nationality", ""),
                destination=v.get("destination", ""),
            ),
            ready_page=v.get("ready_page", 1),
            waiting_page=v.get("page", 1),
            month=v.get("month"),
        )
        payload = {
            "ready": _section(data.ready),
            "waiting": _section(data.waiting),
            "departures": data.departures,
            "calendar": data.calendar,
        }
        return Response(BoardSerializer(payload).data)
