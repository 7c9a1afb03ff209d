import pytest

from awda.audit.models import AuditEvent
from awda.screening.trafficking import access

from ..conftest import hand_over


def test_protection_officer_passes_without_a_refusal(protection_officer, case):
    assert access.protected_case(protection_officer, case, part="trafficking") == case
    assert not AuditEvent.objects.filter(action="trafficking.access.refused").exists()


@pytest.mark.parametrize("persona", ["caseworker", "manager", "medical_officer", "colleague"])
def test_other_roles_are_refused_and_the_attempt_is_audited(request, persona, case):
    user = request.getfixturevalue(persona)
    with pytest.raises(access.AccessRefused) as exc:
        access.protected_case(user, case, part="interview", method="POST")
    assert exc.value.status == 404 and exc.value.code == "not_found"
    event = AuditEvent.objects.get(action="trafficking.access.refused")
    assert event.actor == user and event.case_id == case.pk
    assert event.changes == {"part": "interview", "method": "POST"}


def test_receiving_mission_protection_officer_only_after_handover(origin_protection, guinea, case):
    with pytest.raises(access.AccessRefused):
        access.protected_case(origin_protection, case, part="trafficking")
    hand_over(case, guinea)
    assert access.protected_case(origin_protection, case, part="trafficking") == case
