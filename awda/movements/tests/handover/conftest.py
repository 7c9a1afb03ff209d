import pytest

from awda.cases.models import Case
from awda.factories import bring_case_to, person_data, register_case
from awda.screening.consent import services as consent_services
from awda.screening.consent.choices import Purpose


def fresh(case):
    return Case.objects.get(pk=case.pk)


def consent(user, case, *purposes, who=None):
    """Valid consents of the travellers (or of `who`, person objects) for `purposes`."""
    people = who or [m.person for m in case.members.select_related("person") if m.travels]
    for person in people:
        for p in purposes:
            consent_services.consent_record(
                user, case=fresh(case), person=person, purpose=p, language="fr"
            )


@pytest.fixture
def family(caseworker, rabat, guinea):
    """Moussa and Awa travel to Guinea; the case is ready to travel."""
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Moussa", family_name="Keita"),
        members=[{"relationship": "spouse", "person": person_data(given_name="Awa")}],
        country_of_return="GN",
    )


@pytest.fixture
def ready_case(family, caseworker, manager):
    return bring_case_to(family, "ready_to_travel", caseworker=caseworker, manager=manager)


@pytest.fixture
def consented(ready_case, caseworker):
    consent(caseworker, ready_case, Purpose.ORIGIN_MISSION)
    return fresh(ready_case)


__all__ = ["consent", "fresh"]
