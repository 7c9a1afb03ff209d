"""XLSX workbooks, including KoboToolbox XLSX exports.

The first sheet holds the main rows (its first non-empty row is the header; row numbers are the
sheet's). A Kobo export puts each repeat group in a sheet of its own, named after the group: its
rows carry `_parent_index` (the `_index` of the main-sheet row they belong to) and
`_parent_table_name` (the main sheet's name), and `_submission__uuid`. Those rows are attached to
their main row as SourceRow.children[sheet name]. Repeat groups nested in another repeat group are
not read (a warning says so); other sheets are ignored with a warning.

Cells are read as values (openpyxl read-only mode): text, numbers, datetimes for cells formatted as
dates (an unformatted date stays an Excel serial number, which dates.py reads).
"""

import zipfile
import zlib
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from .. import limits
from ..contract import SourceError, SourceRow, Table
from ._gc import gc_paused
from .delimited import unique_columns
from .keys import clean_uuid, hash_values, key_column_positions


def _rows(ws):
    """(row number, cells) for the sheet's non-empty rows, and the header first."""
    ws.reset_dimensions()  # Kobo and other writers leave a wrong or no <dimension>
    for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
        for c in cells:
            if c is not None and (c.__class__ is not str or (c and not c.isspace())):
                yield number, cells
                break


def _read_sheet(ws, group: str = ""):
    """(columns, [(row number, cells)]) of a sheet; refused past the row or column limits (the
    first sheet's columns are "the file's", another sheet is named)."""
    rows = _rows(ws)
    first = next(rows, None)
    if first is None:
        return None, []
    header = first[1]
    if len(header) > limits.max_columns():  # trailing empty cells do not count
        last = len(header)
        while last and header[last - 1] in (None, ""):
            last -= 1
        limits.check_columns(last, group)
        header = header[:last]
    columns = unique_columns(header)
    width = len(columns)
    most = limits.row_limit(width)
    out = []
    for number, cells in rows:
        if len(out) == most:
            raise limits.too_many_rows(width)
        n = len(cells)
        if n < width:
            cells = (*cells, *((None,) * (width - n)))
        elif n > width:
            cells = cells[:width]
        out.append((number, cells))
    return columns, out


def _index_key(value):
    """Kobo's _index / _parent_index: 3, 3.0 or "3" are the same row."""
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return str(value)


def read_xlsx(fileobj, *, name: str = "") -> Table:
    with gc_paused():
        return _read_xlsx(fileobj, name)


def _unreadable(error) -> SourceError:
    return SourceError(
        _("The file is not a readable XLSX workbook (%(error)s).") % {"error": error}
    )


def _check_unzipped_size(fileobj) -> None:
    """Refuse a workbook whose XML would be too large once unzipped (a "zip bomb": a small file
    that openpyxl would inflate into gigabytes), from the sizes the zip declares, before
    openpyxl reads it. zipfile never inflates a member beyond its declared size (it stops there
    and the CRC check fails), so the declared sizes are a bound."""
    with zipfile.ZipFile(fileobj) as archive:  # a file object passed in is not closed
        total = sum(max(info.file_size, 0) for info in archive.infolist())
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    if total > limits.max_xlsx_xml_bytes():
        raise SourceError(
            _(
                "The workbook would take more than %(n)s MB once unzipped: it is not imported. "
                "Save it again from a spreadsheet program, split it, or ask the administrator "
                "to raise AWDA_IMPORT_MAX_UPLOAD_MB."
            )
            % {"n": limits.max_xlsx_xml_bytes() // 1_048_576},
            code="import_too_large",
        )


def _read_xlsx(fileobj, name: str) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # What a damaged workbook raises, opening it or (read-only mode reads the sheets as they are
    # iterated) reading its rows: a broken zip, deflate stream or XML.
    damaged = (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        EOFError,
        zlib.error,
        ElementTree.ParseError,
    )
    try:
        _check_unzipped_size(fileobj)
        wb = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except damaged as e:
        raise _unreadable(e) from None
    try:
        return _read_workbook(wb, name)
    except damaged as e:
        raise _unreadable(e) from None
    finally:
        wb.close()


def _read_workbook(wb, name: str) -> Table:
    sheets = wb.worksheets
    if not sheets:
        raise SourceError(_("The workbook has no sheet."))
    main = sheets[0]
    columns, cells = _read_sheet(main)
    if columns is None:
        raise SourceError(_("The first sheet is empty: no header row was found."))
    keys = key_column_positions(columns)
    rows = []
    for number, values in cells:
        key = ""
        for i in keys:
            key = clean_uuid(values[i])
            if key:
                break
        rows.append(
            SourceRow(number, key or hash_values(values), dict(zip(columns, values, strict=True)))
        )
    table = Table(columns, {}, rows, source_name=name, kind="xlsx")
    for ws in sheets[1:]:
        _attach_repeat(table, ws, main.title)
    return table


def _attach_repeat(table: Table, ws, main_title: str) -> None:
    columns, cells = _read_sheet(ws, ws.title)
    if columns is None:
        return
    if "_parent_index" not in columns and "_submission__uuid" not in columns:
        table.warnings.append(
            _(
                'Sheet "%(sheet)s" was not read: only the first sheet and Kobo repeat-group sheets are.'
            )
            % {"sheet": ws.title}
        )
        return
    group = ws.title
    if "_parent_table_name" in columns:
        parents = {r[1][columns.index("_parent_table_name")] for r in cells[:1000]}
        if parents and parents != {main_title}:
            table.warnings.append(
                _(
                    'Sheet "%(sheet)s" is a repeat group inside another repeat group; '
                    "it was not read."
                )
                % {"sheet": ws.title}
            )
            return
    by_index = {}
    if "_index" in table.columns:
        by_index = {_index_key(r.values.get("_index")): r for r in table.rows}
    by_uuid = {}
    if "_uuid" in table.columns:
        by_uuid = {clean_uuid(r.values.get("_uuid")): r for r in table.rows}
    pi = columns.index("_parent_index") if "_parent_index" in columns else None
    su = columns.index("_submission__uuid") if "_submission__uuid" in columns else None
    table.child_columns[group] = columns
    orphans = 0
    for _number, values in cells:
        parent = None
        if pi is not None and by_index:
            parent = by_index.get(_index_key(values[pi]))
        if parent is None and su is not None and by_uuid:
            parent = by_uuid.get(clean_uuid(values[su]))
        if parent is None:
            orphans += 1
            continue
        parent.children.setdefault(group, []).append(dict(zip(columns, values, strict=True)))
    if orphans:
        table.warnings.append(
            _('%(n)s rows of sheet "%(sheet)s" belong to no row of the first sheet; not read.')
            % {"n": orphans, "sheet": ws.title}
        )
