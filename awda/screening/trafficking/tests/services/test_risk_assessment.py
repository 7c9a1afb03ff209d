import pytest

from awda.accounts.choices import MissionKind
from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import MissionFactory, register_case
from awda.screening.consent.models import DataTransfer
from awda.screening.trafficking import services
from awda.screening.trafficking.models import ReturnRiskAssessment

from ..conftest import hand_over
from ..helpers import FULL, assess, complete, consent, fresh, interview, principal


@pytest.fixture
def interviewed(protection_officer, case):
    interview(protection_officer, case)
    consent(protection_officer, case)
    return case


def test_create_a_draft_shared_with_the_origin_mission(protection_officer, guinea, interviewed):
    version = fresh(interviewed).version
    a = assess(protection_officer, interviewed, origin_focal_point="Mme Soumah")
    assert a.status == "draft" and a.version == 1
    assert a.origin_mission == guinea  # the mission of the country of return
    assert a.origin_focal_point == "Mme Soumah"
    assert fresh(interviewed).version == version + 1
    # sharing it is a disclosure, recorded in the transfer log
    transfer = DataTransfer.objects.get(case=interviewed)
    assert transfer.purpose == "origin_mission" and transfer.recipient == "Guinea"
    assert transfer.categories == ["identity", "trafficking"]
    assert list(transfer.persons.all()) == [principal(interviewed).person]
    event = AuditEvent.objects.get(action="trafficking.risk_assessment.created")
    assert event.changes == {"person": a.person_id, "record": a.pk}


def test_without_consent_nothing_is_written(protection_officer, case):
    interview(protection_officer, case)
    version = fresh(case).version
    with pytest.raises(ValidationFailed) as exc:
        assess(protection_officer, case)
    assert exc.value.code == "consent_missing"
    assert not ReturnRiskAssessment.objects.exists()
    assert not DataTransfer.objects.exists()
    assert not AuditEvent.objects.filter(action="trafficking.risk_assessment.created").exists()
    assert fresh(case).version == version


def test_interview_is_required_first(protection_officer, case):
    consent(protection_officer, case)
    with pytest.raises(ValidationFailed) as exc:
        assess(protection_officer, case)
    assert exc.value.code == "interview_missing"


def test_the_receiving_mission_is_the_default(protection_officer, interviewed):
    other = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind=MissionKind.ORIGIN)
    hand_over(interviewed, other)
    assert assess(protection_officer, interviewed).origin_mission == other


def test_an_origin_mission_is_needed(protection_officer, caseworker, rabat):
    case = register_case(caseworker, rabat, country_of_return="SN")  # no mission for Senegal
    interview(protection_officer, case)
    consent(protection_officer, case)
    with pytest.raises(ValidationFailed) as exc:
        assess(protection_officer, case)
    assert "origin_mission" in exc.value.fields


def test_one_draft_at_a_time(protection_officer, interviewed):
    assess(protection_officer, interviewed)
    with pytest.raises(ValidationFailed) as exc:
        assess(protection_officer, interviewed)
    assert exc.value.code == "draft_exists"
    assert ReturnRiskAssessment.objects.count() == 1
    assert DataTransfer.objects.count() == 1


def test_update_a_draft_with_its_version(protection_officer, interviewed):
    a = assess(protection_officer, interviewed)
    services.risk_assessment_update(
        protection_officer, assessment=a, expected_version=1, data={"risk_level": "medium"}
    )
    a.refresh_from_db()
    assert a.risk_level == "medium" and a.version == 2
    event = AuditEvent.objects.get(action="trafficking.risk_assessment.updated")
    assert event.changes == {"person": a.person_id, "record": a.pk}


def test_stale_update_is_refused(protection_officer, interviewed):
    a = assess(protection_officer, interviewed)
    stale = ReturnRiskAssessment.objects.get(pk=a.pk)
    services.risk_assessment_update(
        protection_officer, assessment=a, expected_version=1, data={"risks": "first edit"}
    )
    with pytest.raises(StaleEdit):
        services.risk_assessment_update(
            protection_officer, assessment=stale, expected_version=1, data={"risks": "lost"}
        )
    a.refresh_from_db()
    assert a.risks == "first edit" and a.version == 2
    assert AuditEvent.objects.filter(action="trafficking.risk_assessment.updated").count() == 1


def test_invalid_risk_level_is_refused(protection_officer, interviewed):
    a = assess(protection_officer, interviewed)
    with pytest.raises(ValidationFailed) as exc:
        services.risk_assessment_update(
            protection_officer, assessment=a, expected_version=1, data={"risk_level": "severe"}
        )
    assert "risk_level" in exc.value.fields


def test_completing_needs_level_mitigation_and_security_plan(protection_officer, interviewed):
    a = assess(protection_officer, interviewed, risks="Some risk")
    with pytest.raises(ValidationFailed) as exc:
        services.risk_assessment_complete(protection_officer, assessment=a, expected_version=1)
    assert exc.value.code == "assessment_incomplete"
    assert set(exc.value.fields) == {"risk_level", "mitigation", "security_plan"}
    a.refresh_from_db()
    assert a.status == "draft" and a.version == 1


def test_complete_then_it_no_longer_changes(protection_officer, interviewed):
    a = complete(protection_officer, assess(protection_officer, interviewed))
    a.refresh_from_db()
    assert a.status == "completed" and a.completed_by == protection_officer
    assert a.completed_on is not None and a.risk_level == FULL["risk_level"]
    for call in (
        lambda: services.risk_assessment_update(
            protection_officer, assessment=a, expected_version=a.version, data={"risks": "x"}
        ),
        lambda: services.risk_assessment_complete(
            protection_officer, assessment=a, expected_version=a.version
        ),
    ):
        with pytest.raises(ValidationFailed) as exc:
            call()
        assert exc.value.code == "assessment_completed"
    # a new assessment may be started once the previous one is completed
    assert assess(protection_officer, interviewed).status == "draft"


@pytest.mark.parametrize("persona", ["caseworker", "manager", "medical_officer"])
def test_other_roles_are_denied_and_nothing_is_written(
    request, persona, protection_officer, interviewed
):
    draft = assess(protection_officer, interviewed, **FULL)
    user = request.getfixturevalue(persona)
    version = fresh(interviewed).version
    before = AuditEvent.objects.filter(action__startswith="trafficking.").count()
    calls = [
        lambda: assess(user, interviewed),
        lambda: services.risk_assessment_update(
            user, assessment=draft, expected_version=1, data={"risks": "changed"}
        ),
        lambda: services.risk_assessment_complete(user, assessment=draft, expected_version=1),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.version == 1 and draft.risks == FULL["risks"]
    assert ReturnRiskAssessment.objects.count() == 1 and DataTransfer.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="trafficking.").count() == before
    assert fresh(interviewed).version == version


def test_the_mission_must_be_an_active_origin_mission(protection_officer, morocco, interviewed):
    with pytest.raises(ValidationFailed) as exc:
        assess(protection_officer, interviewed, origin_mission=morocco)  # the host mission
    assert "origin_mission" in exc.value.fields
    assert not ReturnRiskAssessment.objects.exists()
