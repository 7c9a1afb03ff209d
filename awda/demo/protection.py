"""Demo steps of the protection part of a case: consent at registration, the rapid screening, the
procedure for an unaccompanied child, the trafficking safeguards and fitness to travel. Each step
calls the real services, as a caseworker, protection officer or medical officer would, with
content written in French like the rest of the demo."""

from awda.cases.models import Case
from awda.screening.children import services as children
from awda.screening.consent.choices import Purpose
from awda.screening.consent.services import consent_record
from awda.screening.health.choices import FitnessOutcome
from awda.screening.health.services import fitness_record
from awda.screening.models import ScreeningTask
from awda.screening.services import screening_record
from awda.screening.trafficking import services as trafficking

from .story import _inflect

KINDS = frozenset(
    {
        "consent",
        "screening",
        "uasc_assess",
        "uasc_traced",
        "uasc_decide",
        "vot_interview",
        "vot_risk",
        "vot_accept",
        "fitness",
    }
)
# The screening service creates a task per required assessment: the demo story finishes them
# under these keys.
TASK_KEYS = {
    "best_interests_assessment": "bia",
    "trafficking_interview": "vot",
    "medical_assessment": "medass",
}
GUARDIANS = ("Mamadou", "Ibrahima", "Sekou", "Mariama", "Fatoumata", "Aboubacar")


def _principal(case: Case):
    return case.members.select_related("person").get(is_principal=True)


def apply(kind: str, user, case: Case, *, day, index: int, factors=(), tasks: dict) -> Case:
    """Run one step; returns the case as it is afterwards (its version moved)."""
    STEPS[kind](user, case, day=day, index=index, factors=factors, tasks=tasks)
    case.refresh_from_db()
    return case


def _consent(user, case, *, day, index, **_kw):
    """Every member consents to the processing of their data for the return and to sharing it
    with the origin mission; a parent signs for a child. An unaccompanied child's consent is
    given with their guardian, in the child-protection procedure."""
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    principal = members[0].person
    adult = principal.age_on(day) is not None and principal.age_on(day) >= 18
    for m in members:
        age = m.person.age_on(day)
        guardian = {}
        if age is not None and age < 18:
            if not adult:
                continue
            relationship = "mère" if principal.sex == "female" else "père"
            guardian = {"guardian_name": principal.full_name, "guardian_relationship": relationship}
        for purpose in (Purpose.AVRR, Purpose.ORIGIN_MISSION):
            consent_record(
                user,
                case=case,
                person=m.person,
                purpose=purpose,
                given_on=day,
                language="fr",
                **guardian,
            )


def _screening(user, case, *, factors, tasks, index, **_kw):
    """The principal with the story's factors, the other members without any."""
    for m in case.members.select_related("person").order_by("-is_principal", "id"):
        case.refresh_from_db()
        screening = screening_record(
            user,
            case=case,
            member=m,
            factors={code: True for code in factors} if m.is_principal else {},
            expected_version=case.version,
        )
        for link in ScreeningTask.objects.filter(screening=screening).select_related("task"):
            key = TASK_KEYS.get(link.requirement)
            if key:
                tasks[(index, key)] = link.task


def _uasc_assess(user, case, *, day, index, **_kw):
    child = _principal(case).person
    family = child.family_name
    guardian = GUARDIANS[index % len(GUARDIANS)]
    children.child_identification_record(
        user,
        case=case,
        person=child,
        identified_on=day,
        age_years=child.age_on(day),
        age_basis="declared",
        care_status="unaccompanied",
        current_caregiver=_inflect(
            "Aucun adulte responsable au Maroc ; hébergé{e} par une association.", child.sex
        ),
    )
    children.best_interests_assessment_record(
        user,
        case=case,
        person=child,
        assessed_on=day,
        child_views="Souhaite rentrer auprès de sa famille et reprendre l'école.",
        family_situation=f"Famille {family} joignable par téléphone dans la région d'origine.",
        safety_and_risks="Aucune menace connue dans la famille ; pas de dette envers un passeur.",
        health_and_education=_inflect("En bonne santé ; scolarisé{e} jusqu'au collège.", child.sex),
        recommendation="return",
    )
    children.guardian_consent_record(
        user,
        case=case,
        person=child,
        guardian_name=f"{guardian} {family}",
        guardian_relationship="oncle, tuteur coutumier",
        language="fr",
        given_on=day,
    )
    children.family_tracing_request(
        user,
        case=case,
        person=child,
        requested_on=day,
        information_shared=(
            f"Nom de famille {family} ; quartier et numéro de téléphone de l'oncle donnés par "
            "l'enfant."
        ),
    )


def _uasc_traced(user, case, *, day, **_kw):
    child = _principal(case).person
    tracing = children.FamilyTracing.objects.filter(case=case, person=child).latest("id")
    children.tracing_outcome_record(
        user,
        tracing=tracing,
        status="located",
        outcome_on=day,
        outcome_notes="Famille localisée par la mission d'origine ; les parents sont joignables.",
        expected_version=tracing.version,
    )
    children.caregiver_assessment_record(
        user,
        case=case,
        person=child,
        assessed_on=day,
        caregiver_name=f"Famille {child.family_name}",
        relationship="parents",
        location="Région d'origine",
        conducted_by="OIM, mission d'origine",
        outcome="suitable",
        findings="Logement adapté ; les parents souhaitent le retour et la reprise de l'école.",
    )


def _uasc_decide(user, case, *, day, **_kw):
    child = _principal(case).person
    children.determination_record(
        user,
        case=case,
        person=child,
        panel="Responsable protection OIM, assistante sociale, chef de bureau",
        decided_on=day,
        outcome="return",
        reasons="La famille est localisée et apte ; l'enfant souhaite rentrer.",
    )
    children.escort_plan_record(
        user,
        case=case,
        person=child,
        escort_name="Escorte de l'unité protection",
        escort_role="iom_staff",
        escort_trained=True,
        planned_on=day,
        itinerary_notes="Accompagnement de l'aéroport de départ jusqu'à la remise à la famille.",
    )
    children.reception_arrangement_record(
        user,
        case=case,
        person=child,
        arranged_on=day,
        received_by_name=f"Parents {child.family_name}",
        relationship_or_organisation="parents, avec l'OIM de la mission d'origine",
        place="Aéroport d'arrivée",
    )


def _vot_interview(user, case, *, day, **_kw):
    member = _principal(case)
    trafficking.interview_record(
        user,
        case=case,
        member=member,
        interviewed_on=day,
        language="fr",
        indicators={"deceptive_recruitment": True, "documents_confiscated": True},
        exploitation_types=["domestic_servitude"],
        narrative="Entretien mené en privé, avec une interprète.",
    )
    trafficking.determination_record(
        user,
        case=case,
        member=member,
        outcome="presumed_victim",
        reasons="Recrutement trompeur et confiscation des documents.",
        determined_on=day,
    )


def _vot_risk(user, case, *, day, **_kw):
    member = _principal(case)
    assessment = trafficking.risk_assessment_create(
        user,
        case=case,
        member=member,
        origin_focal_point="Point focal protection, mission d'origine",
        risk_level="medium",
        risks="Recruteur originaire du même quartier.",
        mitigation="Hébergement initial dans un autre quartier ; suivi rapproché.",
        security_plan="Accueil à l'aéroport par l'OIM ; contact hebdomadaire le premier mois.",
    )
    trafficking.risk_assessment_complete(
        user, assessment=assessment, expected_version=assessment.version, completed_on=day
    )


def _vot_accept(user, case, *, day, **_kw):
    trafficking.acceptance_record(
        user,
        case=case,
        member=_principal(case),
        accepted=True,
        decided_by_name="Chef de mission adjoint, mission d'origine",
        decided_on=day,
    )


def _fitness(user, case, *, day, **_kw):
    """Fitness to travel of the principal, the day before the move that needs it."""
    fitness_record(
        user, case=case, person=_principal(case).person, outcome=FitnessOutcome.FIT, decided_on=day
    )


STEPS = {
    "consent": _consent,
    "screening": _screening,
    "uasc_assess": _uasc_assess,
    "uasc_traced": _uasc_traced,
    "uasc_decide": _uasc_decide,
    "vot_interview": _vot_interview,
    "vot_risk": _vot_risk,
    "vot_accept": _vot_accept,
    "fitness": _fitness,
}
