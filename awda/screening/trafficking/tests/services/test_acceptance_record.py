import pytest

from awda.accounts.choices import MissionKind
from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import MissionFactory
from awda.screening.trafficking import selectors, services
from awda.screening.trafficking.models import OriginAcceptance

from ..helpers import accept, assess, complete, consent, fresh, interview, principal


@pytest.fixture
def assessed(protection_officer, case):
    interview(protection_officer, case)
    consent(protection_officer, case)
    return complete(protection_officer, assess(protection_officer, case))


def test_acceptance_needs_a_completed_risk_assessment(protection_officer, case):
    interview(protection_officer, case)
    consent(protection_officer, case)
    assess(protection_officer, case)  # a draft is not enough
    with pytest.raises(ValidationFailed) as exc:
        accept(protection_officer, case)
    assert exc.value.code == "risk_assessment_missing"
    assert not OriginAcceptance.objects.exists()


def test_record_the_answer_newest_is_current(protection_officer, case, guinea, assessed):
    refused = accept(protection_officer, case, accepted=False)
    version = fresh(case).version
    accepted = accept(protection_officer, case, accepted=True)
    assert accepted.origin_mission == guinea  # the mission of the risk assessment
    assert accepted.decided_by_name == "M. Bah, protection focal point"
    records = selectors.person_records(case)[accepted.person_id]
    assert records.acceptance == accepted and records.acceptances[1] == refused
    assert fresh(case).version == version + 1
    event = AuditEvent.objects.filter(action="trafficking.acceptance.recorded").first()
    assert event.changes == {"person": accepted.person_id, "record": accepted.pk}


def test_another_mission_may_be_named(protection_officer, case, assessed):
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind=MissionKind.ORIGIN)
    record = services.acceptance_record(
        protection_officer,
        case=fresh(case),
        member=principal(case),
        accepted=True,
        decided_by_name="Focal point",
        origin_mission=mali,
    )
    assert record.origin_mission == mali


def test_who_decided_is_required(protection_officer, case, assessed):
    with pytest.raises(ValidationFailed) as exc:
        services.acceptance_record(
            protection_officer,
            case=fresh(case),
            member=principal(case),
            accepted=True,
            decided_by_name=" ",
        )
    assert "decided_by_name" in exc.value.fields


@pytest.mark.parametrize("persona", ["caseworker", "manager", "medical_officer"])
def test_other_roles_are_denied_and_nothing_is_written(request, persona, case, assessed):
    user = request.getfixturevalue(persona)
    version = fresh(case).version
    with pytest.raises(PermissionDenied):
        accept(user, case)
    assert not OriginAcceptance.objects.exists()
    assert not AuditEvent.objects.filter(action="trafficking.acceptance.recorded").exists()
    assert fresh(case).version == version
