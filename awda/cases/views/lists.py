"""Case list, my tasks and person search. Each view parses its query string with a small form, calls
a scoped selector and renders; the case list returns the full page or, for htmx, only the table."""

from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from awda.accounts.selectors import offices_for, users_in_offices
from awda.core import countries
from awda.core.htmx import render_page_or_fragment
from awda.finance.selectors import project_list_for

from .. import selectors
from ..choices import Priority, Status
from ..policies import CASE_VIEWERS, can

CASES_PER_PAGE = 25
TASKS_PER_PAGE = 50
PERSONS_PER_PAGE = 25


def _case_viewers_only(template, title):
    """M&E officers and administrators see aggregates only: lists of cases, tasks and persons carry
    names, so they get a clear 403 page (`template` with no_access) instead."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not can(request.user, "case.view"):
                context = {"no_access": True, "page_title": title}
                return render(request, template, context, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _page(request, qs, per_page):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _country_choices():
    return [("", _("All"))] + list(countries.choices())


class _FilterForm(forms.Form):
    """Query-string filters: invalid values are reported and ignored, valid ones still apply."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(w, forms.Select) else "form-control"
            w.attrs["class"] = (
                f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"
            )

    def filters(self) -> dict:
        """The valid filters given; none when the query string has none (unbound form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}


def _search_field(placeholder, **attrs):
    return forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": placeholder, "autocomplete": "off", **attrs}
        ),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CaseFilterForm(_FilterForm):
    q = _search_field(_("Name, case number, document, phone"))
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    office = forms.TypedChoiceField(label=_("Office"), required=False, coerce=int, empty_value=None)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    assigned_to = forms.ChoiceField(label=_("Caseworker"), required=False)
    project = forms.TypedChoiceField(
        label=_("Project"), required=False, coerce=int, empty_value=None
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All"))] + list(Priority.choices),
    )
    registered_from = forms.DateField(
        label=_("Registered from"), required=False, widget=DateInput()
    )
    registered_to = forms.DateField(label=_("Registered to"), required=False, widget=DateInput())
    departed_from = forms.DateField(label=_("Departed from"), required=False, widget=DateInput())
    departed_to = forms.DateField(label=_("Departed to"), required=False, widget=DateInput())
    sort = forms.ChoiceField(
        required=False,
        choices=[(k, k) for k in selectors.SORTS],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offices = list(offices_for(user, *CASE_VIEWERS))
        self.fields["office"].choices = [("", _("All my offices"))] + [
            (o.pk, o.name) for o in offices
        ]
        self.fields["nationality"].choices = _country_choices()
        self.fields["assigned_to"].choices = [("", _("Anyone")), ("none", _("Not assigned"))] + [
            (str(u.pk), str(u)) for u in users_in_offices([o.pk for o in offices])
        ]
        self.fields["project"].choices = [("", _("All"))] + [
            (p.pk, f"{p.code} · {p.name}") for p in project_list_for(user)
        ]


CASE_COLUMNS = [
    # (sort key or None, label)
    ("number", _("Case number")),
    ("name", _("Principal applicant")),
    (None, _("Nationality")),
    (None, _("Members")),
    (None, _("Office")),
    (None, _("Caseworker")),
    ("status", _("Status")),
    ("priority", _("Priority")),
    ("registered", _("Registered on")),
]


@require_GET
@login_required
@_case_viewers_only("cases/case_list.html", _("Cases"))
def case_list(request):
    form = CaseFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    sort = filters.pop("sort", "")
    query = filters.pop("q", "")
    cases = selectors.case_list_for(request.user, query=query, sort=sort, **filters)
    page_obj = _page(request, cases, CASES_PER_PAGE)
    context = {
        "form": form,
        "page_obj": page_obj,
        "cases": page_obj.object_list,
        "columns": CASE_COLUMNS,
        "sort": sort,
        "has_filters": bool(filters or query),
        "can_register": can(request.user, "case.register"),
    }
    return render_page_or_fragment(
        request, "cases/case_list.html", "cases/_case_table.html", context
    )


class TaskFilterForm(_FilterForm):
    scope = forms.ChoiceField(
        required=False,
        choices=[("mine", _("Assigned to me")), ("offices", _("All open tasks in my offices"))],
    )


@require_GET
@login_required
@_case_viewers_only("cases/task_list.html", _("My tasks"))
def task_list(request):
    form = TaskFilterForm(request.GET or None)
    scope = form.filters().get("scope") or "mine"
    assignee = request.user if scope == "mine" else None
    tasks = selectors.task_list_for(request.user, assignee=assignee).select_related(
        "case__principal", "case__office"
    )
    today = timezone.localdate()
    page_obj = _page(request, tasks, TASKS_PER_PAGE)
    context = {
        "scope": scope,
        "page_obj": page_obj,
        "tasks": page_obj.object_list,
        "today": today,
        "overdue_count": tasks.filter(due_date__lt=today).count(),
    }
    return render(request, "cases/task_list.html", context)


class PersonSearchForm(_FilterForm):
    q = _search_field(_("Name or alias, document number, phone"), autofocus=True)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = _country_choices()


@require_GET
@login_required
@_case_viewers_only("cases/person_list.html", _("Persons"))
def person_list(request):
    form = PersonSearchForm(request.GET or None)
    filters = form.filters()
    page_obj = None
    if filters:
        # Each person's case history, limited to the cases this user may see.
        persons = selectors.with_case_history(
            request.user,
            selectors.person_list_for(
                request.user, query=filters.get("q"), nationality=filters.get("nationality")
            ),
            documents=False,
        )
        page_obj = _page(request, persons, PERSONS_PER_PAGE)
    context = {"form": form, "page_obj": page_obj, "searched": bool(filters)}
    return render_page_or_fragment(
        request, "cases/person_list.html", "cases/_person_table.html", context
    )
