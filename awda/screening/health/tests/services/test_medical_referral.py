import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import OrganisationFactory
from awda.registry.choices import OrganisationKind
from awda.screening.consent.choices import Purpose
from awda.screening.consent.models import DataTransfer
from awda.screening.health.models import MedicalReferral
from awda.screening.health.services import (
    REFERRAL_RECORDED,
    REFERRAL_UPDATED,
    medical_referral_record,
    medical_referral_update,
)

from ..helpers import consent, fresh, principal


def refer(user, case, provider, **kwargs):
    return medical_referral_record(
        user,
        case=fresh(case),
        person=principal(case),
        provider=provider,
        purpose=kwargs.pop("purpose", "stabilisation"),
        **kwargs,
    )


def nothing_written():
    return (
        not MedicalReferral.objects.exists()
        and not DataTransfer.objects.exists()
        and not AuditEvent.objects.filter(action=REFERRAL_RECORDED).exists()
    )


def test_referral_records_the_disclosure_to_the_provider(
    caseworker, medical_officer, case, hospital
):
    consent(caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
    version = fresh(case).version
    referral = refer(medical_officer, case, hospital, notes="Referral letter")
    assert referral.status == "referred" and referral.provider == hospital
    transfer = referral.transfer
    assert transfer.recipient == hospital.name
    assert transfer.purpose == Purpose.SERVICE_PROVIDERS
    assert transfer.categories == ["identity", "health"]
    assert list(transfer.persons.all()) == [principal(case)]
    assert transfer.consents.count() == 2
    assert fresh(case).version == version + 1
    event = AuditEvent.objects.get(action=REFERRAL_RECORDED)
    assert event.changes == {
        "person": principal(case).pk,
        "referral": referral.pk,
        "transfer": transfer.pk,
    }


def test_the_free_text_stays_on_the_referral_and_the_transfer_log_gets_a_neutral_note(
    caseworker, medical_officer, case, hospital
):
    """The transfer log is read by roles without health access (managers, protection): what the
    medical officer types must not reach it."""
    consent(caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
    referral = refer(medical_officer, case, hospital, notes="  Suspected TB, X-ray attached  ")
    referral.refresh_from_db()
    assert referral.notes == "Suspected TB, X-ray attached"
    assert DataTransfer.objects.get().notes == "Medical referral"
    event = AuditEvent.objects.get(action=REFERRAL_RECORDED)
    assert "TB" not in str(event.changes)


@pytest.mark.parametrize("purposes", [(), (Purpose.SERVICE_PROVIDERS,), (Purpose.HEALTH_DATA,)])
def test_referral_is_refused_without_both_consents(
    caseworker, medical_officer, case, hospital, purposes
):
    if purposes:
        consent(caseworker, case, principal(case), *purposes)
    version = fresh(case).version
    with pytest.raises(ValidationFailed) as exc:
        refer(medical_officer, case, hospital)
    assert exc.value.code == "consent_missing"
    assert nothing_written()
    assert fresh(case).version == version


def test_withdrawn_consent_refuses_the_referral(caseworker, medical_officer, case, hospital):
    from awda.screening.consent.services import consent_withdraw

    _sp, health = consent(
        caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA
    )
    consent_withdraw(caseworker, consent=health, reason="Changed her mind")
    with pytest.raises(ValidationFailed):
        refer(medical_officer, case, hospital)
    assert nothing_written()


def test_only_medical_officers_refer(caseworker, case, hospital):
    consent(caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
    with pytest.raises(PermissionDenied):
        refer(caseworker, case, hospital)
    assert nothing_written()


def test_provider_must_be_an_active_care_provider(caseworker, medical_officer, case):
    consent(caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
    consulate = OrganisationFactory(kind=OrganisationKind.CONSULATE)
    closed = OrganisationFactory(kind=OrganisationKind.HOSPITAL, is_active=False)
    for provider in (consulate, closed, None):
        with pytest.raises(ValidationFailed) as exc:
            refer(medical_officer, case, provider)
        assert "provider" in exc.value.fields
    assert nothing_written()


def test_follow_up_with_the_version_read(caseworker, medical_officer, case, hospital):
    consent(caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
    referral = refer(medical_officer, case, hospital)
    medical_referral_update(
        medical_officer, referral=referral, expected_version=1, status="treated", outcome="Ok"
    )
    referral.refresh_from_db()
    assert (referral.status, referral.outcome, referral.version) == ("treated", "Ok", 2)
    event = AuditEvent.objects.get(action=REFERRAL_UPDATED)
    assert event.changes["fields"] == ["status", "outcome"] and "Ok" not in str(event.changes)
    with pytest.raises(StaleEdit):
        medical_referral_update(
            medical_officer, referral=referral, expected_version=1, status="closed"
        )
    with pytest.raises(PermissionDenied):
        medical_referral_update(caseworker, referral=referral, expected_version=2, status="closed")
    referral.refresh_from_db()
    assert referral.status == "treated"
