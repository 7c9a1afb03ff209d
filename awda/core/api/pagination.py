"""Keyset ("seek") cursor pagination for every API list.

A page is the `page_size` rows that follow (or precede) a position in a fixed ordering. The
position is the values of the *whole* ordering tuple of the last (or first) row seen, always
ending with the unique `id`, and the next page is found with the lexicographic condition

    (a > a0) OR (a = a0 AND b > b0) OR (a = a0 AND b = b0 AND id > id0)

(with < for descending terms). So rows sharing the first ordering value (1,500 persons named
"Diallo", cases sorted by status) are each seen exactly once, at any depth, for the same cost per
page; rows added or removed meanwhile never shift the others. DRF's CursorPagination positions on
the first field only, with an offset capped at 1,000 within ties, and loops past that.

NULLs have a fixed place on every database: they sort as if larger than any value (after the
others in an ascending term, before them in a descending one), the PostgreSQL default, applied
explicitly so SQLite agrees.

The cursor is opaque to clients: URL-safe base64 of a small JSON document holding the position,
the direction and the ordering it belongs to (a cursor of another sort is refused with 400). It is
not a secret: it carries the sort values of a row the client has already read.

Answers {"next": url|null, "previous": url|null, "results": [...]}; follow `next` (or `previous`).
`page_size` sets the page length (default 50, at most 200).
"""

import base64
import binascii
import datetime
import decimal
import json
import uuid
from functools import reduce

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

FORWARD, BACKWARD = "n", "p"
UNIQUE = "id"


class Term:
    """One term of an ordering: a field path (`principal__family_name`) and its direction."""

    def __init__(self, spec: str, *, nullable: bool = True):
        self.descending = spec.startswith("-")
        self.path = spec.lstrip("-")
        if self.path == "pk":
            self.path = UNIQUE
        self.nullable = nullable

    @property
    def spec(self) -> str:
        return ("-" if self.descending else "") + self.path

    def order_by(self, *, reverse: bool = False):
        """The ORDER BY expression; NULLs sort as the largest values."""
        descending = self.descending != reverse
        if descending:
            return F(self.path).desc(nulls_first=True)
        return F(self.path).asc(nulls_last=True)

    def after(self, value, *, reverse: bool = False) -> Q | None:
        """Rows strictly after `value` in this term's order (None: no row can be)."""
        descending = self.descending != reverse
        if value is None:
            # NULL is the largest value: first in descending order, last in ascending order.
            return Q(**{f"{self.path}__isnull": False}) if descending else None
        if descending:
            return Q(**{f"{self.path}__lt": value})
        if not self.nullable:
            return Q(**{f"{self.path}__gt": value})
        return Q(**{f"{self.path}__gt": value}) | Q(**{f"{self.path}__isnull": True})

    def equal(self, value) -> Q:
        if value is None:
            return Q(**{f"{self.path}__isnull": True})
        return Q(**{self.path: value})


def normalise_ordering(ordering) -> tuple[str, ...]:
    """The ordering as a tuple of terms, ending with the unique id (appended if missing)."""
    if isinstance(ordering, str):
        ordering = (ordering,)
    terms = [Term(o) for o in ordering]
    if not terms or terms[-1].path != UNIQUE:
        last_descending = terms[-1].descending if terms else True
        terms = [t for t in terms if t.path != UNIQUE]
        terms.append(Term(("-" if last_descending else "") + UNIQUE))
    return tuple(t.spec for t in terms)


def seek_q(terms: list[Term], values: list, *, reverse: bool = False) -> Q:
    """The lexicographic condition: rows after `values` in the ordering of `terms` (before them
    when `reverse`)."""
    disjuncts = []
    for i, term in enumerate(terms):
        after = term.after(values[i], reverse=reverse)
        if after is None:
            continue
        prefix = [terms[j].equal(values[j]) for j in range(i)]
        disjuncts.append(reduce(lambda a, b: a & b, [*prefix, after]))
    if not disjuncts:
        return Q(pk__in=[])
    return reduce(lambda a, b: a | b, disjuncts)


def _field_for(model, path: str):
    """(the model field at the end of `path`, whether the value can be NULL along the way)."""
    field, nullable = None, False
    for part in path.split("__"):
        field = model._meta.get_field(part)
        nullable = nullable or field.null
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field, nullable


def _value_of(instance, path: str):
    """The value of `path` (following foreign keys) on a row; None across a missing relation."""
    obj = instance
    parts = path.split("__")
    for i, part in enumerate(parts):
        if obj is None:
            return None
        try:
            field = obj._meta.get_field(part)
        except FieldDoesNotExist:
            return getattr(obj, part)
        if field.is_relation and i == len(parts) - 1:
            return getattr(obj, field.attname)
        obj = getattr(obj, part)
    return obj


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # full precision (microseconds), unlike DjangoJSONEncoder
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


class KeysetCursorPagination(BasePagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"
    cursor_query_description = _("The pagination cursor value (from `next` or `previous`).")
    page_size_query_description = _("Number of results per page (default 50, at most 200).")
    ordering: tuple[str, ...] | str = ("-id",)
    invalid_cursor_message = _("Invalid cursor.")

    # ---- configuration -------------------------------------------------------------------------

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        """The ordering (overridable per request, e.g. by a `sort` parameter)."""
        return tuple(getattr(view, "cursor_ordering", None) or self.ordering)

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except (TypeError, ValueError):
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: [_("Give a whole number of at least 1.")]}
            )
        return min(size, self.max_page_size)

    # ---- cursor --------------------------------------------------------------------------------

    def encode_cursor(self, values, direction: str) -> str:
        data = {"o": list(self.ordering_specs), "v": [_jsonable(v) for v in values]}
        data["d"] = direction
        raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
        token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request):
        """(values, direction) of the cursor in the request, or None for the first page."""
        token = request.query_params.get(self.cursor_query_param)
        if not token:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw.decode())
            if data.get("o") != list(self.ordering_specs) or data.get("d") not in (
                FORWARD,
                BACKWARD,
            ):
                raise ValueError
            values = data["v"]
            if not isinstance(values, list) or len(values) != len(self.terms):
                raise ValueError
            values = [
                None if v is None else self.fields[i].to_python(v) for i, v in enumerate(values)
            ]
        except (
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
            binascii.Error,
            UnicodeDecodeError,
            json.JSONDecodeError,
        ) as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc
        except DjangoValidationError as exc:  # a field's to_python rejecting the value
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc
        return values, data["d"]

    # ---- paging --------------------------------------------------------------------------------

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size_value = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering_specs = normalise_ordering(self.get_ordering(request, queryset, view))
        self.terms, self.fields = [], []
        for spec in self.ordering_specs:
            field, nullable = _field_for(queryset.model, spec.lstrip("-"))
            self.terms.append(Term(spec, nullable=nullable))
            self.fields.append(field)
        cursor = self.decode_cursor(request)
        backward = cursor is not None and cursor[1] == BACKWARD

        qs = queryset.order_by(*(t.order_by(reverse=backward) for t in self.terms))
        if cursor is not None:
            qs = qs.filter(seek_q(self.terms, cursor[0], reverse=backward))
        rows = list(qs[: self.page_size_value + 1])
        more = len(rows) > self.page_size_value
        rows = rows[: self.page_size_value]
        if backward:
            rows.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = cursor is not None, more
        self.page = rows
        return rows

    def _position(self, row) -> list:
        return [_value_of(row, t.path) for t in self.terms]

    def get_next_link(self):
        if not self.has_next:
            return None
        if not self.page:  # an empty page reached backwards: start again from the beginning
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self.encode_cursor(self._position(self.page[-1]), FORWARD)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:
            return None
        return self.encode_cursor(self._position(self.page[0]), BACKWARD)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    # ---- schema --------------------------------------------------------------------------------

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last one.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page, or null on the first one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": force_str(self.cursor_query_description),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": force_str(self.page_size_query_description),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


# The name the apps use for the default paginator.
DefaultCursorPagination = KeysetCursorPagination


def cursor_pagination(*ordering: str, page_size: int = 50):
    """A keyset paginator class ordered by `ordering` (the unique id is appended if missing)."""
    return type(
        "CursorPagination_" + "_".join(o.replace("-", "desc_") for o in ordering),
        (KeysetCursorPagination,),
        {"ordering": normalise_ordering(ordering), "page_size": page_size},
    )
