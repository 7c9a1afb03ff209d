"""Every API read of a case's data writes cases.case.viewed with the part read; a read of a
person's record writes registry.person.viewed. Refused reads write nothing."""

import pytest

from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client

CASE_READS = [
    ("", "detail"),
    ("members/", "members"),
    ("notes/", "notes"),
    ("tasks/", "tasks"),
    ("attachments/", "attachments"),
    ("timeline/", "timeline"),
    ("transitions/", "transitions"),
]


def case_views(case):
    return AuditEvent.objects.filter(action="cases.case.viewed", case_id=case.pk)


@pytest.mark.parametrize(("suffix", "part"), CASE_READS)
def test_every_case_read_is_audited_with_its_part(colleague, case, suffix, part):
    response = api_client(colleague).get(f"/api/v1/cases/{case.pk}/{suffix}")
    assert response.status_code == 200, response.json()
    event = case_views(case).get()
    assert event.changes == {"part": part}
    assert event.actor == colleague and event.channel == "api"


@pytest.mark.parametrize(("suffix", "part"), CASE_READS)
def test_reads_of_another_office_are_refused_and_not_audited(other_office_user, case, suffix, part):
    response = api_client(other_office_user).get(f"/api/v1/cases/{case.pk}/{suffix}")
    assert response.status_code == 404
    assert not case_views(case).exists()


@pytest.mark.parametrize(("suffix", "part"), [("", "detail"), ("documents/", "documents")])
def test_person_reads_are_audited(colleague, case, suffix, part):
    person = case.principal
    response = api_client(colleague).get(f"/api/v1/persons/{person.pk}/{suffix}")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="registry.person.viewed")
    assert event.person_id == person.pk and event.changes == {"part": part}
    assert event.actor == colleague and event.channel == "api"
    assert event.office_id == person.registered_by_office_id


def test_person_of_another_office_is_refused_and_not_audited(other_office_user, case):
    response = api_client(other_office_user).get(f"/api/v1/persons/{case.principal_id}/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="registry.person.viewed").exists()


def test_timeline_can_leave_reads_out(caseworker, case):
    client = api_client(caseworker)
    client.get(f"/api/v1/cases/{case.pk}/")
    everything = client.get(f"/api/v1/cases/{case.pk}/timeline/").json()["results"]
    assert everything[0]["action"] == "cases.case.viewed"
    assert everything[0]["changes"] == {"part": "timeline"}
    changes = client.get(f"/api/v1/cases/{case.pk}/timeline/", {"views": "false"}).json()
    actions = [e["action"] for e in changes["results"]]
    assert actions and "cases.case.viewed" not in actions
