"""Helpers shared by the import services: the job's table and mapping, validation paired with
the source rows, the keys imported before, the job's language."""

import contextlib
import logging
from collections.abc import Iterator

from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from awda.core.errors import ApplicationError, ValidationFailed

from ..contract import CaseRecord, Mapping, RowError, SourceRow, Table
from ..models import ImportedRecord, ImportJob
from .rows import row_key

logger = logging.getLogger(__name__)

KEY_BATCH = 5000


# The last tables read, in this process (a preview and the import that follows it read the same
# file; an XLSX takes seconds to parse). Only tables up to CACHE_MAX_ROWS are kept.
_TABLES: dict = {}
CACHE_TABLES = 2
CACHE_MAX_ROWS = 50_000


def load_table(job: ImportJob) -> Table:
    """Parse the job's stored file (awda.imports.sources.read)."""
    from .. import storage
    from ..sources import read

    cache_key = (job.file_path, job.sha256)
    if cache_key in _TABLES:
        return _TABLES[cache_key]
    try:
        path = storage.path_of(job.file_path)
        with open(path, "rb") as handle:
            table = read(handle, job.file_name)
    except ApplicationError:
        raise
    except (OSError, ValueError):
        raise ValidationFailed(
            _("The file of this import is no longer available: upload it again."),
            code="import_file_missing",
        ) from None
    remember_table(job.file_path, job.sha256, table)
    return table


def remember_table(file_path: str, sha256: str, table: Table) -> None:
    if len(table.rows) > CACHE_MAX_ROWS:
        return
    while len(_TABLES) >= CACHE_TABLES:
        _TABLES.pop(next(iter(_TABLES)))
    _TABLES[(file_path, sha256)] = table


def job_mapping(job: ImportJob) -> Mapping:
    from ..mapping import mapping_from_json

    return mapping_from_json(job.mapping or {})


def checked(table: Table, mapping: Mapping, today) -> Iterator[tuple[SourceRow, object]]:
    """(source row, CaseRecord or list of RowError) for every non-empty row, in file order
    (validate skips the empty rows; the others are paired with their source row by number)."""
    from ..validate import validate

    rows = iter(table.rows)
    for result in validate(table, mapping, today=today):
        if isinstance(result, CaseRecord):
            number = result.row
        else:
            result = list(result)
            number = result[0].row
        for row in rows:
            if row.number == number:
                break
        else:  # pragma: no cover - validate yields rows of the table, in order
            raise RuntimeError(f"validate returned row {number}, not in the table's order")
        if isinstance(result, CaseRecord):
            problems = extra_problems(row, result, mapping)
            yield row, (problems or result)
        else:
            yield row, result


def extra_problems(row: SourceRow, record: CaseRecord, mapping: Mapping) -> list[RowError]:
    """What the database needs beyond the validation of the values: a country of return (the
    principal's nationality when not given, as case_register does)."""
    if record.country_of_return or (record.principal.get("nationality") or ""):
        return []
    column = mapping.columns.get("case.country_of_return") or mapping.columns.get(
        "principal.nationality", ""
    )
    return [
        RowError(
            row=row.number,
            field="case.country_of_return",
            column=column or "",
            message=_("Give the country of return, or the principal applicant's nationality."),
        )
    ]


def existing_keys(mission_id: int, keys) -> set[str]:
    """The keys among `keys` imported before in the mission."""
    keys = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f'SELECT "key" FROM "{ImportedRecord._meta.db_table}" '  # noqa: S608
                    'WHERE "mission_id" = %s AND "key" = ANY(%s)',
                    [mission_id, batch],
                )
                found.update(r[0] for r in cursor.fetchall())
        else:
            found.update(
                ImportedRecord.objects.filter(mission_id=mission_id, key__in=batch).values_list(
                    "key", flat=True
                )
            )
    return found


def record_key(row: SourceRow, result) -> str:
    if isinstance(result, CaseRecord) and result.key:
        return row_key(result.key)
    return row_key(row.key)


def error_dict(e: RowError) -> dict:
    return {
        "row": e.row,
        "field": e.field,
        "column": e.column,
        "message": str(e.message),
        "value": str(e.value or "")[:200],
    }


@contextlib.contextmanager
def job_language(job: ImportJob):
    with translation.override(job.language or None):
        yield
