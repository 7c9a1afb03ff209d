"""The rules of the UASC procedure, without the database."""

import datetime
from types import SimpleNamespace as NS

import pytest

from awda.screening.children.rules import current_determination, step_states, uasc_applies


def ident(care_status="separated", age_years=16):
    return NS(care_status=care_status, age_years=age_years)


@pytest.mark.parametrize(
    ("kwargs", "applies"),
    [
        # an identification decides when there is one
        ({"identification": ident("separated")}, True),
        ({"identification": ident("unaccompanied")}, True),
        ({"identification": ident("separated"), "adult_travelling": True}, True),
        ({"identification": ident("accompanied")}, False),
        ({"identification": ident("accompanied"), "flagged_unaccompanied": True}, False),
        ({"identification": ident("accompanied"), "age": 12}, False),
        ({"identification": ident("unaccompanied", age_years=18)}, False),
        ({"identification": ident("unaccompanied", age_years=17), "age": 19}, True),
        # without one: the rapid screening's flag
        ({"flagged_unaccompanied": True}, True),
        ({"flagged_unaccompanied": True, "age": 30, "adult_travelling": True}, True),
        # without one: a minor with no adult travelling
        ({"age": 16}, True),
        ({"age": 16, "adult_travelling": True}, False),
        ({"age": 18}, False),
        ({"age": None}, False),
        ({}, False),
    ],
)
def test_when_the_procedure_applies(kwargs, applies):
    assert uasc_applies(**kwargs) is applies


def det(outcome="return", reopened=False, pk=1):
    return NS(pk=pk, outcome=outcome, reopened_on=datetime.date(2026, 1, 2) if reopened else None)


def test_current_determination_is_the_newest_unless_reopened():
    newest, older = det(pk=2), det(pk=1)
    assert current_determination([newest, older]) is newest
    assert current_determination([det(pk=2, reopened=True), older]) is None
    assert current_determination([]) is None


def states(**records):
    return {s.step: (s.ok, s.detail) for s in step_states(**records)}


def test_nothing_recorded_everything_missing():
    result = states()
    assert list(result) == [
        "identification",
        "assessment",
        "tracing",
        "caregiver",
        "determination",
        "guardian_consent",
        "escort",
        "reception",
    ]
    assert all(value == (False, "missing") for value in result.values())


def test_every_step_done():
    result = states(
        identifications=[NS()],
        assessments=[NS()],
        tracings=[NS(status="located")],
        caregivers=[NS(outcome="suitable_with_support")],
        determinations=[det()],
        guardian_consents=[NS()],
        escorts=[NS(escort_trained=True)],
        receptions=[NS()],
    )
    assert all(ok for ok, _detail in result.values())


@pytest.mark.parametrize(
    ("records", "step", "detail"),
    [
        ({"tracings": [NS(status="requested")]}, "tracing", "family not yet located"),
        ({"tracings": [NS(status="not_located")]}, "tracing", "family not yet located"),
        # the newest request counts
        (
            {"tracings": [NS(status="in_progress"), NS(status="located")]},
            "tracing",
            "family not yet located",
        ),
        # a recorded but negative caregiver assessment or determination reads like none at
        # all: the checklist is seen by every role on the case and must not tell the finding
        ({"caregivers": [NS(outcome="not_suitable")]}, "caregiver", "missing"),
        (
            {"caregivers": [NS(outcome="not_suitable"), NS(outcome="suitable")]},
            "caregiver",
            "missing",
        ),
        ({"determinations": [det("no_return")]}, "determination", "missing"),
        ({"determinations": [det("deferred")]}, "determination", "missing"),
        ({"determinations": [det("deferred"), det(pk=0)]}, "determination", "missing"),
        (
            {"determinations": [det(reopened=True)]},
            "determination",
            "reopened: a new determination is needed",
        ),
        ({"escorts": [NS(escort_trained=False)]}, "escort", "escort not trained"),
    ],
)
def test_steps_not_done_say_why_neutrally(records, step, detail):
    assert states(**records)[step] == (False, detail)


@pytest.mark.parametrize(
    ("step", "negative"),
    [
        ("caregiver", {"caregivers": [NS(outcome="not_suitable")]}),
        ("determination", {"determinations": [det("no_return")]}),
        ("determination", {"determinations": [det("deferred")]}),
    ],
)
def test_a_negative_record_cannot_be_told_from_no_record(step, negative):
    assert states(**negative)[step] == states()[step]


def test_a_review_after_a_reopened_determination_counts():
    assert states(determinations=[det(pk=3), det(pk=2, reopened=True)])["determination"] == (
        True,
        "",
    )
