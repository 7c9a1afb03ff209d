import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.cases.services import case_transition
from awda.reintegration.models import Assessment, MonitoringVisit, Reception, ReintegrationFile

from ..conftest import principal

TODAY = timezone.localdate


def tab_url(case, tab="reintegration"):
    return reverse("cases:case_detail", args=[case.pk]) + f"?tab={tab}"


def page(client, case, tab="reintegration"):
    response = client.get(tab_url(case, tab))
    assert response.status_code == 200
    return response.content.decode()


def test_the_origin_officer_accepts_from_the_tab(client, arrived, origin_officer, conakry):
    client.force_login(origin_officer)
    body = page(client, arrived)
    assert 'id="accept-form"' in body and 'data-testid="tab-monitoring"' in body
    response = client.post(
        reverse("reintegration:accept", args=[arrived.pk]),
        {"office": conakry.pk, "officer": origin_officer.pk},
    )
    assert response.status_code == 302
    file = ReintegrationFile.objects.get(case=arrived)
    assert file.office == conakry and file.officer == origin_officer
    body = page(client, arrived)
    assert 'data-testid="file-office"' in body and "Conakry" in body
    assert 'id="reception-form"' in body and 'id="accept-form"' not in body


def test_the_reintegration_tab_is_an_audited_read(client, accepted, caseworker):
    client.force_login(caseworker)
    page(client, accepted)
    assert AuditEvent.objects.filter(case_id=accepted.pk, changes__part="reintegration").exists()


@pytest.mark.parametrize("persona", ["caseworker", "manager", "finance_officer"])
def test_host_staff_see_the_tabs_without_forms(request, client, received, persona):
    client.force_login(request.getfixturevalue(persona))
    body = page(client, received)
    assert 'data-testid="reception-summary"' in body
    assert 'id="reception-form"' not in body and 'id="assessment-form"' not in body
    body = page(client, received, "monitoring")
    assert 'data-testid="monitoring-tab"' in body and 'id="visit-add-form"' not in body


def test_host_caseworker_posts_are_refused_and_nothing_changes(client, accepted, caseworker):
    client.force_login(caseworker)
    url = reverse("reintegration:reception", args=[accepted.pk])
    response = client.post(url, {"reception-received_on": TODAY().isoformat()})
    assert response.status_code == 403
    assert not Reception.objects.exists()


def test_conakry_officer_gets_404_before_the_handover(client, case, origin_officer, conakry):
    client.force_login(origin_officer)
    assert client.get(tab_url(case)).status_code == 404
    response = client.post(reverse("reintegration:accept", args=[case.pk]), {"office": conakry.pk})
    assert response.status_code == 404
    assert not ReintegrationFile.objects.exists()


def test_recording_the_reception_moves_the_case_to_reintegration(client, accepted, origin_officer):
    client.force_login(origin_officer)
    response = client.post(
        reverse("reintegration:reception", args=[accepted.pk]),
        {
            "reception-received_on": TODAY().isoformat(),
            "reception-airport_reception": "on",
            "reception-met_by": "Fatou",
            "reception-accommodation_nights": "1",
            "reception-accommodation_place": "Transit centre",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=accepted.pk).status == "reintegration"
    assert Reception.objects.get(case=accepted).met_by == "Fatou"


def test_a_future_reception_date_comes_back_on_the_form(client, accepted, origin_officer):
    client.force_login(origin_officer)
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = client.post(
        reverse("reintegration:reception", args=[accepted.pk]),
        {"reception-received_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert not Reception.objects.exists()


def test_assessments_are_recorded_and_a_stale_correction_is_409(client, received, origin_officer):
    client.force_login(origin_officer)
    response = client.post(
        reverse("reintegration:assessment_add", args=[received.pk]),
        {
            "assessment-person": principal(received).pk,
            "assessment-kind": "risk",
            "assessment-assessed_on": TODAY().isoformat(),
            "assessment-level": "low",
            "assessment-findings": "Safe neighbourhood",
        },
    )
    assert response.status_code == 302
    a = Assessment.objects.get(case=received)
    body = page(client, received)
    assert f'id="assessment-{a.pk}"' in body and "Safe neighbourhood" in body
    prefix = f"assessment-{a.pk}"
    data = {
        f"{prefix}-version": "1",
        f"{prefix}-assessed_on": TODAY().isoformat(),
        f"{prefix}-level": "high",
        f"{prefix}-findings": "Threats",
    }
    url = reverse("reintegration:assessment_edit", args=[received.pk, a.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data | {f"{prefix}-level": "low"}).status_code == 409
    a.refresh_from_db()
    assert (a.level, a.version) == ("high", 2)


def test_monitoring_tab_records_a_re_migration_and_suggests_closing(
    client, monitored, origin_officer
):
    client.force_login(origin_officer)
    visit = MonitoringVisit.objects.filter(case=monitored).order_by("due_on").first()
    body = page(client, monitored, "monitoring")
    assert f'id="visit-{visit.pk}"' in body and f'id="visit-form-{visit.pk}"' in body
    prefix = f"visit-{visit.pk}"
    response = client.post(
        reverse("reintegration:visit_record", args=[monitored.pk, visit.pk]),
        {
            f"{prefix}-version": "1",
            f"{prefix}-status": "missed",
            f"{prefix}-conducted_on": TODAY().isoformat(),
            f"{prefix}-mode": "call",
            f"{prefix}-re_migrated": "on",
            f"{prefix}-re_migration_notes": "Left for Libya",
        },
    )
    assert response.status_code == 302
    body = page(client, monitored, "monitoring")
    assert 'data-testid="re-migration-alert"' in body and "Left for Libya" in body
    assert 'data-testid="suggest-close"' in body


def test_visits_are_added_rescheduled_and_cancelled_from_the_tab(client, monitored, origin_officer):
    client.force_login(origin_officer)
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("reintegration:visit_add", args=[monitored.pk]),
        {"visit-add-due_on": tomorrow, "visit-add-mode": "call"},
    )
    assert response.status_code == 302
    extra = MonitoringVisit.objects.get(case=monitored, months__isnull=True)
    url = reverse("reintegration:visit_reschedule", args=[monitored.pk, extra.pk])
    p = f"reschedule-{extra.pk}"
    in_a_week = (TODAY() + datetime.timedelta(days=7)).isoformat()
    client.post(url, {f"{p}-version": "1", f"{p}-due_on": in_a_week})
    extra.refresh_from_db()
    assert extra.due_on.isoformat() == in_a_week
    url = reverse("reintegration:visit_cancel", args=[monitored.pk, extra.pk])
    p = f"cancel-{extra.pk}"
    client.post(url, {f"{p}-version": "1", f"{p}-reason": "x"})  # stale: flashed, unchanged
    assert MonitoringVisit.objects.get(pk=extra.pk).status == "planned"
    client.post(url, {f"{p}-version": "2", f"{p}-reason": "Phone instead"})
    assert MonitoringVisit.objects.get(pk=extra.pk).status == "cancelled"


def test_the_follow_up_survey_link_is_shown_for_a_done_visit(client, monitored, origin_officer):

    from awda.reintegration.files import services

    visit = MonitoringVisit.objects.filter(case=monitored).order_by("due_on").first()
    services.visit_record(
        origin_officer,
        visit=visit,
        status="done",
        conducted_on=TODAY(),
        outcome="ok",
        expected_version=1,
    )
    client.force_login(origin_officer)
    body = page(client, monitored, "monitoring")
    assert f'data-testid="visit-survey-{visit.pk}"' in body
    assert f"kind=follow_up&amp;visit={visit.pk}" in body


def _transition(client, case, name, data):
    url = reverse("cases:case_transition", args=[case.pk, name])
    case.refresh_from_db()
    return client.post(url, {f"t-{name}-version": case.version, **data})


def test_origin_officer_closes_a_monitored_case_and_reopens_it(client, monitored, origin_officer):
    client.force_login(origin_officer)
    response = _transition(client, monitored, "close", {"t-close-closure_reason": "re_migrated"})
    assert response.status_code == 302
    case = Case.objects.get(pk=monitored.pk)
    assert (case.status, case.closure_reason) == ("closed", "re_migrated")
    assert not case.monitoring_visits.filter(status="planned").exists()
    response = _transition(client, case, "reopen", {"t-reopen-reason": ""})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == "closed"
    response = _transition(client, case, "reopen", {"t-reopen-reason": "Back home again"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "reintegration"


def test_reopening_a_case_that_never_arrived_is_refused_with_the_gate(
    client, case, caseworker, manager
):
    case = case_transition(caseworker, case=case, name="withdraw", reason="Changed his mind")
    case = case_transition(manager, case=case, name="close", closure_reason="withdrawn")
    client.force_login(manager)
    response = _transition(client, case, "reopen", {"t-reopen-reason": "Try again"})
    assert response.status_code == 409
    assert "Only a case closed after the return can be reopened." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_the_monitoring_tab_keeps_a_fixed_number_of_queries(client, monitored, origin_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awda.reintegration.files import services

    client.force_login(origin_officer)
    page(client, monitored, "monitoring")
    with CaptureQueriesContext(connection) as few:
        page(client, monitored, "monitoring")
    for days in (1, 2, 3):
        services.visit_add(
            origin_officer, case=monitored, due_on=TODAY() + datetime.timedelta(days=days)
        )
    with CaptureQueriesContext(connection) as many:
        body = page(client, monitored, "monitoring")
    assert body.count('data-testid="visit"') == 6
    assert len(many) == len(few)
