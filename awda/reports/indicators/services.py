"""The one write of the indicators: a download is recorded in the audit trail (which indicator,
which format, which filters: codes and ids, never personal data)."""

from dataclasses import dataclass

from django.db import transaction

from awda.audit.services import audit_record
from awda.core.errors import ValidationFailed

from . import downloads
from .base import Filters
from .registry import compute
from .suppression import min_cell, suppress

INDICATOR_EXPORTED = "reports.indicator.exported"


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str
    rows: int


def indicator_export(user, *, code: str, fmt: str, filters: Filters) -> Export:
    """The indicator `code` computed for `user` (the same selector as the dashboard and the
    API) as a CSV, XLSX or HXL file, and its audit event. The HXL file has its small cells
    suppressed (AWDA_HXL_MIN_CELL)."""
    if fmt not in downloads.FORMATS:
        raise ValidationFailed(fields={"format": [f"csv, xlsx or hxl, not {fmt!r}"]})
    table = compute(code, user, filters)
    changes = {"indicator": code, "format": fmt, "filters": table.filters.as_params()}
    if fmt == "hxl":
        k = min_cell()
        table = suppress(table, k)
        changes["min_cell"] = k
    content = downloads.RENDERERS[fmt](table)
    changes["rows"] = len(table.rows)
    with transaction.atomic():
        audit_record(
            user,
            action=INDICATOR_EXPORTED,
            object_type="reports.indicator",
            object_id=code,
            object_repr=code,
            changes=changes,
        )
    return Export(
        content=content,
        filename=downloads.filename(table, fmt),
        content_type=downloads.content_type(fmt),
        rows=len(table.rows),
    )
