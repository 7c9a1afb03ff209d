"""Audit from the services: one event per create/update/transition, in the same transaction, with
field-level before/after, who and from where; a failed change leaves no event."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from awda.audit.models import AuditEvent
from awda.audit.selectors import timeline_for_case
from awda.cases import services
from awda.core import context
from awda.core.errors import TransitionRefused
from awda.factories import person_data, register_case
from awda.registry import services as registry


@pytest.fixture
def request_context():
    token = context.set_current(
        context.RequestContext(ip="203.0.113.7", user_agent="Mozilla/5.0 test", channel="web")
    )
    yield
    context.reset(token)


OPERATIONS = {
    "cases.case.updated": lambda u, c: services.case_update(
        u, case=c, expected_version=c.version, data={"destination_area": "Labé"}
    ),
    "cases.case.declaration_recorded": lambda u, c: services.case_declaration_record(
        u, case=c, signed_on=c.registered_on
    ),
    "cases.case.transitioned": lambda u, c: services.case_transition(
        u, case=c, name="put_on_hold", reason="Hospital"
    ),
    "cases.member.added": lambda u, c: services.case_member_add(
        u,
        case=c,
        relationship="child",
        person_id=register_case(u, c.office, principal=person_data(given_name="Kid")).principal_id,
    ),
    "cases.note.created": lambda u, c: services.note_add(u, case=c, body="Seen today"),
    "cases.task.created": lambda u, c: services.task_create(u, case=c, title="Call"),
    "cases.attachment.created": lambda u, c: services.attachment_add(
        u, case=c, file=SimpleUploadedFile("d.pdf", b"%PDF-1.4 x"), kind="declaration"
    ),
    "registry.person.updated": lambda u, c: services.case_person_update(
        u, case=c, person=c.principal, expected_version=c.principal.version, data={"city": "Salé"}
    ),
    "registry.identity_document.created": lambda u, c: registry.identity_document_add(
        u, person=c.principal, data={"doc_type": "passport", "number": "P-1"}, case_id=c.pk
    ),
    "cases.case.viewed": lambda u, c: services.case_viewed(u, case=c),
}


@pytest.mark.parametrize("action", list(OPERATIONS))
def test_each_change_writes_exactly_one_event_with_who_and_where(
    action, case, caseworker, request_context
):
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    OPERATIONS[action](caseworker, case)
    events = AuditEvent.objects.filter(action=action, pk__gt=last)
    assert events.count() == 1
    event = events.get()
    assert event.actor == caseworker and event.actor_username == "caseworker.rabat"
    assert event.ip == "203.0.113.7" and event.user_agent == "Mozilla/5.0 test"
    assert event.channel == "web" and event.occurred_at is not None
    assert event.case_id == case.pk
    assert event in timeline_for_case(case.pk)


def test_without_a_request_the_event_says_system(case):
    event = AuditEvent.objects.get(action="cases.case.registered")
    assert event.ip is None and event.channel == "system"


def test_registration_writes_one_event_per_object(caseworker, rabat):
    register_case(
        caseworker,
        rabat,
        members=[{"relationship": "child", "person": person_data(given_name="Kid")}],
    )
    actions = sorted(AuditEvent.objects.values_list("action", flat=True))
    assert actions == [
        "cases.case.registered",
        "registry.person.created",
        "registry.person.created",
    ]


def test_update_records_field_level_before_and_after(case, caseworker, manager, colleague):
    services.case_update(
        manager,
        case=case,
        expected_version=case.version,
        data={"priority": 3, "assigned_to": colleague, "destination_area": ""},
    )
    event = AuditEvent.objects.get(action="cases.case.updated")
    assert event.changes == {
        "priority": {"from": 1, "to": 3},
        "assigned_to": {"from": None, "to": colleague.pk},
    }


def test_transition_event_records_the_move(case, caseworker):
    services.case_transition(
        caseworker, case=case, name="withdraw", reason="Found work", comment="c"
    )
    event = AuditEvent.objects.get(action="cases.case.transitioned")
    assert event.changes["status"] == {"from": "registered", "to": "withdrawn"}
    assert event.changes["reason"] == "Found work" and event.changes["comment"] == "c"


def test_a_rolled_back_change_leaves_no_event(case, caseworker):
    """The event is written in the service's transaction: if the caller's transaction fails after
    the service returned, the event disappears with the change."""
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_update(
            caseworker, case=case, expected_version=case.version, data={"destination_area": "X"}
        )
        services.note_add(caseworker, case=case, body="note")
        raise RuntimeError("the view crashed afterwards")
    assert AuditEvent.objects.count() == before
    case.refresh_from_db()
    assert case.destination_area == ""


def test_a_refused_transition_leaves_no_event(case, caseworker):
    services.case_transition(caseworker, case=case, name="start_counselling")
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused):
        services.case_transition(caseworker, case=case, name="start_screening")
    assert AuditEvent.objects.count() == before


def test_failure_inside_the_service_after_the_write_leaves_nothing(case, caseworker, monkeypatch):
    """If writing the audit event fails, the change itself is rolled back."""
    from awda.cases.models import Note

    def boom(*args, **kwargs):
        raise RuntimeError("cannot audit")

    from awda.cases.services import tasks, transitions

    monkeypatch.setattr(tasks, "audit_record", boom)
    monkeypatch.setattr(transitions, "audit_record", boom)
    with pytest.raises(RuntimeError):
        services.note_add(caseworker, case=case, body="note")
    with pytest.raises(RuntimeError):
        services.case_transition(caseworker, case=case, name="start_counselling")
    assert Note.objects.count() == 0
    case.refresh_from_db()
    assert case.status == "registered" and case.transitions.count() == 0
