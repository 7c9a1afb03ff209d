import datetime

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.cases.services import case_transition
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.reintegration.files import services
from awda.reintegration.models import MonitoringVisit

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def visits(case):
    return list(MonitoringVisit.objects.filter(case=case).order_by("due_on"))


def test_the_schedule_follows_the_arrival(monitored):
    rows = visits(monitored)
    assert [v.months for v in rows] == [3, 6, 12]
    assert all(v.status == "planned" and v.office.code == "CKY" for v in rows)


def test_recording_a_visit(monitored, origin_officer):
    visit = visits(monitored)[0]
    services.visit_record(
        origin_officer,
        visit=visit,
        status="done",
        conducted_on=TODAY(),
        mode="call",
        outcome="The shop is open.",
        activity_status="running",
        expected_version=1,
    )
    visit.refresh_from_db()
    assert (visit.status, visit.mode, visit.version) == ("done", "call", 2)
    assert visit.conducted_by == origin_officer
    assert AuditEvent.objects.filter(action=services.VISIT_RECORDED, case_id=monitored.pk).exists()


def test_a_re_migration_needs_notes_and_is_kept(monitored, origin_officer):
    visit = visits(monitored)[0]
    kwargs = {"visit": visit, "status": "missed", "conducted_on": TODAY(), "expected_version": 1}
    with pytest.raises(ValidationFailed) as exc:
        services.visit_record(origin_officer, re_migrated=True, **kwargs)
    assert "re_migration_notes" in exc.value.fields
    services.visit_record(
        origin_officer, re_migrated=True, re_migration_notes="Left for Libya in May", **kwargs
    )
    visit.refresh_from_db()
    assert visit.re_migrated and visit.status == "missed"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"status": "planned"}, "status"),
        ({"conducted_on": None}, "conducted_on"),
        ({"outcome": ""}, "outcome"),
        ({"activity_status": "flying"}, "activity_status"),
        ({"mode": "carrier pigeon"}, "mode"),
    ],
)
def test_bad_visit_input_is_refused_per_field(monitored, origin_officer, overrides, field):
    visit = visits(monitored)[0]
    data = {
        "visit": visit,
        "status": "done",
        "conducted_on": TODAY(),
        "outcome": "Fine",
        "expected_version": 1,
    } | overrides
    with pytest.raises(ValidationFailed) as exc:
        services.visit_record(origin_officer, **data)
    assert field in exc.value.fields
    visit.refresh_from_db()
    assert visit.status == "planned" and visit.version == 1


def test_a_stale_visit_is_refused(monitored, origin_officer):
    visit = visits(monitored)[0]
    services.visit_reschedule(origin_officer, visit=visit, due_on=TODAY() + DAY, expected_version=1)
    with pytest.raises(StaleEdit):
        services.visit_record(
            origin_officer,
            visit=visit,
            status="done",
            conducted_on=TODAY(),
            outcome="x",
            expected_version=1,
        )
    assert MonitoringVisit.objects.get(pk=visit.pk).status == "planned"


def test_reschedule_add_and_cancel(monitored, origin_officer):
    first = visits(monitored)[0]
    services.visit_reschedule(
        origin_officer, visit=first, due_on=TODAY() + 5 * DAY, expected_version=1
    )
    with pytest.raises(ValidationFailed):
        services.visit_reschedule(
            origin_officer, visit=first, due_on=TODAY() - DAY, expected_version=2
        )
    extra = services.visit_add(origin_officer, case=monitored, due_on=TODAY() + DAY, mode="call")
    assert extra.months is None and extra.plan is not None and extra.office.code == "CKY"
    with pytest.raises(ValidationFailed) as exc:
        services.visit_cancel(origin_officer, visit=extra, reason=" ", expected_version=1)
    assert "reason" in exc.value.fields
    services.visit_cancel(origin_officer, visit=extra, reason="Moved away", expected_version=1)
    extra.refresh_from_db()
    assert extra.status == "cancelled" and extra.outcome == "Moved away"
    with pytest.raises(ValidationFailed):
        services.visit_reschedule(
            origin_officer, visit=extra, due_on=TODAY() + DAY, expected_version=2
        )
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {services.VISIT_ADDED, services.VISIT_RESCHEDULED, services.VISIT_CANCELLED} <= codes


def test_host_staff_may_not_touch_visits(monitored, caseworker, manager):
    visit = visits(monitored)[0]
    for user in (caseworker, manager):
        with pytest.raises(PermissionDenied):
            services.visit_cancel(user, visit=visit, reason="x", expected_version=1)
        with pytest.raises(PermissionDenied):
            services.visit_add(user, case=monitored, due_on=TODAY())
    assert MonitoringVisit.objects.filter(case=monitored).count() == 3
    assert MonitoringVisit.objects.get(pk=visit.pk).status == "planned"


def test_closing_cancels_the_planned_visits_and_reopening_keeps_them_cancelled(
    monitored, origin_officer
):
    done = visits(monitored)[0]
    services.visit_record(
        origin_officer,
        visit=done,
        status="done",
        conducted_on=TODAY(),
        outcome="ok",
        expected_version=1,
    )
    case = case_transition(
        origin_officer, case=monitored, name="close", closure_reason="re_migrated"
    )
    statuses = [v.status for v in visits(case)]
    assert statuses == ["done", "cancelled", "cancelled"]
    event = AuditEvent.objects.filter(action=services.VISIT_CANCELLED).get()
    assert event.changes["cause"] == "case_closed" and len(event.changes["visits"]) == 2
    case = case_transition(origin_officer, case=case, name="reopen", reason="Came back")
    assert case.status == "reintegration"
    assert [v.status for v in visits(case)] == ["done", "cancelled", "cancelled"]
    services.visit_add(origin_officer, case=case, due_on=TODAY() + DAY)
    assert Case.objects.get(pk=case.pk).monitoring_visits.filter(status="planned").count() == 1
