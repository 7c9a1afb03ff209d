"""The filters of a case-list export are the case list's own: they are parsed by the list's form
(awda.cases.views.lists.CaseFilterForm, whose choices are the user's offices, colleagues and
projects) and applied by the list's selector (awda.cases.selectors.case_list_for), so an export
holds exactly the cases the user lists with the same filters.

Unlike the list, which ignores an invalid filter with a warning, an export refuses it: a filter
silently dropped would export more than the user asked for."""

import datetime

from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awda.core.errors import ValidationFailed

NAMES = (
    "q",
    "status",
    "office",
    "nationality",
    "assigned_to",
    "project",
    "priority",
    "registered_from",
    "registered_to",
    "departed_from",
    "departed_to",
)
DATES = frozenset({"registered_from", "registered_to", "departed_from", "departed_to"})
# The page and the column sorted on screen are not filters (an export is always in one order,
# newest first: see docs/exports.md).
IGNORED = frozenset({"sort", "page"})


def _form_class():
    from awda.cases.views.lists import CaseFilterForm

    return CaseFilterForm


def _items(data):
    if data is None:
        return []
    if hasattr(data, "lists"):  # a QueryDict: every value of a repeated parameter
        return list(data.lists())
    if not isinstance(data, dict):
        raise ValidationFailed(fields={"filters": [_("Give the filters as an object.")]})
    return [(k, list(v) if isinstance(v, list | tuple) else [v]) for k, v in data.items()]


def clean_filters(user, data) -> dict:
    """The filters in `data` (a QueryDict from the case list's query string, or a dict from the
    API whose values may be lists) checked by the case list's form for `user`, as JSON-ready
    params: dates as ISO strings, `status` as a list. ValidationFailed with fields
    "filters.<name>" for an unknown or invalid filter."""
    errors: dict[str, list[str]] = {}
    query = QueryDict(mutable=True)
    for name, values in _items(data):
        if name in IGNORED:
            continue
        if name not in NAMES:
            errors[name] = [_("Unknown filter.")]
            continue
        values = ["" if v is None else str(v).strip() for v in values]
        query.setlist(name, [v for v in values if v != ""])
    form = _form_class()(query, user=user)
    if not form.is_valid():
        for name, messages in form.errors.items():
            if name in NAMES:
                errors[name] = [str(m) for m in messages]
    if errors:
        raise ValidationFailed(
            fields={f"filters.{name}": messages for name, messages in errors.items()}
        )
    params = {}
    for name in NAMES:
        value = form.cleaned_data.get(name)
        if value in (None, "", []):
            continue
        params[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return params


def selector_kwargs(params: dict) -> dict:
    """The keyword arguments of cases.selectors.case_list_for for stored params."""
    kwargs = {}
    for name, value in (params or {}).items():
        if name not in NAMES:
            continue
        if name in DATES:
            value = datetime.date.fromisoformat(value)
        kwargs["query" if name == "q" else name] = value
    return kwargs


def as_query_string(params: dict) -> str:
    """The case list's query string for stored params (the link back to the list)."""
    query = QueryDict(mutable=True)
    for name, value in (params or {}).items():
        query.setlist(name, [str(v) for v in (value if isinstance(value, list) else [value])])
    return query.urlencode()


def describe(params: dict) -> list[tuple[str, str]]:
    """(label, value) of each filter, for people: labels of statuses and priorities, names of
    the office, caseworker, project and country (at most three small queries)."""
    from awda.accounts.models import Office, User
    from awda.cases.choices import Priority, Status
    from awda.core import countries
    from awda.finance.models import Project

    fields = _form_class().base_fields
    out = []
    for name in NAMES:
        if name not in (params or {}):
            continue
        value = params[name]
        if name == "status":
            labels = dict(Status.choices)
            text = ", ".join(str(labels.get(v, v)) for v in value)
        elif name == "office":
            office = Office.objects.filter(pk=value).only("name").first()
            text = office.name if office else str(value)
        elif name == "assigned_to":
            if value == "none":
                text = _("Not assigned")
            else:
                user = User.objects.filter(pk=value).first()
                text = str(user) if user else str(value)
        elif name == "project":
            project = Project.objects.filter(pk=value).only("code").first()
            text = project.code if project else str(value)
        elif name == "priority":
            text = str(dict(Priority.choices).get(value, value))
        elif name == "nationality":
            text = countries.name(value) or value
        elif name in DATES:
            text = date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        else:
            text = f"“{value}”"
        label = fields["q"].label if name == "q" else fields[name].label
        out.append((str(label), text))
    return out
