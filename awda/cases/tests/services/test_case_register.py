import re

import pytest

from awda.cases.models import Case
from awda.cases.services import case_register
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import person_data, register_case


def test_caseworker_registers_case_with_principal_and_members(caseworker, rabat):
    case = register_case(
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
    assert re.fullmatch(r"MA-RBA-\d{4}-00001", case.number)
    assert case.status == "registered"
    assert case.member_count == 2
    assert case.principal.family_name == "Diallo"
    child = case.members.get(is_principal=False).person
    assert child.dob_estimated is True and child.birth_year == 2015
    assert case.country_of_return == "GN"


def test_case_numbers_follow_a_sequence_per_office_and_year(caseworker, rabat):
    first = register_case(caseworker, rabat)
    second = register_case(caseworker, rabat, principal=person_data(given_name="Mamadou"))
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


def test_other_office_user_cannot_register_in_rabat(other_office_user, rabat):
    with pytest.raises(PermissionDenied):
        register_case(other_office_user, rabat)
    assert Case.objects.count() == 0


def test_invalid_member_rolls_back_everything(caseworker, rabat):
    from awda.registry.models import Person

    with pytest.raises(ValidationFailed) as err:
        case_register(
            caseworker,
            office=rabat,
            principal=person_data(),
            members=[
                {
                    "relationship": "child",
                    "person": {"given_name": "", "family_name": "Diallo", "sex": "female"},
                }
            ],
        )
    assert "members.0.given_name" in err.value.fields
    assert Case.objects.count() == 0 and Person.objects.count() == 0
