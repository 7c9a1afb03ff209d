"""Forms of the plan pages. They parse input; the rules (cap, totals, workflow) stay in the
services, whose errors come back on these forms (items named "items[2].unit_cost" are put on
the row's field)."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from awda.finance.models import CURRENCIES

from ..choices import CATEGORY_OF, AssistanceCategory, AssistanceType, CollectiveKind

TEXTAREA = {"class": "form-control form-control-sm", "rows": 3}
INPUT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2}), max_length=2000
    )


def project_choices(projects):
    return [(p.pk, f"{p.code} — {p.name} ({p.currency})") for p in projects]


class PlanCreateForm(forms.Form):
    """The project funding a new plan (the projects of the case's missions); its currency is
    the plan's (changed on the edit page)."""

    project = forms.TypedChoiceField(
        label=_("Funding project"), coerce=int, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = project_choices(projects)


class PlanForm(VersionForm):
    project = forms.TypedChoiceField(
        label=_("Funding project"),
        coerce=int,
        widget=forms.Select(attrs=SELECT),
        help_text=_(
            "Changing the project sets the currency to the project's (unless you change it too)."
        ),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=CURRENCIES,
        widget=forms.Select(attrs=SELECT),
        help_text=_("The plan's currency must be the cap's."),
    )
    economic_summary = forms.CharField(
        label=_("Economic dimension"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Income, skills, business idea, productive assets."),
    )
    social_summary = forms.CharField(
        label=_("Social dimension"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Housing, health care, education, documents, justice."),
    )
    psychosocial_summary = forms.CharField(
        label=_("Psychosocial dimension"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Support network, belonging, wellbeing, wish to leave again."),
    )
    collective = forms.TypedChoiceField(
        label=_("Collective or community project"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, collectives=(), projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = project_choices(projects)
        self.fields["collective"].choices = [("", "—"), *[(c.pk, c.name) for c in collectives]]


class AssistanceForm(forms.Form):
    """One checkbox (+ description, referral) per assistance type of IOM's plan template."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in AssistanceType.choices:
            self.fields[f"{kind}-on"] = forms.BooleanField(
                label=label,
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"{kind}-description"] = forms.CharField(
                label=_("What for"),
                required=False,
                max_length=2000,
                widget=forms.TextInput(attrs=INPUT),
            )
            self.fields[f"{kind}-referral"] = forms.BooleanField(
                label=_("Referral to another service"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    @staticmethod
    def initial_for(assistances) -> dict:
        initial = {}
        for a in assistances:
            initial[f"{a.kind}-on"] = True
            initial[f"{a.kind}-description"] = a.description
            initial[f"{a.kind}-referral"] = a.referral
        return initial

    def groups(self):
        """[(category label, [(kind, on, description, referral bound fields)])] for display."""
        out = []
        for category, label in AssistanceCategory.choices:
            rows = [
                {
                    "kind": kind,
                    "on": self[f"{kind}-on"],
                    "description": self[f"{kind}-description"],
                    "referral": self[f"{kind}-referral"],
                }
                for kind, _label in AssistanceType.choices
                if CATEGORY_OF[kind] == category
            ]
            out.append((category, label, rows))
        return out

    def rows(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "kind": kind,
                "description": data.get(f"{kind}-description", ""),
                "referral": bool(data.get(f"{kind}-referral")),
            }
            for kind in AssistanceType.values
            if data.get(f"{kind}-on")
        ]


class ItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Assistance type"),
        required=False,
        choices=[("", "—"), *AssistanceType.choices],
        widget=forms.Select(attrs=SELECT),
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=300, widget=forms.TextInput(attrs=INPUT)
    )
    quantity = forms.CharField(
        label=_("Quantity"),
        required=False,
        widget=forms.TextInput(attrs={**INPUT, "inputmode": "decimal"}),
    )
    unit = forms.CharField(
        label=_("Unit"), required=False, max_length=30, widget=forms.TextInput(attrs=INPUT)
    )
    unit_cost = forms.CharField(
        label=_("Estimated unit cost"),
        required=False,
        widget=forms.TextInput(attrs={**INPUT, "inputmode": "decimal"}),
    )
    supplier = forms.TypedChoiceField(
        label=_("Supplier"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, suppliers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = [("", "—"), *suppliers]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(k) for k in ("kind", "description", "quantity", "unit_cost"))

    def row(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d.get("kind") or None,
            "description": d.get("description", ""),
            "quantity": d.get("quantity", ""),
            "unit": d.get("unit", ""),
            "unit_cost": d.get("unit_cost", ""),
            "supplier": d.get("supplier"),
        }


ItemFormSet = formset_factory(ItemForm, extra=1, can_delete=True, max_num=100, absolute_max=100)


class CollectiveForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    kind = forms.ChoiceField(
        label=_("Type"), choices=CollectiveKind.choices, widget=forms.Select(attrs=SELECT)
    )
    office = forms.TypedChoiceField(
        label=_("Office"), coerce=int, widget=forms.Select(attrs=SELECT)
    )
    project = forms.TypedChoiceField(
        label=_("Project"), coerce=int, widget=forms.Select(attrs=SELECT)
    )
    activity = forms.CharField(
        label=_("Activity"), required=False, max_length=200, widget=forms.TextInput(attrs=INPUT)
    )
    location = forms.CharField(
        label=_("Location"), required=False, max_length=200, widget=forms.TextInput(attrs=INPUT)
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, offices=(), projects=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = list(offices)
        self.fields["project"].choices = list(projects)
        if editing:
            del self.fields["office"]  # the version read is required (stale check)
        else:
            del self.fields["version"]
