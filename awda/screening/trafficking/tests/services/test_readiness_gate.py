"""The gate of "ready to travel": no travel without the trafficking safeguards (issue 3 §3)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awda.cases import readiness
from awda.cases.services import case_transition
from awda.core.errors import TransitionRefused
from awda.factories import (
    bring_case_to,
    document_travellers,
    person_data,
    register_case,
    screen_travellers,
)
from awda.screening.trafficking.readiness import collect

from ..helpers import (
    accept,
    assess,
    complete,
    consent,
    determine,
    flag,
    fresh,
    full_procedure,
    interview,
)

TRAFFICKING_WORDS = ("traffick", "interview", "determination", "risk", "acceptance", "origin")


@pytest.fixture
def pre_departure(caseworker, manager, case):
    case = bring_case_to(case, "pre_departure", caseworker=caseworker, manager=manager)
    return document_travellers(case, caseworker)


def mark_ready(user, case):
    return case_transition(user, case=fresh(case), name="mark_ready")


def refusal(user, case) -> str:
    with pytest.raises(TransitionRefused) as exc:
        mark_ready(user, case)
    return str(exc.value.message)


def test_flagged_traveller_blocks_ready_to_travel_with_a_neutral_message(caseworker, pre_departure):
    flag(caseworker, pre_departure)
    message = refusal(caseworker, pre_departure)
    assert "Restricted protection safeguard" in message
    assert not any(word in message.lower() for word in TRAFFICKING_WORDS), message


def test_protection_officer_sees_what_is_missing(caseworker, protection_officer, pre_departure):
    flag(caseworker, pre_departure)
    rows = readiness.readiness_for(protection_officer, fresh(pre_departure))
    labels = [c.label for c in rows[0].missing]
    assert labels == [
        "Trafficking screening interview",
        "Trafficking determination",
        "Return-risk assessment with the origin mission",
        "Origin mission's acceptance",
    ]


def test_completed_assessment_and_acceptance_open_the_gate(
    caseworker, protection_officer, pre_departure
):
    flag(caseworker, pre_departure)
    interview(protection_officer, pre_departure)
    determine(protection_officer, pre_departure)
    consent(protection_officer, pre_departure)
    draft = assess(protection_officer, pre_departure)
    refusal(caseworker, pre_departure)  # a draft is not enough
    complete(protection_officer, draft)
    refusal(caseworker, pre_departure)  # nor without the origin mission's acceptance
    accept(protection_officer, pre_departure, accepted=False)
    refusal(caseworker, pre_departure)  # nor with a refusal
    accept(protection_officer, pre_departure, accepted=True)
    assert mark_ready(caseworker, pre_departure).status == "ready_to_travel"


def test_not_victim_lifts_the_risk_assessment_requirement(
    caseworker, protection_officer, pre_departure
):
    flag(caseworker, pre_departure)
    interview(protection_officer, pre_departure)
    determine(protection_officer, pre_departure, outcome="not_victim", reasons="No indicator")
    assert mark_ready(caseworker, pre_departure).status == "ready_to_travel"


def test_a_later_determination_puts_the_requirement_back(
    caseworker, protection_officer, pre_departure
):
    flag(caseworker, pre_departure)
    interview(protection_officer, pre_departure)
    determine(protection_officer, pre_departure, outcome="not_victim", reasons="No indicator")
    determine(protection_officer, pre_departure, outcome="presumed_victim", reasons="New facts")
    refusal(caseworker, pre_departure)


def test_unflagged_traveller_needs_nothing_but_an_interview_makes_it_apply(
    caseworker, protection_officer, pre_departure
):
    screen_travellers(pre_departure, caseworker)
    assert not collect(fresh(pre_departure), readiness.travellers(pre_departure), None)
    interview(protection_officer, pre_departure)  # indicators found later, at an interview
    checks = collect(fresh(pre_departure), readiness.travellers(pre_departure), None)
    assert {c.code for cs in checks.values() for c in cs} >= {"vot.interview"}
    refusal(caseworker, pre_departure)


def test_full_procedure_for_one_traveller_of_a_family(
    caseworker, manager, protection_officer, rabat, guinea
):
    family = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Aminata", sex="female"),
        members=[{"relationship": "child", "person": person_data(given_name="Ibrahima")}],
        country_of_return="GN",
    )
    family = bring_case_to(family, "pre_departure", caseworker=caseworker, manager=manager)
    family = document_travellers(family, caseworker)
    child = family.members.get(is_principal=False)
    flag(caseworker, family, member=child)
    screen_travellers(family, caseworker)
    message = refusal(caseworker, family)
    assert "Ibrahima" in message and "Aminata" not in message
    full_procedure(protection_officer, family, member=child)
    assert mark_ready(caseworker, family).status == "ready_to_travel"


def _collect_queries(case):
    case = fresh(case)
    travellers = readiness.travellers(case)
    with CaptureQueriesContext(connection) as ctx:
        collect(case, travellers, timezone.localdate())
    return len(ctx.captured_queries)


def test_collect_uses_a_fixed_number_of_queries(caseworker, protection_officer, rabat, case):
    big = register_case(
        caseworker,
        rabat,
        members=[
            {"relationship": "child", "person": person_data(given_name=f"C{i}")} for i in range(4)
        ],
        country_of_return="GN",
    )
    for c in (case, big):
        for m in c.members.select_related("person"):
            flag(caseworker, c, member=m)
            interview(protection_officer, c, member=m)
            determine(protection_officer, c, member=m)
    assert _collect_queries(case) == _collect_queries(big) == 6
