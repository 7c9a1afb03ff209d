"""The fitness-to-travel check of the readiness checklist, through the workflow gate
travel_safeguards of mark_ready."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awda.cases import readiness
from awda.cases.services import case_transition
from awda.core.errors import TransitionRefused
from awda.factories import bring_case_to, document_travellers
from awda.screening.health.readiness import collect
from awda.screening.services import screening_record

from ..helpers import fresh, principal, record_fitness, record_need

TODAY = timezone.localdate()


def screen(user, case, **factors):
    case = fresh(case)
    member = case.members.get(is_principal=True)
    screening_record(user, case=case, member=member, factors=factors, expected_version=case.version)


@pytest.fixture
def pre_departure(caseworker, manager, case):
    case = bring_case_to(case, "pre_departure", caseworker=caseworker, manager=manager)
    document_travellers(case, caseworker)
    screen(caseworker, case, health_needs=True)
    return fresh(case)


def mark_ready(caseworker, case):
    return case_transition(caseworker, case=fresh(case), name="mark_ready")


def refusal(caseworker, case) -> str:
    with pytest.raises(TransitionRefused) as exc:
        mark_ready(caseworker, case)
    return str(exc.value.details)


def test_health_needs_require_a_fit_decision_valid_today(
    caseworker, medical_officer, pre_departure
):
    assert "Fitness to travel (no decision)" in refusal(caseworker, pre_departure)
    record_fitness(medical_officer, pre_departure, principal(pre_departure), "pending")
    assert "Fitness to travel (pending)" in refusal(caseworker, pre_departure)
    record_fitness(medical_officer, pre_departure, principal(pre_departure), "unfit")
    assert "Fitness to travel (unfit)" in refusal(caseworker, pre_departure)
    record_fitness(medical_officer, pre_departure, principal(pre_departure), "fit")
    assert mark_ready(caseworker, pre_departure).status == "ready_to_travel"


def test_an_expired_decision_refuses_again(caseworker, medical_officer, pre_departure):
    record_fitness(
        medical_officer,
        pre_departure,
        principal(pre_departure),
        "fit",
        decided_on=TODAY - datetime.timedelta(days=8),
    )
    expired_on = (TODAY).strftime("%m/%d/%Y")
    assert f"Fitness to travel (expired on {expired_on})" in refusal(caseworker, pre_departure)


def test_a_traveller_without_health_factor_needs_no_decision(caseworker, manager, case):
    case = bring_case_to(case, "ready_to_travel", caseworker=caseworker, manager=manager)
    assert case.status == "ready_to_travel"


def test_an_unresolved_need_requires_a_decision(caseworker, manager, medical_officer, case):
    case = bring_case_to(case, "pre_departure", caseworker=caseworker, manager=manager)
    screen(caseworker, case, no_income=True)
    record_need(medical_officer, case, principal(case), status="stabilised")
    assert "Fitness to travel (no decision)" in refusal(caseworker, case)


def test_the_check_is_not_restricted_and_takes_three_queries(
    caseworker, medical_officer, movement_officer, family
):
    for m in family.members.all():
        record_need(medical_officer, family, m.person)
    case = fresh(family)
    travellers = readiness.travellers(case)
    with CaptureQueriesContext(connection) as ctx:
        checks = collect(case, travellers, TODAY)
    assert len(ctx.captured_queries) == 3
    assert sorted(checks) == sorted(m.pk for m in travellers)
    assert all(c.action is None and c.code == "health.fitness" for v in checks.values() for c in v)
    seen = readiness.readiness_for(movement_officer, fresh(family))
    assert [c.label for r in seen for c in r.checks if c.code == "health.fitness"] == [
        "Fitness to travel"
    ] * 3
