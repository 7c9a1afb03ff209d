import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awda.cases.models import Case
from awda.cases.services import case_update
from awda.core.api.testing import api_client, error_of
from awda.factories import person_data, register_case

URL = "/api/v1/cases/"


def _numbers(response):
    assert response.status_code == 200, response.json()
    return [c["number"] for c in response.json()["results"]]


def test_list_shows_only_cases_of_the_users_offices(caseworker, other_office_user, rabat, oujda):
    mine = register_case(caseworker, rabat)
    register_case(other_office_user, oujda)
    assert _numbers(api_client(caseworker).get(URL)) == [mine.number]


def test_me_officer_gets_an_empty_list(auditor, case):
    assert _numbers(api_client(auditor).get(URL)) == []


def test_filters_by_several_statuses(caseworker, rabat):
    a = register_case(caseworker, rabat)
    b = register_case(caseworker, rabat, principal=person_data(given_name="Awa"))
    Case.objects.filter(pk=b.pk).update(status="counselling")
    register_case(caseworker, rabat, principal=person_data(given_name="Fanta"))
    Case.objects.filter(number__endswith="3").update(status="withdrawn")
    client = api_client(caseworker)
    got = _numbers(client.get(URL, {"status": ["registered", "counselling"]}))
    assert sorted(got) == sorted([a.number, b.number])
    assert sorted(_numbers(client.get(URL, {"status": "registered,counselling"}))) == sorted(got)


def test_invalid_filter_is_a_validation_error(caseworker):
    response = api_client(caseworker).get(URL, {"status": "lost", "registered_from": "x"})
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"status.0", "registered_from"}


@pytest.mark.parametrize("value", ["²", "٣", "-1", str(2**63)])
def test_an_assignee_that_is_not_an_id_is_a_field_error(caseworker, value):
    response = api_client(caseworker).get("/api/v1/cases/", {"assigned_to": value})
    assert response.status_code == 400
    assert "assigned_to" in error_of(response)["fields"]


def test_search_is_accent_and_case_blind(caseworker, rabat):
    traore = register_case(
        caseworker, rabat, principal=person_data(given_name="Aïssata", family_name="TRAORÉ")
    )
    register_case(caseworker, rabat)
    client = api_client(caseworker)
    assert _numbers(client.get(URL, {"q": "traore"})) == [traore.number]
    assert _numbers(client.get(URL, {"q": "aissata"})) == [traore.number]
    assert _numbers(client.get(URL, {"q": traore.number})) == [traore.number]


def test_filters_nationality_assignee_priority_and_dates(caseworker, rabat):
    today = datetime.date.today()
    gn = register_case(caseworker, rabat, registered_on=today - datetime.timedelta(days=10))
    ci = register_case(
        caseworker, rabat, principal=person_data(given_name="Yao", nationality="CI"), priority=3
    )
    case_update(caseworker, case=ci, expected_version=ci.version, data={"assigned_to": caseworker})
    client = api_client(caseworker)
    assert _numbers(client.get(URL, {"nationality": "CIV"})) == [ci.number]
    assert _numbers(client.get(URL, {"assigned_to": "me"})) == [ci.number]
    assert _numbers(client.get(URL, {"assigned_to": "none"})) == [gn.number]
    assert _numbers(client.get(URL, {"priority": 3})) == [ci.number]
    since = (today - datetime.timedelta(days=2)).isoformat()
    assert _numbers(client.get(URL, {"registered_from": since})) == [ci.number]
    assert _numbers(client.get(URL, {"registered_to": since})) == [gn.number]


def test_cursor_pagination_walks_every_case_once(caseworker, rabat):
    made = {register_case(caseworker, rabat).number for _ in range(5)}
    client = api_client(caseworker)
    seen, url, params = [], URL, {"page_size": 2, "sort": "number"}
    while url:
        body = client.get(url, params).json()
        seen += [c["number"] for c in body["results"]]
        url, params = body["next"], None
    assert seen == sorted(made)


def _list_queries(user):
    client = api_client(user)
    client.get(URL)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_query_count_does_not_grow_with_the_number_of_cases(
    caseworker, rabat, django_assert_num_queries
):
    for i in range(3):
        register_case(caseworker, rabat, principal=person_data(given_name=f"P{i}"))
    few, rows = _list_queries(caseworker)
    assert rows == 3
    for i in range(27):
        register_case(caseworker, rabat, principal=person_data(given_name=f"Q{i}"))
    client = api_client(caseworker)
    client.get(URL)
    with django_assert_num_queries(few):
        response = client.get(URL)
    assert len(response.json()["results"]) == 30


def test_origin_mission_sees_a_case_only_once_handed_over(origin_officer, guinea, case):
    from django.utils import timezone

    client = api_client(origin_officer)
    assert _numbers(client.get(URL)) == []
    assert client.get(f"{URL}{case.pk}/").status_code == 404
    Case.objects.filter(pk=case.pk).update(receiving_mission=guinea, handed_over_at=timezone.now())
    assert _numbers(client.get(URL)) == [case.number]
    assert client.get(f"{URL}{case.pk}/").status_code == 200
