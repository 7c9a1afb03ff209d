"""The screening form: one checkbox per factor of the catalogue (with its help text), grouped by
level in the template. Rules (who may, restricted answers, derivation) stay in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awda.cases.forms import version_field
from awda.registry.forms import StyledForm

from .factors import FACTORS, by_level


class _ScreeningFormBase(StyledForm):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by everyone who sees the screening: no trafficking details here."),
    )
    version = version_field()

    def levels(self):
        """(level label, bound fields) in catalogue order, for the template."""
        return [(label, [self[f.code] for f in factors]) for _code, label, factors in by_level()]

    def factors(self) -> dict[str, bool]:
        return {f.code: bool(self.cleaned_data.get(f.code)) for f in FACTORS}


# One checkbox per factor, built from the catalogue (factors.py).
ScreeningForm = type(
    "ScreeningForm",
    (_ScreeningFormBase,),
    {
        "__module__": __name__,
        **{
            f.code: forms.BooleanField(label=f.label, help_text=f.help, required=False)
            for f in FACTORS
        },
    },
)
