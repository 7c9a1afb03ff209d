"""Forms of the Delivery tab. They parse input into the services' keyword arguments; the rules
(who may, statuses, plan, amounts, dates) stay in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.cases.forms import version_field
from awda.finance.models import CURRENCIES
from awda.registry.forms import DateInput, StyledForm

from ..choices import AssistanceType, DeliveryDocumentKind, PaymentChannel, ReferralStatus
from .services._common import MAX_LINES

EMPTY = [("", "---------")]
LINE_ROWS = 5


def _money(label, **kwargs):
    field = forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=0, localize=False, **kwargs
    )
    field.widget.attrs.update({"inputmode": "decimal", "step": "0.01"})
    return field


def _currency(help_text):
    return forms.ChoiceField(
        label=_("Currency"), choices=EMPTY + list(CURRENCIES), required=False, help_text=help_text
    )


class PurchaseForm(StyledForm):
    supplier = forms.TypedChoiceField(label=_("Supplier"), coerce=int)
    ordered_on = forms.DateField(label=_("Ordered on"), widget=DateInput(), required=False)
    currency = _currency(_("Empty: the plan's currency."))
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=60, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, suppliers=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("ordered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = EMPTY + list(suppliers)


class PurchaseLineForm(StyledForm):
    description = forms.CharField(label=_("Item"), max_length=300)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=10, decimal_places=2, localize=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=30)
    unit_price = _money(_("Unit price"))
    plan_item = forms.TypedChoiceField(
        label=_("Plan item"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, plan_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].choices = EMPTY + list(plan_items)
        self.fields["quantity"].widget.attrs.update({"inputmode": "decimal", "step": "0.01"})


class BaseLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The filled rows, in order (blank rows are skipped)."""
        return [f.cleaned_data for f in self.forms if f.has_changed() and f.cleaned_data]


LineFormSet = forms.formset_factory(
    PurchaseLineForm,
    formset=BaseLineFormSet,
    extra=LINE_ROWS,
    max_num=MAX_LINES,
    validate_max=True,
)


def line_formset(data=None, *, plan_items=()):
    return LineFormSet(data, prefix="lines", form_kwargs={"plan_items": plan_items})


class DateVersionForm(StyledForm):
    """Deliver or acknowledge: a date and the version read."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    version = version_field()

    def __init__(self, *args, label=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        if label:
            self.fields["date"].label = label


class CancelForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = version_field()


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Document"), choices=DeliveryDocumentKind.choices)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


class TrancheForm(StyledForm):
    person = forms.TypedChoiceField(label=_("Paid to"), coerce=int)
    amount = _money(_("Amount"))
    currency = _currency(_("Empty: the plan's currency."))
    due_on = forms.DateField(label=_("Due on"), widget=DateInput(), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=EMPTY + PaymentChannel.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = list(members)


class PayForm(StyledForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    reference = forms.CharField(label=_("Payment reference"), max_length=80, required=False)
    version = version_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("paid_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ReferralForm(StyledForm):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    organisation = forms.TypedChoiceField(label=_("Referred to"), coerce=int)
    kind = forms.ChoiceField(label=_("Assistance type"), choices=EMPTY + AssistanceType.choices)
    service = forms.CharField(label=_("Service"), max_length=200)
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput(), required=False)
    cost = _money(_("Cost paid by the project"), required=False)
    currency = _currency(_("Empty: the plan's (or project's) currency."))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, members=(), organisations=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("referred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = list(members)
        self.fields["organisation"].choices = EMPTY + list(organisations)


class ReferralUpdateForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=ReferralStatus.choices)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Empty: keep the current outcome."),
    )
    version = version_field()
