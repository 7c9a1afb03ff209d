"""Registering a case for persons already in the registry (a returnee who comes back, a family
member known from an earlier case): the principal and each member is a new or an existing person."""

import pytest
from django.urls import reverse

from awda.cases.models import Case
from awda.factories import person_data, register_case
from awda.registry.models import Person

from .test_case_register import counts, form_data, member

URL = reverse("cases:case_register")


@pytest.fixture
def earlier(caseworker, rabat):
    """An earlier case of Ousmane DIALLO with his wife Mariama BAH."""
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Ousmane", family_name="Diallo"),
        members=[
            {
                "relationship": "spouse",
                "person": person_data(given_name="Mariama", family_name="Bah", sex="female"),
            }
        ],
    )


def existing_principal(person, **overrides):
    return {
        "principal-person_mode": "existing",
        "principal-existing_person": person.pk,
        **overrides,
    }


def existing_member(i, person, relationship="spouse"):
    return {
        f"members-{i}-person_mode": "existing",
        f"members-{i}-existing_person": person.pk,
        f"members-{i}-relationship": relationship,
        f"members-{i}-travels": "on",
    }


def test_page_offers_new_or_existing_person_and_the_possible_matches(client, caseworker):
    client.force_login(caseworker)
    html = client.get(URL).content.decode()
    assert 'name="principal-person_mode" id="principal-mode-existing" value="existing"' in html
    assert reverse("cases:person_search") in html
    assert 'id="principal-matches"' in html and reverse("cases:person_matches") in html
    # the member row template carries its own picker
    assert 'name="members-__prefix__-person_mode"' in html


def test_registers_a_new_case_for_an_existing_principal(client, caseworker, rabat, earlier):
    ousmane = earlier.principal
    persons = Person.objects.count()
    client.force_login(caseworker)
    # the new-person fields still hold what was typed before switching: they are ignored
    data = form_data(rabat, **existing_principal(ousmane, **{"principal-given_name": ""}))
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert case.principal == ousmane
    assert case.nationality == "GN" and case.country_of_return == "GN"
    assert Person.objects.count() == persons  # nobody created
    assert not ousmane.documents.exists()  # the principal-doc rows belong to a new person only
    assert set(ousmane.case_memberships.values_list("case_id", flat=True)) == {earlier.pk, case.pk}


def test_registers_existing_and_new_members_together(client, caseworker, rabat, earlier):
    mariama = earlier.members.get(is_principal=False).person
    client.force_login(caseworker)
    data = form_data(rabat, **existing_principal(earlier.principal), **{"members-TOTAL_FORMS": "2"})
    data.update(existing_member(0, mariama))
    data.update(member(1, relationship="child", given_name="Aïssatou", family_name="Diallo"))
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert case.member_count == 3
    assert case.members.get(person=mariama).relationship == "spouse"
    assert case.members.get(relationship="child").person.given_name == "Aïssatou"


def test_existing_mode_without_a_choice_is_refused_and_nothing_is_written(
    client, caseworker, rabat, earlier
):
    client.force_login(caseworker)  # a login is audited: count after it
    before = counts()
    data = form_data(rabat, **{"principal-person_mode": "existing", "members-TOTAL_FORMS": "1"})
    data.update({"members-0-person_mode": "existing", "members-0-relationship": "spouse"})
    response = client.post(URL, data)
    assert response.status_code == 400
    assert response.context["principal_pick"].errors["existing_person"]
    assert response.context["members"].forms[0].errors["existing_person"]
    # only the choice is checked: no error on the (unused) new-person fields
    assert set(response.context["members"].forms[0].errors) == {"existing_person"}
    assert not response.context["principal"].errors
    assert counts() == before


def test_a_person_outside_the_users_scope_is_refused_and_nothing_is_written(
    client, caseworker, rabat, other_office_user, oujda
):
    stranger = register_case(other_office_user, oujda).principal
    client.force_login(caseworker)  # a login is audited: count after it
    before = counts()
    response = client.post(URL, form_data(rabat, **existing_principal(stranger)))
    assert response.status_code == 400
    assert response.context["principal_pick"].errors["existing_person"]
    assert counts() == before


def test_the_same_person_twice_is_refused_and_nothing_is_written(
    client, caseworker, rabat, earlier
):
    ousmane = earlier.principal
    client.force_login(caseworker)  # a login is audited: count after it
    before = counts()
    data = form_data(rabat, **existing_principal(ousmane), **{"members-TOTAL_FORMS": "1"})
    data.update(existing_member(0, ousmane, relationship="sibling"))
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "listed twice" in " ".join(response.context["form"].non_field_errors())
    assert counts() == before


def test_page_with_errors_shows_the_chosen_persons_again(client, caseworker, rabat, earlier):
    mariama = earlier.members.get(is_principal=False).person
    client.force_login(caseworker)
    data = form_data(
        rabat,
        **existing_principal(earlier.principal),
        **{"case-referral_source": "", "members-TOTAL_FORMS": "1"},
    )
    data.update(existing_member(0, mariama))
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'name="principal-existing_person" value="{earlier.principal.pk}"' in html
    assert f'name="members-0-existing_person" value="{mariama.pk}"' in html
    assert earlier.number in html  # their case history is on the cards
