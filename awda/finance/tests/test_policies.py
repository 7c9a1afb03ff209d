import pytest

from awda.finance import policies

MATRIX = {
    # persona: (view, charges, manage)
    "finance_officer": (True, True, True),
    "oujda_finance": (True, True, True),  # roles count per mission
    "manager": (True, True, False),
    "auditor": (True, False, False),  # M&E: aggregates only
    "caseworker": (False, False, False),
    "medical_officer": (False, False, False),
    "tunisia_finance": (False, False, False),  # another mission
    "origin_officer": (False, False, False),
}


@pytest.mark.parametrize("persona", MATRIX)
def test_who_may_do_what_on_a_project(request, persona, project):
    user = request.getfixturevalue(persona)
    assert (
        policies.may_view(user, project),
        policies.may_see_charges(user, project),
        policies.may_manage(user, project),
    ) == MATRIX[persona]
    assert policies.permissions(user, project) == dict(
        zip(("view", "charges", "manage"), MATRIX[persona], strict=True)
    )


def test_rates_are_read_with_finance_view_anywhere_and_recorded_by_finance(
    finance_officer, tunisia_finance, auditor, caseworker
):
    assert policies.may_record_rates(tunisia_finance) and policies.may_view_rates(auditor)
    assert not policies.may_record_rates(auditor)
    assert not policies.may_view_rates(caseworker)
