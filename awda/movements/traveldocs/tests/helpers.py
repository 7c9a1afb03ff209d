"""Helpers shared by the travel-document tests (fixtures are in conftest.py)."""

import datetime

from django.utils import timezone

from awda.cases.models import Case
from awda.movements.traveldocs import services
from awda.screening.consent import services as consent_services

TODAY = timezone.localdate()
IN_A_YEAR = TODAY + datetime.timedelta(days=365)


def fresh(case):
    return Case.objects.get(pk=case.pk)


def principal(case):
    return case.members.select_related("person").get(is_principal=True).person


def persons(case):
    return [m.person for m in case.members.select_related("person").order_by("-is_principal", "id")]


def consent(user, case, person, purpose):
    return consent_services.consent_record(
        user, case=fresh(case), person=person, purpose=purpose, language="fr"
    )


def record_passport(user, case, person, **kwargs):
    data = {
        "kind": "passport",
        "number": "P1234567",
        "issuing_country": "GN",
        "expires_on": IN_A_YEAR,
    }
    return services.travel_document_record(user, case=fresh(case), person=person, **data | kwargs)


def request_lp(user, case, person, consulate, **kwargs):
    return services.travel_document_record(
        user,
        case=fresh(case),
        person=person,
        kind="laissez_passer",
        status="requested",
        consulate=consulate,
        **kwargs,
    )


def grant_exit(user, case, person, authority, **kwargs):
    auth = services.exit_authorisation_request(
        user, case=fresh(case), person=person, authority=authority
    )
    return services.exit_authorisation_answer(
        user, authorisation=auth, expected_version=auth.version, outcome="granted", **kwargs
    )
