"""HTML forms of the Consent tab. They parse input only: the rules (guardian for a minor, valid
consent before a disclosure, members of the case) live in services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.registry.forms import DateInput, StyledForm, language_choices

from .choices import DataCategory, Purpose

YES_NO = [("yes", _("Yes, consent given")), ("no", _("No, the person refused"))]


class _Styled(StyledForm):
    def _style(self):
        super()._style()
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"


class ConsentForm(_Styled):
    """Record a consent (or a refusal) of one member; the guardian fields are shown for a minor."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "---------"), *Purpose.choices])
    given = forms.ChoiceField(
        label=_("Consent"), choices=YES_NO, initial="yes", widget=forms.RadioSelect
    )
    given_on = forms.DateField(label=_("Date"), widget=DateInput())
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", "---------"), *language_choices()],
        help_text=_("The language in which the information was given and the consent taken."),
    )
    guardian_name = forms.CharField(
        label=_("Parent or guardian"),
        max_length=200,
        required=False,
        help_text=_("Required for a person under 18: who consented for the child."),
    )
    guardian_relationship = forms.CharField(
        label=_("Relationship to the child"), max_length=100, required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by everyone who sees the consents: no health or protection details."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("given_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["given"].widget.attrs["class"] = "form-check-input"

    def _style(self):
        super()._style()
        self.fields["given"].widget.attrs["class"] = "form-check-input"

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "purpose": d["purpose"],
            "given": d["given"] == "yes",
            "given_on": d["given_on"],
            "language": d["language"],
            "guardian_name": d["guardian_name"],
            "guardian_relationship": d["guardian_relationship"],
            "notes": d["notes"],
        }


class WithdrawForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        help_text=_("For example: asked by the person at the office on this date."),
    )
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), required=False, widget=DateInput(), help_text=_("Today if empty.")
    )


class TransferForm(_Styled):
    """Record a disclosure made outside Awda (a letter, an e-mail, a phone call)."""

    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=200,
        help_text=_("The organisation and, if known, the person who received the data."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "---------"), *Purpose.choices])
    persons = forms.TypedMultipleChoiceField(
        label=_("Whose data"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.MultipleChoiceField(
        label=_("Data disclosed"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    transferred_on = forms.DateField(label=_("Date of the disclosure"), widget=DateInput())
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the data were sent, reference of the request..."),
    )

    def __init__(self, *args, members=(), hidden_categories=frozenset(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("transferred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = [(m.person_id, m.person.full_name) for m in members]
        # a restricted category is offered only to those who may see it
        self.fields["categories"].choices = [
            (code, label) for code, label in DataCategory.choices if code not in hidden_categories
        ]
