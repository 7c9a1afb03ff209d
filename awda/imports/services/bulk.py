"""Bulk inserts inside the import's transaction, with ids reserved beforehand so that rows of
several tables can reference each other before any of them is written.

* PostgreSQL: ids come from the tables' own sequences (`nextval` over `generate_series`, so a
  concurrent registration never gets the same id), rows are sent with COPY in PostgreSQL's text
  format (psycopg 3 `cursor.copy`). The text of a row is produced by a small function generated
  once per table from the model's fields (see `_row_formatter`): no per-value type dispatch.
* Other databases (SQLite): ids are taken above the table's largest id and its AUTOINCREMENT
  counter (safe: SQLite lets one writer at a time, and the import holds the write lock for its
  whole transaction), rows are written with `bulk_create`.

Either way the same rows, with the same values, are written in the caller's transaction: a
failure anywhere rolls all of them back."""

import datetime
import json

from django.db import connection, models

# PostgreSQL COPY text format: backslash, tab, newline and carriage return are escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def copy_text(value) -> str:
    """One value in COPY text format (used for the constant columns, formatted once)."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value).translate(_ESCAPES)
    return str(value).translate(_ESCAPES)


def _expression(field, i: int) -> str:
    """A Python expression producing column i of a row tuple `r` as COPY text."""
    v = f"r[{i}]"
    if isinstance(field, models.BooleanField):
        expr = f"('t' if {v} else 'f')"
    elif isinstance(field, models.JSONField):
        expr = f"_dumps({v}).translate(_E)"
    elif isinstance(field, models.DateField):  # DateTimeField too
        expr = f"{v}.isoformat()"
    elif isinstance(field, models.CharField | models.TextField | models.GenericIPAddressField):
        expr = f"{v}.translate(_E)"
    else:  # integers, foreign keys
        expr = f"str({v})"
    if field.null:
        return f"(_N if {v} is None else {expr})"
    return expr


class Table:
    """A model's table as the import writes it: `columns` (attnames) given per row, in this
    order, the rest constant for the whole import (`constants`, else the field's default, or
    `now` for auto_now/auto_now_add fields). Without "id" in `columns`, the database gives the
    ids (for rows nothing else in the import refers to)."""

    def __init__(self, model, columns: list[str], *, constants: dict | None = None, now=None):
        self.model = model
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in [*columns, *(constants or {})] if c not in fields]
        if unknown:
            raise ValueError(f"{self.name}: no column {unknown}")
        self.columns = list(columns)
        self.constants = {}
        for attname, f in fields.items():
            if attname in self.columns or (f.primary_key and attname not in (constants or {})):
                continue  # an id not given is the database's (its sequence, at insert)
            if constants and attname in constants:
                value = constants[attname]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif f.has_default() or not f.null:
                value = f.get_default()  # "" for text columns without a default
            else:
                value = None
            self.constants[attname] = value
        self.fields = fields
        self._format = None

    # -- PostgreSQL ----------------------------------------------------------------------------

    def copy_statement(self) -> str:
        cols = ", ".join(
            f'"{self.fields[a].column}"' for a in [*self.columns, *self.constants.keys()]
        )
        return f'COPY "{self.name}" ({cols}) FROM STDIN'

    def formatter(self):
        """row tuple -> its line of COPY text (generated once: an f-string over the columns)."""
        if self._format is None:
            tail = "".join("\t" + copy_text(v) for v in self.constants.values())
            parts = ", ".join(_expression(self.fields[a], i) for i, a in enumerate(self.columns))
            source = f"def fmt(r):\n    return _TAB.join(({parts},)) + _TAIL\n"
            namespace = {
                "_E": _ESCAPES,
                "_N": NULL,
                "_TAB": "\t",
                "_dumps": json.dumps,
                "_TAIL": tail + "\n",
            }
            exec(compile(source, f"<copy {self.name}>", "exec"), namespace)  # noqa: S102
            self._format = namespace["fmt"]
        return self._format

    # -- other databases ------------------------------------------------------------------------

    def instances(self, rows):
        model, columns, constants = self.model, self.columns, self.constants
        return [model(**constants, **dict(zip(columns, r, strict=True))) for r in rows]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model, count: int) -> list[int]:
    """`count` new ids for `model`'s table, in increasing order, inside the current transaction."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [f'"{table}"', pk, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')  # noqa: S608
        top = cursor.fetchone()[0]
        try:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
        except Exception:  # noqa: BLE001 - no AUTOINCREMENT table on this database
            row = None
        first = max(top, row[0] if row else 0) + 1
        return list(range(first, first + count))


def write(table: Table, rows: list[tuple]) -> None:
    """Insert `rows` (tuples in `table.columns` order) in the current transaction."""
    if not rows:
        return
    if is_postgresql():
        fmt = table.formatter()
        statement = table.copy_statement()
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
            with raw.copy(statement) as copy:
                buffer = []
                size = 0
                for r in rows:
                    line = fmt(r)
                    buffer.append(line)
                    size += len(line)
                    if size > 1 << 20:
                        copy.write("".join(buffer))
                        buffer, size = [], 0
                if buffer:
                    copy.write("".join(buffer))
        return
    table.model.objects.bulk_create(table.instances(rows), batch_size=500)
