"""The operations board of the movement officers (/movements/board/): ready to travel, waiting
(what is missing, grouped), upcoming departures and a month calendar, filtered by office,
nationality and country of return. Read-only: it parses the query string, calls
board.operations_board and renders. Users without "movement.record" in any office get 403."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from awda.core import countries
from awda.core.errors import PermissionDenied

from .. import board

NEED_LABELS = dict(board.SpecialNeed.choices)


class BoardFilterForm(forms.Form):
    """Query-string filters: invalid values are reported and ignored, valid ones still apply."""

    office = forms.TypedChoiceField(label=_("Office"), required=False, coerce=int, empty_value=None)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    destination = forms.ChoiceField(label=_("Country of return"), required=False)
    month = forms.RegexField(
        regex=r"^\d{4}-\d{2}$", required=False, widget=forms.HiddenInput, label=_("Month")
    )

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("All my offices"))] + [
            (o.pk, o.name) for o in offices
        ]
        country_choices = [("", _("All"))] + list(countries.choices())
        self.fields["nationality"].choices = country_choices
        self.fields["destination"].choices = country_choices
        for name in ("office", "nationality", "destination"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def board_filters(self) -> tuple[board.BoardFilters, str]:
        if not self.is_bound:
            return board.BoardFilters(), ""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return (
            board.BoardFilters(
                office=data.get("office"),
                nationality=data.get("nationality") or "",
                destination=data.get("destination") or "",
            ),
            data.get("month") or "",
        )


def departure_url(pk) -> str | None:
    """The departure page (movements app), when it exists."""
    try:
        return reverse("movements:departure_detail", args=[pk])
    except NoReverseMatch:
        return None


@login_required
@require_GET
def operations_board(request):
    try:
        scope = board.board_scope(request.user)
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    offices = list(board.board_offices(scope))
    form = BoardFilterForm(request.GET or None, offices=offices)
    filters, month = form.board_filters()
    data = board.operations_board(
        request.user,
        filters=filters,
        ready_page=request.GET.get("ready_page"),
        waiting_page=request.GET.get("page"),
        month=month,
    )
    for d in data.departures:
        d.url = departure_url(d.pk)
    for item in data.calendar.items:
        if item.departure is not None:
            item.url = departure_url(item.departure.pk)
        else:
            item.url = reverse("cases:case_detail", args=[item.case.pk])
    context = {
        "form": form,
        "board": data,
        "filters_query": filters.as_query(),
        "has_filters": bool(filters.as_query()),
        "groups": board.GROUPS,
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    }
    return render(request, "movements/board/board.html", context)
