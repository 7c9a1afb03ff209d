import datetime
import decimal
import uuid

from awda.audit.models import AuditEvent
from awda.audit.selectors import timeline_for_case
from awda.audit.services import audit_record, diff, snapshot
from awda.core import context
from awda.factories import person_data, register_case


def test_record_with_an_object_fills_type_id_and_repr(case, caseworker):
    event = audit_record(caseworker, action="x.y.z", obj=case, case_id=case.pk)
    assert (event.object_type, event.object_id, event.object_repr) == (
        "cases.case",
        str(case.pk),
        case.number,
    )
    assert event.actor == caseworker and event.actor_username == "caseworker.rabat"


def test_system_actor_and_context(db):
    token = context.set_current(context.RequestContext(ip="2001:db8::1", channel="api"))
    try:
        event = audit_record(None, action="system.job.ran", object_type="job")
    finally:
        context.reset(token)
    assert event.actor is None and event.actor_username == "system"
    assert event.ip == "2001:db8::1" and event.channel == "api"
    assert audit_record(None, action="a", object_type="b").ip is None  # context was reset


def test_changes_are_made_json_safe(db):
    event = audit_record(
        None,
        action="x",
        object_type="y",
        changes={
            "when": datetime.date(2026, 1, 2),
            "at": datetime.datetime(2026, 1, 2, 3, 4, 5),
            "amount": decimal.Decimal("485.50"),
            "id": uuid.UUID(int=1),
            "list": (1, datetime.date(2026, 1, 1)),
        },
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.changes == {
        "when": "2026-01-02",
        "at": "2026-01-02T03:04:05",
        "amount": "485.50",
        "id": str(uuid.UUID(int=1)),
        "list": [1, "2026-01-01"],
    }


def test_long_repr_is_truncated(db):
    assert (
        len(audit_record(None, action="x", object_type="y", object_repr="z" * 500).object_repr)
        == 200
    )


def test_snapshot_uses_foreign_key_ids_and_diff_lists_only_changes(case, colleague):
    before = snapshot(case, ["priority", "assigned_to", "registered_on"])
    assert (
        before["assigned_to"] is None and before["registered_on"] == case.registered_on.isoformat()
    )
    case.assigned_to = colleague
    after = snapshot(case, ["priority", "assigned_to", "registered_on"])
    assert diff(before, after) == {"assigned_to": {"from": None, "to": colleague.pk}}


def test_timeline_includes_member_person_events_newest_first(caseworker, rabat):
    case = register_case(caseworker, rabat, principal=person_data())
    other_case = register_case(caseworker, rabat, principal=person_data(given_name="Other"))
    events = list(timeline_for_case(case.pk, person_ids=[case.principal_id]))
    assert events[0].action == "cases.case.registered"
    assert {e.action for e in events} == {"cases.case.registered", "registry.person.created"}
    assert all(e.case_id in (case.pk, None) for e in events)
    assert other_case.pk not in {e.case_id for e in events}
