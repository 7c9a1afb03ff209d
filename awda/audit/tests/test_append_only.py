"""Audit events are append-only: the model refuses updates and deletes, and on PostgreSQL the
database itself refuses UPDATE and DELETE on audit_auditevent (a trigger)."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from awda.audit.models import AuditEvent
from awda.audit.services import audit_record

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pg_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="the append-only trigger exists on PostgreSQL only; SQLite has no such guard",
)


@pytest.fixture
def event(db):
    return audit_record(None, action="test.thing.created", object_type="test.thing", object_id=1)


def test_model_refuses_update_and_delete(event):
    event.action = "tampered"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.thing.created"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
@pytest.mark.postgres
@pg_only
def test_database_refuses_update_and_delete(event, sql):
    with pytest.raises(DatabaseError) as err, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, [event.pk])
    assert "append-only" in str(err.value)
    assert AuditEvent.objects.filter(pk=event.pk, action="test.thing.created").exists()


def test_orm_refuses_bulk_update_and_delete(event):
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.thing.created"


@pytest.mark.postgres
@pg_only
def test_database_refuses_bulk_queryset_update_and_delete(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    assert AuditEvent.objects.get(pk=event.pk).action == "test.thing.created"


@pytest.mark.postgres
@pg_only
def test_database_still_accepts_inserts(event):
    audit_record(None, action="test.thing.updated", object_type="test.thing", object_id=1)
    assert AuditEvent.objects.count() == 2


@pytest.mark.postgres
@pg_only
def test_database_refuses_truncate(event):
    with pytest.raises(DatabaseError) as err, transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL awda.allow_audit_truncate = off")
        cur.execute("TRUNCATE audit_auditevent")
    assert "append-only" in str(err.value)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
