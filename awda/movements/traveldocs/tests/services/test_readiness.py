"""The travel-document checks of the readiness checklist, through the workflow gate
travel_safeguards of mark_ready."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from awda.cases import readiness
from awda.cases.services import case_transition
from awda.core.errors import TransitionRefused
from awda.factories import bring_case_to, screen_travellers
from awda.movements.traveldocs import services
from awda.movements.traveldocs.readiness import collect
from awda.movements.traveldocs.selectors import document_for_travel

from ..helpers import TODAY, fresh, grant_exit, persons, principal, record_passport, request_lp

TRAVEL = TODAY + datetime.timedelta(days=20)


def day(d):
    return date_format(d, "SHORT_DATE_FORMAT")


@pytest.fixture
def travel_on():
    """Set the day cases travel (the movements app resolves it from the bookings); restored."""
    saved = list(readiness._TRAVEL_DATE)
    readiness.register_travel_date(lambda case: TRAVEL)
    yield TRAVEL
    readiness._TRAVEL_DATE[:] = saved


@pytest.fixture
def pre_departure(caseworker, manager, case):
    case = bring_case_to(case, "pre_departure", caseworker=caseworker, manager=manager)
    return screen_travellers(case, caseworker)


def refusal(user, case) -> str:
    with pytest.raises(TransitionRefused) as exc:
        case_transition(user, case=fresh(case), name="mark_ready")
    return str(exc.value.details)


def issue_lp(user, case, person, consulate, expires_on, number="LP-123"):
    doc = request_lp(user, case, person, consulate, requested_on=TODAY)
    return services.travel_document_answer(
        user,
        document=doc,
        expected_version=doc.version,
        outcome="issued",
        number=number,
        issued_on=TODAY,
        expires_on=expires_on,
    )


def test_a_laissez_passer_expiring_before_the_flight_is_refused_with_that_reason(
    caseworker, pre_departure, consulate, authority, travel_on
):
    person = principal(pre_departure)
    expires = travel_on - datetime.timedelta(days=5)
    issue_lp(caseworker, pre_departure, person, consulate, expires)
    grant_exit(caseworker, pre_departure, person, authority)
    message = refusal(caseworker, pre_departure)
    assert (
        f"Travel document (laissez-passer LP-123 expires on {day(expires)}, before the travel "
        f"date {day(travel_on)})"
    ) in message
    assert "Exit authorisation" not in message
    # a new laissez-passer valid past the flight lets the case go
    issue_lp(caseworker, pre_departure, person, consulate, travel_on + datetime.timedelta(days=1))
    assert case_transition(caseworker, case=fresh(pre_departure), name="mark_ready").status == (
        "ready_to_travel"
    )


def test_each_missing_piece_is_named(caseworker, pre_departure, consulate, authority):
    person = principal(pre_departure)
    message = refusal(caseworker, pre_departure)
    assert "Travel document (no travel document)" in message
    assert "Exit authorisation (no exit authorisation)" in message
    request_lp(caseworker, pre_departure, person, consulate, requested_on=TODAY)
    services.exit_authorisation_request(
        caseworker, case=fresh(pre_departure), person=person, authority=authority
    )
    message = refusal(caseworker, pre_departure)
    assert (
        f"laissez-passer requested from Consulate of Guinea in Rabat on {day(TODAY)}, "
        "not issued yet"
    ) in message
    assert (
        f"requested from Direction générale de la sûreté nationale on {day(TODAY)}, not granted yet"
    ) in message


def test_an_expiry_on_the_travel_date_is_not_enough(caseworker, pre_departure, authority):
    person = principal(pre_departure)
    record_passport(caseworker, pre_departure, person, expires_on=TODAY)
    grant_exit(caseworker, pre_departure, person, authority)
    assert f"expires on the travel date {day(TODAY)}" in refusal(caseworker, pre_departure)


def test_an_exit_authorisation_that_ends_before_travel_is_refused(
    caseworker, pre_departure, authority, travel_on
):
    person = principal(pre_departure)
    record_passport(caseworker, pre_departure, person)
    until = travel_on - datetime.timedelta(days=1)
    grant_exit(caseworker, pre_departure, person, authority, valid_until=until)
    assert (
        f"Exit authorisation (valid until {day(until)}, before the travel date {day(travel_on)})"
        in refusal(caseworker, pre_departure)
    )


def test_a_cancelled_passport_no_longer_counts(caseworker, pre_departure, authority):
    person = principal(pre_departure)
    doc = record_passport(caseworker, pre_departure, person)
    grant_exit(caseworker, pre_departure, person, authority)
    services.travel_document_update(
        caseworker, document=doc, expected_version=1, status="cancelled"
    )
    assert "Travel document (no travel document)" in refusal(caseworker, pre_departure)


def test_every_traveller_is_checked_in_two_queries(caseworker, family, consulate, authority):
    members = persons(family)
    record_passport(caseworker, family, members[0])
    request_lp(caseworker, family, members[1], consulate)
    grant_exit(caseworker, family, members[0], authority)
    case = fresh(family)
    travellers = readiness.travellers(case)
    with CaptureQueriesContext(connection) as ctx:
        checks = collect(case, travellers, TODAY)
    assert len(ctx.captured_queries) == 2
    assert sorted(checks) == sorted(m.pk for m in travellers)
    by_person = {m.person_id: checks[m.pk] for m in travellers}
    assert [c.code for c in by_person[members[0].pk]] == ["travel_document", "exit_authorisation"]
    assert [c.ok for c in by_person[members[0].pk]] == [True, True]
    assert [c.ok for c in by_person[members[1].pk]] == [False, False]
    assert all(c.action is None for v in checks.values() for c in v)


def test_document_for_travel_gives_the_valid_document_in_one_query(caseworker, family, consulate):
    a, b, c = persons(family)
    record_passport(caseworker, family, a, expires_on=TODAY + datetime.timedelta(days=10))
    record_passport(
        caseworker, family, a, number="P2", expires_on=TODAY + datetime.timedelta(days=90)
    )
    record_passport(caseworker, family, b, expires_on=TODAY + datetime.timedelta(days=3))
    request_lp(caseworker, family, c, consulate)
    with CaptureQueriesContext(connection) as ctx:
        docs = document_for_travel([a.pk, b.pk, c.pk], TODAY + datetime.timedelta(days=5))
    assert len(ctx.captured_queries) == 1
    assert docs[a.pk].number == "P2" and docs[a.pk].kind == "passport"
    assert docs[b.pk] is None and docs[c.pk] is None
