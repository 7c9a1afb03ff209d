"""The case timeline is seen by every role on the case: it shows that restricted protection
records were written, never what they hold nor that they are about trafficking."""

from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.cases.views.timeline import present_events
from awda.screening.trafficking.choices import INDICATORS

from ..helpers import determine, flag, full_procedure, interview

FORBIDDEN = (
    "traffick",
    "victim",
    "debt bondage",
    "documents confiscated",
    "forced labour",
    "passport kept",
    "security plan",
    "recruiter",
    "gn-2026-044",  # the origin mission's reference
)


def timeline(client, user, case, views=False):
    client.force_login(user)
    url = reverse("cases:case_detail", args=[case.pk]) + "?tab=timeline"
    response = client.get(url + ("&views=1" if views else ""))
    assert response.status_code == 200
    return response.content.decode().lower()


def assert_neutral(text: str):
    for word in FORBIDDEN:
        assert word not in text, word
    for indicator in INDICATORS:
        assert str(indicator.label).lower() not in text


def test_caseworker_timeline_shows_no_restricted_content(
    client, caseworker, protection_officer, case
):
    flag(caseworker, case)
    interview(protection_officer, case)
    determine(protection_officer, case)
    # reads by the protection officer, and a refused attempt by the caseworker
    client.force_login(protection_officer)
    client.get(reverse("cases:case_detail", args=[case.pk]) + "?tab=protection")
    client.force_login(caseworker)
    client.get(reverse("trafficking:home", args=[case.pk]))
    for views in (False, True):
        body = timeline(client, caseworker, case, views=views)
        # the interview, the determination and the refused attempt: redacted, all alike
        assert body.count("restricted record</strong>") >= 3
        assert_neutral(body)
    # the protection officer's read of the tab is redacted too (no part name, no changes)
    assert "protection (restricted)" not in body


def test_every_event_of_the_procedure_is_neutral(caseworker, protection_officer, guinea, case):
    flag(caseworker, case)
    full_procedure(protection_officer, case)
    events = AuditEvent.objects.filter(action__startswith="trafficking.")
    assert {e.action for e in events} == {
        "trafficking.interview.recorded",
        "trafficking.determination.recorded",
        "trafficking.risk_assessment.created",
        "trafficking.risk_assessment.updated",
        "trafficking.risk_assessment.completed",
        "trafficking.acceptance.recorded",
    }
    rows = present_events(events)
    assert {str(r["label"]) for r in rows} == {"Restricted protection record"}
    assert_neutral(str([(r["label"], r["event"].object_repr, r["changes"]) for r in rows]).lower())


def test_the_disclosure_to_the_origin_mission_does_not_name_the_category(
    client, caseworker, protection_officer, guinea, case
):
    full_procedure(protection_officer, case)
    assert_neutral(timeline(client, caseworker, case))


def test_timeline_api_redacts_the_events_for_a_caseworker_not_for_protection(
    caseworker, protection_officer, guinea, case
):
    from awda.core.api.testing import api_client

    flag(caseworker, case)
    full_procedure(protection_officer, case)
    url = f"/api/v1/cases/{case.pk}/timeline/"
    api_client(protection_officer).get(f"/api/v1/cases/{case.pk}/trafficking/")
    theirs = api_client(caseworker).get(url, {"views": "true"}).json()["results"]
    assert "trafficking" not in str(theirs).lower()
    assert any(e["action"] == "restricted" and e["changes"] == {} for e in theirs)
    mine = api_client(protection_officer).get(url, {"views": "true"}).json()["results"]
    assert any(e["action"] == "trafficking.interview.recorded" for e in mine)


def test_asking_for_the_restricted_tab_without_the_role_is_audited(client, caseworker, case):
    client.force_login(caseworker)
    page = client.get(f"/cases/{case.pk}/?tab=protection")
    assert page.status_code == 200 and 'data-tab="summary"' in page.content.decode()
    assert AuditEvent.objects.filter(
        action="trafficking.access.refused", case_id=case.pk, changes__part="tab"
    ).exists()
