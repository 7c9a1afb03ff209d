"""The duplicate check on the registration form and the members tab (htmx partial
cases:person_matches): what is typed so far (names, phone, birth, nationality, document numbers)
against the persons the user may see, with the score, the reasons and "use this person"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from awda.factories import person_data, register_case

MATCHES = reverse("cases:person_matches")
REGISTER = reverse("cases:case_register")


@pytest.fixture
def ousmane(caseworker, rabat):
    return register_case(
        caseworker,
        rabat,
        principal=person_data(phone="0661234567"),
        principal_documents=[{"doc_type": "passport", "number": "R0412345"}],
    ).principal


def typed(prefix="principal", **fields):
    return {"prefix": prefix, **{f"{prefix}-{k}": v for k, v in fields.items()}}


def get(client, params, lang="en"):
    with translation.override(lang):
        return client.get(MATCHES, params, HTTP_ACCEPT_LANGUAGE=lang, HTTP_HX_REQUEST="true")


def test_a_variant_with_the_same_phone_is_shown_with_score_and_reasons(client, caseworker, ousmane):
    client.force_login(caseworker)
    response = get(
        client, typed(given_name="Usman", family_name="Jalloh", phone="+212 661 23 45 67")
    )
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["person"] for r in rows] == [ousmane]
    html = response.content.decode()
    assert 'data-testid="possible-matches"' in html and "Ousmane DIALLO" in html
    assert f"match score {rows[0]['candidate'].percent}%" in html
    assert "Same phone number" in html and "Name variant: Usman ~ Ousmane" in html
    assert f"{reverse('cases:person_picked', args=[ousmane.pk])}?prefix=principal" in html
    assert 'hx-target="#picker-principal-picked"' in html
    assert "R0412345" in html  # the person card: documents and case history
    assert ousmane.case_memberships.get().case.number in html


def test_in_french_by_default(client, caseworker, ousmane, settings):
    settings.LANGUAGE_CODE = "fr"  # the production default (the test settings use English)
    client.force_login(caseworker)
    html = client.get(
        MATCHES, typed(given_name="Usman", family_name="Jalloh", phone="0661234567")
    ).content.decode()
    assert "Personnes peut-être déjà enregistrées" in html
    assert "Utiliser plutôt cette personne" in html


def test_the_principals_document_numbers_are_checked(client, caseworker, ousmane):
    client.force_login(caseworker)
    params = typed(given_name="Ousman", family_name="Dialo")
    params["principal-doc-0-number"] = "r041 2345"
    response = get(client, params)
    assert [r["person"] for r in response.context["rows"]] == [ousmane]
    assert "Same document number" in response.content.decode()


def test_a_member_rows_document_is_checked(client, caseworker, ousmane):
    client.force_login(caseworker)
    response = get(
        client, typed("members-3", given_name="Usmane", family_name="Diallo", doc_number="R0412345")
    )
    assert [r["person"] for r in response.context["rows"]] == [ousmane]
    assert 'hx-target="#picker-members-3-picked"' in response.content.decode()


def test_nothing_until_enough_is_typed(client, caseworker, ousmane):
    client.force_login(caseworker)
    response = get(client, typed(given_name="Usman", family_name=""))
    assert response.context["rows"] == [] and response.content.decode().strip() == ""


def test_persons_of_other_offices_are_not_shown_nor_counted(
    client, caseworker, other_office_user, ousmane
):
    client.force_login(other_office_user)
    response = get(client, typed(given_name="Ousmane", family_name="Diallo", phone="0661234567"))
    assert response.context["rows"] == []
    assert response.content.decode().strip() == ""


def test_on_the_members_tab_the_cases_own_members_are_not_proposed(client, caseworker, ousmane):
    client.force_login(caseworker)
    case = ousmane.case_memberships.get().case
    params = typed("member", given_name="Ousmane", family_name="Diallo", phone="0661234567")
    assert [r["person"] for r in get(client, params).context["rows"]] == [ousmane]
    assert get(client, {**params, "case": case.pk}).context["rows"] == []
    # a case the user may not see is ignored, not an error
    assert [r["person"] for r in get(client, {**params, "case": 999999}).context["rows"]] == [
        ousmane
    ]


def test_at_most_five_in_a_fixed_number_of_queries(client, caseworker, rabat, ousmane):
    client.force_login(caseworker)
    params = typed(given_name="Ousmane", family_name="Diallo", phone="0661234567")
    get(client, params)
    with CaptureQueriesContext(connection) as one:
        get(client, params)
    for given, family in [
        ("Ousmane", "Jallow"),
        ("Usmane", "Diallo"),
        ("Ousman", "Djalo"),
        ("Usman", "Jalloh"),
        ("Ousmane", "Dialo"),
        ("Ousmane", "Diallo"),
    ]:
        register_case(
            caseworker,
            rabat,
            principal=person_data(given_name=given, family_name=family, phone="0661234567"),
        )
    with CaptureQueriesContext(connection) as many:
        response = get(client, params)
    assert len(response.context["rows"]) == 5 and response.context["more"] is True
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_register_page_checks_every_field_of_the_new_person(client, caseworker):
    client.force_login(caseworker)
    html = client.get(REGISTER).content.decode()
    assert 'hx-include="closest [data-new-person]"' in html
    assert 'id="members-__prefix__-matches"' in html  # member rows have their own check


def test_the_members_tab_checks_against_its_case(client, caseworker, case):
    client.force_login(caseworker)
    html = client.get(reverse("cases:case_detail", args=[case.pk]) + "?tab=members")
    html = html.content.decode()
    assert 'id="member-matches"' in html and f'"case": "{case.pk}"' in html


def test_users_who_cannot_register_get_403(client, auditor, ousmane):
    client.force_login(auditor)
    assert get(client, typed(given_name="Ousmane", family_name="Diallo")).status_code == 403
