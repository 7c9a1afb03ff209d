"""Forms of the Assistance tab and of the distribution page. They parse input into the services'
keyword arguments; the rules (who may, statuses, dates, projects, amounts) stay in services.py."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.cases.forms import version_field
from awda.finance.models import CURRENCIES
from awda.registry.forms import DateInput, StyledForm

from .choices import AssistanceKind

EMPTY = [("", "---------")]
UNIT_LIST_ID = "assistance-units"


def _money_field(label, **kwargs):
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=0, localize=False, **kwargs
    )


class ItemFields(StyledForm):
    """What is given: shared by a single line and a distribution."""

    kind = forms.ChoiceField(label=_("Type of assistance"), choices=EMPTY + AssistanceKind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("What was given (e.g. food basket, hygiene kit, consultation)."),
    )
    provider = forms.TypedChoiceField(
        label=_("Provider"), coerce=int, required=False, empty_value=None
    )
    end_date = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        help_text=_("For a period (e.g. accommodation)."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Accommodation: hotel, shelter or address."),
    )
    nights = forms.IntegerField(
        label=_("Nights"),
        min_value=1,
        max_value=366,
        required=False,
        help_text=_("Empty: the length of the period."),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=10,
        decimal_places=2,
        required=False,
        localize=False,
        help_text=_("Accommodation: empty counts the nights."),
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"list": UNIT_LIST_ID}),
        help_text=_("e.g. night, meal, kit, session. Empty: the usual unit of the type."),
    )
    unit_cost = _money_field(_("Unit cost"))
    currency = forms.ChoiceField(label=_("Currency"), choices=EMPTY + list(CURRENCIES))
    project = forms.TypedChoiceField(label=_("Project"), coerce=int, empty_value=None)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, providers=(), projects=(), **kwargs):
        """`providers` and `projects`: (id, label) pairs, read once for the page."""
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = EMPTY + list(providers)
        self.fields["project"].choices = EMPTY + list(projects)
        for name in ("quantity", "unit_cost"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "0.01"})


class LineForm(ItemFields):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    start_date = forms.DateField(label=_("Date"), widget=DateInput(), required=False)

    field_order = ["person", "kind", "start_date", "end_date", "description", "place", "nights"]

    def __init__(self, *args, members=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("start_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = list(members)
        self.fields["currency"].required = False
        self.fields["currency"].help_text = _("Empty: the project's currency.")


class CancelForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = version_field()


class ReceiptUploadForm(StyledForm):
    file = forms.FileField(label=_("Signed copy"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


RECIPIENT = re.compile(r"^(\d{1,12})-(\d{1,12})$")


class RecipientsField(forms.MultipleChoiceField):
    """Checked persons, each as "<case id>-<person id>"; which ones exist and may receive the
    distribution is for the view and the service to say."""

    def valid_value(self, value):
        return bool(RECIPIENT.match(str(value)))

    def clean(self, value):
        keys = super().clean(value) or []
        pairs = []
        for key in keys:
            case_id, person_id = RECIPIENT.match(key).groups()
            pair = (int(case_id), int(person_id))
            if pair not in pairs:
                pairs.append(pair)
        if not pairs:
            raise ValidationError(_("Choose at least one person."), code="required")
        return pairs


class DistributionForm(ItemFields):
    distributed_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    recipients = RecipientsField(label=_("Recipients"), required=True)

    field_order = ["kind", "distributed_on", "description", "provider"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("distributed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["description"].required = True
        self.fields["description"].label = _("Items")
        self.fields["project"].required = False
        self.fields["project"].choices = [("", _("Each case's own project"))] + list(
            self.fields["project"].choices
        )[1:]
        self.fields["recipients"].error_messages["required"] = _("Choose at least one person.")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("recipients")
        return data
