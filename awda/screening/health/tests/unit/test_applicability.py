"""The pure rules of the health readiness check: who needs a fitness-to-travel decision, and what
the check says for a decision on a given day."""

import datetime
from types import SimpleNamespace

import pytest

from awda.screening.health.readiness import HEALTH_FACTORS, fitness_check, fitness_required
from awda.screening.health.selectors import FitnessStatus

DAY = datetime.date(2026, 5, 10)


def screening(**factors):
    return SimpleNamespace(**{f: factors.get(f, False) for f in HEALTH_FACTORS}, no_income=True)


@pytest.mark.parametrize("factor", HEALTH_FACTORS)
def test_a_health_factor_of_the_current_screening_requires_a_decision(factor):
    assert fitness_required(
        screening(**{factor: True}), has_unresolved_need=False, has_decision=False
    )


def test_no_health_factor_no_need_no_decision_requires_nothing():
    assert not fitness_required(screening(), has_unresolved_need=False, has_decision=False)
    assert not fitness_required(None, has_unresolved_need=False, has_decision=False)


def test_an_unresolved_need_or_any_decision_requires_a_decision():
    assert fitness_required(None, has_unresolved_need=True, has_decision=False)
    assert fitness_required(screening(), has_unresolved_need=False, has_decision=True)


def status(outcome="fit", decided=DAY, days=7, escort="none"):
    return FitnessStatus(
        outcome=outcome,
        decided_on=decided,
        valid_until=decided + datetime.timedelta(days=days),
        valid_on_date=False,
        escort=escort,
    )


def test_no_decision_is_missing():
    check = fitness_check(None, DAY)
    assert (check.code, check.ok, check.detail, check.action) == (
        "health.fitness",
        False,
        "no decision",
        None,
    )


@pytest.mark.parametrize("outcome, detail", [("pending", "pending"), ("unfit", "unfit")])
def test_pending_and_unfit_are_missing(outcome, detail):
    check = fitness_check(status(outcome), DAY)
    assert not check.ok and check.detail == detail


def test_fit_is_ok_through_its_last_valid_day():
    first = fitness_check(status(), DAY)
    last = fitness_check(status(), DAY + datetime.timedelta(days=7))
    assert first.ok and last.ok
    assert first.detail == "valid until 05/17/2026"


def test_fit_with_escort_says_so():
    check = fitness_check(status("fit_with_escort", escort="medical"), DAY)
    assert check.ok and check.detail == "valid until 05/17/2026, with escort"


def test_expired_decision_is_missing_from_the_day_after_its_validity():
    check = fitness_check(status(), DAY + datetime.timedelta(days=8))
    assert not check.ok and check.detail == "expired on 05/18/2026"


def test_decision_made_after_the_day_asked_for_is_not_valid_yet():
    check = fitness_check(status(), DAY - datetime.timedelta(days=1))
    assert not check.ok and check.detail == "valid from 05/10/2026"


@pytest.mark.parametrize(
    "outcome, valid, allows",
    [("fit", True, True), ("fit_with_escort", True, True), ("fit", False, False)]
    + [("unfit", True, False), ("pending", True, False)],
)
def test_allows_travel_needs_a_fit_outcome_valid_on_the_date(outcome, valid, allows):
    s = FitnessStatus(outcome, DAY, DAY, valid, "none")
    assert s.allows_travel is allows
