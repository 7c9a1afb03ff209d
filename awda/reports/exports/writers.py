"""File writers of the exports, row by row with memory that does not grow with the rows, and the
private folder they write to.

* CSV: UTF-8 with a byte-order mark (so that Excel reads the accents), ISO dates. With a password
  the CSV is written straight into an AES-256 encrypted ZIP entry (pyzipper, WinZip AES: opens in
  7-Zip, WinZip, macOS Archive Utility with the password); the clear text never touches the disk.
* XLSX: XlsxWriter in constant-memory mode (each row is flushed to a temporary file as soon as the
  next one starts). With a password the finished workbook is encrypted with ECMA-376 agile
  encryption (msoffcrypto-tool; Excel and LibreOffice ask for the password), then the clear
  workbook is deleted. msoffcrypto-tool encrypts in memory, so a protected XLSX needs memory in
  proportion to the file: services caps its rows (AWDA_EXPORT_PROTECTED_XLSX_MAX_ROWS).

Text cells are never formulas: XLSX cells are written as strings, and a CSV cell that a
spreadsheet would read as a formula (starting with = + - @ or a tab) is prefixed with an
apostrophe (CSV injection).

Files live under MEDIA_ROOT/exports/, which is never served directly: downloads go through the
scoped, audited view."""

import contextlib
import csv
import datetime
import io
import os
import secrets
from pathlib import Path

import pyzipper
import xlsxwriter
from django.conf import settings
from django.utils.translation import gettext as _
from msoffcrypto.format.ooxml import OOXMLFile

from .choices import ExportFormat

FOLDER = "exports"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MIN_YEAR = 1900


def root() -> Path:
    path = Path(settings.MEDIA_ROOT) / FOLDER
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def new_name(job_id: int, extension: str) -> str:
    """A file name under MEDIA_ROOT that cannot be guessed from the job id."""
    return f"{FOLDER}/{job_id}-{secrets.token_hex(12)}.{extension}"


def path_of(name: str) -> Path:
    """The absolute path of a stored export; ValueError for a name outside the exports folder."""
    base = root().resolve()
    path = (Path(settings.MEDIA_ROOT) / name).resolve()
    if path.parent != base:
        raise ValueError("not an export file")
    return path


def _private_file(path: Path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "wb")


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class CsvWriter:
    def __init__(self, path: Path, *, password: str | None = None, entry: str = "cases.csv"):
        self.path = path
        self._zip = None
        self._file = _private_file(path)
        if password:
            self._zip = pyzipper.AESZipFile(
                self._file,
                "w",
                compression=pyzipper.ZIP_DEFLATED,
                encryption=pyzipper.WZ_AES,
            )
            self._zip.setpassword(password.encode())
            raw = self._zip.open(entry, "w", force_zip64=True)
        else:
            raw = self._file
        self._text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._text)

    def header(self, columns) -> None:
        self._csv.writerow([str(c.label) for c in columns])

    def write(self, rows) -> None:
        self._csv.writerows([csv_cell(v) for v in row] for row in rows)

    def close(self) -> None:
        self._text.close()
        if self._zip is not None:
            self._zip.close()
        self._file.close()

    def abort(self) -> None:
        for closing in (self._text.close, getattr(self._zip, "close", None), self._file.close):
            if closing:
                with contextlib.suppress(Exception):  # the partial file is deleted by the caller
                    closing()


class XlsxWriter:
    def __init__(self, path: Path, *, password: str | None = None, columns=()):
        self.path = path
        self.password = password
        self.plain = path.with_name(path.name + ".plain") if password else path
        _private_file(self.plain).close()  # created private; XlsxWriter then rewrites it
        self.book = xlsxwriter.Workbook(
            str(self.plain),
            {
                "constant_memory": True,
                "tmpdir": str(root()),
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.sheet = self.book.add_worksheet(_("Cases")[:31])
        self.bold = self.book.add_format({"bold": True})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.kinds = [c.kind for c in columns]
        for i, column in enumerate(columns):
            self.sheet.set_column(i, i, column.width)
        self.sheet.freeze_panes(1, 0)
        self.row = 0
        self._book_closed = False

    def header(self, columns) -> None:
        for i, column in enumerate(columns):
            self.sheet.write_string(0, i, str(column.label), self.bold)
        self.row = 1

    def write(self, rows) -> None:
        sheet, date_format, kinds = self.sheet, self.date, self.kinds
        for values in rows:
            r = self.row
            for c, value in enumerate(values):
                if value is None or value == "":
                    continue
                kind = kinds[c]
                if kind == "date":
                    if value.year >= EXCEL_MIN_YEAR:
                        sheet.write_datetime(r, c, value, date_format)
                    else:
                        sheet.write_string(r, c, value.isoformat())
                elif kind == "int":
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
            self.row = r + 1

    def close(self) -> None:
        if self.row > 1:
            self.sheet.autofilter(0, 0, self.row - 1, len(self.kinds) - 1)
        self._book_closed = True
        self.book.close()
        if self.password:
            try:
                with open(self.plain, "rb") as clear, _private_file(self.path) as out:
                    OOXMLFile(clear).encrypt(self.password, out)
            finally:
                self.plain.unlink(missing_ok=True)

    def abort(self) -> None:
        if not self._book_closed:
            self._book_closed = True
            with contextlib.suppress(Exception):  # the partial file is deleted by the caller
                self.book.close()
        if self.password:
            self.plain.unlink(missing_ok=True)


def open_writer(fmt: str, path: Path, *, password: str | None, columns):
    if fmt == ExportFormat.XLSX:
        return XlsxWriter(path, password=password, columns=columns)
    return CsvWriter(path, password=password)


def extension(fmt: str, *, protected: bool) -> str:
    if fmt == ExportFormat.CSV and protected:
        return "zip"
    return str(fmt)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
