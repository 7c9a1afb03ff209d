"""API of the indicator pack: the indicators with their definitions, and one indicator computed
with filters (the same selector as the dashboard and the downloads). Open to the roles that see
or count cases; figures only, never names."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from awda.core import countries
from awda.core.api.views import ApiView

from .base import SUPPRESSED, Filters, IndicatorTable, require_counter
from .dimensions import DIMENSIONS
from .registry import compute, indicator_get, indicators_for

# ---- serializers --------------------------------------------------------------------------------


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    hxl = serializers.CharField(help_text="The column's HXL hashtag and attributes.")
    kind = serializers.CharField(
        help_text="date, code, text, bool, currency (dimensions); count, number, stat, amount."
    )
    dimension = serializers.BooleanField(help_text="A column of the group, not a measure.")


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    dimensions = serializers.ListField(
        child=serializers.CharField(),
        help_text="The values `by` accepts; the first is the default.",
    )
    default_by = serializers.CharField()
    measures = ColumnSerializer(many=True)


class IndicatorParamsSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="Default: 1 January this year.")
    date_to = serializers.DateField(required=False, help_text="Default: 31 December that year.")
    by = serializers.ChoiceField(
        choices=list(DIMENSIONS),
        required=False,
        help_text="Group by (one of the indicator's dimensions); default: the indicator's.",
    )
    office = serializers.IntegerField(required=False, help_text="Host office id.")
    nationality = serializers.CharField(required=False, max_length=2, help_text="ISO alpha-2.")
    country_of_return = serializers.CharField(
        required=False, max_length=2, help_text="ISO alpha-2."
    )
    project = serializers.IntegerField(required=False)
    donor = serializers.IntegerField(required=False)
    instrument = serializers.IntegerField(
        required=False, help_text="Sustainability: the instrument version (default: in use)."
    )

    def validate_nationality(self, value):
        return _country(value)

    def validate_country_of_return(self, value):
        return _country(value)

    def validate(self, data):
        start, end = data.get("date_from"), data.get("date_to")
        if start and not end:
            data["date_to"] = datetime.date(start.year, 12, 31)
        elif end and not start:
            data["date_from"] = datetime.date(end.year, 1, 1)
        elif not start:
            defaults = Filters.default(timezone.localdate())
            data["date_from"], data["date_to"] = defaults.date_from, defaults.date_to
        if data["date_from"] > data["date_to"]:
            raise serializers.ValidationError(
                {"date_to": [_("The end of the period is before its start.")]}
            )
        return data

    def filters(self) -> Filters:
        return Filters(**{"by": "", **self.validated_data})


def _country(value):
    value = (value or "").upper()
    if value and not countries.is_valid(value):
        raise serializers.ValidationError(_("Not an ISO 3166 alpha-2 country code."))
    return value


class TableSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    by = serializers.CharField(help_text="The dimension the rows are grouped by.")
    filters = serializers.DictField(help_text="The filters applied (period, by, ids, codes).")
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text=(
            "One object per group: `label`, the value of every column (by key), and "
            "`suppressed`, the keys of the cells not shown (null values)."
        ),
    )
    totals = serializers.ListField(
        child=serializers.DictField(),
        help_text="The whole filtered population (one per currency for money); not the sum of "
        "the rows.",
    )
    note = serializers.CharField(allow_blank=True)


def _json_value(value):
    if value is SUPPRESSED:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _row(label: str, row: dict) -> dict:
    out = {"label": label}
    out.update({k: _json_value(v) for k, v in row.items()})
    out["suppressed"] = [k for k, v in row.items() if v is SUPPRESSED]
    return out


def table_data(table: IndicatorTable) -> dict:
    """The table as the API returns it (dates in ISO 8601, figures as numbers)."""
    return {
        "code": table.code,
        "title": str(table.title),
        "by": table.by,
        "filters": table.filters.as_params(),
        "columns": [c.as_dict() for c in table.columns],
        "rows": [_row(label, r) for label, r in zip(table.labels, table.rows, strict=True)],
        "totals": [
            _row(label, r) for label, r in zip(table.total_labels, table.totals, strict=True)
        ],
        "note": str(table.note or ""),
    }


# ---- views --------------------------------------------------------------------------------------


class IndicatorListView(ApiView):
    serializer_class = IndicatorSerializer

    @extend_schema(operation_id="reports_indicators_list", responses=IndicatorSerializer(many=True))
    def get(self, request):
        """The indicators of the pack you may see: code, definition, the dimensions each can be
        grouped by, and their measures (docs/indicators.md). Spending is listed for the holders
        of finance.view only, the vulnerability categories not for finance officers."""
        require_counter(request.user)
        return Response([i.as_dict() for i in indicators_for(request.user)])


class IndicatorDetailView(ApiView):
    serializer_class = TableSerializer

    @extend_schema(
        operation_id="reports_indicators_retrieve",
        parameters=[IndicatorParamsSerializer],
        responses=TableSerializer,
    )
    def get(self, request, code: str):
        """One indicator over the cases you may see or count, for a period (default: this
        year), grouped by one dimension, with filters. The restricted vulnerability categories
        under the small-cell threshold, or of a group of fewer returnees, are null (listed in
        `suppressed`). 403 for an indicator you may not see (spending without finance.view)."""
        indicator_get(code)
        require_counter(request.user)
        params = IndicatorParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        table = compute(code, request.user, params.filters())
        return Response(table_data(table))
