"""From a case's page: add a member who is already in the registry, change a member's relationship
and whether they travel, and "assign to me" on an unassigned case. Each is refused for the wrong
person, and a refusal changes nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.cases import services
from awda.cases.models import Case, CaseMember
from awda.factories import person_data, register_case
from awda.registry.models import Person


def detail(case, tab):
    return f"{reverse('cases:case_detail', args=[case.pk])}?tab={tab}"


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def family(caseworker, rabat):
    """A case of Ousmane with his daughter Aïssatou."""
    return register_case(
        caseworker,
        rabat,
        members=[
            {
                "relationship": "child",
                "person": person_data(
                    given_name="Aïssatou", sex="female", date_of_birth=None, birth_year=2015
                ),
            }
        ],
    )


@pytest.fixture
def known_person(caseworker, rabat):
    """Mariama BAH, principal of an earlier case of the office."""
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Mariama", family_name="Bah", sex="female"),
    ).principal


def existing_member_post(case, person, **overrides):
    data = {
        "member-version": case.version,
        "member-relationship": "spouse",
        "member-travels": "on",
        "member-person_mode": "existing",
        "member-existing_person": person.pk,
    }
    data.update(overrides)
    return data


def member_state(case):
    return (
        Case.objects.get(pk=case.pk).version,
        Case.objects.get(pk=case.pk).member_count,
        sorted(
            CaseMember.objects.filter(case=case).values_list("person_id", "relationship", "travels")
        ),
        Person.objects.count(),
    )


# ---- add an existing person -------------------------------------------------------------------


def test_members_tab_offers_an_existing_person(client, caseworker, case):
    client.force_login(caseworker)
    html = client.get(detail(case, "members")).content.decode()
    assert 'name="member-person_mode" id="member-mode-existing" value="existing"' in html
    assert 'hx-target="#picker-member-results"' in html


def test_caseworker_adds_an_existing_person_as_member(client, caseworker, case, known_person):
    client.force_login(caseworker)
    persons = Person.objects.count()
    response = client.post(
        reverse("cases:member_add", args=[case.pk]), existing_member_post(case, known_person)
    )
    assert response.status_code == 302
    assert response["Location"] == detail(case, "members")
    case.refresh_from_db()
    assert case.member_count == 2
    assert case.members.get(person=known_person).relationship == "spouse"
    assert Person.objects.count() == persons
    event = AuditEvent.objects.get(action="cases.member.added", case_id=case.pk)
    assert event.changes["person"] == known_person.pk
    # the members tab shows her earlier case
    earlier = known_person.case_memberships.exclude(case=case).get().case
    assert earlier.number in client.get(detail(case, "members")).content.decode()


def test_a_person_already_in_the_case_is_refused(client, caseworker, case):
    client.force_login(caseworker)
    before = member_state(case)
    response = client.post(
        reverse("cases:member_add", args=[case.pk]), existing_member_post(case, case.principal)
    )
    assert response.status_code == 400
    assert response.context["member_form"].errors["existing_person"]
    assert member_state(case) == before


def test_existing_person_out_of_scope_or_missing_is_refused(
    client, caseworker, case, other_office_user, oujda
):
    stranger = register_case(other_office_user, oujda).principal
    client.force_login(caseworker)
    before = member_state(case)
    url = reverse("cases:member_add", args=[case.pk])
    response = client.post(url, existing_member_post(case, stranger))
    assert response.status_code == 400
    assert response.context["member_form"].errors["existing_person"]
    missing = client.post(
        url, existing_member_post(case, stranger, **{"member-existing_person": ""})
    )
    assert missing.status_code == 400
    assert missing.context["member_form"].errors["existing_person"]
    assert member_state(case) == before


def test_medical_officer_cannot_add_an_existing_person(client, medical_officer, case, known_person):
    client.force_login(medical_officer)
    before = member_state(case)
    response = client.post(
        reverse("cases:member_add", args=[case.pk]), existing_member_post(case, known_person)
    )
    assert response.status_code == 403
    assert member_state(case) == before


# ---- edit a member --------------------------------------------------------------------------------


def edit_post(member, **fields):
    return {f"edit-{member.pk}-{k}": v for k, v in fields.items()}


def test_caseworker_changes_relationship_and_travel(client, caseworker, family):
    child = family.members.get(is_principal=False)
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:member_edit", args=[family.pk, child.pk]),
        # unticked: does not travel
        edit_post(child, relationship="other_relative", version=family.version),
    )
    assert response.status_code == 302
    assert response["Location"] == detail(family, "members")
    child.refresh_from_db()
    assert child.relationship == "other_relative" and child.travels is False
    event = AuditEvent.objects.get(action="cases.member.updated", case_id=family.pk)
    assert event.changes == {
        "relationship": {"from": "child", "to": "other_relative"},
        "travels": {"from": True, "to": False},
    }


def test_principal_edit_is_travel_only(client, caseworker, family):
    principal = family.members.get(is_principal=True)
    client.force_login(caseworker)
    html = client.get(detail(family, "members")).content.decode()
    assert f'name="edit-{principal.pk}-relationship"' not in html
    assert f'name="edit-{principal.pk}-travels"' in html
    response = client.post(
        reverse("cases:member_edit", args=[family.pk, principal.pk]),
        # relationship is ignored: no such field for the principal
        edit_post(principal, relationship="spouse", version=family.version),
    )
    assert response.status_code == 302
    principal.refresh_from_db()
    assert principal.relationship == "principal" and principal.travels is False


def test_invalid_relationship_is_shown_and_changes_nothing(client, caseworker, family):
    child = family.members.get(is_principal=False)
    client.force_login(caseworker)
    before = member_state(family)
    response = client.post(
        reverse("cases:member_edit", args=[family.pk, child.pk]),
        edit_post(child, relationship="principal", travels="on"),
    )
    assert response.status_code == 400
    assert response.context["rows"][1]["edit_form"].errors["relationship"]
    assert member_state(family) == before


def test_medical_officer_cannot_edit_a_member(client, medical_officer, family):
    child = family.members.get(is_principal=False)
    client.force_login(medical_officer)
    before = member_state(family)
    response = client.post(
        reverse("cases:member_edit", args=[family.pk, child.pk]),
        edit_post(child, relationship="sibling"),
    )
    assert response.status_code == 403
    assert member_state(family) == before
    html = client.get(detail(family, "members")).content.decode()
    assert 'data-testid="member-edit"' not in html


def test_other_office_user_gets_404_on_member_edit(client, other_office_user, family):
    child = family.members.get(is_principal=False)
    client.force_login(other_office_user)
    before = member_state(family)
    url = reverse("cases:member_edit", args=[family.pk, child.pk])
    assert client.post(url, edit_post(child, relationship="sibling")).status_code == 404
    assert member_state(family) == before


def test_member_of_another_case_is_404(client, caseworker, family, case):
    child = family.members.get(is_principal=False)
    client.force_login(caseworker)
    url = reverse("cases:member_edit", args=[case.pk, child.pk])
    assert client.post(url, edit_post(child, relationship="sibling")).status_code == 404


# ---- assign to me ---------------------------------------------------------------------------------


def take(client, case):
    return client.post(reverse("cases:case_take", args=[case.pk]))


def test_caseworker_takes_an_unassigned_case(client, caseworker, case):
    assert case.assigned_to is None
    client.force_login(caseworker)
    page = client.get(detail(case, "summary")).content.decode()
    assert 'data-testid="assign-to-me"' in page
    response = take(client, case)
    assert response.status_code == 302 and response["Location"] == detail(case, "summary")
    case.refresh_from_db()
    assert case.assigned_to == caseworker
    assert AuditEvent.objects.filter(action="cases.case.updated", case_id=case.pk).exists()
    assert 'data-testid="assign-to-me"' not in client.get(detail(case, "summary")).content.decode()


def test_manager_may_take_an_unassigned_case(client, manager, case):
    client.force_login(manager)
    assert take(client, case).status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == manager


def test_a_case_assigned_to_a_colleague_is_not_taken(client, caseworker, colleague, manager, case):
    services.case_update(
        manager, case=case, expected_version=case.version, data={"assigned_to": colleague}
    )
    case.refresh_from_db()
    version = case.version
    client.force_login(caseworker)
    assert 'data-testid="assign-to-me"' not in client.get(detail(case, "summary")).content.decode()
    response = take(client, case)
    assert response.status_code == 302
    assert any("already assigned" in m for m in flashed(response))
    case.refresh_from_db()
    assert case.assigned_to == colleague and case.version == version


@pytest.mark.parametrize("persona", ["medical_officer", "movement_officer"])
def test_roles_that_do_not_carry_cases_cannot_take_one(client, request, persona, case):
    client.force_login(request.getfixturevalue(persona))
    assert 'data-testid="assign-to-me"' not in client.get(detail(case, "summary")).content.decode()
    assert take(client, case).status_code == 403
    case.refresh_from_db()
    assert case.assigned_to is None


def test_other_office_user_gets_404_on_take(client, other_office_user, case):
    client.force_login(other_office_user)
    version = case.version
    assert take(client, case).status_code == 404
    case.refresh_from_db()
    assert case.assigned_to is None and case.version == version


def test_closed_case_is_not_taken(client, caseworker, case):
    Case.objects.filter(pk=case.pk).update(
        status="closed"
    )  # set up directly: only the status counts
    client.force_login(caseworker)
    assert take(client, case).status_code == 403
    case.refresh_from_db()
    assert case.assigned_to is None


def test_members_tab_carries_the_case_version_in_the_edit_form(client, caseworker, family):
    child = family.members.get(is_principal=False)
    client.force_login(caseworker)
    html = client.get(detail(family, "members")).content.decode()
    assert f'name="edit-{child.pk}-version" value="{family.version}"' in html


def test_stale_member_edit_is_refused_and_changes_nothing(client, caseworker, family):
    child = family.members.get(is_principal=False)
    stale = family.version
    services.case_update(caseworker, case=family, expected_version=stale, data={"priority": 2})
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:member_edit", args=[family.pk, child.pk]),
        edit_post(child, relationship="sibling", travels="on", version=stale),
    )
    assert response.status_code == 409
    child.refresh_from_db()
    assert child.relationship == "child"
