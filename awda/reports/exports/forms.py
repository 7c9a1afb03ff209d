"""The export form of the web UI (parsed only: the rules are in services.export_request)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import EXTERNAL_PURPOSES, ExportFormat
from .services import MIN_PASSWORD_LENGTH


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    leaves_organisation = forms.BooleanField(
        label=_("The file will leave the organisation"),
        required=False,
        help_text=_(
            "For a recipient outside IOM (a consulate, UNHCR, a partner, a donor...). The export "
            "is then recorded in the transfer log, must be password-protected, and holds only "
            "the cases whose principal applicant consented to this kind of disclosure."
        ),
    )
    recipient = forms.CharField(label=_("Recipient"), required=False, max_length=200)
    purpose = forms.ChoiceField(
        label=_("Purpose of the disclosure"),
        required=False,
        choices=[("", "—")] + [(p.value, p.label) for p in EXTERNAL_PURPOSES],
    )
    # The case list's query string, carried from the list to the export.
    filters = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = gettext(
            "Optional: protects the file (an encrypted Excel file, or the CSV in an encrypted "
            "ZIP). At least %(n)s characters. It is not kept: give it to the recipient by "
            "another channel than the file."
        ) % {"n": MIN_PASSWORD_LENGTH}
        for name in ("password", "password_confirm", "recipient"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["purpose"].widget.attrs["class"] = "form-select"
        self.fields["leaves_organisation"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if (data.get("password") or "") != (data.get("password_confirm") or ""):
            self.add_error("password_confirm", _("The two passwords differ."))
        return data
