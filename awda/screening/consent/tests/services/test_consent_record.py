import datetime

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.screening.consent import selectors, services
from awda.screening.consent.choices import Purpose
from awda.screening.consent.models import Consent

from ..conftest import persons_of


def test_consent_is_recorded_and_audited(caseworker, case):
    person = persons_of(case)[0]
    consent = services.consent_record(
        caseworker,
        case=case,
        person=person,
        purpose=Purpose.CONSULATE,
        language="ff",
        notes="Explained with the leaflet in Pular.",
    )
    consent.refresh_from_db()
    assert consent.given is True
    assert consent.given_on == timezone.localdate()
    assert consent.taken_by == caseworker
    assert consent.language == "ff"
    event = AuditEvent.objects.get(action=services.CONSENT_RECORDED)
    assert event.case_id == case.pk
    assert event.person_id == person.pk
    assert event.object_id == str(consent.pk)
    assert event.changes["purpose"] == "consulate"
    assert event.changes["person"] == person.pk
    # Notes are not copied into the audit trail (the timeline shows it to every role).
    assert "leaflet" not in str(event.changes)
    assert selectors.has_valid_consent(person.pk, Purpose.CONSULATE)
    assert not selectors.has_valid_consent(person.pk, Purpose.UNHCR)


def test_a_refusal_is_recorded_and_is_not_a_valid_consent(caseworker, case):
    person = persons_of(case)[0]
    consent = services.consent_record(
        caseworker, case=case, person=person, purpose=Purpose.DONORS, given=False, language="fr"
    )
    assert consent.given is False
    assert not selectors.has_valid_consent(person.pk, Purpose.DONORS)
    assert AuditEvent.objects.get(action=services.CONSENT_RECORDED).changes["given"] is False


def test_a_minor_needs_a_guardian(caseworker, family):
    child = persons_of(family)[1]
    with pytest.raises(ValidationFailed) as exc:
        services.consent_record(
            caseworker, case=family, person=child, purpose=Purpose.AVRR, language="fr"
        )
    assert set(exc.value.fields) == {"guardian_name", "guardian_relationship"}
    assert "Ibrahima" in str(exc.value.fields["guardian_name"][0])
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(action=services.CONSENT_RECORDED).exists()
    consent = services.consent_record(
        caseworker,
        case=family,
        person=child,
        purpose=Purpose.AVRR,
        language="fr",
        guardian_name="Aminata Camara",
        guardian_relationship="mother",
    )
    assert consent.guardian_name == "Aminata Camara"
    [valid] = selectors.valid_consents([child.pk])
    assert valid.guardian_relationship == "mother"


def test_guardian_rule_uses_the_age_on_the_date_of_consent(caseworker, rabat):
    from awda.factories import person_data, register_case

    today = timezone.localdate()
    # 18 today: a consent dated a year ago was a minor's.
    dob = datetime.date(today.year - 18, today.month, min(today.day, 28))
    case = register_case(caseworker, rabat, principal=person_data(date_of_birth=dob))
    person = persons_of(case)[0]
    with pytest.raises(ValidationFailed) as exc:
        services.consent_record(
            caseworker,
            case=case,
            person=person,
            purpose=Purpose.AVRR,
            language="fr",
            given_on=today - datetime.timedelta(days=366),
        )
    assert "guardian_name" in exc.value.fields
    services.consent_record(caseworker, case=case, person=person, purpose="avrr", language="fr")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"language": ""}, "language"),
        ({"language": "xx"}, "language"),
        ({"purpose": "marketing"}, "purpose"),
        ({"given_on": timezone.localdate() + datetime.timedelta(days=1)}, "given_on"),
    ],
)
def test_invalid_input_is_refused(caseworker, case, kwargs, field):
    person = persons_of(case)[0]
    args = {"purpose": Purpose.AVRR, "language": "fr"} | kwargs
    with pytest.raises(ValidationFailed) as exc:
        services.consent_record(caseworker, case=case, person=person, **args)
    assert field in exc.value.fields
    assert not Consent.objects.exists()


def test_person_must_be_a_member_of_the_case(caseworker, case, family):
    outsider = persons_of(family)[0]
    with pytest.raises(ValidationFailed) as exc:
        services.consent_record(
            caseworker, case=case, person=outsider, purpose=Purpose.AVRR, language="fr"
        )
    assert "person" in exc.value.fields


def test_a_new_consent_supersedes_nothing(caseworker, case, give):
    person = persons_of(case)[0]
    first = give(caseworker, case, person, given_on=timezone.localdate() - datetime.timedelta(5))
    second = give(caseworker, case, person)
    assert Consent.objects.filter(person=person, purpose="avrr").count() == 2
    first.refresh_from_db()
    assert first.withdrawn_on is None
    services.consent_withdraw(caseworker, consent=second, reason="Changed their mind")
    # the earlier consent is still valid: withdrawing one record withdraws that record only
    assert selectors.has_valid_consent(person.pk, "avrr")


def test_closed_case_refuses_new_consents(caseworker, case):
    case = Case.objects.get(pk=case.pk)
    case.status = "closed"
    case.save(update_fields=["status"])
    with pytest.raises(ValidationFailed) as exc:
        services.consent_record(
            caseworker, case=case, person=persons_of(case)[0], purpose="avrr", language="fr"
        )
    assert exc.value.code == "case_closed"


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("caseworker", True),
        ("colleague", True),
        ("manager", True),
        ("protection_officer", True),
        ("medical_officer", True),
        ("movement_officer", False),
        ("finance_officer", False),
        ("auditor", False),
        ("other_office_user", False),
        ("origin_officer", False),
    ],
)
def test_who_may_record_a_consent(request, case, persona, allowed):
    user = request.getfixturevalue(persona)
    person = persons_of(case)[0]
    if allowed:
        services.consent_record(user, case=case, person=person, purpose="avrr", language="fr")
        assert Consent.objects.count() == 1
        return
    with pytest.raises(PermissionDenied):
        services.consent_record(user, case=case, person=person, purpose="avrr", language="fr")
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(action=services.CONSENT_RECORDED).exists()


def test_origin_mission_staff_may_record_after_handover(case, conakry, guinea):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    origin_caseworker = member_of(conakry, Role.CASEWORKER, "caseworker.conakry")
    person = persons_of(case)[0]
    with pytest.raises(PermissionDenied):
        services.consent_record(
            origin_caseworker, case=case, person=person, purpose="avrr", language="fr"
        )
    Case.objects.filter(pk=case.pk).update(receiving_mission=guinea, handed_over_at=timezone.now())
    case = Case.objects.get(pk=case.pk)
    services.consent_record(
        origin_caseworker, case=case, person=person, purpose="avrr", language="fr"
    )
    assert Consent.objects.filter(person=person).count() == 1
