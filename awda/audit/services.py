"""Write audit events. Call inside the service's transaction so a failed change leaves no event."""

import datetime
import decimal
import uuid

from django.db import models

from awda.core import context

from .models import AuditEvent


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or None
    return value


def snapshot(instance, fields) -> dict:
    return {
        f: _jsonable(getattr(instance, f if not _is_fk(instance, f) else f + "_id")) for f in fields
    }


def _is_fk(instance, name) -> bool:
    try:
        field = instance._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return False
    return isinstance(field, models.ForeignKey)


def diff(before: dict, after: dict) -> dict:
    """Field-level before/after for the fields that changed."""
    return {
        k: {"from": before.get(k), "to": after.get(k)}
        for k in after
        if before.get(k) != after.get(k)
    }


def audit_record(
    actor,
    *,
    action: str,
    obj=None,
    object_type: str = "",
    object_id="",
    object_repr: str = "",
    case_id=None,
    person_id=None,
    office_id=None,
    changes: dict | None = None,
) -> AuditEvent:
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_username=actor.get_username() if is_user else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=str(object_repr)[:200],
        case_id=case_id,
        person_id=person_id,
        office_id=office_id,
        changes=_jsonable(changes or {}),
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        channel=ctx.channel,
    )
