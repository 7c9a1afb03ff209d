"""Per-request context (client IP, user agent) read by the audit service, so services can record
'from where' without every caller passing it."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""
    channel: str = "system"  # web, api, admin, system


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "awda_request_context", default=None
)


_EMPTY = RequestContext()


def current() -> RequestContext:
    return _current.get() or _EMPTY


def set_current(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)
