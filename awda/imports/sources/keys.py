"""Stable row keys: what makes re-importing the same file or submissions create nothing twice.

- Kobo submissions (API JSON, XLSX and CSV exports): the submission's uuid, from the first of
  `meta/rootUuid` (stays the same when the submission is edited in Kobo), `_uuid`,
  `meta/instanceID`, with the "uuid:" prefix removed. The same submission has the same key whichever
  way it is fetched, so an XLSX export imported after an API pull of the same form adds nothing.
- Other rows: "h:" + a 20-hex-digit BLAKE2b hash of the row's cell values in column order (empty
  cells included, so the position of each value counts; the row number and file name are not part
  of it). Importing the same file again, or the same rows in another order or another file, gives
  the same keys; a row whose values were edited gets a new key and is imported as a new case. Two
  identical rows in one file have the same key: the second is refused as a duplicate.
- When the mapping maps a column to "case.key" (a case or file number the user trusts), that
  column's value is the key instead (validate.py); an empty cell falls back to the row's own key.
"""

import datetime
import hashlib

KEY_COLUMNS = ("meta/rootUuid", "_uuid", "meta/instanceID")
_SEP = "\x1f"


def key_column_positions(columns: list) -> list:
    """Indexes of the Kobo uuid columns in `columns`, in order of preference ("." as the group
    separator, as in some Kobo CSV exports, is accepted)."""
    normal = [c.replace(".", "/") if isinstance(c, str) else c for c in columns]
    return [normal.index(k) for k in KEY_COLUMNS if k in normal]


def clean_uuid(value) -> str:
    text = str(value).strip() if value is not None else ""
    if text[:5].lower() == "uuid:":
        text = text[5:].strip()
    return text


def hash_texts(texts) -> str:
    """Key of a row of text cells (CSV)."""
    digest = hashlib.blake2b(_SEP.join(texts).encode("utf-8", "surrogatepass"), digest_size=10)
    return "h:" + digest.hexdigest()


def cell_text(value) -> str:
    if value is None:
        return ""
    if value.__class__ is str:
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value)


def hash_values(values) -> str:
    """Key of a row of typed cells (XLSX, JSON)."""
    return hash_texts([cell_text(v) for v in values])
