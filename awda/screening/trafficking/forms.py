"""Forms of the Protection tab. They parse and present input; the rules (who may, what is
required when, the disclosure to the origin mission) stay in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.cases.forms import version_field
from awda.registry.forms import DateInput, StyledForm, language_choices

from .choices import INDICATORS, ExploitationType, Outcome, RiskLevel


def _today():
    return timezone.localdate()


class _MissionChoice:
    """A choice of origin mission among a list read once for the whole tab (no query per form)."""

    blank_mission = ""

    def _set_missions(self, missions):
        self._missions = {str(m.pk): m for m in missions}
        field = self.fields["origin_mission"]
        field.choices = [("", self.blank_mission), *((str(m.pk), m.name) for m in missions)]
        field.required = False

    def clean_origin_mission(self):
        value = self.cleaned_data.get("origin_mission")
        return self._missions.get(value) if value else None


class _InterviewFormBase(StyledForm):
    interviewed_on = forms.DateField(label=_("Interviewed on"), initial=_today, widget=DateInput())
    interpreter_used = forms.BooleanField(label=_("Interpreter used"), required=False)
    language = forms.ChoiceField(label=_("Language of the interview"), required=False)
    exploitation_types = forms.MultipleChoiceField(
        label=_("Types of exploitation"),
        choices=ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    narrative = forms.CharField(
        label=_("Narrative"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "---------"), *language_choices()]

    def _style(self):
        super()._style()
        # Each option is a checkbox, not a text control.
        self.fields["exploitation_types"].widget.attrs["class"] = "form-check-input"

    def indicator_fields(self):
        return [self[i.code] for i in INDICATORS]

    def indicators(self) -> dict[str, bool]:
        return {i.code: bool(self.cleaned_data.get(i.code)) for i in INDICATORS}


# One checkbox per indicator of the catalogue (choices.INDICATORS).
InterviewForm = type(
    "InterviewForm",
    (_InterviewFormBase,),
    {
        "__module__": __name__,
        **{
            i.code: forms.BooleanField(label=i.label, help_text=i.help, required=False)
            for i in INDICATORS
        },
    },
)


class DeterminationForm(StyledForm):
    determined_on = forms.DateField(label=_("Determined on"), initial=_today, widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "---------"), *Outcome.choices])
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class RiskAssessmentForm(_MissionChoice, StyledForm):
    """Start a risk assessment (as a draft)."""

    blank_mission = _("Receiving mission, or that of the country of return")

    origin_mission = forms.ChoiceField(label=_("Origin mission"))
    origin_focal_point = forms.CharField(
        label=_("Focal point in the origin mission"), max_length=200, required=False
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=[("", "---------"), *RiskLevel.choices], required=False
    )
    risks = forms.CharField(
        label=_("Risks identified"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    mitigation = forms.CharField(
        label=_("Mitigation measures"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    security_plan = forms.CharField(
        label=_("Security plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, missions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_missions(missions)

    def assessment_data(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("origin_focal_point", "risk_level", "risks", "mitigation", "security_plan")
        }


class RiskAssessmentEditForm(StyledForm):
    """Edit a draft risk assessment (the version of the assessment the user saw)."""

    origin_focal_point = RiskAssessmentForm.base_fields["origin_focal_point"]
    risk_level = RiskAssessmentForm.base_fields["risk_level"]
    risks = RiskAssessmentForm.base_fields["risks"]
    mitigation = RiskAssessmentForm.base_fields["mitigation"]
    security_plan = RiskAssessmentForm.base_fields["security_plan"]
    version = version_field()

    def assessment_data(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("origin_focal_point", "risk_level", "risks", "mitigation", "security_plan")
        }


class RiskAssessmentCompleteForm(StyledForm):
    completed_on = forms.DateField(label=_("Completed on"), initial=_today, widget=DateInput())
    version = version_field()


class AcceptanceForm(_MissionChoice, StyledForm):
    blank_mission = _("The mission of the risk assessment")
    accepted = forms.TypedChoiceField(
        label=_("Answer of the origin mission"),
        choices=[("yes", _("Return accepted")), ("no", _("Return refused"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), initial=_today, widget=DateInput())
    origin_mission = forms.ChoiceField(label=_("Origin mission"))
    decided_by_name = forms.CharField(
        label=_("Decided by (name and function in the origin mission)"), max_length=200
    )
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, missions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_missions(missions)

    def _style(self):
        super()._style()
        self.fields["accepted"].widget.attrs["class"] = "form-check-input"
