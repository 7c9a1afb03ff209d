"""case_list_for / case_get_for / person scoping: who sees which cases and persons."""

import pytest
from django.utils import timezone

from awda.cases.models import Case
from awda.cases.selectors import (
    case_get_by_number_for,
    case_get_for,
    case_list_for,
    case_queryset_for,
    dashboard_for,
    person_cases_for,
    person_get_for,
    person_list_for,
    task_list_for,
)
from awda.cases.services import task_create
from awda.core.errors import NotFound
from awda.factories import person_data, register_case


def hand_over(case, mission):
    Case.objects.filter(pk=case.pk).update(receiving_mission=mission, handed_over_at=timezone.now())
    case.refresh_from_db()
    return case


@pytest.fixture
def oujda_case(other_office_user, oujda):
    return register_case(other_office_user, oujda, principal=person_data(family_name="Kouyaté"))


def test_caseworker_sees_the_cases_of_their_office_only(case, oujda_case, caseworker, colleague):
    assert list(case_list_for(caseworker)) == [case]
    assert list(case_list_for(colleague)) == [case]
    assert case_get_for(colleague, case.pk) == case


def test_other_office_case_gives_the_same_404_as_a_missing_id(case, other_office_user):
    with pytest.raises(NotFound) as other:
        case_get_for(other_office_user, case.pk)
    with pytest.raises(NotFound) as missing:
        case_get_for(other_office_user, 987654)
    assert (other.value.code, str(other.value.message)) == (
        missing.value.code,
        str(missing.value.message),
    )
    with pytest.raises(NotFound):
        case_get_by_number_for(other_office_user, case.number)


@pytest.mark.parametrize("bad_id", ["abc", None, "1; DROP TABLE", -1])
def test_garbage_ids_give_404(case, caseworker, bad_id):
    with pytest.raises(NotFound):
        case_get_for(caseworker, bad_id)


def test_me_officer_sees_no_case_and_no_person(case, auditor):
    assert list(case_list_for(auditor)) == []
    with pytest.raises(NotFound):
        case_get_for(auditor, case.pk)
    assert list(person_list_for(auditor)) == []
    with pytest.raises(NotFound):
        person_get_for(auditor, case.principal_id)
    assert dashboard_for(auditor)["open_cases"] == 0


def test_user_without_membership_sees_nothing(case, db):
    from awda.factories import UserFactory

    nobody = UserFactory(username="nobody")
    assert list(case_list_for(nobody)) == []
    assert list(case_queryset_for(nobody)) == []


def test_origin_mission_sees_only_handed_over_cases_of_its_mission(
    caseworker, rabat, origin_officer, guinea, morocco
):
    from awda.factories import MissionFactory

    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind="origin")
    not_yet = register_case(caseworker, rabat, principal=person_data(given_name="Alpha"))
    Case.objects.filter(pk=not_yet.pk).update(receiving_mission=guinea)  # not handed over yet
    handed = hand_over(
        register_case(caseworker, rabat, principal=person_data(given_name="Sekou")), guinea
    )
    to_mali = hand_over(
        register_case(caseworker, rabat, principal=person_data(given_name="Modibo")), mali
    )

    assert list(case_list_for(origin_officer)) == [handed]
    assert case_get_for(origin_officer, handed.pk) == handed
    for hidden in (not_yet, to_mali):
        with pytest.raises(NotFound):
            case_get_for(origin_officer, hidden.pk)
    # ...and the host office still sees all three.
    assert set(case_list_for(caseworker)) == {not_yet, handed, to_mali}


def test_user_with_two_offices_sees_both(case, oujda_case, rabat, oujda):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    roving = member_of(rabat, Role.MANAGER, "roving")
    member_of(oujda, Role.CASEWORKER, "roving")
    assert set(case_list_for(roving)) == {case, oujda_case}


def test_me_role_in_one_office_does_not_open_it(case, oujda_case, rabat, oujda):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    mixed = member_of(rabat, Role.ME, "mixed")
    member_of(oujda, Role.CASEWORKER, "mixed")
    assert list(case_list_for(mixed)) == [oujda_case]


# ---- persons ------------------------------------------------------------------------------------


def test_persons_are_scoped_like_their_cases(case, oujda_case, caseworker, other_office_user):
    assert list(person_list_for(caseworker)) == [case.principal]
    assert person_get_for(caseworker, case.principal_id) == case.principal
    with pytest.raises(NotFound):
        person_get_for(caseworker, oujda_case.principal_id)
    with pytest.raises(NotFound):
        person_get_for(other_office_user, case.principal_id)


def test_origin_officer_sees_persons_of_handed_over_cases(case, origin_officer, guinea):
    with pytest.raises(NotFound):
        person_get_for(origin_officer, case.principal_id)
    hand_over(case, guinea)
    assert person_get_for(origin_officer, case.principal_id) == case.principal


def test_person_case_history_shows_only_visible_cases(caseworker, rabat, other_office_user, oujda):
    first = register_case(caseworker, rabat)
    person = first.principal
    # The same person registers again years later, in Oujda, with a manager of both offices.
    from awda.accounts.choices import Role
    from awda.cases.services import case_register
    from awda.factories import member_of

    regional = member_of(rabat, Role.MANAGER, "regional")
    member_of(oujda, Role.MANAGER, "regional")
    second = case_register(regional, office=oujda, principal_person=person)
    assert list(person_cases_for(caseworker, person)) == [first]
    assert list(person_cases_for(other_office_user, person)) == [second]


def test_task_list_is_scoped(case, oujda_case, caseworker, other_office_user):
    mine = task_create(caseworker, case=case, title="Rabat task", assignee=caseworker)
    task_create(other_office_user, case=oujda_case, title="Oujda task")
    assert list(task_list_for(caseworker)) == [mine]
    assert list(task_list_for(caseworker, assignee=caseworker)) == [mine]
    assert list(task_list_for(other_office_user, case=case)) == []


def test_dashboard_counts_only_the_scope(case, oujda_case, caseworker):
    data = dashboard_for(caseworker)
    assert data["by_status"] == {"registered": 1}
    assert data["open_cases"] == 1


def test_person_can_edit(
    case, caseworker, medical_officer, other_office_user, origin_officer, guinea
):
    from awda.cases.selectors import person_can_edit

    person = case.principal
    assert person_can_edit(caseworker, person)
    assert not person_can_edit(medical_officer, person)
    assert not person_can_edit(other_office_user, person)
    hand_over(case, guinea)
    assert not person_can_edit(origin_officer, person)  # reintegration officers do not edit persons
