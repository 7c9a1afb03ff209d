"""Forms of the movements pages and of the case's Travel tab. They parse input into the
services' keyword arguments; the rules stay in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.cases.forms import version_field
from awda.finance.models import CURRENCIES
from awda.registry.forms import DateInput, StyledForm, country_choices
from awda.screening.health.choices import SpecialNeed

from .choices import DepartureKind, EscortKind, NoShowReason

EMPTY = [("", "---------")]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _iata(label):
    return forms.CharField(
        label=label,
        max_length=3,
        min_length=3,
        widget=forms.TextInput(attrs={"style": "text-transform: uppercase", "size": 4}),
    )


class SpecialNeedsMixin:
    def _style(self):
        super()._style()
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"


def special_needs_field(**kwargs):
    return forms.MultipleChoiceField(
        label=_("Special needs"),
        choices=SpecialNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


def currency_field():
    return forms.ChoiceField(label=_("Currency"), choices=EMPTY + CURRENCIES, required=False)


class LegFields:
    """One flight leg (and an optional connecting one)."""

    LEG_NAMES = (
        "carrier",
        "flight_number",
        "from_airport",
        "to_airport",
        "departs_at",
        "arrives_at",
    )

    def add_leg_fields(self, n: int, *, required: bool):
        p = "" if n == 1 else f"leg{n}_"
        self.fields[f"{p}carrier"] = forms.CharField(
            label=_("Carrier"), max_length=80, required=False
        )
        self.fields[f"{p}flight_number"] = forms.CharField(
            label=_("Flight number"), max_length=12, required=False
        )
        for name, label in (("from_airport", _("From (IATA)")), ("to_airport", _("To (IATA)"))):
            field = _iata(label)
            field.required = required
            self.fields[f"{p}{name}"] = field
        self.fields[f"{p}departs_at"] = forms.DateTimeField(
            label=_("Departs at"), widget=DateTimeInput(), required=required
        )
        self.fields[f"{p}arrives_at"] = forms.DateTimeField(
            label=_("Arrives at"), widget=DateTimeInput(), required=False
        )

    def legs(self) -> list[dict]:
        data = self.cleaned_data
        out = [{k: data.get(k) for k in self.LEG_NAMES}]
        if data.get("leg2_from_airport") or data.get("leg2_departs_at"):
            out.append({k: data.get(f"leg2_{k}") for k in self.LEG_NAMES})
        return out


class BookingForm(SpecialNeedsMixin, LegFields, StyledForm):
    """An individual booking of one traveller (first leg, optional connection)."""

    person = forms.TypedChoiceField(label=_("Traveller"), coerce=int)
    booking_reference = forms.CharField(
        label=_("Booking reference (PNR)"), max_length=20, required=False
    )
    ticket_number = forms.CharField(label=_("Ticket number"), max_length=30, required=False)
    ticket_cost = forms.DecimalField(
        label=_("Ticket cost"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    currency = currency_field()
    project = forms.TypedChoiceField(
        label=_("Project"), coerce=int, required=False, empty_value=None
    )
    special_needs = special_needs_field(
        help_text=_("Nothing ticked: the special needs of the fitness-to-travel decision.")
    )
    airport_assistance = forms.BooleanField(label=_("Airport assistance"), required=False)
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, travellers=(), projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(m.person_id, m.person.full_name) for m in travellers]
        self.fields["project"].choices = EMPTY + [(p.pk, str(p)) for p in projects]
        self.add_leg_fields(1, required=True)
        self.add_leg_fields(2, required=False)
        self._style()

    def service_kwargs(self, projects) -> dict:
        d = self.cleaned_data
        by_pk = {p.pk: p for p in projects}
        return {
            "legs": self.legs(),
            "booking_reference": d["booking_reference"],
            "ticket_number": d["ticket_number"],
            "ticket_cost": d["ticket_cost"],
            "currency": d["currency"],
            "project": by_pk.get(d["project"]),
            "special_needs": d["special_needs"] or None,
            "airport_assistance": d["airport_assistance"],
            "remarks": d["remarks"],
        }


class BookingConfirmForm(StyledForm):
    booking_reference = forms.CharField(label=_("Booking reference (PNR)"), max_length=20)
    version = version_field()


class BookingUpdateForm(SpecialNeedsMixin, StyledForm):
    special_needs = special_needs_field()
    escort = forms.TypedChoiceField(label=_("Escort"), coerce=int, required=False, empty_value=None)
    airport_assistance = forms.BooleanField(label=_("Airport assistance"), required=False)
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = version_field()

    def __init__(self, *args, escorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escort"].choices = EMPTY + [(e.pk, str(e)) for e in escorts]
        if not escorts:
            del self.fields["escort"]


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NoShowForm(StyledForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=EMPTY + NoShowReason.choices)
    details = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RebookForm(LegFields, StyledForm):
    """Rebook a no-show case: on a planned departure, or on a new itinerary with its PNR."""

    departure = forms.TypedChoiceField(
        label=_("Group departure"), coerce=int, required=False, empty_value=None
    )
    booking_reference = forms.CharField(
        label=_("Booking reference (PNR)"), max_length=20, required=False
    )

    def __init__(self, *args, departures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departure"].choices = EMPTY + [
            (
                d.pk,
                f"{d.reference} · {d.departure_date:%Y-%m-%d} · {d.flight_number or d.get_kind_display()}",
            )
            for d in departures
        ]
        self.add_leg_fields(1, required=False)
        self._style()

    def clean(self):
        data = super().clean()
        if not data.get("departure") and not data.get("from_airport"):
            raise forms.ValidationError(
                _("Choose a departure or enter the new itinerary (one of the two).")
            )
        return data


class PocketMoneyForm(StyledForm):
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    currency = currency_field()
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())

    def __init__(self, *args, default=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("paid_on", timezone.localdate())
        if default:
            kwargs["initial"].setdefault("amount", default[0])
            kwargs["initial"].setdefault("currency", default[1])
        super().__init__(*args, **kwargs)


class ReceiptForm(StyledForm):
    file = forms.FileField(label=_("Signed receipt"))


class DepartureForm(StyledForm):
    office = forms.TypedChoiceField(label=_("Organising office"), coerce=int)
    kind = forms.ChoiceField(label=_("Type"), choices=DepartureKind.choices)
    departure_date = forms.DateField(label=_("Departure date"), widget=DateInput())
    departure_time = forms.TimeField(label=_("Departure time"), widget=TimeInput(), required=False)
    from_airport = _iata(_("From (IATA)"))
    to_airport = _iata(_("To (IATA)"))
    carrier = forms.CharField(label=_("Carrier"), max_length=80, required=False)
    flight_number = forms.CharField(label=_("Flight number"), max_length=12, required=False)
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        required=False,
        help_text=_("Seats for returnees and escorts; empty when not limited."),
    )
    project = forms.TypedChoiceField(
        label=_("Project"), coerce=int, required=False, empty_value=None
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, offices=(), projects=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [(o.pk, f"{o.mission.name} · {o.name}") for o in offices]
        self.fields["project"].choices = EMPTY + [(p.pk, str(p)) for p in projects]
        if editing:
            del self.fields["office"]
            self.fields["version"].required = True


class EscortForm(StyledForm):
    kind = forms.ChoiceField(label=_("Type"), choices=EscortKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, initial=1)
    notes = forms.CharField(label=_("Notes"), required=False)


class DepartureFilterForm(StyledForm):
    q = forms.CharField(label=_("Reference or flight"), required=False)
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    office = forms.TypedChoiceField(label=_("Office"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .choices import DepartureStatus

        self.fields["status"].choices = [("", _("All"))] + DepartureStatus.choices
        self.fields["office"].choices = [("", _("All"))] + [(o.pk, o.name) for o in offices]


class ReadyCaseFilterForm(StyledForm):
    office = forms.TypedChoiceField(label=_("Office"), coerce=int, required=False, empty_value=None)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    country = forms.ChoiceField(label=_("Country of return"), required=False)

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("All"))] + [(o.pk, o.name) for o in offices]
        self.fields["nationality"].choices = country_choices()
        self.fields["country"].choices = country_choices()
