"""The rejected-rows file of an import in "valid rows only" mode: the rows that were not
imported, with their original columns, in the format of the uploaded file (CSV for a CSV, XLSX
otherwise: an XLSX upload or Kobo submissions), plus an "errors" column saying what is wrong
("field (column): message; ..."). Household members (a repeat group) go to a sheet of their own
in an XLSX file, each with the row number of its case; a CSV holds the main rows only.

The user corrects the file and uploads it again: the rows imported meanwhile are skipped, so the
corrected rows are the only ones created. Text cells are never formulas or links: in a CSV a
text starting with = + - @ (or a tab, a carriage return) gets a leading ' (CSV injection), the
header row too; an XLSX cell is written as a plain string (no ' needed: it is never read as a
formula, a number or a hyperlink). Sheet names come from the repeat groups: made valid for Excel
and unique."""

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


SHEET_NAME_MAX = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = "[]:*?/\\"


def _cell(value):
    """A CSV cell: a text that a spreadsheet would run as a formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text(value) -> str:
    """An XLSX cell's text (written with write_string: never a formula, number or link)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def sheet_title(name, taken: set) -> str:
    """A sheet name Excel accepts, from a repeat group's name: without []:*?/\\, not starting or
    ending with ', at most 31 characters, and not one of `taken` (compared as Excel does,
    ignoring case; the name is added to it)."""
    title = "".join("_" if c in SHEET_NAME_FORBIDDEN else c for c in str(name or ""))
    title = "".join(c for c in title if c.isprintable()).strip().strip("'")
    title = _last(title, SHEET_NAME_MAX).strip().strip("'") or "group"
    candidate, n = title, 2
    while candidate.casefold() in taken or candidate.casefold() == "history":  # Excel's own
        suffix = f" ({n})"
        candidate = _last(title[::-1], SHEET_NAME_MAX - len(suffix))[::-1] + suffix
        n += 1
    taken.add(candidate.casefold())
    return candidate


def _last(text: str, size: int) -> str:
    """The end of `text` that fits in `size` UTF-16 code units (how Excel counts a name)."""
    out = []
    used = 0
    for c in reversed(text):
        used += 2 if ord(c) > 0xFFFF else 1
        if used > size:
            break
        out.append(c)
    return "".join(reversed(out))


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
            self._csv.writerow([_cell(c) for c in (*self.columns, self.errors_header)])
        else:
            # As awda.reports.exports.writers: a text is never turned into a formula, a number
            # or a hyperlink (xlsxwriter's default makes "external:\\host\\x.exe" a link).
            self._book = xlsxwriter.Workbook(
                str(self.part),
                {
                    "constant_memory": True,
                    "strings_to_numbers": False,
                    "strings_to_formulas": False,
                    "strings_to_urls": False,
                },
            )
            taken: set = set()
            self._sheet = self._book.add_worksheet(sheet_title(_("Rows"), taken))
            self._write(self._sheet, 0, [*self.columns, self.errors_header])
            self._children = {}
            for group, cols in (child_columns or {}).items():
                sheet = self._book.add_worksheet(sheet_title(group, taken))
                self._write(sheet, 0, [ROW_COLUMN, *cols])
                self._children[group] = [sheet, list(cols), 1]

    def _errors_header(self) -> str:
        header = "errors"
        while header in self.columns:
            header = "_" + header
        return header

    @staticmethod
    def _write(sheet, row: int, values) -> None:
        for col, value in enumerate(values):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(row, col, value)
                continue
            text = _text(value)
            if text:
                sheet.write_string(row, col, text)

    def add(self, row, errors) -> None:
        self.count += 1
        if self.fmt == "csv":
            values = [_cell(row.values.get(c)) for c in self.columns]
            values.append(describe(errors))
            self._csv.writerow(values)
            return
        values = [_text(row.values.get(c)) for c in self.columns]
        values.append(describe(errors))
        self._write(self._sheet, self.count, values)
        for group, children in (row.children or {}).items():
            entry = self._children.get(group)
            if entry is None:
                continue
            sheet, cols, next_row = entry
            for child in children:
                self._write(sheet, next_row, [row.number, *(_text(child.get(c)) for c in cols)])
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
