"""The readiness checklist (cases.readiness): providers, restricted checks made neutral, the
gate that reads it, its tab and its API."""

import datetime

import pytest

from awda.audit.models import AuditEvent
from awda.cases import readiness
from awda.cases.models import Case
from awda.cases.services import case_transition
from awda.core.api.testing import api_client, error_of
from awda.core.errors import TransitionRefused
from awda.factories import (
    bring_case_to,
    document_travellers,
    member_of,
    person_data,
    register_case,
    screen_travellers,
)
from awda.screening.models import VulnerabilityScreening

# The checks of the travel-documents provider (awda.movements.traveldocs), left aside where a
# test is about the other providers.
TRAVEL_DOCUMENT_CODES = ("travel_document", "exit_authorisation")


def codes_but_travel_documents(checks) -> list[str]:
    return [
        c["code"] if isinstance(c, dict) else c.code
        for c in checks
        if (c["code"] if isinstance(c, dict) else c.code) not in TRAVEL_DOCUMENT_CODES
    ]


@pytest.fixture
def two_travellers(caseworker, rabat):
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Moussa", family_name="Keita"),
        members=[
            {"relationship": "spouse", "person": person_data(given_name="Awa")},
            {"relationship": "sibling", "travels": False, "person": person_data(given_name="Ali")},
        ],
    )


@pytest.fixture
def secret_provider():
    """A provider of a restricted category (as the trafficking one is), for this test only."""
    calls = []

    def collect(case, travellers, on_date):
        calls.append(on_date)
        principal = next(m for m in travellers if m.is_principal)
        return {
            principal.pk: [
                readiness.Check(
                    "secret.thing", "Secret safeguard", False, "secret detail", "child.view"
                ),
                readiness.Check("secret.other", "Other secret", True, "", "child.view"),
            ]
        }

    readiness.register("zz_secret", collect, order=999)
    yield calls
    readiness._PROVIDERS.pop("zz_secret")


def test_every_traveller_needs_a_screening_and_non_travellers_are_left_out(
    two_travellers, caseworker
):
    rows = readiness.case_readiness(two_travellers)
    assert [r.person.given_name for r in rows] == ["Moussa", "Awa"]
    assert all(
        [(c.code, c.ok) for c in r.checks if c.code not in TRAVEL_DOCUMENT_CODES]
        == [("screening.done", False)]
        for r in rows
    )
    screen_travellers(two_travellers, caseworker)
    document_travellers(two_travellers, caseworker)
    assert all(r.ready for r in readiness.case_readiness(two_travellers))


def test_restricted_checks_are_neutral_for_users_without_the_permission(
    two_travellers, caseworker, rabat, secret_provider
):
    protection = member_of(rabat, "protection", "protection.ready")
    mine = readiness.readiness_for(protection, two_travellers)[0].checks
    assert [(c.code, c.label, c.detail) for c in mine[-2:]] == [
        ("secret.thing", "Secret safeguard", "secret detail"),
        ("secret.other", "Other secret", ""),
    ]
    # folded into one neutral check: how many there are, and which pass, is not shown
    theirs_all = readiness.readiness_for(caseworker, two_travellers)[0].checks
    assert codes_but_travel_documents(theirs_all) == ["screening.done", "restricted"]
    theirs = theirs_all[-1]
    assert theirs.code == "restricted" and not theirs.ok
    assert "Secret" not in theirs.label and "secret" not in theirs.detail
    messages = readiness.missing_messages(two_travellers, caseworker)
    assert not any("ecret" in m for m in messages)
    assert any("Moussa" in m and "Restricted protection safeguard" in m for m in messages)


def test_the_day_checked_is_passed_to_providers(two_travellers, secret_provider):
    day = datetime.date(2031, 5, 4)
    readiness.case_readiness(two_travellers, on_date=day)
    assert secret_provider == [day]


def test_mark_ready_is_refused_with_each_missing_item_then_allowed(
    two_travellers, caseworker, manager
):
    case = bring_case_to(two_travellers, "pre_departure", caseworker=caseworker, manager=manager)
    case = document_travellers(case, caseworker)
    VulnerabilityScreening.objects.filter(case=case).delete()
    case.refresh_from_db()
    with pytest.raises(TransitionRefused) as refused:
        case_transition(caseworker, case=case, name="mark_ready", expected_version=case.version)
    failed = {g["gate"]: g["messages"] for g in refused.value.details["failed_gates"]}
    messages = failed["travel_safeguards"]
    assert len(messages) == 2
    assert "Moussa" in messages[0] and "Awa" in messages[1]
    assert all("Vulnerability screening (not screened yet)" in m for m in messages)
    assert Case.objects.get(pk=case.pk).status == "pre_departure"
    case = screen_travellers(case, caseworker)
    case = case_transition(caseworker, case=case, name="mark_ready", expected_version=case.version)
    assert case.status == "ready_to_travel"


def test_readiness_tab_lists_travellers_and_what_is_missing(
    client, two_travellers, caseworker, django_assert_max_num_queries
):
    client.force_login(caseworker)
    url = f"/cases/{two_travellers.pk}/?tab=readiness"
    with django_assert_max_num_queries(40):
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="readiness-traveller"') == 2
    assert html.count('data-code="screening.done" data-ok="0"') == 2
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", case_id=two_travellers.pk, changes__part="readiness"
    ).exists()


def test_readiness_tab_queries_do_not_grow_with_travellers(
    client, caseworker, rabat, django_assert_num_queries
):
    def case_with(n):
        return register_case(
            caseworker,
            rabat,
            members=[
                {"relationship": "child", "person": person_data(given_name=f"C{i}")}
                for i in range(n)
            ],
        )

    small, big = case_with(1), case_with(6)
    client.force_login(caseworker)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for case in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/cases/{case.pk}/?tab=readiness").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_readiness_api(two_travellers, caseworker, other_office_user, secret_provider):
    url = f"/api/v1/cases/{two_travellers.pk}/readiness/"
    data = api_client(caseworker).get(url, {"on_date": "2031-05-04"}).json()
    assert data["on_date"] == "2031-05-04" and data["ready"] is False
    assert [t["person"]["given_name"] for t in data["travellers"]] == ["Moussa", "Awa"]
    principal = data["travellers"][0]
    assert codes_but_travel_documents(principal["checks"]) == ["screening.done", "restricted"]
    assert "Secret" not in str(data)
    bad = api_client(caseworker).get(url, {"on_date": "not a date"})
    assert bad.status_code == 400 and "on_date" in error_of(bad)["fields"]
    assert api_client(other_office_user).get(url).status_code == 404
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", case_id=two_travellers.pk, changes__part="readiness"
    ).exists()
