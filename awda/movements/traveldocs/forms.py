"""Forms of the Travel documents tab and of the batch pages. They parse input into the services'
keyword arguments; the rules (who may, dates, consents) stay in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.cases.forms import version_field
from awda.core import countries
from awda.registry.forms import DateInput, StyledForm

from .choices import BatchKind, DocumentKind, DocumentOutcome, ExitOutcome

EMPTY = [("", "---------")]


def _org_field(label):
    return forms.TypedChoiceField(label=label, coerce=int)


class PassportForm(StyledForm):
    """A document the person holds (passport, or a laissez-passer already issued)."""

    kind = forms.ChoiceField(
        label=_("Type"), choices=DocumentKind.choices, initial=DocumentKind.PASSPORT
    )
    number = forms.CharField(label=_("Number"), max_length=60)
    issuing_country = forms.CharField(label=_("Issuing country"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput())
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_issuing_country(self):
        value = self.cleaned_data.get("issuing_country", "")
        if value and not countries.resolve(value):
            raise forms.ValidationError(_("Unknown country code: %(v)s") % {"v": value})
        return countries.resolve(value) if value else ""


class IdentityDocumentForm(StyledForm):
    """Use a passport (or laissez-passer) from the person's identity documents."""

    identity_document = forms.TypedChoiceField(label=_("Identity document"), coerce=int)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identity_document"].choices = [
            (
                d.pk,
                f"{d.get_doc_type_display()} {d.number}"
                + (f" ({d.expiry_date:%Y-%m-%d})" if d.expiry_date else ""),
            )
            for d in documents
        ]


class RequestForm(StyledForm):
    """A laissez-passer (or emergency travel document) requested from a consulate."""

    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[
            (DocumentKind.LAISSEZ_PASSER, DocumentKind.LAISSEZ_PASSER.label),
            (DocumentKind.EMERGENCY, DocumentKind.EMERGENCY.label),
        ],
        initial=DocumentKind.LAISSEZ_PASSER,
    )
    consulate = _org_field(_("Consulate"))
    requested_on = forms.DateField(label=_("Sent on"), widget=DateInput())
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, consulates, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("requested_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["consulate"].choices = EMPTY + list(consulates)


class DocumentAnswerForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Answer"), choices=EMPTY + DocumentOutcome.choices)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = version_field()


class CancelForm(StyledForm):
    version = version_field()


class ExitRequestForm(StyledForm):
    authority = _org_field(_("Authority"))
    requested_on = forms.DateField(label=_("Requested on"), widget=DateInput())
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, authorities, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("requested_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = EMPTY + list(authorities)


class ExitAnswerForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Answer"), choices=EMPTY + ExitOutcome.choices)
    granted_on = forms.DateField(label=_("Granted on"), required=False, widget=DateInput())
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty when the authorisation has no end date."),
    )
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = version_field()


class BatchAnswerForm(StyledForm):
    """The answer for one person of a list: the fields of a consulate's or an authority's answer."""

    outcome = forms.ChoiceField(label=_("Answer"))
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput())
    granted_on = forms.DateField(label=_("Granted on"), required=False, widget=DateInput())
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Reason for the refusal"), required=False, max_length=2000)
    version = version_field()

    CONSULATE_FIELDS = ("outcome", "number", "issued_on", "expires_on", "reason", "version")
    AUTHORITY_FIELDS = ("outcome", "granted_on", "reference", "valid_until", "reason", "version")

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.CONSULATE_FIELDS if kind == BatchKind.CONSULATE else self.AUTHORITY_FIELDS
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["outcome"].choices = EMPTY + (
            DocumentOutcome.choices if kind == BatchKind.CONSULATE else ExitOutcome.choices
        )


class BatchSendForm(StyledForm):
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput())
    version = version_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("sent_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class BatchDiscardForm(StyledForm):
    version = version_field()


class BatchFilterForm(forms.Form):
    """The GET filters of the "new list" page."""

    office = forms.TypedChoiceField(label=_("Office"), coerce=int, required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=60, required=False)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = list(offices)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field, forms.TypedChoiceField)
                else "form-control form-control-sm"
            )

    def clean_nationality(self):
        value = (self.cleaned_data.get("nationality") or "").strip()
        return countries.resolve(value) if value else ""


class BatchCreateForm(StyledForm):
    recipient = _org_field(_("Recipient"))
    members = forms.TypedMultipleChoiceField(
        label=_("Persons"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, recipients, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = EMPTY + list(recipients)
        self.fields["members"].choices = [(m.pk, str(m.pk)) for m in candidates]

    def _style(self):
        super()._style()
        self.fields["members"].widget.attrs["class"] = "form-check-input"
