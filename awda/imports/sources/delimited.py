"""CSV and other delimited text: encoding and delimiter detected, the first non-empty line is the
header, row numbers are the record numbers a spreadsheet shows (header = row 1).

Kobo CSV exports are read here too (";" or "," separated, group prefixes with "/" or "." kept in the
column names). A CSV export cannot hold repeat groups: Kobo leaves them out of CSV, so household
members come only from XLSX exports or the API.
"""

import csv
import io

from django.utils.translation import gettext as _

from .. import limits
from ..contract import SourceError, SourceRow, Table
from ._gc import gc_paused
from .keys import clean_uuid, hash_texts, key_column_positions

DELIMITERS = (",", ";", "\t", "|")
csv.field_size_limit(10 * 1024 * 1024)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding: a BOM decides (UTF-8, UTF-16); else UTF-8 if it decodes, else
    Windows-1252 (Excel's "CSV" on French Windows), else Latin-1 (which decodes anything)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that occurs most often outside quotes on the first non-empty line."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    started = False
    for ch in text[:65536]:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in "\r\n":
                if started:
                    break
                continue
            started = True
            if ch in counts:
                counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: "," first
    return best if counts[best] else ","


def unique_columns(header: list) -> list:
    """Column names: stripped, an empty one named after its position, repeats numbered."""
    out = []
    seen = set()
    for i, raw in enumerate(header, start=1):
        name = (str(raw).strip() if raw is not None else "") or _("column %(n)s") % {"n": i}
        candidate, n = name, 2
        while candidate in seen:
            candidate = f"{name} ({n})"
            n += 1
        seen.add(candidate)
        out.append(candidate)
    return out


def read_csv(fileobj, *, name: str = "") -> Table:
    with gc_paused():
        return _read_csv(fileobj, name)


def _read_csv(fileobj, name: str) -> Table:
    data = fileobj.read()
    text = data if isinstance(data, str) else decode(data)[0]
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = None
    rows = []
    append = rows.append
    longer = 0
    try:
        for number, record in enumerate(reader, start=1):
            if columns is None:
                if any(c.strip() for c in record):
                    limits.check_columns(len(record))
                    columns = unique_columns(record)
                    width = len(columns)
                    keys = key_column_positions(columns)
                    most = limits.row_limit(width)
                continue
            for cell in record:  # skip rows with no value at all (usually stops at once)
                if cell and not cell.isspace():
                    break
            else:
                continue
            if len(record) != width:
                if len(record) > width:
                    longer += any(c.strip() for c in record[width:])
                record = (record + [""] * width)[:width]
            key = ""
            for i in keys:
                key = clean_uuid(record[i])
                if key:
                    break
            if not key:
                key = hash_texts(record)
            if len(rows) == most:
                raise limits.too_many_rows(width)
            append(SourceRow(number, key, dict(zip(columns, record, strict=True))))
    except csv.Error as e:
        raise SourceError(
            _("Line %(line)s of the file cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": e}
        ) from None
    if columns is None:
        raise SourceError(_("The file is empty: no header row was found."))
    warnings = []
    if longer:
        warnings.append(
            _("%(n)s rows have values beyond the last named column; those values were not read.")
            % {"n": longer}
        )
    return Table(columns, {}, rows, source_name=name, kind="csv", warnings=warnings)
