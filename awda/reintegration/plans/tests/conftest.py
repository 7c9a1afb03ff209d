import pytest

from awda.accounts.choices import Role
from awda.factories import bring_case_to, member_of
from awda.reintegration.models import ReintegrationCap


@pytest.fixture
def origin_manager(conakry):
    return member_of(conakry, Role.MANAGER, "manager.conakry")


@pytest.fixture
def returned_case(case, caseworker, manager, origin_officer):
    """Ousmane's case, home in Guinea, accepted by Conakry, in reintegration (project in EUR)."""
    return bring_case_to(
        case, "reintegration", caseworker=caseworker, manager=manager, origin=origin_officer
    )


@pytest.fixture
def cap(returned_case):
    """485 EUR per returnee under the case's project (general rule)."""
    return ReintegrationCap.objects.create(
        project=returned_case.project, amount="485.00", currency="EUR"
    )
