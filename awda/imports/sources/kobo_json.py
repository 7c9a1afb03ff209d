"""KoboToolbox submissions as the API returns them (JSON, one dict per submission).

Keys are the questions' paths with their groups ("group_person/given_name"); a repeat group is a
list of dicts under its path ("group_members" or "group_household/group_members"), each dict keyed
by the full path of its questions ("group_members/member_name"). The repeat group is named after
the last part of its path, as the sheets of a Kobo XLSX export are, so one mapping serves both.
Kobo's own fields (_id, _uuid, _submission_time, ...) are kept as columns; lists of values
(_tags, _geolocation) become text; attachments, notes and the validation status are left out.
The row number of a submission is its `_id` (what Kobo shows), else its position.
"""

from django.utils.translation import gettext as _

from .. import limits
from ..contract import SourceError, SourceRow, Table
from ._gc import gc_paused
from .keys import KEY_COLUMNS, clean_uuid, hash_texts

_LEFT_OUT = {"_attachments", "_notes", "_validation_status"}


def _is_repeat(key: str, value) -> bool:
    return (
        not key.startswith("_")
        and isinstance(value, list)
        and bool(value)
        and all(isinstance(x, dict) for x in value)
    )


def _scalar(value):
    if isinstance(value, list):
        if all(not isinstance(x, list | dict) for x in value):
            return " ".join(str(x) for x in value if x is not None)
        return None
    if isinstance(value, dict):
        return None
    return value


def kobo_key(values: dict) -> str:
    for k in KEY_COLUMNS:
        key = clean_uuid(values.get(k))
        if key:
            return key
    return ""


def read_kobo_json(submissions, *, name: str = "") -> Table:
    with gc_paused():
        return _read_kobo_json(submissions, name)


def _read_kobo_json(submissions, name: str) -> Table:
    if isinstance(submissions, dict):  # a whole API page
        submissions = submissions.get("results") or []
    columns: dict = {}
    child_columns: dict = {}
    rows = []
    most_rows = limits.max_rows()
    most_columns = limits.max_columns()
    cells = 0
    most_cells = limits.max_cells()
    for position, sub in enumerate(submissions, start=1):
        if position > most_rows:
            raise limits.too_many_rows(1)
        if not isinstance(sub, dict):
            raise SourceError(
                _("Submission %(n)s is not a Kobo submission (an object was expected).")
                % {"n": position}
            )
        values = {}
        children = {}
        for k, v in sub.items():
            if k in _LEFT_OUT:
                continue
            if _is_repeat(k, v):
                group = k.rsplit("/", 1)[-1]
                cols = child_columns.setdefault(group, {})
                kids = []
                for child in v:
                    item = {}
                    for ck, cv in child.items():
                        cv = _scalar(cv)
                        if cv is not None or not isinstance(child[ck], list | dict):
                            item[ck] = cv
                            if ck not in cols:
                                cols[ck] = None
                                if len(cols) > most_columns:
                                    limits.check_columns(len(cols), group)
                    kids.append(item)
                children.setdefault(group, []).extend(kids)
                continue
            v = _scalar(v)
            if v is None and isinstance(sub[k], list | dict):
                continue
            values[k] = v
            if k not in columns:
                columns[k] = None
                if len(columns) > most_columns:
                    limits.check_columns(len(columns))
        cells += len(values)
        if cells > most_cells:
            raise limits.too_many_cells()
        number = sub.get("_id")
        if not isinstance(number, int) or isinstance(number, bool):
            number = position
        key = kobo_key(values) or hash_texts(
            [f"{k}={'' if v is None else v}" for k, v in sorted(values.items())]
        )
        rows.append(SourceRow(number, key, values, children))
    return Table(
        list(columns),
        {g: list(c) for g, c in child_columns.items()},
        rows,
        source_name=name,
        kind="kobo",
    )
