import datetime

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.models import Case, CaseMember
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.factories import register_case
from awda.screening.consent import selectors, services
from awda.screening.consent.choices import Purpose
from awda.screening.consent.models import Consent

from ..conftest import persons_of


def test_withdrawal_makes_the_consent_invalid_and_is_audited(caseworker, colleague, case, give):
    person = persons_of(case)[0]
    consent = give(caseworker, case, person, purpose=Purpose.UNHCR)
    assert selectors.has_valid_consent(person.pk, Purpose.UNHCR)
    services.consent_withdraw(colleague, consent=consent, reason="Asked at the office")
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert consent.withdrawn_by == colleague
    assert consent.withdrawal_reason == "Asked at the office"
    assert not selectors.has_valid_consent(person.pk, Purpose.UNHCR)
    assert selectors.valid_purposes([person.pk]) == {person.pk: set()}
    event = AuditEvent.objects.get(action=services.CONSENT_WITHDRAWN)
    assert event.case_id == case.pk
    assert event.changes == {
        "person": person.pk,
        "purpose": "unhcr",
        "withdrawn_on": timezone.localdate().isoformat(),
    }


def test_a_withdrawn_consent_still_counts_before_its_withdrawal(caseworker, case, give):
    person = persons_of(case)[0]
    today = timezone.localdate()
    consent = give(caseworker, case, person, given_on=today - datetime.timedelta(days=10))
    services.consent_withdraw(
        caseworker, consent=consent, reason="r", withdrawn_on=today - datetime.timedelta(days=2)
    )
    assert selectors.has_valid_consent(person.pk, "avrr", today - datetime.timedelta(days=3))
    assert not selectors.has_valid_consent(person.pk, "avrr", today - datetime.timedelta(days=2))
    assert not selectors.has_valid_consent(person.pk, "avrr", today - datetime.timedelta(days=11))


def test_withdrawing_twice_is_refused(caseworker, case, give):
    consent = give(caseworker, case, persons_of(case)[0])
    services.consent_withdraw(caseworker, consent=consent, reason="first")
    with pytest.raises(ValidationFailed) as exc:
        services.consent_withdraw(caseworker, consent=consent, reason="second")
    assert exc.value.code == "already_withdrawn"
    assert Consent.objects.get(pk=consent.pk).withdrawal_reason == "first"
    assert AuditEvent.objects.filter(action=services.CONSENT_WITHDRAWN).count() == 1


def test_a_refusal_cannot_be_withdrawn(caseworker, case, give):
    consent = give(caseworker, case, persons_of(case)[0], given=False)
    with pytest.raises(ValidationFailed) as exc:
        services.consent_withdraw(caseworker, consent=consent, reason="r")
    assert exc.value.code == "consent_refused"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"withdrawn_on": timezone.localdate() + datetime.timedelta(days=1)}, "withdrawn_on"),
        ({"withdrawn_on": timezone.localdate() - datetime.timedelta(days=30)}, "withdrawn_on"),
    ],
)
def test_invalid_withdrawal_is_refused(caseworker, case, give, kwargs, field):
    consent = give(caseworker, case, persons_of(case)[0])
    with pytest.raises(ValidationFailed) as exc:
        services.consent_withdraw(caseworker, consent=consent, **({"reason": "r"} | kwargs))
    assert field in exc.value.fields
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


def test_withdrawal_is_possible_on_a_closed_case(caseworker, case, give):
    consent = give(caseworker, case, persons_of(case)[0])
    Case.objects.filter(pk=case.pk).update(status="closed")
    consent = Consent.objects.select_related("case").get(pk=consent.pk)
    services.consent_withdraw(caseworker, consent=consent, reason="r")
    assert not selectors.has_valid_consent(consent.person_id, "avrr")


def test_withdrawal_through_a_later_case_of_the_person(caseworker, other_office_user, case, give):
    """A consent taken in an earlier case can be withdrawn through a case the person is in now,
    by whoever handles that case; not through an unrelated case."""
    person = persons_of(case)[0]
    consent = give(caseworker, case, person)
    oujda_case = register_case(other_office_user, other_office_user.memberships.get().office)
    with pytest.raises(NotFound):
        services.consent_withdraw(other_office_user, consent=consent, reason="r", case=oujda_case)
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(other_office_user, consent=consent, reason="r")
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None
    # The person comes back later and is registered in a case in Oujda.
    CaseMember.objects.create(case=oujda_case, person=person, relationship="spouse")
    services.consent_withdraw(other_office_user, consent=consent, reason="r", case=oujda_case)
    assert AuditEvent.objects.get(action=services.CONSENT_WITHDRAWN).case_id == oujda_case.pk


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("colleague", True),
        ("medical_officer", True),
        ("movement_officer", False),
        ("finance_officer", False),
        ("auditor", False),
        ("other_office_user", False),
    ],
)
def test_who_may_withdraw(request, caseworker, case, give, persona, allowed):
    consent = give(caseworker, case, persons_of(case)[0])
    user = request.getfixturevalue(persona)
    if allowed:
        services.consent_withdraw(user, consent=consent, reason="r")
        assert Consent.objects.get(pk=consent.pk).withdrawn_on is not None
        return
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(user, consent=consent, reason="r")
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None
    assert not AuditEvent.objects.filter(action=services.CONSENT_WITHDRAWN).exists()


def test_valid_purposes_is_one_query(caseworker, family, give, django_assert_num_queries):
    mother, child = persons_of(family)
    give(caseworker, family, mother, purpose="avrr")
    give(caseworker, family, mother, purpose="consulate")
    give(caseworker, family, child, purpose="avrr")
    give(caseworker, family, child, purpose="donors", given=False)
    with django_assert_num_queries(1):
        result = selectors.valid_purposes([mother.pk, child.pk, 999999])
    assert result == {mother.pk: {"avrr", "consulate"}, child.pk: {"avrr"}, 999999: set()}
    with django_assert_num_queries(1):
        consents = selectors.valid_consents([mother.pk, child.pk])
    assert {(c.person_id, c.purpose) for c in consents} == {
        (mother.pk, "avrr"),
        (mother.pk, "consulate"),
        (child.pk, "avrr"),
    }
