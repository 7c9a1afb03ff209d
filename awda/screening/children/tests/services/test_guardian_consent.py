"""Guardian consent is recorded in the consent app: to the return and, optionally, to sharing
with the origin mission, in one go."""

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.screening.consent.models import Consent
from awda.screening.consent.selectors import valid_purposes

from .. import steps


def test_records_both_consents_with_the_guardian(protection_officer, child_case, child):
    consents = steps.guardian_consent(protection_officer, child_case, child)
    assert [c.purpose for c in consents] == ["avrr", "origin_mission"]
    assert all(c.guardian_name == "Kadiatou Bah" for c in consents)
    assert valid_purposes([child.pk])[child.pk] == {"avrr", "origin_mission"}
    event = AuditEvent.objects.get(action="child_protection.guardian_consent.recorded")
    assert event.changes == {
        "person": child.pk,
        "uasc_step": "guardian_consent",
        "record": consents[0].pk,
        "consents": [c.pk for c in consents],
    }
    # the consent app audits its own records too
    assert AuditEvent.objects.filter(action="consent.consent.recorded").count() == 2


def test_only_the_return_when_asked(protection_officer, child_case, child):
    consents = steps.guardian_consent(protection_officer, child_case, child, origin_mission=False)
    assert [c.purpose for c in consents] == ["avrr"]


def test_the_guardian_is_required_and_nothing_is_half_written(
    protection_officer, child_case, child
):
    with pytest.raises(ValidationFailed) as exc:
        steps.guardian_consent(protection_officer, child_case, child, guardian_name="")
    assert set(exc.value.fields) == {"guardian_name"}
    # the consent app refuses the language: neither consent is kept
    with pytest.raises(ValidationFailed) as exc:
        steps.guardian_consent(protection_officer, child_case, child, language="")
    assert "language" in exc.value.fields
    assert not Consent.objects.exists()


def test_a_caseworker_uses_the_consent_tab_not_this_step(caseworker, child_case, child):
    with pytest.raises(PermissionDenied):
        steps.guardian_consent(caseworker, child_case, child)
    assert not Consent.objects.exists()


def test_no_free_text_reaches_the_consent_records(protection_officer, child_case, child):
    """Consent records are read by every role with "consent.view": a note typed on the
    restricted child-protection tab must not be stored there, so the service takes none."""
    with pytest.raises(TypeError):
        steps.guardian_consent(
            protection_officer, child_case, child, notes="Mother afraid of the uncle"
        )
    assert not Consent.objects.exists()
    consents = steps.guardian_consent(protection_officer, child_case, child)
    assert all(c.notes == "" for c in consents)
