import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.screening.health.models import MedicalNeed
from awda.screening.health.services import NEED_RECORDED, NEED_UPDATED, medical_need_update

from ..helpers import fresh, principal, record_need


def test_records_a_need_and_audits_ids_only(medical_officer, case):
    version = fresh(case).version
    need = record_need(medical_officer, case, principal(case))
    assert need.status == "open" and need.version == 1 and need.recorded_by == medical_officer
    assert fresh(case).version == version + 1
    event = AuditEvent.objects.get(action=NEED_RECORDED)
    assert event.changes == {"person": principal(case).pk, "need": need.pk}
    assert "diabetes" not in (str(event.changes) + event.object_repr).lower()


@pytest.mark.parametrize("persona", ["caseworker", "manager", "movement_officer"])
def test_only_medical_officers_record_needs(request, persona, case):
    with pytest.raises(PermissionDenied):
        record_need(request.getfixturevalue(persona), case, principal(case))
    assert not MedicalNeed.objects.exists()
    assert not AuditEvent.objects.filter(action=NEED_RECORDED).exists()


def test_a_need_without_description_or_with_an_unknown_category_is_refused(medical_officer, case):
    with pytest.raises(ValidationFailed) as exc:
        record_need(medical_officer, case, principal(case), description=" ", category="flu")
    assert set(exc.value.fields) == {"description", "category"}
    assert not MedicalNeed.objects.exists()


def test_update_with_the_version_read(medical_officer, case):
    need = record_need(medical_officer, case, principal(case))
    need = medical_need_update(
        medical_officer, need=need, expected_version=1, status="stabilised", severity="low"
    )
    assert need.version == 2
    need.refresh_from_db()
    assert (need.status, need.severity, need.version) == ("stabilised", "low", 2)
    event = AuditEvent.objects.get(action=NEED_UPDATED)
    assert event.changes == {
        "person": need.person_id,
        "need": need.pk,
        "fields": ["severity", "status"],
    }


def test_a_stale_update_is_refused(medical_officer, case):
    need = record_need(medical_officer, case, principal(case))
    medical_need_update(medical_officer, need=need, expected_version=1, status="resolved")
    with pytest.raises(StaleEdit):
        medical_need_update(medical_officer, need=need, expected_version=1, status="open")
    need.refresh_from_db()
    assert need.status == "resolved" and need.version == 2


def test_update_denied_to_a_caseworker_and_unknown_fields_refused(
    caseworker, medical_officer, case
):
    need = record_need(medical_officer, case, principal(case))
    with pytest.raises(PermissionDenied):
        medical_need_update(caseworker, need=need, expected_version=1, status="resolved")
    with pytest.raises(ValidationFailed) as exc:
        medical_need_update(medical_officer, need=need, expected_version=1, person=None)
    assert "person" in exc.value.fields
    with pytest.raises(ValidationFailed):
        medical_need_update(medical_officer, need=need, expected_version=1, status="gone")
    need.refresh_from_db()
    assert need.status == "open" and need.version == 1
    assert not AuditEvent.objects.filter(action=NEED_UPDATED).exists()
