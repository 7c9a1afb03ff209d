"""Person search: accent-blind names, documents and phones, with each person's visible cases."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awda.factories import UserFactory, bring_case_to, person_data, register_case

URL = reverse("cases:person_list")


def names(response) -> set[str]:
    return {p.family_name for p in response.context["page_obj"].object_list}


def test_page_prompts_for_a_search_first(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="person-prompt"' in body
    assert "DIALLO" not in body


def test_search_is_accent_blind_and_shows_person_details(client, caseworker, rabat):
    register_case(
        caseworker,
        rabat,
        principal=person_data(
            given_name="Awa",
            family_name="Traoré",
            other_names="Awa Traore, Aoua",
            sex="female",
            date_of_birth=None,
            birth_year=1990,
            nationality="ML",
            phone="+212 661 23 45 67",
        ),
    )
    register_case(
        caseworker, rabat, principal=person_data(given_name="Fatou", family_name="Ndiaye")
    )
    client.force_login(caseworker)
    response = client.get(URL, {"q": "traore"})
    assert names(response) == {"Traoré"}
    body = response.content.decode()
    assert "Awa TRAORÉ" in body
    assert "Aoua" in body
    assert "1990" in body
    assert "est." in body  # estimated date of birth is flagged
    assert "+212 661 23 45 67" in body


def test_returnee_history_shows_every_visible_case(client, caseworker, manager, rabat):
    first = register_case(caseworker, rabat)
    person = first.principal

    bring_case_to(first, "departed", caseworker=caseworker, manager=manager)
    second = register_case(caseworker, rabat, principal=None, principal_person=person)
    client.force_login(caseworker)
    response = client.get(URL, {"q": "diallo"})
    [row] = response.context["page_obj"].object_list
    assert {m.case.number for m in row.visible_memberships} == {first.number, second.number}
    body = response.content.decode()
    assert reverse("cases:case_detail", args=[first.pk]) in body
    assert reverse("cases:case_detail", args=[second.pk]) in body


def test_other_office_persons_and_cases_are_hidden(
    client, caseworker, other_office_user, oujda, case
):
    register_case(
        other_office_user, oujda, principal=person_data(given_name="Idrissa", family_name="Keita")
    )
    client.force_login(caseworker)
    assert names(client.get(URL, {"q": "keita"})) == set()
    assert names(client.get(URL, {"q": "diallo"})) == {"Diallo"}


def test_htmx_search_returns_the_fragment(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(URL, {"q": "diallo"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'data-testid="person-table"' in body
    assert "<html" not in body


def test_me_officer_and_admin_get_403(client, auditor, case):
    client.force_login(auditor)
    response = client.get(URL, {"q": "diallo"})
    assert response.status_code == 403
    assert "DIALLO" not in response.content.decode()
    client.force_login(UserFactory(username="admin.rabat", is_staff=True))
    assert client.get(URL, {"q": "diallo"}).status_code == 403


def test_query_count_does_not_grow_with_rows(client, caseworker, rabat):

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(URL, {"q": "diallo"})
        return len(ctx.captured_queries)

    client.force_login(caseworker)
    register_case(caseworker, rabat)
    few = count()
    for i in range(15):
        register_case(caseworker, rabat, principal=person_data(given_name=f"P{i}"))
    assert count() == few
