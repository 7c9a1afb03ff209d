"""Forms of the imports pages (parsing only: the rules are in services). The mapping editor is
built from the job's columns and the import targets (see MappingEditor)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ImportMode
from .contract import Mapping

VALUES_SHOWN = 60  # distinct values per choice field in the value-mapping editor


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or XLSX, or a KoboToolbox export (XLSX with the household members sheet, or "
            "JSON). One row per case."
        ),
    )
    office = forms.ChoiceField(label=_("Office registering the cases"))
    source = forms.ChoiceField(label=_("Saved source"), required=False)

    def __init__(self, *args, offices=(), sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [(o.pk, str(o)) for o in offices]
        self.fields["source"].choices = [("", _("None: suggest a mapping"))] + [
            (s.pk, s.name) for s in sources
        ]
        self.fields["file"].widget.attrs.update(
            {"class": "form-control", "accept": ".csv,.xlsx,.json"}
        )
        for name in ("office", "source"):
            self.fields[name].widget.attrs["class"] = "form-select"


class StartForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Import"), choices=ImportMode.choices, widget=forms.RadioSelect
    )


class KoboSourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    office = forms.ChoiceField(label=_("Office registering the cases"))
    kobo_url = forms.CharField(
        label=_("Kobo server"), max_length=300, initial="https://kf.kobotoolbox.org"
    )
    kobo_asset_uid = forms.CharField(
        label=_("Form (asset uid)"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to choose it from the list of the account's forms."),
    )
    kobo_token = forms.CharField(
        label=_("API token"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "From the Kobo account settings (API key). Stored encrypted; leave empty to keep "
            "the saved one."
        ),
    )

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [(o.pk, str(o)) for o in offices]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "office" else "form-control"


def mapping_from_post(post, targets, current: Mapping) -> tuple[Mapping, bool, str]:
    """The mapping editor's POST -> (Mapping, save to source, new source name).

    col__<target> = column ("" = not mapped); member_group; date_order; default__<target>;
    for the value mapping, vsrc__<target>__<i> = the file's value and vmap__<target>__<i> = the
    Awda value chosen ("" = automatic)."""
    columns = {}
    for target in targets:
        column = post.get(f"col__{target}", "")
        if column:
            columns[target] = column
    values: dict = {}
    for key, source_value in post.items():
        if not key.startswith("vsrc__"):
            continue
        _prefix, target, index = key.split("__", 2)
        chosen = post.get(f"vmap__{target}__{index}", "")
        if chosen in ("", None):
            continue
        if chosen in ("true", "false"):
            chosen = chosen == "true"
        values.setdefault(target, {})[source_value] = chosen
    defaults = {}
    for target in targets:
        value = post.get(f"default__{target}", "")
        if value:
            defaults[target] = value
    mapping = Mapping(
        columns=columns,
        values=values,
        member_group=post.get("member_group", current.member_group) or "",
        defaults=defaults or dict(current.defaults),
        date_order=post.get("date_order") or current.date_order,
    )
    return mapping, post.get("save_to_source") == "on", (post.get("source_name") or "").strip()
