"""HTML forms for persons and identity documents. They parse and present input only; validation
rules live in registry.services (the forms hand a plain dict to the service)."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.core import countries

from .choices import LANGUAGES, DocumentType, Sex
from .services import PERSON_FIELDS


def country_choices():
    return [("", "---------"), *countries.choices()]


def language_choices():
    return [(code, label) for code, label in LANGUAGES]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BootstrapMixin:
    """Add Bootstrap classes to every widget (and is-invalid once the form has errors)."""

    def _style(self):
        errors = self._errors or {}  # never trigger validation from here
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            classes = widget.attrs.get("class", "").split()
            if css not in classes:
                classes.append(css)
            if name in errors and "is-invalid" not in classes:
                classes.append("is-invalid")
            widget.attrs["class"] = " ".join(classes)

    def full_clean(self):
        super().full_clean()
        self._style()

    def add_error(self, field, error):
        super().add_error(field, error)
        if getattr(self, "cleaned_data", None) is not None:
            self._style()

    def set_aside(self):
        """Keep the submitted values for redisplay but validate nothing: for a part of the page
        that is not in use (the new-person fields once an existing person was chosen)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        self._style()


class StyledForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class PersonForm(StyledForm):
    """Every person field. `data_for_service()` gives the dict the registry services expect."""

    given_name = forms.CharField(label=_("Given name(s)"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    other_names = forms.CharField(
        label=_("Other names / aliases"),
        max_length=300,
        required=False,
        help_text=_("Other spellings and aliases, separated by commas"),
    )
    name_arabic = forms.CharField(
        label=_("Name in Arabic script"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "---------"), *Sex.choices])
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_year = forms.IntegerField(
        label=_("Estimated year of birth"),
        required=False,
        min_value=1900,
        help_text=_("When the exact date is unknown."),
    )
    estimated_age = forms.IntegerField(
        label=_("or estimated age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("In years; sets the estimated year of birth."),
    )
    dob_estimated = forms.BooleanField(label=_("Date of birth estimated"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=country_choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Address in the host country"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)

    def __init__(self, *args, with_age=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_age:
            del self.fields["estimated_age"]

    def clean(self):
        data = super().clean()
        age = data.get("estimated_age")
        if age is not None and not data.get("date_of_birth") and not data.get("birth_year"):
            data["birth_year"] = timezone.localdate().year - age
        missing = not data.get("date_of_birth") and not data.get("birth_year")
        if missing and not (self.has_error("date_of_birth") or self.has_error("birth_year")):
            self.add_error("birth_year", _("Give the date of birth or an estimated year of birth."))
        return data

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        out = {key: d.get(key) for key in PERSON_FIELDS}
        out["languages"] = list(out["languages"] or [])
        for key in ("other_names", "name_arabic", "phone", "address", "city"):
            out[key] = out[key] or ""
        out["dob_estimated"] = bool(d.get("dob_estimated")) or not d.get("date_of_birth")
        return out

    @classmethod
    def initial_for(cls, person) -> dict:
        return {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "other_names": person.other_names,
            "name_arabic": person.name_arabic,
            "sex": person.sex,
            "date_of_birth": person.date_of_birth,
            "birth_year": None if person.date_of_birth else person.birth_year,
            "dob_estimated": person.dob_estimated and bool(person.date_of_birth),
            "nationality": person.nationality,
            "languages": person.languages,
            "phone": person.phone,
            "address": person.address,
            "city": person.city,
        }


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("with_age", False)
        super().__init__(*args, **kwargs)


class IdentityDocumentForm(StyledForm):
    doc_type = forms.ChoiceField(
        label=_("Document type"), choices=[("", "---------"), *DocumentType.choices]
    )
    number = forms.CharField(label=_("Document number"), max_length=60)
    issuing_country = forms.ChoiceField(
        label=_("Issuing country"), choices=country_choices, required=False
    )
    issue_date = forms.DateField(label=_("Issue date"), required=False, widget=DateInput())
    expiry_date = forms.DateField(label=_("Expiry date"), required=False, widget=DateInput())

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        return {
            "doc_type": d["doc_type"],
            "number": d["number"],
            "issuing_country": d.get("issuing_country") or "",
            "issue_date": d.get("issue_date"),
            "expiry_date": d.get("expiry_date"),
        }
