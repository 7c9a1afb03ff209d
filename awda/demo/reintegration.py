"""Demo steps of the origin mission's part of a case (reintegration): the handover accepted by
the origin office, the reception, the assessments and the baseline survey, the plan drafted by
the reintegration officer and approved by the mission's manager, the purchase delivered, the
monitoring visits with their follow-up surveys, the closure. Each step calls the real services
as those users would. A case that was not handed over (no consent, say) is closed by the host
mission on its first step here ("return without reintegration assistance")."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from awda.accounts.choices import Role
from awda.accounts.models import Office
from awda.cases.choices import ClosureReason, Status
from awda.cases.models import Case
from awda.cases.services import case_transition
from awda.registry.choices import OrganisationKind

from .reference import ORIGIN_MISSIONS

KINDS = frozenset(
    {
        "reint_accept",
        "reint_reception",
        "reint_assess",
        "reint_baseline",
        "reint_plan",
        "reint_approve",
        "reint_purchase",
        "reint_deliver",
        "reint_monitor",
        "reint_visit",
        "reint_close",
    }
)
ORIGIN_OFFICE = {mission_code: office_code for mission_code, _m, office_code, _n in ORIGIN_MISSIONS}

# Shop stock and equipment for the plans of the demo (description, quantity, unit, unit cost in
# EUR; scaled to the project's currency by CURRENCY_FACTOR). Any three stay under the caps.
ITEMS = (
    ("Stock de marchandises (premier approvisionnement)", "1", "lot", "600.00"),
    ("Étagères et comptoir", "1", "lot", "180.00"),
    ("Loyer du local", "3", "mois", "60.00"),
    ("Balance et petit matériel", "1", "lot", "75.00"),
    ("Réfrigérateur", "1", "unité", "320.00"),
    ("Machine à coudre", "1", "unité", "210.00"),
)
CURRENCY_FACTOR = {"NOK": Decimal("11")}
VISIT_OUTCOMES = (
    "L'activité fonctionne ; la clientèle du quartier est fidèle.",
    "Ventes irrégulières ; conseils donnés sur la tenue des comptes.",
    "Le bénéficiaire a diversifié son stock ; revenus en hausse.",
    "Difficultés d'approvisionnement pendant la saison des pluies.",
)


def apply(kind: str, host_user, case: Case, *, day: datetime.date, index: int, step, ctx) -> Case:
    rng = random.Random(f"{index}-{kind}-{day.isoformat()}")
    if not (case.receiving_mission_id and case.handed_over_at):
        # Not handed over: the host mission closes the case after the arrival.
        if kind == "reint_accept" and case.status == Status.ARRIVED:
            case = case_transition(
                host_user, case=case, name="close", closure_reason=ClosureReason.NO_REINTEGRATION
            )
        return case
    if case.status == Status.CLOSED:
        return case
    code = ORIGIN_OFFICE[case.receiving_mission.code]
    officer = ctx.users[(code, Role.REINTEGRATION)]
    manager = ctx.users[(code, Role.MANAGER)]
    STEPS[kind](
        case, officer=officer, manager=manager, code=code, day=day, rng=rng, step=step, ctx=ctx
    )
    case.refresh_from_db()
    return case


def _accept(case, *, officer, code, **_kw):
    from awda.reintegration.files.services import handover_accept

    handover_accept(officer, case=case, office=Office.objects.get(code=code), officer=officer)


def _reception(case, *, officer, day, rng, **_kw):
    from awda.reintegration.files.services import reception_record

    reception_record(
        officer,
        case=case,
        received_on=day,
        airport_reception=True,
        met_by="Équipe d'accueil OIM",
        onward_transport=rng.random() < 0.7,
        onward_destination=case.destination_area or "",
        accommodation_nights=rng.choice((0, 0, 1, 2, 3)),
        accommodation_place="Centre de transit" if rng.random() < 0.3 else "",
        first_needs="Kit d'hygiène, repas, carte SIM",
        notes="",
    )


def _assess(case, *, officer, day, rng, **_kw):
    from awda.reintegration.files.services import assessment_record

    principal = case.principal
    assessment_record(
        officer,
        case=case,
        person=principal,
        kind="skills",
        assessed_on=day,
        level="",
        findings="",
        recommendations="Activité génératrice de revenus adaptée à ses compétences.",
        education_level=rng.choice(("none", "primary", "secondary", "vocational", "koranic")),
        work_experience="Commerce de détail au Maroc (vente ambulante).",
        skills="Vente, calcul, relation clientèle",
        interests="Commerce",
        preferred_activity="Petit commerce",
    )
    assessment_record(
        officer,
        case=case,
        person=principal,
        kind="vulnerability",
        assessed_on=day,
        level=rng.choice(("low", "low", "medium", "high")),
        findings="Situation familiale et logement évalués à la réception.",
        recommendations="",
        education_level="",
        work_experience="",
        skills="",
        interests="",
        preferred_activity="",
    )


def _answers(rng, *, better: float = 0.0) -> dict:
    """Answers to the active instrument's questions, tilted towards better options later on."""
    from awda.reintegration.surveys.instrument import active_instrument

    instrument = active_instrument()
    answers = {}
    for question in instrument.definition["questions"]:
        scored = [o for o in question["options"] if o.get("score") is not None]
        scored.sort(key=lambda o: Decimal(str(o["score"])))
        position = min(len(scored) - 1, int(rng.random() * len(scored) + better * len(scored)))
        answers[question["code"]] = scored[max(0, position)]["code"]
    return answers


def _baseline(case, *, officer, day, rng, **_kw):
    from awda.reintegration.surveys.services import survey_record

    survey_record(
        officer,
        case=case,
        person=case.principal,
        kind="baseline",
        answers=_answers(rng, better=-0.3),
        conducted_on=day,
    )


def _funding(case, day):
    """The project that funds the reintegration: the case's own if it still runs when the
    purchases are made (within two months), else the mission's project that runs on `day` and
    ends the latest."""
    from awda.finance.models import Project

    margin = day + datetime.timedelta(days=60)
    project = case.project
    if project is not None and project.start_date <= day and project.end_date >= margin:
        return project
    running = Project.objects.filter(
        mission_id=case.mission_id,
        is_active=True,
        start_date__lte=day,
        end_date__gte=day,
        eligible_nationalities=[],
    ).order_by("-end_date", "code")
    return running.first() or project


def _plan(case, *, officer, day, rng, step, **_kw):
    from awda.reintegration.plans import services as plans

    plan = plans.plan_create(officer, case=case, project=_funding(case, day))
    factor = CURRENCY_FACTOR.get(plan.currency, Decimal(1))
    items = [
        {"kind": "micro_business", "description": d, "quantity": Decimal(q), "unit": u,
         "unit_cost": Decimal(c) * factor, "supplier": None}
        for d, q, u, c in rng.sample(ITEMS, 3)
    ]  # fmt: skip
    plan = plans.plan_update(
        officer,
        plan=plan,
        expected_version=plan.version,
        economic_summary=f"Projet : {step.text}.",
        social_summary="Logement chez la famille ; pas de besoin urgent.",
        psychosocial_summary="Bon soutien familial.",
        assistances=[{"kind": "micro_business", "description": step.text, "referral": False}],
        items=items,
    )
    plans.plan_submit(officer, plan=plan, expected_version=plan.version)


def _approve(case, *, manager, **_kw):
    from awda.reintegration.models import Plan
    from awda.reintegration.plans import services as plans

    plan = Plan.objects.filter(case=case, status="submitted").first()
    if plan is not None:
        plans.plan_approve(manager, plan=plan, expected_version=plan.version)


def _supplier(case, ctx, index):
    suppliers = [
        o
        for o in ctx.organisations.get(OrganisationKind.SUPPLIER, [])
        if o.country == case.country_of_return
    ]
    return suppliers[index % len(suppliers)] if suppliers else None


def _purchase(case, *, officer, day, rng, ctx, **_kw):
    from awda.reintegration.delivery import services as delivery
    from awda.reintegration.models import Plan

    plan = Plan.objects.filter(case=case, status="approved").first()
    supplier = _supplier(case, ctx, rng.randint(0, 9))
    if plan is None or supplier is None:
        return
    if day > plan.project.end_date:
        # The project closes: the office orders on its last day, if the plan was approved by then.
        if plan.decided_at is None or timezone.localdate(plan.decided_at) > plan.project.end_date:
            return
        day = plan.project.end_date
    lines = [
        {"description": item.description, "quantity": item.quantity, "unit": item.unit,
         "unit_price": item.unit_cost, "plan_item": item}
        for item in plan.items.all()
    ]  # fmt: skip
    delivery.purchase_create(
        officer, case=case, supplier=supplier, lines=lines, ordered_on=day, plan=plan
    )


def _deliver(case, *, officer, day, **_kw):
    from awda.reintegration.delivery import services as delivery
    from awda.reintegration.models import Purchase

    for purchase in Purchase.objects.filter(case=case, status="ordered"):
        purchase = delivery.purchase_deliver(
            officer, purchase=purchase, delivered_on=day, expected_version=purchase.version
        )
        delivery.purchase_acknowledge(
            officer, purchase=purchase, acknowledged_on=day, expected_version=purchase.version
        )


def _monitor(case, *, officer, **_kw):
    if case.status == Status.REINTEGRATION:
        case_transition(officer, case=case, name="start_monitoring")


def _visit(case, *, officer, day, rng, step, **_kw):
    from awda.reintegration.files.services import visit_record
    from awda.reintegration.models import MonitoringVisit
    from awda.reintegration.surveys.services import survey_record

    visit = MonitoringVisit.objects.filter(case=case, status="planned").order_by("due_on").first()
    if visit is None:
        return
    reached = rng.random() < 0.9
    visit = visit_record(
        officer,
        visit=visit,
        status="done" if reached else "missed",
        conducted_on=day,
        mode="visit" if rng.random() < 0.7 else "call",
        outcome=rng.choice(VISIT_OUTCOMES) if reached else "Téléphone éteint ; voisins absents.",
        activity_status=rng.choice(("running", "running", "struggling", "stopped"))
        if reached
        else "",
        re_migrated=False,
        re_migration_notes="",
        expected_version=visit.version,
    )
    if reached:
        survey_record(
            officer,
            case=case,
            person=case.principal,
            kind="follow_up",
            answers=_answers(rng, better=0.1 * (step.days // 3)),
            conducted_on=day,
            visit=visit,
        )


def _close(case, *, officer, step, **_kw):
    case_transition(officer, case=case, name="close", closure_reason=step.closure_reason)


STEPS = {
    "reint_accept": _accept,
    "reint_reception": _reception,
    "reint_assess": _assess,
    "reint_baseline": _baseline,
    "reint_plan": _plan,
    "reint_approve": _approve,
    "reint_purchase": _purchase,
    "reint_deliver": _deliver,
    "reint_monitor": _monitor,
    "reint_visit": _visit,
    "reint_close": _close,
}
