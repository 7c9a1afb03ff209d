import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.screening.trafficking import selectors
from awda.screening.trafficking.models import TraffickingDetermination

from ..helpers import determine, fresh, interview


def test_determination_needs_an_interview_first(protection_officer, case):
    with pytest.raises(ValidationFailed) as exc:
        determine(protection_officer, case)
    assert exc.value.code == "interview_missing"
    assert not TraffickingDetermination.objects.exists()


def test_the_newest_determination_is_current(protection_officer, case):
    interview(protection_officer, case)
    determine(protection_officer, case, outcome="inconclusive", reasons="Needs a second interview")
    version = fresh(case).version
    latest = determine(protection_officer, case, outcome="presumed_victim")
    records = selectors.person_records(case)[latest.person_id]
    assert [d.outcome for d in records.determinations] == ["presumed_victim", "inconclusive"]
    assert records.determination == latest
    assert fresh(case).version == version + 1
    event = AuditEvent.objects.filter(action="trafficking.determination.recorded").first()
    assert event.changes == {"person": latest.person_id, "record": latest.pk}


@pytest.mark.parametrize(
    ("outcome", "reasons", "field"),
    [("guilty", "x", "outcome"), ("victim", "  ", "reasons")],
)
def test_outcome_and_reasons_are_required(protection_officer, case, outcome, reasons, field):
    interview(protection_officer, case)
    with pytest.raises(ValidationFailed) as exc:
        determine(protection_officer, case, outcome=outcome, reasons=reasons)
    assert field in exc.value.fields


@pytest.mark.parametrize("persona", ["caseworker", "manager", "medical_officer"])
def test_other_roles_are_denied_and_nothing_is_written(request, persona, protection_officer, case):
    interview(protection_officer, case)
    user = request.getfixturevalue(persona)
    version = fresh(case).version
    with pytest.raises(PermissionDenied):
        determine(user, case)
    assert not TraffickingDetermination.objects.exists()
    assert not AuditEvent.objects.filter(action="trafficking.determination.recorded").exists()
    assert fresh(case).version == version
