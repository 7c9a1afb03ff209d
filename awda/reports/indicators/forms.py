"""The filters of the dashboard and of the downloads, read from the query string."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Office
from awda.accounts.selectors import user_scope
from awda.cases.models import Case
from awda.core import countries
from awda.finance.models import Donor, Project

from .base import COUNTING_ROLES, Filters
from .registry import dimension_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _received_cases(user):
    """Cases handed over to the origin missions where `user` counts cases."""
    scope = user_scope(user)
    missions = scope.missions_with(*COUNTING_ROLES) & scope.origin_mission_ids
    return Case.objects.filter(receiving_mission_id__in=missions, handed_over_at__isnull=False)


def office_choices(user):
    """The host offices whose cases `user` may count (their offices, and the offices that
    handed cases over to their origin missions): one query."""
    scope = user_scope(user)
    offices = scope.offices_with(*COUNTING_ROLES)
    received = _received_cases(user).values("office_id")
    qs = Office.objects.filter(Q(pk__in=offices) | Q(pk__in=received)).select_related("mission")
    return [(o.pk, o.name) for o in qs.order_by("mission__name", "name")]


def project_queryset(user):
    """The projects of the user's missions and those funding cases handed over to them."""
    scope = user_scope(user)
    received = _received_cases(user).filter(project__isnull=False).values("project_id")
    return Project.objects.filter(Q(mission_id__in=scope.mission_ids) | Q(pk__in=received))


def instrument_choices():
    from awda.reintegration.surveys.selectors import instruments

    return [(i.pk, f"{i.code} {i.version}") for i in instruments()]


class IndicatorFilterForm(forms.Form):
    """Invalid values are reported and replaced by their default, the valid ones still apply
    (as the case list does)."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    by = forms.ChoiceField(label=_("Group by"), required=False)
    office = forms.TypedChoiceField(
        label=_("Host office"), required=False, coerce=int, empty_value=None
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    country_of_return = forms.ChoiceField(label=_("Country of return"), required=False)
    project = forms.TypedChoiceField(
        label=_("Project"), required=False, coerce=int, empty_value=None
    )
    donor = forms.TypedChoiceField(label=_("Donor"), required=False, coerce=int, empty_value=None)
    instrument = forms.TypedChoiceField(
        label=_("Survey instrument (sustainability)"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, user, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults = Filters.default(today or timezone.localdate())
        everything = [("", _("All"))]
        countries_ = everything + list(countries.choices())
        projects = list(project_queryset(user).order_by("code").only("pk", "code", "name"))
        self.fields["by"].choices = [("", _("Each indicator's default"))] + dimension_choices(user)
        self.fields["office"].choices = everything + office_choices(user)
        self.fields["nationality"].choices = countries_
        self.fields["country_of_return"].choices = countries_
        self.fields["project"].choices = everything + [
            (p.pk, f"{p.code} · {p.name}") for p in projects
        ]
        donors = Donor.objects.filter(projects__in=[p.pk for p in projects]).distinct()
        self.fields["donor"].choices = everything + [
            (d.pk, str(d)) for d in donors.order_by("name")
        ]
        self.fields["instrument"].choices = [("", _("In use"))] + instrument_choices()
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"
        self.fields["date_from"].initial = self.defaults.date_from
        self.fields["date_to"].initial = self.defaults.date_to

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> Filters:
        """The filters given, the defaults for the rest (and for invalid values)."""
        if not self.is_bound:
            return self.defaults
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "date_to" in self.errors:
            data.pop("date_from", None)
        start, end = data.get("date_from"), data.get("date_to")
        if start and not end:  # the rest of that year
            end = datetime.date(start.year, 12, 31)
        elif end and not start:
            start = datetime.date(end.year, 1, 1)
        return Filters(
            date_from=start or self.defaults.date_from,
            date_to=end or self.defaults.date_to,
            by=data.get("by", ""),
            office=data.get("office"),
            nationality=data.get("nationality", ""),
            country_of_return=data.get("country_of_return", ""),
            project=data.get("project"),
            donor=data.get("donor"),
            instrument=data.get("instrument"),
        )
