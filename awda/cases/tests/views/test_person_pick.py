"""The "existing person" picker: registry search, "possible existing persons" while a new principal
is typed, and the card of the person chosen. Scoped to what the user may see, cheap, read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awda.factories import person_data, register_case

SEARCH = reverse("cases:person_search")
MATCHES = reverse("cases:person_matches")


def picked_url(person, prefix="principal"):
    return f"{reverse('cases:person_picked', args=[person.pk])}?prefix={prefix}"


def matches(client, **typed):
    return client.get(
        MATCHES, {"prefix": "principal", **{f"principal-{k}": v for k, v in typed.items()}}
    )


def query_count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.fixture
def returnee_case(caseworker, rabat):
    """Ousmane DIALLO's earlier case, closed with a passport on file."""
    case = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Ousmane", family_name="Diallo"),
    )
    from awda.registry import services as registry_services

    registry_services.identity_document_add(
        caseworker,
        person=case.principal,
        data={"doc_type": "passport", "number": "R0012345", "issuing_country": "GN"},
        case_id=case.pk,
    )
    return case


# ---- search ---------------------------------------------------------------------------------------


def test_search_finds_a_person_accent_blind_with_documents_and_case_history(
    client, caseworker, returnee_case
):
    client.force_login(caseworker)
    response = client.get(SEARCH, {"q": "DIÂLLO ousmane", "prefix": "members-2"})
    assert response.status_code == 200
    assert response.context["persons"] == [returnee_case.principal]
    html = response.content.decode()
    assert "R0012345" in html
    assert returnee_case.number in html
    assert 'data-status="registered"' in html
    # the choice goes into the right form row
    assert picked_url(returnee_case.principal, "members-2") in html.replace("&amp;", "&")
    assert 'hx-target="#picker-members-2-picked"' in html


def test_search_by_document_number(client, caseworker, returnee_case):
    client.force_login(caseworker)
    response = client.get(SEARCH, {"q": "r001 2345", "prefix": "member"})
    assert response.context["persons"] == [returnee_case.principal]


def test_search_needs_two_characters(client, caseworker, returnee_case):
    client.force_login(caseworker)
    response = client.get(SEARCH, {"q": "d", "prefix": "principal"})
    assert response.status_code == 200
    assert response.context["searched"] is False and response.context["persons"] == []


def test_search_is_limited_and_its_query_count_does_not_grow(client, caseworker, rabat):
    register_case(caseworker, rabat, principal=person_data(given_name="Awa", family_name="Traoré"))
    client.force_login(caseworker)
    search = {"q": "traore", "prefix": "principal"}
    client.get(SEARCH, search)
    one = query_count(lambda: client.get(SEARCH, search))
    for i in range(12):
        register_case(
            caseworker, rabat, principal=person_data(given_name=f"Awa{i}", family_name="Traoré")
        )
    many = query_count(lambda: client.get(SEARCH, search))
    assert many == one
    response = client.get(SEARCH, search)
    assert len(response.context["persons"]) == 10
    assert response.context["more"] is True


def test_search_does_not_show_persons_of_another_office(
    client, caseworker, other_office_user, oujda
):
    register_case(other_office_user, oujda, principal=person_data(family_name="Keita"))
    client.force_login(caseworker)
    response = client.get(SEARCH, {"q": "keita", "prefix": "principal"})
    assert response.context["persons"] == []
    assert 'data-testid="pick-empty"' in response.content.decode()


def test_search_refuses_an_unknown_prefix(client, caseworker):
    client.force_login(caseworker)
    assert client.get(SEARCH, {"q": "diallo", "prefix": 'x" onclick="alert(1)'}).status_code == 400


@pytest.mark.parametrize("persona", ["auditor", "medical_officer"])
def test_users_who_cannot_register_or_add_members_get_403(client, request, persona, case):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(SEARCH, {"q": "diallo", "prefix": "principal"}).status_code == 403
    assert matches(client, given_name="Ousmane", family_name="Diallo").status_code == 403
    assert client.get(picked_url(case.principal)).status_code == 403


# ---- possible existing persons: see test_person_matches.py (the duplicate check) ------------------


# ---- the chosen person ----------------------------------------------------------------------------


def test_picked_card_carries_the_choice_in_a_hidden_input(client, caseworker, returnee_case):
    client.force_login(caseworker)
    response = client.get(picked_url(returnee_case.principal, "members-0"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="members-0-existing_person" value="{returnee_case.principal.pk}"' in html
    assert returnee_case.number in html


def test_picked_person_of_another_office_is_404(client, caseworker, other_office_user, oujda):
    other = register_case(other_office_user, oujda)
    client.force_login(caseworker)
    assert client.get(picked_url(other.principal)).status_code == 404
