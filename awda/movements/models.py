"""Movements: bookings (a traveller's seat and itinerary), group departures with their manifest
and escorts, departure-day pocket money, and the handover to the origin mission.

A Booking is one traveller's seat: its legs, reference, ticket cost, special needs, escort and
what happened on the day (departed, no-show, arrived). A Departure groups the bookings of a
charter or a group on one flight: its manifest is its bookings. An individual booking has no
departure. The case moves along the workflow (booked, departed, arrived) when every traveller's
booking is confirmed, departed or arrived (gates registered in apps.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.core.models import TimeStampedModel, VersionedModel
from awda.finance.models import CURRENCIES

from .choices import BookingStatus, DepartureKind, DepartureStatus, EscortKind, NoShowReason


class Departure(TimeStampedModel, VersionedModel):
    mission = models.ForeignKey(
        "accounts.Mission", on_delete=models.PROTECT, related_name="+", verbose_name=_("mission")
    )
    office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organising office"),
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    kind = models.CharField(
        _("type"), max_length=12, choices=DepartureKind.choices, default=DepartureKind.SCHEDULED
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DepartureStatus.choices,
        default=DepartureStatus.PLANNED,
        db_index=True,
    )
    departure_date = models.DateField(_("departure date"), db_index=True)
    departure_time = models.TimeField(_("departure time"), null=True, blank=True)
    from_airport = models.CharField(_("from (IATA)"), max_length=3)
    to_airport = models.CharField(_("to (IATA)"), max_length=3)
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    flight_number = models.CharField(_("flight number"), max_length=12, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_("Seats available for returnees and escorts; empty when not limited."),
    )
    project = models.ForeignKey(
        "finance.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("project"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["departure_date", "departure_time", "id"]
        verbose_name = _("departure")
        verbose_name_plural = _("departures")
        indexes = [
            models.Index(fields=["mission", "departure_date"], name="departure_mission_date_idx")
        ]

    def __str__(self):
        return self.reference


class Escort(TimeStampedModel):
    """Someone who travels with returnees of a departure (their seats count against capacity)."""

    departure = models.ForeignKey(
        Departure, on_delete=models.CASCADE, related_name="escorts", verbose_name=_("departure")
    )
    kind = models.CharField(_("type"), max_length=12, choices=EscortKind.choices)
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("escort")
        verbose_name_plural = _("escorts")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Booking(TimeStampedModel, VersionedModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("traveller"),
    )
    departure = models.ForeignKey(
        Departure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("group departure"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=BookingStatus.choices,
        default=BookingStatus.REQUESTED,
        db_index=True,
    )
    # Denormalised from the first leg (or the departure): the day the traveller flies.
    travel_date = models.DateField(_("travel date"), db_index=True)
    destination_airport = models.CharField(_("destination (IATA)"), max_length=3, blank=True)
    booking_reference = models.CharField(_("booking reference (PNR)"), max_length=20, blank=True)
    ticket_number = models.CharField(_("ticket number"), max_length=30, blank=True)
    ticket_cost = models.DecimalField(
        _("ticket cost"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, blank=True)
    project = models.ForeignKey(
        "finance.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("project"),
    )
    special_needs = models.JSONField(_("special needs"), default=list, blank=True)
    escort = models.ForeignKey(
        Escort,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        verbose_name=_("escort"),
    )
    airport_assistance = models.BooleanField(_("airport assistance"), default=False)
    remarks = models.TextField(_("remarks"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    departed_at = models.DateTimeField(_("departure confirmed at"), null=True, blank=True)
    departure_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    no_show_reason = models.CharField(
        _("no-show reason"), max_length=20, choices=NoShowReason.choices, blank=True
    )
    no_show_details = models.TextField(_("no-show details"), blank=True)
    arrived_at = models.DateTimeField(_("arrival confirmed at"), null=True, blank=True)
    arrival_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_reason = models.TextField(_("cancellation reason"), blank=True)
    rebooked_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rebooked from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["travel_date", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [
            models.Index(fields=["case", "status"], name="booking_case_status_idx"),
            models.Index(fields=["departure", "status"], name="booking_departure_idx"),
            models.Index(fields=["status", "travel_date"], name="booking_status_date_idx"),
            models.Index(fields=["status", "arrived_at"], name="booking_arrived_idx"),
        ]
        constraints = [
            # One seat per person on a departure (a cancelled seat frees the place).
            models.UniqueConstraint(
                fields=["departure", "person"],
                condition=models.Q(departure__isnull=False) & ~models.Q(status="cancelled"),
                name="booking_one_seat_per_departure",
            ),
            # A traveller holds at most one active booking (requested or confirmed) in a case:
            # change a flight by cancelling the seat and booking again.
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=models.Q(status__in=["requested", "confirmed"]),
                name="booking_one_active_per_traveller",
            ),
        ]

    def __str__(self):
        return f"{self.case_id}/{self.person_id} {self.travel_date}"


class BookingLeg(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="legs")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    flight_number = models.CharField(_("flight number"), max_length=12, blank=True)
    from_airport = models.CharField(_("from (IATA)"), max_length=3)
    to_airport = models.CharField(_("to (IATA)"), max_length=3)
    departs_at = models.DateTimeField(_("departs at"))
    arrives_at = models.DateTimeField(_("arrives at"), null=True, blank=True)

    class Meta:
        ordering = ["booking", "order", "id"]
        verbose_name = _("flight leg")
        verbose_name_plural = _("flight legs")

    def __str__(self):
        return f"{self.from_airport}-{self.to_airport} {self.flight_number}"


def receipt_path(instance, filename):
    return f"movements/pocket-money/{instance.booking.case_id}/{instance.stored_name}"


class PocketMoney(TimeStampedModel):
    """Departure-day pocket money handed to a traveller against a signed receipt."""

    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, related_name="pocket_money", verbose_name=_("booking")
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    project = models.ForeignKey(
        "finance.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("project"),
    )
    paid_on = models.DateField(_("paid on"))
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    receipt = models.FileField(_("signed receipt"), upload_to=receipt_path, blank=True)
    stored_name = models.CharField(max_length=80, blank=True, editable=False)
    receipt_name = models.CharField(_("file name"), max_length=200, blank=True)
    receipt_uploaded_at = models.DateTimeField(_("receipt uploaded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pocket money")
        verbose_name_plural = _("pocket money")

    def __str__(self):
        return f"{self.amount} {self.currency}"


class Handover(TimeStampedModel):
    """The case handed over to the origin mission: what was shared (by consent, logged as a
    data transfer); from then on, that mission's staff see the case."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="handovers", verbose_name=_("case")
    )
    mission = models.ForeignKey(
        "accounts.Mission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving mission"),
    )
    categories = models.JSONField(_("data shared"), default=list)
    withheld = models.JSONField(_("data withheld (no consent)"), default=list, blank=True)
    transfer = models.ForeignKey(
        "consent.DataTransfer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("transfer"),
    )
    notes = models.TextField(_("notes"), blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self):
        return f"{self.case_id} -> {self.mission_id}"
