"""The case list page: scoping, filters, search, sort, pagination, htmx fragment, query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awda.cases.choices import Priority
from awda.cases.models import Case
from awda.factories import UserFactory, bring_case_to, person_data, register_case

URL = reverse("cases:case_list")


def listed(response) -> set[str]:
    return {c.number for c in response.context["page_obj"].object_list}


def _register_many(user, office, n):
    return [
        register_case(
            user,
            office,
            principal=person_data(given_name=f"Person{i}", family_name=f"Family{i}", phone=""),
        )
        for i in range(n)
    ]


def test_caseworker_sees_cases_of_her_office(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert case.number in body
    assert reverse("cases:case_detail", args=[case.pk]) in body
    assert "Ousmane DIALLO" in body
    assert 'data-status="registered"' in body


def test_other_office_cases_are_never_listed(client, caseworker, other_office_user, oujda, case):
    oujda_case = register_case(
        other_office_user, oujda, principal=person_data(given_name="Idrissa", family_name="Keita")
    )
    client.force_login(caseworker)
    body = client.get(URL).content.decode()
    assert case.number in body
    assert oujda_case.number not in body
    assert "KEITA" not in body
    # not even by searching for it or by filtering on the other office
    response = client.get(URL, {"q": oujda_case.number})
    assert listed(response) == set()
    assert reverse("cases:case_detail", args=[oujda_case.pk]) not in response.content.decode()
    response = client.get(URL, {"office": oujda.pk})
    assert oujda_case.number not in listed(response)
    assert reverse("cases:case_detail", args=[oujda_case.pk]) not in response.content.decode()


def test_office_filter_offers_only_the_users_offices(client, caseworker, rabat, oujda):
    client.force_login(caseworker)
    form = client.get(URL).context["form"]
    offered = [value for value, _label in form.fields["office"].choices if value]
    assert offered == [rabat.pk]


@pytest.mark.parametrize("persona", ["auditor"])
def test_me_officer_gets_403_with_a_clear_message(client, persona, request, case):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="no-case-access"' in body
    assert case.number not in body
    assert "DIALLO" not in body


def test_user_without_membership_gets_403(client, db, case):
    client.force_login(UserFactory(username="admin.nowhere", is_staff=True))
    response = client.get(URL)
    assert response.status_code == 403
    assert case.number not in response.content.decode()


def test_search_is_accent_and_case_blind(client, caseworker, rabat):
    traore = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Awa", family_name="TRAORÉ", sex="female"),
    )
    register_case(caseworker, rabat, principal=person_data(given_name="Fatou"))
    client.force_login(caseworker)
    assert listed(client.get(URL, {"q": "traore"})) == {traore.number}


def test_status_multi_select_and_priority_filters(client, caseworker, manager, rabat):
    a, b, c = _register_many(caseworker, rabat, 3)
    bring_case_to(b, "counselling", caseworker=caseworker, manager=manager)
    Case.objects.filter(pk=c.pk).update(priority=Priority.URGENT)
    client.force_login(caseworker)
    assert listed(client.get(URL, {"status": ["counselling"]})) == {b.number}
    both = client.get(URL, {"status": ["counselling", "registered"]})
    assert listed(both) == {a.number, b.number, c.number}
    assert listed(client.get(URL, {"priority": Priority.URGENT})) == {c.number}


def test_caseworker_and_date_filters(client, caseworker, colleague, rabat):
    today = timezone.localdate()
    old = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Old"),
        registered_on=today - datetime.timedelta(days=60),
        assigned_to=colleague,
    )
    mine = register_case(
        caseworker, rabat, principal=person_data(given_name="Mine"), assigned_to=caseworker
    )
    client.force_login(caseworker)
    assert listed(client.get(URL, {"assigned_to": caseworker.pk})) == {mine.number}
    assert listed(client.get(URL, {"assigned_to": colleague.pk})) == {old.number}
    since = (today - datetime.timedelta(days=7)).isoformat()
    assert listed(client.get(URL, {"registered_from": since})) == {mine.number}
    until = (today - datetime.timedelta(days=30)).isoformat()
    assert listed(client.get(URL, {"registered_to": until})) == {old.number}


def test_departure_date_filter(client, caseworker, manager, rabat):
    gone, staying = _register_many(caseworker, rabat, 2)
    gone = bring_case_to(gone, "departed", caseworker=caseworker, manager=manager)
    client.force_login(caseworker)
    day = gone.departed_on.isoformat()
    response = client.get(URL, {"departed_from": day, "departed_to": day})
    assert listed(response) == {gone.number}


def test_invalid_filter_values_are_reported_and_ignored(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(URL, {"registered_from": "not-a-date", "status": ["nonsense"]})
    assert response.status_code == 200
    body = response.content.decode()
    assert case.number in body
    assert "alert-warning" in body


def test_sort_by_column_header(client, caseworker, rabat):
    first = register_case(
        caseworker, rabat, principal=person_data(given_name="A", family_name="Zongo")
    )
    second = register_case(
        caseworker, rabat, principal=person_data(given_name="B", family_name="Bamba")
    )
    client.force_login(caseworker)
    body = client.get(URL, {"sort": "name"}).content.decode()
    assert body.index(second.number) < body.index(first.number)
    body = client.get(URL, {"sort": "-name"}).content.decode()
    assert body.index(first.number) < body.index(second.number)
    # the active column header links to the reverse order and marks it for screen readers
    assert 'aria-sort="descending"' in body
    assert "sort=name" in body


def test_pagination_25_per_page_keeps_filters(client, caseworker, rabat):
    _register_many(caseworker, rabat, 27)
    client.force_login(caseworker)
    response = client.get(URL, {"status": ["registered"]})
    page = response.context["page_obj"]
    assert page.paginator.count == 27 and len(page.object_list) == 25
    body = response.content.decode()
    assert "status=registered&amp;page=2" in body
    response = client.get(URL, {"status": ["registered"], "page": 2})
    assert len(response.context["page_obj"].object_list) == 2


def test_htmx_request_returns_only_the_table_fragment(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(URL, {"q": "diallo"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert case.number in body
    assert 'data-testid="case-table"' in body
    assert "<html" not in body and 'id="case-filters"' not in body
    assert "HX-Request" in response.headers["Vary"]


def test_full_page_has_filter_form_wired_to_htmx(client, caseworker, case):
    client.force_login(caseworker)
    body = client.get(URL).content.decode()
    assert 'id="case-filters"' in body
    assert 'hx-target="#case-results"' in body
    assert 'hx-push-url="true"' in body


def test_empty_list_explains_itself(client, caseworker):
    client.force_login(caseworker)
    body = client.get(URL, {"q": "nobody-like-this"}).content.decode()
    assert 'data-testid="case-empty"' in body


def test_query_count_does_not_grow_with_rows(
    client, caseworker, colleague, rabat, django_assert_max_num_queries
):
    def count_queries():

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"sort": "number"}).status_code == 200
        return len(ctx.captured_queries)

    _register_many(caseworker, rabat, 3)
    client.force_login(caseworker)
    with_three = count_queries()
    more = _register_many(caseworker, rabat, 27)
    for i, c in enumerate(more):
        c.assigned_to = colleague if i % 2 else caseworker
        c.save(update_fields=["assigned_to"])
    with_thirty = count_queries()
    assert with_thirty == with_three
    with django_assert_max_num_queries(with_three):
        client.get(URL, {"sort": "number"})
