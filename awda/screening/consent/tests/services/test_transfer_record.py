import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.screening.consent import services
from awda.screening.consent.choices import DataCategory, Purpose
from awda.screening.consent.models import DataTransfer

from ..conftest import persons_of


def transfer(user, case, persons, **kwargs):
    args = {
        "recipient": "Consulate of Guinea, Rabat",
        "purpose": Purpose.CONSULATE,
        "categories": [DataCategory.IDENTITY, DataCategory.DOCUMENTS],
    } | kwargs
    return services.transfer_record(user, case=case, persons=persons, **args)


def test_transfer_is_recorded_with_the_consents_used_and_audited(caseworker, family, give):
    mother, child = persons_of(family)
    c1 = give(caseworker, family, mother, purpose=Purpose.CONSULATE)
    c2 = give(caseworker, family, child, purpose=Purpose.CONSULATE)
    give(caseworker, family, mother, purpose=Purpose.DONORS)  # not used
    t = transfer(caseworker, family, [mother, child.pk], notes="Laissez-passer request")
    t.refresh_from_db()
    assert set(t.persons.values_list("pk", flat=True)) == {mother.pk, child.pk}
    assert set(t.consents.values_list("pk", flat=True)) == {c1.pk, c2.pk}
    assert t.categories == ["identity", "documents"]
    assert t.transferred_on == timezone.localdate()
    assert t.recorded_by == caseworker
    event = AuditEvent.objects.get(action=services.TRANSFER_RECORDED)
    assert event.case_id == family.pk
    assert event.changes == {
        "members": [mother.pk, child.pk],
        "recipient": "Consulate of Guinea, Rabat",
        "purpose": "consulate",
        "categories": ["identity", "documents"],
        "transferred_on": timezone.localdate().isoformat(),
    }
    assert "Laissez" not in str(event.changes)


def test_transfer_without_consent_is_refused_naming_person_and_purpose(caseworker, family, give):
    mother, child = persons_of(family)
    give(caseworker, family, mother, purpose=Purpose.CONSULATE)
    give(caseworker, family, child, purpose=Purpose.UNHCR)  # another purpose does not count
    with pytest.raises(ValidationFailed) as exc:
        transfer(caseworker, family, [mother, child])
    err = exc.value
    assert err.code == "consent_missing"
    assert "Ibrahima CAMARA" in str(err.message)
    assert "Aminata" not in str(err.message)
    assert str(Purpose.CONSULATE.label) in str(err.message)
    assert err.details == {"missing": [{"person": child.pk, "purpose": "consulate"}]}
    assert not DataTransfer.objects.exists()
    assert not AuditEvent.objects.filter(action=services.TRANSFER_RECORDED).exists()


def test_refused_or_withdrawn_consent_does_not_allow_a_transfer(caseworker, case, give):
    person = persons_of(case)[0]
    give(caseworker, case, person, purpose=Purpose.DONORS, given=False)
    with pytest.raises(ValidationFailed):
        transfer(caseworker, case, [person], purpose=Purpose.DONORS, recipient="Donor")
    c = give(caseworker, case, person, purpose=Purpose.DONORS)
    services.consent_withdraw(caseworker, consent=c, reason="r")
    with pytest.raises(ValidationFailed) as exc:
        transfer(caseworker, case, [person], purpose=Purpose.DONORS, recipient="Donor")
    assert exc.value.code == "consent_missing"
    assert not DataTransfer.objects.exists()


def test_consent_must_be_valid_on_the_date_of_the_transfer(caseworker, case, give):
    person = persons_of(case)[0]
    today = timezone.localdate()
    give(caseworker, case, person, purpose=Purpose.CONSULATE)
    with pytest.raises(ValidationFailed) as exc:
        transfer(caseworker, case, [person], transferred_on=today - datetime.timedelta(days=1))
    assert exc.value.code == "consent_missing"
    transfer(caseworker, case, [person], transferred_on=today)


def test_health_data_needs_the_health_data_consent_too(caseworker, family, give):
    mother, child = persons_of(family)
    for p in (mother, child):
        give(caseworker, family, p, purpose=Purpose.SERVICE_PROVIDERS)
    give(caseworker, family, mother, purpose=Purpose.HEALTH_DATA)
    cats = [DataCategory.IDENTITY, DataCategory.HEALTH]
    with pytest.raises(ValidationFailed) as exc:
        transfer(
            caseworker,
            family,
            [mother, child],
            purpose=Purpose.SERVICE_PROVIDERS,
            recipient="Clinic",
            categories=cats,
        )
    message = str(exc.value.message)
    assert str(Purpose.HEALTH_DATA.label) in message
    assert "Ibrahima CAMARA" in message and "Aminata" not in message
    assert exc.value.details == {"missing": [{"person": child.pk, "purpose": "health_data"}]}
    assert not DataTransfer.objects.exists()
    give(caseworker, family, child, purpose=Purpose.HEALTH_DATA)
    t = transfer(
        caseworker,
        family,
        [mother, child],
        purpose=Purpose.SERVICE_PROVIDERS,
        recipient="Clinic",
        categories=cats,
    )
    assert t.consents.count() == 4
    assert set(t.consents.values_list("purpose", flat=True)) == {"service_providers", "health_data"}


def test_message_names_every_person_for_every_missing_purpose(caseworker, family):
    with pytest.raises(ValidationFailed) as exc:
        transfer(
            caseworker,
            family,
            persons_of(family),
            purpose=Purpose.ORIGIN_MISSION,
            recipient="Mission Conakry",
            categories=[DataCategory.HEALTH],
        )
    message = str(exc.value.message)
    assert message.count("Aminata CAMARA") == 2
    assert message.count("Ibrahima CAMARA") == 2
    assert str(Purpose.ORIGIN_MISSION.label) in message
    assert str(Purpose.HEALTH_DATA.label) in message
    assert len(exc.value.details["missing"]) == 4


def test_a_refusal_inside_an_outer_transaction_rolls_the_caller_back(caseworker, case, give):
    """A feature that discloses data calls transfer_record inside its own atomic block: when the
    transfer is refused, the feature's own write is rolled back as well."""
    from awda.cases.models import Note

    person = persons_of(case)[0]
    with pytest.raises(ValidationFailed), transaction.atomic():
        Note.objects.create(case=case, author=caseworker, body="Export sent")
        transfer(caseworker, case, [person])
    assert not Note.objects.filter(body="Export sent").exists()
    assert not DataTransfer.objects.exists()


def test_a_transfer_inside_an_outer_transaction_that_fails_leaves_nothing(caseworker, case, give):
    person = persons_of(case)[0]
    give(caseworker, case, person, purpose=Purpose.CONSULATE)

    class ExportFailed(Exception):
        pass

    with pytest.raises(ExportFailed), transaction.atomic():
        transfer(caseworker, case, [person])
        assert DataTransfer.objects.count() == 1
        raise ExportFailed()
    assert not DataTransfer.objects.exists()
    assert not AuditEvent.objects.filter(action=services.TRANSFER_RECORDED).exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"recipient": " "}, "recipient"),
        ({"purpose": "sale"}, "purpose"),
        ({"categories": []}, "categories"),
        ({"categories": ["identity", "bank"]}, "categories"),
        ({"transferred_on": timezone.localdate() + datetime.timedelta(days=1)}, "transferred_on"),
    ],
)
def test_invalid_transfer_is_refused(caseworker, case, give, kwargs, field):
    person = persons_of(case)[0]
    give(caseworker, case, person, purpose=Purpose.CONSULATE)
    with pytest.raises(ValidationFailed) as exc:
        transfer(caseworker, case, [person], **kwargs)
    assert field in exc.value.fields
    assert not DataTransfer.objects.exists()


def test_persons_must_be_members_of_the_case(caseworker, case, family, give):
    outsider = persons_of(family)[0]
    give(caseworker, family, outsider, purpose=Purpose.CONSULATE)
    with pytest.raises(ValidationFailed) as exc:
        transfer(caseworker, case, [outsider])
    assert "persons" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        transfer(caseworker, case, [])
    assert "persons" in exc.value.fields
    assert not DataTransfer.objects.exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("caseworker", True),
        ("manager", True),
        ("protection_officer", True),
        ("medical_officer", True),
        ("movement_officer", True),
        ("finance_officer", False),
        ("auditor", False),
        ("other_office_user", False),
        ("origin_officer", False),
    ],
)
def test_who_may_record_a_transfer(request, caseworker, case, give, persona, allowed):
    person = persons_of(case)[0]
    give(caseworker, case, person, purpose=Purpose.CONSULATE)
    user = request.getfixturevalue(persona)
    if allowed:
        transfer(user, case, [person])
        assert DataTransfer.objects.count() == 1
        return
    with pytest.raises(PermissionDenied):
        transfer(user, case, [person])
    assert not DataTransfer.objects.exists()
    assert not AuditEvent.objects.filter(action=services.TRANSFER_RECORDED).exists()
