"""Done-when of issue 3 §3: a caseworker without the protection role cannot read the trafficking
screening of a case in their own office: 404, and the attempt is audited."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.screening.trafficking.models import TraffickingInterview

from ..conftest import hand_over
from ..helpers import full_procedure, interview, principal

REFUSED = "trafficking.access.refused"


def page(response, url) -> str:
    """The page without its CSRF tokens (masked differently on each render) and its own URL
    (the language switcher's `next`)."""
    body = response.content.decode().replace(url, "URL")
    return re.sub(r'(value="|X-CSRFToken": ")[A-Za-z0-9]{64}', r"\1", body)


def record_url(case, kind, pk):
    return reverse("trafficking:record", args=[case.pk, kind, pk])


@pytest.fixture
def recorded(protection_officer, case, guinea):
    full_procedure(protection_officer, case)
    return case


def test_caseworker_of_the_same_office_gets_404_and_the_attempt_is_audited(
    client, caseworker, recorded
):
    record = TraffickingInterview.objects.get()
    client.force_login(caseworker)
    url = record_url(recorded, "interview", record.pk)
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert record.narrative not in body and "Debt bondage" not in body
    event = AuditEvent.objects.get(action=REFUSED)
    assert event.actor == caseworker and event.case_id == recorded.pk
    assert event.changes == {"part": "record", "method": "GET"}
    # and no read of the record was recorded as successful
    assert not AuditEvent.objects.filter(
        action="cases.case.viewed", changes__part="trafficking", actor=caseworker
    ).exists()


def test_a_missing_record_looks_the_same(client, caseworker, recorded):
    client.force_login(caseworker)
    existing_url = record_url(recorded, "interview", TraffickingInterview.objects.get().pk)
    missing_url = record_url(recorded, "interview", 999999)
    existing, missing = client.get(existing_url), client.get(missing_url)
    assert existing.status_code == missing.status_code == 404
    assert page(existing, existing_url) == page(missing, missing_url)
    assert AuditEvent.objects.filter(action=REFUSED).count() == 2


@pytest.mark.parametrize(
    "persona", ["caseworker", "manager", "medical_officer", "movement_officer"]
)
def test_every_trafficking_url_is_refused_and_audited(request, client, persona, recorded):
    user = request.getfixturevalue(persona)
    member = principal(recorded)
    client.force_login(user)
    gets = [
        reverse("trafficking:home", args=[recorded.pk]),
        record_url(recorded, "determination", 1),
        reverse("trafficking:unknown", args=[recorded.pk, "anything/else/"]),
    ]
    posts = [
        reverse(name, args=[recorded.pk, member.pk])
        for name in ("trafficking:interview", "trafficking:determination")
    ] + [
        reverse("trafficking:risk_assessment", args=[recorded.pk, member.pk]),
        reverse("trafficking:risk_assessment_edit", args=[recorded.pk, 1]),
        reverse("trafficking:risk_assessment_complete", args=[recorded.pk, 1]),
        reverse("trafficking:acceptance", args=[recorded.pk, member.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {}).status_code == 404, url
    refused = AuditEvent.objects.filter(action=REFUSED, actor=user)
    assert refused.count() == len(gets) + len(posts)
    assert TraffickingInterview.objects.count() == 1  # nothing written


def test_the_refusal_stays_even_with_atomic_requests(client, caseworker, recorded, monkeypatch):
    """The audit row is written before the 404 is *returned* (not raised), so a request made
    atomic (ATOMIC_REQUESTS) does not roll it back."""
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    client.force_login(caseworker)
    response = client.get(record_url(recorded, "interview", TraffickingInterview.objects.get().pk))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=REFUSED, actor=caseworker).count() == 1


def test_other_office_gets_the_plain_404_of_the_case(client, other_office_user, recorded):
    client.force_login(other_office_user)
    response = client.get(record_url(recorded, "interview", TraffickingInterview.objects.get().pk))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=REFUSED).exists()


def test_receiving_mission_protection_officer_sees_it_after_handover_only(
    client, origin_protection, guinea, recorded
):
    client.force_login(origin_protection)
    url = record_url(recorded, "interview", TraffickingInterview.objects.get().pk)
    tab = reverse("cases:case_detail", args=[recorded.pk]) + "?tab=protection"
    assert client.get(url).status_code == 404
    assert client.get(tab).status_code == 404
    hand_over(recorded, guinea)
    response = client.get(url)
    assert response.status_code == 200
    assert "Recruited for farm work" in response.content.decode()
    body = client.get(tab).content.decode()
    assert 'data-testid="protection-tab"' in body and 'data-testid="vot-history"' in body


def test_origin_officer_without_the_protection_role_is_refused_after_handover(
    client, origin_officer, guinea, recorded
):
    hand_over(recorded, guinea)
    client.force_login(origin_officer)
    url = record_url(recorded, "interview", TraffickingInterview.objects.get().pk)
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action=REFUSED, actor=origin_officer).count() == 1


def test_protection_officer_is_not_audited_as_refused(client, protection_officer, case):
    interview(protection_officer, case)
    client.force_login(protection_officer)
    assert client.get(record_url(case, "interview", 999999)).status_code == 404
    assert client.get(record_url(case, "nonsense", 1)).status_code == 404
    assert not AuditEvent.objects.filter(action=REFUSED).exists()
