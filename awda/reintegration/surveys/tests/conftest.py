import pytest

from awda.accounts.choices import Role
from awda.factories import bring_case_to, member_of
from awda.reintegration.surveys.instrument import active_instrument, parse


@pytest.fixture
def origin_manager(conakry):
    return member_of(conakry, Role.MANAGER, "manager.conakry")


@pytest.fixture
def returned_case(case, caseworker, manager, origin_officer):
    """Ousmane's case, arrived in Guinea and taken on by Conakry (status reintegration)."""
    return bring_case_to(
        case, "reintegration", caseworker=caseworker, manager=manager, origin=origin_officer
    )


@pytest.fixture
def person(returned_case):
    return returned_case.principal


@pytest.fixture
def definition(db):
    """The definition of the instrument in use (the placeholder the migration loads)."""
    return parse(active_instrument().definition)
