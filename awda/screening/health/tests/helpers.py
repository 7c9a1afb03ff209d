"""Helpers shared by the health tests (fixtures are in conftest.py)."""

from awda.cases.models import Case
from awda.screening.consent import services as consent_services
from awda.screening.consent.choices import Purpose
from awda.screening.health import services


def principal(case):
    return case.members.select_related("person").get(is_principal=True).person


def fresh(case):
    return Case.objects.get(pk=case.pk)


def consent(user, case, person, *purposes):
    """Record a valid consent for each purpose (default: health data)."""
    return [
        consent_services.consent_record(
            user, case=fresh(case), person=person, purpose=p, language="fr"
        )
        for p in purposes or (Purpose.HEALTH_DATA,)
    ]


def record_need(user, case, person, **kwargs):
    data = {
        "category": "chronic_condition",
        "description": "Insulin-dependent diabetes",
        "severity": "moderate",
        "treatment_needed": "Insulin for the journey",
    }
    return services.medical_need_record(user, case=fresh(case), person=person, **data | kwargs)


def record_fitness(user, case, person, outcome="fit", **kwargs):
    return services.fitness_record(user, case=fresh(case), person=person, outcome=outcome, **kwargs)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
