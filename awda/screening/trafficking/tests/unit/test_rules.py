"""The trafficking safeguards as pure functions of a traveller's state (readiness.py)."""

import pytest

from awda.screening.trafficking.choices import Outcome
from awda.screening.trafficking.readiness import ACTION, TravellerState, applies, checks

S = TravellerState


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S(), False),
        (S(flagged=True), True),
        (S(interviewed=True), True),
        (S(outcome=Outcome.NOT_VICTIM), True),
        # a risk assessment or an answer alone (without interview) does not make it apply
        (S(risk_completed=True, accepted=True), False),
    ],
)
def test_applies_to_flagged_or_interviewed_or_determined(state, expected):
    assert applies(state) is expected


def codes(state):
    return {c.code: c.ok for c in checks(state)}


def test_flagged_traveller_needs_everything():
    assert codes(S(flagged=True)) == {
        "vot.interview": False,
        "vot.determination": False,
        "vot.risk_assessment": False,
        "vot.acceptance": False,
    }


def test_complete_procedure_is_ready():
    state = S(
        flagged=True,
        interviewed=True,
        outcome=Outcome.VICTIM,
        risk_completed=True,
        accepted=True,
    )
    assert all(codes(state).values())


@pytest.mark.parametrize("outcome", [Outcome.VICTIM, Outcome.PRESUMED_VICTIM, Outcome.INCONCLUSIVE])
def test_any_outcome_but_not_victim_keeps_risk_assessment_and_acceptance(outcome):
    state = S(interviewed=True, outcome=outcome)
    assert codes(state) == {
        "vot.interview": True,
        "vot.determination": True,
        "vot.risk_assessment": False,
        "vot.acceptance": False,
    }


def test_not_victim_lifts_risk_assessment_and_acceptance():
    assert codes(S(flagged=True, interviewed=True, outcome=Outcome.NOT_VICTIM)) == {
        "vot.interview": True,
        "vot.determination": True,
    }


def test_a_draft_assessment_or_a_refusal_is_not_enough():
    state = S(interviewed=True, outcome=Outcome.VICTIM, risk_draft=True, accepted=False)
    by_code = {c.code: c for c in checks(state)}
    assert not by_code["vot.risk_assessment"].ok
    assert by_code["vot.risk_assessment"].detail == "draft, not completed yet"
    assert not by_code["vot.acceptance"].ok
    assert by_code["vot.acceptance"].detail == "refused by the origin mission"


def test_every_check_is_restricted_to_trafficking_viewers():
    assert {c.action for c in checks(S(flagged=True))} == {ACTION} == {"trafficking.view"}
