"""Forms of the Reintegration and Monitoring tabs and of the workspace. They parse input into
the services' keyword arguments; the rules (who may, statuses, dates, levels) stay in the
services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awda.cases.forms import version_field
from awda.registry.forms import DateInput, StyledForm

from ..choices import ActivityStatus, AssessmentKind, EducationLevel, Level, VisitMode

EMPTY = [("", "---------")]


def _text(label, *, rows=2, max_length=5000, **kwargs):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class AcceptForm(StyledForm):
    office = forms.TypedChoiceField(label=_("Office following the case"), coerce=int)
    officer = forms.TypedChoiceField(
        label=_("Reintegration officer"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, offices, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [(o.pk, o.name) for o in offices]
        self.fields["officer"].choices = EMPTY + list(officers)
        if len(offices) == 1 and not self.is_bound:
            self.initial.setdefault("office", offices[0].pk)


class AssignForm(StyledForm):
    version = version_field()
    officer = forms.TypedChoiceField(
        label=_("Reintegration officer"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = EMPTY + list(officers)


class ReceptionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    airport_reception = forms.BooleanField(label=_("Met at the airport"), required=False)
    met_by = forms.CharField(label=_("Met by"), max_length=200, required=False)
    onward_transport = forms.BooleanField(label=_("Onward transport provided"), required=False)
    onward_destination = forms.CharField(
        label=_("Onward destination"), max_length=200, required=False
    )
    accommodation_nights = forms.IntegerField(
        label=_("Temporary accommodation (nights)"),
        min_value=0,
        max_value=366,
        required=False,
        initial=0,
    )
    accommodation_place = forms.CharField(
        label=_("Accommodation place"), max_length=200, required=False
    )
    first_needs = _text(_("First needs covered"))
    notes = _text(_("Notes"))

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version")
        data["accommodation_nights"] = data["accommodation_nights"] or 0
        return data


class AssessmentForm(StyledForm):
    """Record (person and kind) or correct (version) an assessment."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, required=False)
    kind = forms.ChoiceField(label=_("Assessment"), choices=EMPTY + AssessmentKind.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    level = forms.ChoiceField(
        label=_("Level"),
        choices=EMPTY + Level.choices,
        required=False,
        help_text=_("Vulnerability and risk assessments."),
    )
    findings = _text(_("Findings"), rows=3)
    recommendations = _text(_("Recommendations"))
    education_level = forms.ChoiceField(
        label=_("Education"), choices=EMPTY + EducationLevel.choices, required=False
    )
    work_experience = _text(_("Work experience"))
    skills = _text(_("Skills"))
    interests = _text(_("Interests"))
    preferred_activity = forms.CharField(
        label=_("Preferred activity"), max_length=200, required=False
    )

    def __init__(self, *args, members=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = EMPTY + list(members)
        if editing:
            # person and kind stay those of the assessment
            del self.fields["person"]
            self.fields["kind"].required = False
        else:
            self.fields["person"].required = True

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("version", "person", "kind"):
            data.pop(key, None)
        return data


class VisitRecordForm(StyledForm):
    version = version_field()
    status = forms.ChoiceField(
        label=_("Result"),
        choices=[("done", _("Done")), ("missed", _("Could not be reached"))],
    )
    conducted_on = forms.DateField(label=_("Date"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Visit or call"), choices=VisitMode.choices)
    outcome = _text(_("What the visit found"), rows=3)
    activity_status = forms.ChoiceField(
        label=_("Business or activity"), choices=EMPTY + ActivityStatus.choices, required=False
    )
    re_migrated = forms.BooleanField(label=_("Re-migrated"), required=False)
    re_migration_notes = _text(_("Re-migration (where, when)"))

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version")
        return data


class VisitAddForm(StyledForm):
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Visit or call"), choices=VisitMode.choices)


class VisitRescheduleForm(StyledForm):
    version = version_field()
    due_on = forms.DateField(label=_("New date"), widget=DateInput())


class VisitCancelForm(StyledForm):
    version = version_field()
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
