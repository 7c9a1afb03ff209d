"""policies.may_view_health: medical officers see every person's medical records; caseworkers of
the case only those of a person with a valid health-data consent; nobody else."""

import datetime

from django.utils import timezone

from awda.accounts.choices import Role
from awda.factories import member_of
from awda.screening.consent.choices import Purpose
from awda.screening.consent.services import consent_withdraw
from awda.screening.health.policies import health_visible_persons, may_view_health

from ..helpers import consent, principal


def test_medical_officer_sees_everyone(medical_officer, family):
    ids = list(family.members.values_list("person_id", flat=True))
    assert health_visible_persons(medical_officer, family, ids) == set(ids)
    assert may_view_health(medical_officer, family, ids[0])


def test_caseworker_sees_only_persons_who_consented(caseworker, colleague, family):
    mother = principal(family)
    ids = list(family.members.values_list("person_id", flat=True))
    assert health_visible_persons(caseworker, family, ids) == set()
    assert not may_view_health(caseworker, family, mother.pk)
    consent(caseworker, family, mother)
    assert may_view_health(caseworker, family, mother.pk)
    assert may_view_health(colleague, family, mother.pk)  # any caseworker of the case
    assert health_visible_persons(caseworker, family, ids) == {mother.pk}
    assert may_view_health(caseworker, family, mother.pk, consented=False) is False


def test_withdrawal_hides_the_records_again(caseworker, family):
    mother = principal(family)
    (given,) = consent(caseworker, family, mother)
    consent_withdraw(caseworker, consent=given, reason="Asked to stop")
    assert not may_view_health(caseworker, family, mother.pk)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert not may_view_health(caseworker, family, mother.pk, on_date=yesterday)


def test_another_purpose_is_not_enough(caseworker, family):
    mother = principal(family)
    consent(caseworker, family, mother, Purpose.AVRR, Purpose.SERVICE_PROVIDERS)
    assert not may_view_health(caseworker, family, mother.pk)


def test_other_roles_never_see_medical_records(
    caseworker, manager, movement_officer, rabat, other_office_user, family
):
    mother = principal(family)
    consent(caseworker, family, mother)
    protection = member_of(rabat, Role.PROTECTION, "protection.rabat")
    for user in (manager, movement_officer, protection, other_office_user):
        assert not may_view_health(user, family, mother.pk), user
