import datetime

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.reintegration.files import services
from awda.reintegration.models import Reception

from ..conftest import receive

TODAY = timezone.localdate


def test_recording_the_reception_starts_the_reintegration(accepted, origin_officer):
    case = receive(
        origin_officer,
        accepted,
        met_by="IOM team",
        accommodation_nights=2,
        accommodation_place="Transit centre",
    )
    assert case.status == "reintegration"
    reception = Reception.objects.get(case=case)
    assert reception.accommodation_nights == 2 and reception.version == 1
    actions = list(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert services.RECEPTION_RECORDED in actions and "cases.case.transitioned" in actions
    assert case.transitions.filter(name="start_reintegration").exists()


def test_a_departed_case_is_refused_until_the_arrival_is_confirmed(
    departed, origin_officer, conakry
):
    services.handover_accept(origin_officer, case=departed, office=conakry)
    case = Case.objects.get(pk=departed.pk)
    with pytest.raises(ValidationFailed) as exc:
        services.reception_record(origin_officer, case=case, received_on=TODAY())
    assert exc.value.code == "not_arrived" and "confirm the arrival first" in str(exc.value.message)
    assert not Reception.objects.exists()


def test_the_handover_must_be_accepted_first(arrived, origin_officer):
    with pytest.raises(ValidationFailed) as exc:
        services.reception_record(origin_officer, case=arrived, received_on=TODAY())
    assert exc.value.code == "not_accepted"
    assert Case.objects.get(pk=arrived.pk).status == "arrived"


def test_the_host_caseworker_may_not_record(accepted, caseworker):
    with pytest.raises(PermissionDenied):
        services.reception_record(caseworker, case=accepted, received_on=TODAY())
    assert not Reception.objects.exists()


def test_the_reception_date_is_not_in_the_future(accepted, origin_officer):
    with pytest.raises(ValidationFailed) as exc:
        services.reception_record(
            origin_officer, case=accepted, received_on=TODAY() + datetime.timedelta(days=1)
        )
    assert "received_on" in exc.value.fields
    assert Case.objects.get(pk=accepted.pk).status == "arrived"


def test_a_correction_needs_the_version_read(received, origin_officer):
    reception = Reception.objects.get(case=received)
    with pytest.raises(ValidationFailed):
        services.reception_record(origin_officer, case=received, received_on=TODAY())
    updated = services.reception_record(
        origin_officer, case=received, received_on=TODAY(), met_by="Fatou", expected_version=1
    )
    assert updated.version == 2 and updated.met_by == "Fatou" and updated.pk == reception.pk
    with pytest.raises(StaleEdit):
        services.reception_record(
            origin_officer, case=received, received_on=TODAY(), met_by="X", expected_version=1
        )
    assert Reception.objects.get(pk=reception.pk).met_by == "Fatou"
    event = AuditEvent.objects.get(action=services.RECEPTION_UPDATED)
    assert event.changes["met_by"]["to"] == "Fatou"
    # the case stays in reintegration
    assert Case.objects.get(pk=received.pk).status == "reintegration"
