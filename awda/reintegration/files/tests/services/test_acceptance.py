import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.reintegration.files import services
from awda.reintegration.models import ReintegrationFile


def test_accepting_an_arrived_case_sets_the_plan_due_date(arrived, origin_officer, conakry):
    file = services.handover_accept(
        origin_officer, case=arrived, office=conakry, officer=origin_officer
    )
    assert file.arrived_on is not None and file.plan_due_on is not None
    assert (file.plan_due_on - file.arrived_on).days == 30
    assert AuditEvent.objects.filter(action=services.HANDOVER_ACCEPTED).exists()


def test_assigning_another_officer(accepted, origin_officer, origin_manager):
    file = ReintegrationFile.objects.get(case=accepted)
    services.file_assign(
        origin_officer, case=accepted, officer=origin_manager, expected_version=file.version
    )
    file.refresh_from_db()
    assert file.officer == origin_manager and file.version == 2
    event = AuditEvent.objects.get(action=services.FILE_ASSIGNED)
    assert event.changes["officer"] == {"from": None, "to": origin_manager.username}
    with pytest.raises(StaleEdit):
        services.file_assign(origin_officer, case=accepted, officer=None, expected_version=1)
    file.refresh_from_db()
    assert file.officer == origin_manager


def test_the_officer_must_work_in_the_office(accepted, origin_officer, kankan_officer, caseworker):
    for other in (kankan_officer, caseworker):
        with pytest.raises(ValidationFailed) as exc:
            services.file_assign(origin_officer, case=accepted, officer=other, expected_version=1)
        assert "officer" in exc.value.fields
    assert ReintegrationFile.objects.get(case=accepted).officer is None


def test_host_staff_may_not_assign(accepted, manager, origin_officer):
    with pytest.raises(PermissionDenied):
        services.file_assign(manager, case=accepted, officer=origin_officer, expected_version=1)
    assert ReintegrationFile.objects.get(case=accepted).version == 1
