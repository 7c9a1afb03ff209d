"""Test helpers: each step of the UASC procedure recorded through the services, with plausible
values (override any keyword)."""

from django.utils import timezone

from awda.cases.models import Case
from awda.screening.children import services


def today():
    return timezone.localdate()


def identify(user, case, person, **kw):
    values = {
        "identified_on": today(),
        "age_years": 16,
        "age_basis": "document",
        "care_status": "separated",
        "current_caregiver": "Foyer Lalla Meryem",
    }
    return services.child_identification_record(user, case=case, person=person, **(values | kw))


def assess(user, case, person, **kw):
    values = {
        "assessed_on": today(),
        "child_views": "Wants to go home to his mother.",
        "family_situation": "Mother and two sisters in Labé.",
        "safety_and_risks": "No threat identified at home.",
        "recommendation": "return",
    }
    return services.best_interests_assessment_record(
        user, case=case, person=person, **(values | kw)
    )


def guardian_consent(user, case, person, **kw):
    values = {
        "guardian_name": "Kadiatou Bah",
        "guardian_relationship": "mother",
        "language": "fr",
        "origin_mission": True,
    }
    return services.guardian_consent_record(user, case=case, person=person, **(values | kw))


def trace(user, case, person, **kw):
    values = {"requested_on": today(), "information_shared": "Name, photo, village of origin."}
    return services.family_tracing_request(user, case=case, person=person, **(values | kw))


def locate(user, tracing, status="located", **kw):
    values = {"outcome_on": today(), "outcome_notes": "Mother found in Labé."}
    return services.tracing_outcome_record(
        user, tracing=tracing, status=status, expected_version=tracing.version, **(values | kw)
    )


def assess_caregiver(user, case, person, **kw):
    values = {
        "assessed_on": today(),
        "caregiver_name": "Kadiatou Bah",
        "relationship": "mother",
        "location": "Labé",
        "conducted_by": "IOM Guinea",
        "outcome": "suitable",
        "findings": "Stable home, able to care for him.",
    }
    return services.caregiver_assessment_record(user, case=case, person=person, **(values | kw))


def determine(user, case, person, **kw):
    values = {
        "panel": "Chair (IOM protection), UNICEF officer, social worker",
        "decided_on": today(),
        "outcome": "return",
        "reasons": "Family located and suitable; the child wishes to return.",
    }
    return services.determination_record(user, case=case, person=person, **(values | kw))


def plan_escort(user, case, person, **kw):
    values = {
        "escort_name": "Awa Sow",
        "escort_role": "iom_staff",
        "escort_trained": True,
        "planned_on": today(),
    }
    return services.escort_plan_record(user, case=case, person=person, **(values | kw))


def arrange_reception(user, case, person, **kw):
    values = {
        "arranged_on": today(),
        "received_by_name": "Kadiatou Bah",
        "relationship_or_organisation": "mother",
        "place": "Conakry airport",
        "contact_phone": "+224 620 00 00 00",
    }
    return services.reception_arrangement_record(user, case=case, person=person, **(values | kw))


def complete_procedure(user, case, person):
    """Every step, in order, ending with a positive determination."""
    identify(user, case, person)
    assess(user, case, person)
    guardian_consent(user, case, person)
    locate(user, trace(user, case, person))
    assess_caregiver(user, case, person)
    determine(user, case, person)
    plan_escort(user, case, person)
    arrange_reception(user, case, person)
    return Case.objects.get(pk=case.pk)
