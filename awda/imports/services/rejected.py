"""The rejected-rows file of an import in "valid rows only" mode: the rows that were not
imported, with their original columns, in the format of the uploaded file (CSV for a CSV, XLSX
otherwise: an XLSX upload or Kobo submissions), plus an "errors" column saying what is wrong
("field (column): message; ..."). Household members (a repeat group) go to a sheet of their own
in an XLSX file, each with the row number of its case; a CSV holds the main rows only.

The user corrects the file and uploads it again: the rows imported meanwhile are skipped, so the
corrected rows are the only ones created. Text cells are never formulas (CSV injection)."""

import contextlib
import csv
import datetime
import io
from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext as _

from .. import storage

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ROW_COLUMN = "_row"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def describe(errors) -> str:
    parts = []
    for e in errors:
        where = e.field + (f" ({e.column})" if e.column else "")
        parts.append(f"{where}: {e.message}")
    return "; ".join(parts)


class RejectedWriter:
    """Written row by row to a temporary file; `finish` moves it in place, `abort` deletes it."""

    def __init__(self, *, fmt: str, columns: list, child_columns: dict):
        self.fmt = "csv" if fmt == "csv" else "xlsx"
        self.name = storage.new_name("rejected", self.fmt)
        self.path = storage.path_of(self.name)
        self.part = self.path.with_name(self.path.name + ".part")
        self.columns = list(columns)
        self.errors_header = self._errors_header()
        self.count = 0
        if self.fmt == "csv":
            self._raw = storage.private_file(self.part)
            self._raw.write(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
            self._text = io.TextIOWrapper(self._raw, encoding="utf-8", newline="")
            self._csv = csv.writer(self._text)
            self._csv.writerow([*self.columns, self.errors_header])
        else:
            self._book = xlsxwriter.Workbook(
                str(self.part), {"constant_memory": True, "strings_to_formulas": False}
            )
            self._sheet = self._book.add_worksheet(_("Rows")[:31])
            self._sheet.write_row(0, 0, [*self.columns, self.errors_header])
            self._children = {}
            for group, cols in (child_columns or {}).items():
                title = str(group).replace("/", "_")[-31:] or "group"
                sheet = self._book.add_worksheet(title)
                sheet.write_row(0, 0, [ROW_COLUMN, *cols])
                self._children[group] = [sheet, list(cols), 1]

    def _errors_header(self) -> str:
        header = "errors"
        while header in self.columns:
            header = "_" + header
        return header

    def add(self, row, errors) -> None:
        values = [_cell(row.values.get(c)) for c in self.columns]
        values.append(describe(errors))
        self.count += 1
        if self.fmt == "csv":
            self._csv.writerow(values)
            return
        self._sheet.write_row(self.count, 0, [str(v) if v != "" else v for v in values])
        for group, children in (row.children or {}).items():
            entry = self._children.get(group)
            if entry is None:
                continue
            sheet, cols, next_row = entry
            for child in children:
                sheet.write_row(
                    next_row, 0, [row.number, *(str(_cell(child.get(c))) for c in cols)]
                )
                next_row += 1
            entry[2] = next_row

    def finish(self) -> str:
        """Close the file and put it in place; returns its stored name."""
        if self.fmt == "csv":
            self._text.close()
        else:
            self._book.close()
        Path(self.part).replace(self.path)
        return self.name

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # the file is deleted anyway
            if self.fmt == "csv":
                self._text.close()
            else:
                self._book.close()
        self.part.unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)
