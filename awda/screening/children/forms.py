"""The forms of the child-protection tab: one per step. They parse input only; the rules are in
the services. Field names are the services' keyword arguments (`kwargs()` hands them over)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.cases.forms import version_field
from awda.registry.forms import DateInput, StyledForm, language_choices

from .choices import (
    AgeBasis,
    CaregiverOutcome,
    CareStatus,
    DeterminationOutcome,
    EscortRole,
    Recommendation,
    TracingStatus,
)


def _text(label, *, required=True, rows=2, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label, *, required=True):
    return forms.DateField(
        label=label, required=required, widget=DateInput(), initial=timezone.localdate
    )


def _choice(label, choices):
    return forms.ChoiceField(label=label, choices=[("", "---------"), *choices])


class StepForm(StyledForm):
    def kwargs(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class IdentificationForm(StepForm):
    identified_on = _date(_("Identified on"))
    age_years = forms.IntegerField(label=_("Assessed age (years)"), min_value=0, max_value=99)
    age_basis = _choice(_("Basis of the age"), AgeBasis.choices)
    care_status = _choice(_("Care status"), CareStatus.choices)
    current_caregiver = forms.CharField(
        label=_("Current caregiver"),
        max_length=200,
        required=False,
        help_text=_("Who looks after the child now (name, relationship or organisation)."),
    )
    notes = _text(_("Notes"), required=False)


class AssessmentForm(StepForm):
    assessed_on = _date(_("Assessed on"))
    child_views = _text(_("The child's views and wishes"), rows=3)
    family_situation = _text(_("Family situation"), rows=3)
    safety_and_risks = _text(_("Safety and risks"), rows=3)
    health_and_education = _text(_("Health and education"), required=False)
    recommendation = _choice(_("Recommendation"), Recommendation.choices)
    notes = _text(_("Notes"), required=False)


class TracingForm(StepForm):
    """`missions`: [(id, name)] of the active origin missions (read once for the whole tab)."""

    requested_on = _date(_("Requested on"))
    origin_mission = forms.TypedChoiceField(label=_("Origin mission"), coerce=int)
    information_shared = _text(
        _("Information shared"),
        rows=3,
        help_text=_(
            "What is sent to the origin mission to trace the family. Sending it is recorded in "
            "the transfer log, and needs the consent to sharing with the origin mission."
        ),
    )

    def __init__(self, *args, missions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_mission"].choices = [("", "---------"), *missions]


class TracingOutcomeForm(StepForm):
    status = _choice(_("Status"), TracingStatus.choices)
    outcome_on = _date(_("Outcome on"), required=False)
    outcome_notes = _text(_("Outcome notes"), required=False)
    version = version_field()


class CaregiverForm(StepForm):
    assessed_on = _date(_("Assessed on"))
    caregiver_name = forms.CharField(label=_("Caregiver"), max_length=200)
    relationship = forms.CharField(label=_("Relationship to the child"), max_length=100)
    location = forms.CharField(label=_("Location"), max_length=200)
    conducted_by = forms.CharField(
        label=_("Conducted by"), max_length=200, help_text=_("e.g. IOM Guinea, or a partner.")
    )
    outcome = _choice(_("Outcome"), CaregiverOutcome.choices)
    findings = _text(_("Findings"), rows=3)


class DeterminationForm(StepForm):
    panel = _text(_("Panel"), help_text=_("Members of the panel and their roles."))
    decided_on = _date(_("Decided on"))
    outcome = _choice(_("Outcome"), DeterminationOutcome.choices)
    reasons = _text(_("Reasons"), rows=3)


class ReopenForm(StepForm):
    reason = _text(_("Reason for reopening"))


class GuardianConsentForm(StepForm):
    guardian_name = forms.CharField(label=_("Parent or guardian"), max_length=200)
    guardian_relationship = forms.CharField(label=_("Relationship to the child"), max_length=100)
    language = forms.ChoiceField(
        label=_("Language"),
        help_text=_("The language in which the information was given and the consent taken."),
    )
    given_on = _date(_("Given on"))
    origin_mission = forms.BooleanField(
        label=_("Also consents to sharing the child's data with the origin mission"),
        required=False,
        initial=True,
        help_text=_("Needed before a family tracing request."),
    )
    # No notes: they would be stored on the consent records, which every role with access to
    # consents reads (see services.guardian_consent_record).

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "---------"), *language_choices()]


class EscortForm(StepForm):
    escort_name = forms.CharField(label=_("Escort"), max_length=200)
    escort_role = _choice(_("Escort's role"), EscortRole.choices)
    escort_trained = forms.BooleanField(
        label=_("Escort trained to accompany children"), required=False
    )
    planned_on = _date(_("Planned on"))
    itinerary_notes = _text(_("Itinerary and arrangements"), required=False)


class ReceptionForm(StepForm):
    arranged_on = _date(_("Arranged on"))
    received_by_name = forms.CharField(label=_("Received by"), max_length=200)
    relationship_or_organisation = forms.CharField(
        label=_("Relationship or organisation"), max_length=200
    )
    place = forms.CharField(label=_("Place of reception"), max_length=200)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    notes = _text(_("Notes"), required=False)
