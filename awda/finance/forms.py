"""Forms of the finance pages. They parse input into the services' keyword arguments; the rules
(codes, categories, budget, rates) stay in the services, whose errors come back on the forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.cases.forms import version_field
from awda.registry.forms import DateInput, StyledForm

from .choices import CostCategory, person_cap_choices
from .models import CURRENCIES

EMPTY = [("", "---------")]


def _money_field(label, **kwargs):
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=0, localize=False, **kwargs
    )


class LineForm(StyledForm):
    version = version_field()
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)
    amount = _money_field(_("Allocated amount"))
    categories = forms.MultipleChoiceField(
        label=_("Cost categories"),
        choices=CostCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What this line pays for. Leave every box empty for the project's general line, "
            "which takes the costs no other line takes."
        ),
    )
    warning_percent = forms.IntegerField(
        label=_("Warning threshold (%)"),
        min_value=1,
        max_value=100,
        initial=90,
        help_text=_("The line is flagged once committed and spent pass this share of it."),
    )

    def __init__(self, *args, new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            del self.fields["version"]

    def _style(self):
        super()._style()
        self.fields["categories"].widget.attrs["class"] = "form-check-input"

    def service_data(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("version", None)
        return d


class VersionForm(StyledForm):
    version = version_field()


class OverrideForm(StyledForm):
    amount = _money_field(
        _("Extra amount allowed"),
        help_text=_("Added to what earlier overrides allow, in the project's currency."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this line may go past its allocation (kept in the audit trail)."),
    )


class CapForm(StyledForm):
    category = forms.ChoiceField(label=_("Cost category"), choices=EMPTY + person_cap_choices())
    amount = _money_field(_("Amount per person"))


class ContributionForm(StyledForm):
    donor = forms.TypedChoiceField(label=_("Donor"), coerce=int)
    amount = _money_field(_("Amount"))
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    reference = forms.CharField(label=_("Reference"), max_length=80, required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].choices = EMPTY + [(d.pk, str(d)) for d in project.donors.all()]
        self.fields["currency"].initial = project.currency
        self.fields["received_on"].initial = timezone.localdate()


class ReallocateForm(StyledForm):
    budget_line = forms.TypedChoiceField(label=_("Move to the line"), coerce=int)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail and on the case's timeline."),
    )

    def __init__(self, *args, lines=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].choices = EMPTY + [
            (ln.pk, f"{ln.code} — {ln.name}") for ln in lines if ln.pk != current
        ]


class RateForm(StyledForm):
    currency = forms.ChoiceField(label=_("1 unit of"), choices=EMPTY + CURRENCIES)
    to_currency = forms.ChoiceField(label=_("is worth, in"), choices=EMPTY + CURRENCIES)
    rate = forms.DecimalField(
        label=_("Rate"), max_digits=20, decimal_places=10, min_value=0, localize=False
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("e.g. UN operational rate, bank receipt."),
    )
    replace = forms.BooleanField(
        label=_("Replace the rate already recorded for this pair and day"), required=False
    )


class RateImportForm(StyledForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns currency, to_currency, rate, valid_from (YYYY-MM-DD) and optionally "
            "source; comma or semicolon separated."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    replace = forms.BooleanField(
        label=_("Replace the rates already recorded for the same pair and day"), required=False
    )


class ChargeFilterForm(forms.Form):
    """The filters of a project's charge list (GET)."""

    line = forms.CharField(required=False)
    stage = forms.ChoiceField(
        required=False,
        choices=[
            ("", _("Every stage")),
            ("committed", _("Committed")),
            ("spent", _("Spent")),
            ("released", _("Released")),
        ],
    )
    awaiting = forms.BooleanField(required=False)
    flagged = forms.BooleanField(required=False)
