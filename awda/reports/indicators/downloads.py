"""An indicator table as a file: CSV and XLSX (every row and the totals, for working with the
figures) and HXL (a CSV with a row of HXL hashtags under the header, small cells suppressed, no
totals row: for sharing). The tables never hold personal data: only counts, dates, codes and
the names of countries, offices, projects and donors."""

import csv
import datetime
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from awda.core.documents import XLSX_TYPE, xlsx_table

from .base import SUPPRESSED, IndicatorTable

FORMATS = ("csv", "xlsx", "hxl")
CSV_TYPE = "text/csv; charset=utf-8"


def cell(value):
    """A value as it is written to a CSV file: suppressed and empty cells are empty, dates in
    ISO 8601, booleans true/false."""
    if value is SUPPRESSED or value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _rows_with_totals(table: IndicatorTable):
    """(label, row) of every row, then of the totals (unless the table is the totals)."""
    yield from zip(table.labels, table.rows, strict=True)
    if table.shows_totals:
        yield from zip(table.total_labels, table.totals, strict=True)


def to_csv(table: IndicatorTable) -> bytes:
    """A label column ("Group": the row's label, "Total" for the totals), then every column."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Group"), *[str(c.label) for c in table.columns]])
    for label, row in _rows_with_totals(table):
        writer.writerow([label, *[cell(row.get(c.key)) for c in table.columns]])
    return out.getvalue().encode("utf-8-sig")  # with a BOM, so that spreadsheets read UTF-8


def to_xlsx(table: IndicatorTable) -> bytes:
    def value(v):
        return None if v is SUPPRESSED else v

    rows = [
        [label, *[value(row.get(c.key)) for c in table.columns]]
        for label, row in _rows_with_totals(table)
    ]
    period = f"{table.filters.date_from.isoformat()} – {table.filters.date_to.isoformat()}"
    return xlsx_table(
        [_("Group"), *[str(c.label) for c in table.columns]],
        rows,
        sheet=table.code,
        title=f"{table.title} ({period})",
    )


def to_hxl(table: IndicatorTable) -> bytes:
    """A header row, the HXL hashtag row, then the rows (already suppressed by the caller)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(c.label) for c in table.columns])
    writer.writerow([c.hxl for c in table.columns])
    for row in table.rows:
        writer.writerow([cell(row.get(c.key)) for c in table.columns])
    return out.getvalue().encode("utf-8")


def filename(table: IndicatorTable, fmt: str) -> str:
    f = table.filters
    stem = f"{table.code}-{table.by}-{f.date_from.isoformat()}-{f.date_to.isoformat()}"
    return {"csv": f"{stem}.csv", "xlsx": f"{stem}.xlsx", "hxl": f"{stem}.hxl.csv"}[fmt]


def content_type(fmt: str) -> str:
    return XLSX_TYPE if fmt == "xlsx" else CSV_TYPE


RENDERERS = {"csv": to_csv, "xlsx": to_xlsx, "hxl": to_hxl}
