"""Readers: a file or Kobo submissions -> Table (see contract.py)."""

import json
import os

from django.utils.translation import gettext as _

from ..contract import SourceError, Table
from .delimited import decode, read_csv
from .kobo_json import read_kobo_json
from .xlsx import read_xlsx

__all__ = ["read", "read_csv", "read_kobo_json", "read_xlsx"]

_CSV = {".csv", ".txt", ".tsv", ".tab"}
_XLSX = {".xlsx", ".xlsm"}


def read(fileobj, filename: str) -> Table:
    """Read an uploaded file by its extension, or by its content when the extension says nothing:
    XLSX (a zip), Kobo JSON (a list of submissions or an API page), else CSV."""
    ext = os.path.splitext(filename or "")[1].lower()
    name = os.path.basename(filename or "")
    if ext in _XLSX:
        return read_xlsx(fileobj, name=name)
    if ext in _CSV:
        return read_csv(fileobj, name=name)
    if ext in (".xls", ".ods"):
        raise SourceError(
            _("%(ext)s files cannot be read: save the file as XLSX or CSV and upload it again.")
            % {"ext": ext}
        )
    head = fileobj.read(4)
    fileobj.seek(0)
    if isinstance(head, bytes) and head.startswith(b"PK\x03\x04"):
        return read_xlsx(fileobj, name=name)
    if ext == ".json" or (head or b"").lstrip()[:1] in (b"[", b"{", "[", "{"):
        data = fileobj.read()
        try:
            text = data if isinstance(data, str) else decode(data)[0]
            submissions = json.loads(text)
        except ValueError as e:
            raise SourceError(_("The file is not valid JSON (%(error)s).") % {"error": e}) from None
        if not isinstance(submissions, list | dict):
            raise SourceError(_("The JSON file holds no Kobo submissions."))
        return read_kobo_json(submissions, name=name)
    return read_csv(fileobj, name=name)
