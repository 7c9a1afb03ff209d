"""The size limits of what an import reads, so that a hostile or broken file (or Kobo server)
cannot exhaust the memory: they are checked while reading, and reading stops at the first one
passed with a SourceError that names the limit and its setting.

    AWDA_IMPORT_MAX_ROWS      rows of a file or sheet, Kobo submissions (default 1,000,000)
    AWDA_IMPORT_MAX_COLUMNS   columns of a file, sheet or repeat group (default 1,000)
    AWDA_IMPORT_MAX_CELLS     rows x columns of the main rows (default 25,000,000): every row is
                              kept with a value for each column, so a short line under a wide
                              header costs as much as a full one
    XLSX                      the uncompressed XML of a workbook: at most 20 x the upload limit
                              (AWDA_IMPORT_MAX_UPLOAD_MB), checked before the workbook is opened
    Kobo pull                 the bytes read from the server: at most the upload limit
"""

from django.conf import settings
from django.utils.translation import gettext as _

from .contract import SourceError

XLSX_EXPANSION = 20  # the uncompressed XML of a workbook may be 20 times the upload limit


def max_rows() -> int:
    return int(getattr(settings, "AWDA_IMPORT_MAX_ROWS", 1_000_000))


def max_columns() -> int:
    return int(getattr(settings, "AWDA_IMPORT_MAX_COLUMNS", 1_000))


def max_cells() -> int:
    return int(getattr(settings, "AWDA_IMPORT_MAX_CELLS", 25_000_000))


def upload_mb() -> int:
    return int(getattr(settings, "AWDA_IMPORT_MAX_UPLOAD_MB", 50))


def max_xlsx_xml_bytes() -> int:
    return XLSX_EXPANSION * upload_mb() * 1_048_576


def max_kobo_bytes() -> int:
    return upload_mb() * 1_048_576


def row_limit(width: int) -> int:
    """The most rows a table `width` columns wide may have (the row and the cell limits)."""
    return min(max_rows(), max_cells() // max(width, 1))


def too_many_rows(width: int) -> SourceError:
    """The error for a table `width` columns wide that has more rows than row_limit(width)."""
    if max_cells() // max(width, 1) < max_rows():
        return too_many_cells()
    return SourceError(
        _(
            "The file has more than %(n)s rows: it is not imported. Split it, or ask the "
            "administrator to raise AWDA_IMPORT_MAX_ROWS."
        )
        % {"n": max_rows()},
        code="import_too_large",
    )


def too_many_cells() -> SourceError:
    return SourceError(
        _(
            "The file has more than %(n)s values (rows x columns): it is not imported. "
            "Split it, or ask the administrator to raise AWDA_IMPORT_MAX_CELLS."
        )
        % {"n": max_cells()},
        code="import_too_large",
    )


def check_columns(count: int, group: str = "") -> None:
    """Refuse a header of more than AWDA_IMPORT_MAX_COLUMNS columns (of the file, or of the
    sheet or repeat group `group`)."""
    limit = max_columns()
    if count <= limit:
        return
    if group:
        message = _(
            'The sheet or repeat group "%(group)s" has more than %(n)s columns: the file is not '
            "imported. Ask the administrator to raise AWDA_IMPORT_MAX_COLUMNS if they are all "
            "needed."
        ) % {"group": group, "n": limit}
    else:
        message = _(
            "The file has more than %(n)s columns: it is not imported. Ask the administrator "
            "to raise AWDA_IMPORT_MAX_COLUMNS if they are all needed."
        ) % {"n": limit}
    raise SourceError(message, code="import_too_large")
