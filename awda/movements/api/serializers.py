"""Serializers of the movements API: output shapes, and input parsing for the services (the
rules stay in the services)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awda.core.api.fields import VersionField
from awda.finance.models import CURRENCIES
from awda.registry.api.serializers import PersonSummarySerializer
from awda.screening.health.choices import SpecialNeed

from ..choices import (
    BookingStatus,
    DepartureKind,
    DepartureStatus,
    EscortKind,
    NoShowReason,
)
from ..models import Booking, BookingLeg, Departure, Escort, PocketMoney
from ..selectors import seats_free

IATA_HELP = _("Three-letter IATA airport code.")


def _special_needs(**kwargs):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=SpecialNeed.choices), **kwargs
    )


# ---- bookings -------------------------------------------------------------------------------------


class BookingLegSerializer(serializers.ModelSerializer):
    class Meta:
        model = BookingLeg
        fields = [
            "order",
            "carrier",
            "flight_number",
            "from_airport",
            "to_airport",
            "departs_at",
            "arrives_at",
        ]
        read_only_fields = fields


class PocketMoneySerializer(serializers.ModelSerializer):
    has_receipt = serializers.SerializerMethodField()

    class Meta:
        model = PocketMoney
        fields = [
            "id",
            "amount",
            "currency",
            "project",
            "paid_on",
            "paid_by",
            "has_receipt",
            "receipt_name",
            "receipt_uploaded_at",
        ]
        read_only_fields = fields

    def get_has_receipt(self, obj) -> bool:
        return bool(obj.receipt)


def _sees_fitness(context, user, case) -> bool:
    """can(user, "fitness.view", case), memoised per case in the serializer's context."""
    from awda.cases.policies import can

    cache = context.setdefault("_sees_fitness", {})
    if case.pk not in cache:
        cache[case.pk] = can(user, "fitness.view", case)
    return cache[case.pk]


class BookingSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    departure_reference = serializers.CharField(
        source="departure.reference", read_only=True, allow_null=True, default=None
    )
    legs = BookingLegSerializer(many=True, read_only=True)
    special_needs = _special_needs(read_only=True)
    pocket_money = serializers.SerializerMethodField()

    def to_representation(self, instance):
        """Special needs and remarks say something of the traveller's health: shown only to
        those who see the fitness decision (not finance; the receiving mission only when the
        handover shared health data)."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not _sees_fitness(self.context, request.user, instance.case):
            data["special_needs"] = []
            data["remarks"] = ""
        return data

    class Meta:
        model = Booking
        fields = [
            "id",
            "case",
            "case_number",
            "person",
            "departure",
            "departure_reference",
            "status",
            "status_label",
            "travel_date",
            "destination_airport",
            "booking_reference",
            "ticket_number",
            "ticket_cost",
            "currency",
            "project",
            "special_needs",
            "escort",
            "airport_assistance",
            "remarks",
            "legs",
            "confirmed_at",
            "departed_at",
            "no_show_reason",
            "no_show_details",
            "arrived_at",
            "cancelled_reason",
            "rebooked_from",
            "pocket_money",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PocketMoneySerializer(allow_null=True))
    def get_pocket_money(self, obj):
        pm = getattr(obj, "pocket_money", None) if hasattr(obj, "pocket_money") else None
        return PocketMoneySerializer(pm).data if pm else None


class LegInputSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    flight_number = serializers.CharField(
        max_length=12, required=False, allow_blank=True, default=""
    )
    from_airport = serializers.CharField(max_length=3, help_text=IATA_HELP)
    to_airport = serializers.CharField(max_length=3, help_text=IATA_HELP)
    departs_at = serializers.DateTimeField()
    arrives_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class BookingCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text=_("The id of a traveller of the case."))
    legs = LegInputSerializer(many=True, help_text=_("The itinerary, in order."))
    booking_reference = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    ticket_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    ticket_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    currency = serializers.ChoiceField(
        choices=CURRENCIES, required=False, allow_blank=True, default=""
    )
    project = serializers.IntegerField(required=False, allow_null=True, default=None)
    special_needs = _special_needs(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Default (null): the special needs of the fitness-to-travel decision."),
    )
    airport_assistance = serializers.BooleanField(required=False, default=False)
    remarks = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class BookingConfirmSerializer(serializers.Serializer):
    booking_reference = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The PNR; required unless the booking already has one."),
    )
    version = VersionField()


class BookingUpdateSerializer(serializers.Serializer):
    booking_reference = serializers.CharField(max_length=20, required=False, allow_blank=True)
    ticket_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    ticket_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    currency = serializers.ChoiceField(choices=CURRENCIES, required=False, allow_blank=True)
    project = serializers.IntegerField(required=False, allow_null=True)
    special_needs = _special_needs(required=False)
    escort = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("An escort of the booking's departure.")
    )
    airport_assistance = serializers.BooleanField(required=False)
    remarks = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = VersionField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("The version you read.")
    )


class NoShowSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=NoShowReason.choices)
    details = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class RebookSerializer(serializers.Serializer):
    departure = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("A planned group departure.")
    )
    legs = LegInputSerializer(
        many=True, required=False, default=list, help_text=_("Or a new itinerary.")
    )
    booking_reference = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    ticket_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    currency = serializers.ChoiceField(
        choices=CURRENCIES, required=False, allow_blank=True, default=""
    )


class PocketMoneyPaySerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Default: AWDA_POCKET_MONEY_DEFAULT."),
    )
    currency = serializers.ChoiceField(
        choices=CURRENCIES, required=False, allow_blank=True, default=""
    )
    project = serializers.IntegerField(required=False, allow_null=True, default=None)
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)


class PocketMoneyReceiptUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("The signed receipt: PDF, JPEG or PNG (size limited by AWDA_MAX_UPLOAD_MB).")
    )


class BulkBookingsSerializer(serializers.Serializer):
    bookings = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, help_text=_("Booking ids.")
    )


# ---- departures -----------------------------------------------------------------------------------


class EscortSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Escort
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "user",
            "organisation",
            "phone",
            "seats",
            "notes",
        ]
        read_only_fields = fields


class EscortCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EscortKind.choices)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    staff = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("A staff member's user id.")
    )
    organisation = serializers.IntegerField(required=False, allow_null=True, default=None)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    seats = serializers.IntegerField(min_value=1, default=1)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DepartureSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    seats_taken = serializers.SerializerMethodField()
    seats_free = serializers.SerializerMethodField()
    escorts = EscortSerializer(many=True, read_only=True)
    manifest_pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Departure
        fields = [
            "id",
            "reference",
            "mission",
            "office",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "departure_date",
            "departure_time",
            "from_airport",
            "to_airport",
            "carrier",
            "flight_number",
            "capacity",
            "seats_taken",
            "seats_free",
            "project",
            "notes",
            "escorts",
            "manifest_pdf_url",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_seats_taken(self, obj) -> int:
        return getattr(obj, "traveller_seats", 0) + getattr(obj, "escort_seats", 0)

    def get_seats_free(self, obj) -> int | None:
        return seats_free(obj)

    def get_manifest_pdf_url(self, obj) -> str:
        url = reverse("api-departure-manifest-pdf", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class DepartureCreateSerializer(serializers.Serializer):
    office = serializers.IntegerField(help_text=_("The organising office."))
    kind = serializers.ChoiceField(choices=DepartureKind.choices, default=DepartureKind.SCHEDULED)
    departure_date = serializers.DateField()
    departure_time = serializers.TimeField(required=False, allow_null=True, default=None)
    from_airport = serializers.CharField(max_length=3, help_text=IATA_HELP)
    to_airport = serializers.CharField(max_length=3, help_text=IATA_HELP)
    carrier = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    flight_number = serializers.CharField(
        max_length=12, required=False, allow_blank=True, default=""
    )
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    project = serializers.IntegerField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DepartureUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DepartureKind.choices, required=False)
    departure_date = serializers.DateField(required=False)
    departure_time = serializers.TimeField(required=False, allow_null=True)
    from_airport = serializers.CharField(max_length=3, required=False)
    to_airport = serializers.CharField(max_length=3, required=False)
    carrier = serializers.CharField(max_length=80, required=False, allow_blank=True)
    flight_number = serializers.CharField(max_length=12, required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    project = serializers.IntegerField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    version = VersionField()


class DepartureFilterSerializer(serializers.Serializer):
    when = serializers.ChoiceField(
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        required=False,
        default="upcoming",
    )
    status = serializers.ChoiceField(choices=DepartureStatus.choices, required=False)
    office = serializers.IntegerField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class TravellerOptionSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    special_needs = _special_needs(required=False, allow_null=True, default=None)
    escort = serializers.IntegerField(required=False, allow_null=True, default=None)
    airport_assistance = serializers.BooleanField(required=False, allow_null=True, default=None)


class AddCasesSerializer(serializers.Serializer):
    cases = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, help_text=_("Ids of ready cases.")
    )
    travellers = TravellerOptionSerializer(
        many=True,
        required=False,
        default=list,
        help_text=_(
            "Optional, per traveller: special needs (default: the fitness decision's), escort "
            "(an escort of the departure), airport assistance."
        ),
    )


class ManifestRowSerializer(serializers.Serializer):
    booking = serializers.IntegerField(source="booking.pk")
    case = serializers.IntegerField(source="case.pk")
    case_number = serializers.CharField(source="case.number")
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    nationality = serializers.CharField()
    document_type = serializers.CharField()
    document_number = serializers.CharField()
    document_expiry = serializers.DateField(allow_null=True)
    escort = serializers.CharField()
    special_needs = serializers.ListField(child=serializers.CharField())
    destination = serializers.CharField()
    destination_airport = serializers.CharField()
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    status_label = serializers.CharField()
    airport_assistance = serializers.BooleanField()
    version = serializers.IntegerField(source="booking.version")


class SeatsReleasedSerializer(serializers.Serializer):
    released = serializers.IntegerField()
