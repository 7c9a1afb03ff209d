"""Forms of the Health tab. They parse input into the services' keyword arguments; the rules
(who may, dates, validity, consents) stay in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.cases.forms import version_field
from awda.registry.forms import DateInput, StyledForm

from .choices import (
    DocumentKind,
    Escort,
    FitnessOutcome,
    NeedCategory,
    NeedStatus,
    ReferralPurpose,
    ReferralStatus,
    Severity,
    SpecialNeed,
)

EMPTY = [("", "---------")]


class FitnessForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Decision"), choices=EMPTY + FitnessOutcome.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    valid_days = forms.IntegerField(
        label=_("Validity (days)"),
        min_value=1,
        required=False,
    )
    escort = forms.ChoiceField(label=_("Escort"), choices=Escort.choices, initial=Escort.NONE)
    special_needs = forms.MultipleChoiceField(
        label=_("Special needs"),
        choices=SpecialNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remarks = forms.CharField(
        label=_("Remarks for the movement team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by everyone who organises the travel: no diagnosis here."),
    )

    def __init__(self, *args, validity_days: int, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["valid_days"].widget.attrs["max"] = validity_days
        self.fields["valid_days"].help_text = _(
            "Empty: the mission's validity, %(n)s days. It can be shorter, not longer."
        ) % {"n": validity_days}

    def _style(self):
        super()._style()
        # The checkboxes keep Bootstrap's check style, not the text-input style.
        self.fields["special_needs"].widget.attrs["class"] = "form-check-input"


class MedicalNeedForm(StyledForm):
    category = forms.ChoiceField(label=_("Category"), choices=EMPTY + NeedCategory.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=EMPTY + Severity.choices)
    identified_on = forms.DateField(label=_("Identified on"), widget=DateInput())
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    treatment_needed = forms.CharField(
        label=_("Treatment needed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("Status"), choices=NeedStatus.choices)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("identified_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class MedicalNeedUpdateForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=NeedStatus.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    treatment_needed = forms.CharField(
        label=_("Treatment needed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = version_field()


class ReferralForm(StyledForm):
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=EMPTY + ReferralPurpose.choices)
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput())
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What is shared and how (e.g. referral letter handed to the provider). Kept with the "
            "referral, seen only by those who may see this person's health records."
        ),
    )

    def __init__(self, *args, providers, **kwargs):
        """`providers`: (id, name) pairs, read once for every form of the tab."""
        kwargs.setdefault("initial", {}).setdefault("referred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = EMPTY + list(providers)


class ReferralUpdateForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=ReferralStatus.choices)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = version_field()


class MedicalDocumentForm(StyledForm):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=EMPTY + DocumentKind.choices)
    document_date = forms.DateField(label=_("Document date"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt"
