"""Forms of the survey pages: the survey itself (one radio group per question of the instrument,
in the UI language), voiding, and the cohort filters. Validation of the answers is the
service's (scoring); the forms only parse."""

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from awda.registry.choices import Sex

from ..choices import SurveyKind
from .instrument import label
from .selectors import AGE_GROUPS, GROUP_BY

ANSWER_PREFIX = "answer-"
SELECT = {"class": "form-select form-select-sm"}
INPUT = {"class": "form-control form-control-sm"}


class SurveyForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Returnee"), coerce=int, widget=forms.Select(SELECT))
    kind = forms.ChoiceField(
        label=_("Survey"),
        choices=SurveyKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    conducted_on = forms.DateField(
        label=_("Conducted on"), widget=forms.DateInput(attrs={"type": "date", **INPUT})
    )
    visit = forms.TypedChoiceField(
        label=_("Monitoring visit"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(SELECT),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2, **INPUT})
    )

    def __init__(self, *args, definition, members, visits, **kwargs):
        super().__init__(*args, **kwargs)
        lang = get_language()
        self.fields["person"].choices = members
        self.fields["visit"].choices = [("", "—"), *visits]
        self.fields["conducted_on"].initial = timezone.localdate()
        self.definition = definition
        self.sections = []  # (dimension label, [(indicator label, [bound fields])])
        for dim in definition.dimensions:
            indicators = []
            for ind in definition.indicators_of(dim.code):
                names = []
                for q in definition.questions_of(ind.code):
                    name = ANSWER_PREFIX + q.code
                    self.fields[name] = forms.ChoiceField(
                        label=label(q.text, lang),
                        choices=[(o.code, label(o.label, lang)) for o in q.options],
                        required=False,  # the service names the missing answers
                        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    )
                    names.append(name)
                indicators.append((label(ind.label, lang), names))
            self.sections.append((dim.code, label(dim.label, lang), indicators))

    def question_sections(self):
        return [
            {
                "code": code,
                "label": dim_label,
                "indicators": [(ind, [self[n] for n in names]) for ind, names in indicators],
            }
            for code, dim_label, indicators in self.sections
        ]

    def answers(self) -> dict:
        return {
            name[len(ANSWER_PREFIX) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(ANSWER_PREFIX) and value
        }

    def add_service_errors(self, fields: dict):
        for key, messages in fields.items():
            name = ANSWER_PREFIX + key[len("answers.") :] if key.startswith("answers.") else key
            for message in messages:
                self.add_error(name if name in self.fields else None, str(message))


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this survey voided?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, **INPUT}),
    )


class CohortForm(forms.Form):
    group_by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[
            ("kind", _("Survey (baseline / latest follow-up)")),
            ("nationality", _("Nationality")),
            ("sex", _("Sex")),
            ("age_group", _("Age group")),
            ("project", _("Project")),
            ("return_year", _("Year of return")),
        ],
        widget=forms.Select(SELECT),
    )
    kind = forms.ChoiceField(
        label=_("Survey"),
        required=False,
        choices=[
            ("", _("Baseline and latest follow-up")),
            (SurveyKind.BASELINE, _("Baseline")),
            (SurveyKind.FOLLOW_UP, _("Latest follow-up")),
        ],
        widget=forms.Select(SELECT),
    )
    nationality = forms.CharField(
        label=_("Nationality"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"placeholder": "GN", **INPUT}),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", "—"), *Sex.choices],
        widget=forms.Select(SELECT),
    )
    age_group = forms.ChoiceField(
        label=_("Age group"),
        required=False,
        choices=[("", "—"), *[(g[0], g[0]) for g in AGE_GROUPS]],
        widget=forms.Select(SELECT),
    )
    project = forms.TypedChoiceField(
        label=_("Project"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(SELECT),
    )
    return_year = forms.IntegerField(
        label=_("Year of return"),
        required=False,
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(INPUT),
    )

    instrument = forms.TypedChoiceField(
        label=_("Instrument version"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Scores of different versions are not comparable: one version at a time."),
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args, projects=(), instruments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "—"), *projects]
        self.fields["instrument"].choices = [("", _("The version in use")), *instruments]

    def query(self) -> tuple[str, dict]:
        data = self.cleaned_data
        group_by = data.get("group_by") or "kind"
        assert group_by in GROUP_BY
        keys = ("kind", "sex", "age_group", "project", "return_year", "instrument")
        filters = {k: data.get(k) for k in keys}
        filters["nationality"] = (data.get("nationality") or "").upper()
        return group_by, {k: v for k, v in filters.items() if v}
