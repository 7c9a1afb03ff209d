"""A family tracing request discloses the child's data to the origin mission: written to the
transfer log in the same transaction, refused without consent; its outcome is versioned."""

import pytest

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import person_data, register_case
from awda.screening.children.models import FamilyTracing
from awda.screening.consent.models import DataTransfer

from .. import steps
from ..conftest import years_ago


def test_refused_without_consent_to_sharing_and_nothing_is_written(
    protection_officer, child_case, child
):
    version = child_case.version
    with pytest.raises(ValidationFailed) as exc:
        steps.trace(protection_officer, child_case, child)
    assert exc.value.code == "consent_missing"
    assert not FamilyTracing.objects.exists()
    assert not DataTransfer.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="child_protection.").exists()
    child_case.refresh_from_db()
    assert child_case.version == version


def test_return_consent_alone_is_not_enough(protection_officer, child_case, child):
    steps.guardian_consent(protection_officer, child_case, child, origin_mission=False)
    with pytest.raises(ValidationFailed):
        steps.trace(protection_officer, child_case, child)
    assert not FamilyTracing.objects.exists()


def test_request_goes_to_the_mission_of_the_country_of_return_and_is_logged(
    protection_officer, child_case, child, guinea
):
    steps.guardian_consent(protection_officer, child_case, child)
    tracing = steps.trace(protection_officer, child_case, child)
    assert tracing.origin_mission == guinea and tracing.status == "requested"
    assert tracing.version == 1
    transfer = DataTransfer.objects.get()
    assert tracing.transfer == transfer
    assert transfer.recipient == "Guinea" and transfer.purpose == "origin_mission"
    assert transfer.categories == ["identity", "child_protection"]
    assert list(transfer.persons.all()) == [child]
    event = AuditEvent.objects.get(action="child_protection.tracing.requested")
    assert event.changes == {
        "person": child.pk,
        "uasc_step": "tracing",
        "record": tracing.pk,
        "transfer": transfer.pk,
    }


def test_without_a_mission_for_the_country_the_mission_must_be_chosen(
    protection_officer, child_case, child, guinea
):
    # returning to Sierra Leone, where there is no mission: Guinea's covers it
    Case.objects.filter(pk=child_case.pk).update(country_of_return="SL")
    child_case.refresh_from_db()
    steps.guardian_consent(protection_officer, child_case, child)
    with pytest.raises(ValidationFailed) as exc:
        steps.trace(protection_officer, child_case, child)
    assert "origin_mission" in exc.value.fields
    tracing = steps.trace(protection_officer, child_case, child, origin_mission=guinea)
    assert tracing.origin_mission == guinea


def test_a_host_mission_is_refused_and_nothing_is_written(
    protection_officer, child_case, child, morocco
):
    """Tracing goes to the mission of the child's country of origin, never to the host mission
    the child is in: refused with a field error, nothing logged."""
    steps.guardian_consent(protection_officer, child_case, child)
    version = child_case.version
    with pytest.raises(ValidationFailed) as exc:
        steps.trace(protection_officer, child_case, child, origin_mission=morocco)
    assert set(exc.value.fields) == {"origin_mission"}
    assert not FamilyTracing.objects.exists()
    assert not DataTransfer.objects.exists()
    child_case.refresh_from_db()
    assert child_case.version == version


def test_an_inactive_origin_mission_is_refused(protection_officer, child_case, child, guinea):
    steps.guardian_consent(protection_officer, child_case, child)
    guinea.is_active = False
    guinea.save()
    with pytest.raises(ValidationFailed) as exc:
        steps.trace(protection_officer, child_case, child, origin_mission=guinea)
    assert set(exc.value.fields) == {"origin_mission"}
    assert not FamilyTracing.objects.exists()


def test_the_default_is_never_a_host_mission(protection_officer, rabat, caseworker, morocco):
    """A child whose country of return has only a host mission (here: a Moroccan child) gets no
    default: the origin mission must be chosen."""
    case = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Youssef", nationality="MA", date_of_birth=years_ago(15)),
    )
    assert case.country_of_return == morocco.code
    child = case.principal
    steps.guardian_consent(protection_officer, case, child)
    with pytest.raises(ValidationFailed) as exc:
        steps.trace(protection_officer, case, child)
    assert set(exc.value.fields) == {"origin_mission"}
    assert not FamilyTracing.objects.exists()


def test_outcome_is_recorded_with_the_version_and_audited_without_it(
    protection_officer, child_case, child
):
    steps.guardian_consent(protection_officer, child_case, child)
    tracing = steps.trace(protection_officer, child_case, child)
    tracing = steps.locate(protection_officer, tracing)
    tracing.refresh_from_db()
    assert tracing.status == "located" and tracing.version == 2
    assert tracing.updated_by == protection_officer
    event = AuditEvent.objects.get(action="child_protection.tracing.updated")
    assert event.changes == {
        "person": child.pk,
        "uasc_step": "tracing",
        "record": tracing.pk,
        "version": 2,
    }
    assert "located" not in str(event.changes) and "Labé" not in str(event.changes)


def test_stale_outcome_is_refused(protection_officer, child_case, child):
    steps.guardian_consent(protection_officer, child_case, child)
    tracing = steps.trace(protection_officer, child_case, child)
    stale = FamilyTracing.objects.get(pk=tracing.pk)
    services_update = steps.locate(protection_officer, tracing, status="in_progress")
    assert services_update.version == 2
    with pytest.raises(StaleEdit):
        steps.locate(protection_officer, stale, status="located")
    tracing.refresh_from_db()
    assert tracing.status == "in_progress"


def test_an_outcome_needs_its_date_and_cannot_precede_the_request(
    protection_officer, child_case, child
):
    steps.guardian_consent(protection_officer, child_case, child)
    tracing = steps.trace(protection_officer, child_case, child)
    with pytest.raises(ValidationFailed) as exc:
        steps.locate(protection_officer, tracing, outcome_on=None)
    assert set(exc.value.fields) == {"outcome_on"}
    earlier = tracing.requested_on.replace(year=tracing.requested_on.year - 1)
    with pytest.raises(ValidationFailed):
        steps.locate(protection_officer, tracing, outcome_on=earlier)
    # progress without an outcome needs no date
    steps.locate(protection_officer, tracing, status="in_progress", outcome_on=None)


def test_outcome_by_a_caseworker_is_refused(protection_officer, caseworker, child_case, child):
    steps.guardian_consent(protection_officer, child_case, child)
    tracing = steps.trace(protection_officer, child_case, child)
    with pytest.raises(PermissionDenied):
        steps.locate(caseworker, tracing)
    tracing.refresh_from_db()
    assert tracing.status == "requested" and tracing.version == 1
