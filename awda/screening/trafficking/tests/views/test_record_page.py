import pytest
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.factories import register_case
from awda.screening.trafficking.models import (
    OriginAcceptance,
    ReturnRiskAssessment,
    TraffickingDetermination,
    TraffickingInterview,
)

from ..helpers import full_procedure, interview


@pytest.fixture
def recorded(protection_officer, case, guinea):
    full_procedure(protection_officer, case)
    return case


@pytest.mark.parametrize(
    ("kind", "model", "text"),
    [
        ("interview", TraffickingInterview, "Documents confiscated, Debt bondage"),
        ("determination", TraffickingDetermination, "Victim of trafficking"),
        ("risk-assessment", ReturnRiskAssessment, "Met at the airport"),
        ("acceptance", OriginAcceptance, "GN-2026-044"),
    ],
)
def test_protection_officer_reads_a_record_and_the_read_is_audited(
    client, protection_officer, recorded, kind, model, text
):
    record = model.objects.get()
    client.force_login(protection_officer)
    response = client.get(reverse("trafficking:record", args=[recorded.pk, kind, record.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="vot-record"' in body and text in body
    event = AuditEvent.objects.get(action="cases.case.viewed", changes__part="trafficking")
    assert event.actor == protection_officer and event.person_id == record.person_id
    assert event.changes == {"part": "trafficking", "record": record.pk}


def test_a_record_of_another_case_is_not_found(
    client, caseworker, protection_officer, rabat, recorded
):
    other = register_case(caseworker, rabat, country_of_return="GN")
    interview(protection_officer, other)
    client.force_login(protection_officer)
    pk = TraffickingInterview.objects.get(case=other).pk
    assert (
        client.get(reverse("trafficking:record", args=[recorded.pk, "interview", pk])).status_code
        == 404
    )


def test_home_redirects_to_the_tab(client, protection_officer, case):
    client.force_login(protection_officer)
    response = client.get(reverse("trafficking:home", args=[case.pk]))
    assert response.status_code == 302 and response.url.endswith("?tab=protection")
