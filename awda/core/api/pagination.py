from rest_framework.pagination import CursorPagination


class DefaultCursorPagination(CursorPagination):
    """Cursor pagination: stable under inserts, constant cost per page at any depth.

    Answers {"next": url|null, "previous": url|null, "results": [...]}; follow `next`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"


def cursor_pagination(*ordering: str, page_size: int = 50):
    """A cursor paginator class ordered by `ordering` (the last field must be unique)."""
    return type(
        "CursorPagination_" + "_".join(o.replace("-", "desc_") for o in ordering),
        (DefaultCursorPagination,),
        {"ordering": ordering, "page_size": page_size},
    )
