"""Restricted categories in a case's audit trail.

The timeline of a case is read by every role on it. An app whose records are a restricted
category (trafficking) writes neutral audit changes, and registers here which of its events and
which parts of the case read are restricted; users without the category's permission then get
those events redacted, in the timeline API (action `restricted`, no object, no changes) and on
the timeline tab ("Restricted record", no object, no changes), so that no code, label, part name
or value tells them what the record is about."""

from collections.abc import Callable

_EVENTS: list[tuple[str, str]] = []  # (audit action prefix, permission to see it)
_PARTS: dict[str, str] = {}  # part of a case read (cases.case.viewed) -> permission
_MODELS: dict[str, str] = {}  # model label -> the action prefix of its category, when not its app's


def register(*, action_prefix: str, permission: str, parts=(), models=()) -> None:
    """`models`: labels ("app_label.Model") of the models in this category whose app label is
    not the prefix (a model not named is in the category of its app label)."""
    if (action_prefix, permission) not in _EVENTS:
        _EVENTS.append((action_prefix, permission))
    for part in parts:
        _PARTS[part] = permission
    for label in models:
        _MODELS[label] = action_prefix


def redactor(user, case) -> Callable[[object], bool]:
    """A function telling, for an AuditEvent of this case, whether `user` must see it redacted."""
    from .policies import can

    cache: dict[str, bool] = {}

    def denied(permission: str) -> bool:
        if permission not in cache:
            cache[permission] = not can(user, permission, case)
        return cache[permission]

    def hide(event) -> bool:
        # the most specific prefix decides ("health.fitness." before "health.")
        matches = [(len(p), perm) for p, perm in _EVENTS if event.action.startswith(p)]
        if matches and denied(max(matches)[1]):
            return True
        part = (event.changes or {}).get("part") if isinstance(event.changes, dict) else None
        return part in _PARTS and denied(_PARTS[part])

    return hide


def model_permission(label: str) -> str | None:
    """The permission needed to learn that records of the model `label` ("app_label.Model", as
    `Model._meta.label`) exist, or None when the model is in no restricted category: the category
    its app registered it in, else its app label's. The most specific registered prefix decides,
    as in `redactor`."""
    key = _MODELS.get(label, label)
    matches = [(len(p), perm) for p, perm in _EVENTS if key.startswith(p)]
    return max(matches)[1] if matches else None
