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


def register(*, action_prefix: str, permission: str, parts=()) -> None:
    if (action_prefix, permission) not in _EVENTS:
        _EVENTS.append((action_prefix, permission))
    for part in parts:
        _PARTS[part] = permission


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


# Models whose audit events use a more specific prefix than their app label ("app_label."): the
# fitness decision is a health record with its own permission, the transfer log (and its links to
# persons and consents) a consent record with its own. A model not listed is in the category of
# its app label (apps whose models are restricted register their app label as action prefix).
MODEL_ACTION_PREFIXES = {
    "health.FitnessToTravel": "health.fitness.",
    "consent.DataTransfer": "consent.transfer.",
    "consent.DataTransfer_persons": "consent.transfer.",
    "consent.DataTransfer_consents": "consent.transfer.",
}


def model_permission(label: str) -> str | None:
    """The permission needed to learn that records of the model `label` ("app_label.Model", as
    `Model._meta.label`) exist, or None when the model is in no restricted category. The most
    specific registered prefix decides, as in `redactor`."""
    key = MODEL_ACTION_PREFIXES.get(label, label)
    matches = [(len(p), perm) for p, perm in _EVENTS if key.startswith(p)]
    return max(matches)[1] if matches else None
