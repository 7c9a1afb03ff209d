import datetime

import pytest

from awda.accounts.choices import Role
from awda.factories import MissionFactory, OfficeFactory, ProjectFactory, member_of

from .helpers import line


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.fixture
def oujda_finance(oujda):
    """A finance officer of another office of the same mission (roles count per mission)."""
    return member_of(oujda, Role.FINANCE, "finance.oujda")


@pytest.fixture
def tunisia_finance(db):
    tunis = OfficeFactory(mission=MissionFactory(code="TN", name="Tunisia"), code="TUN")
    return member_of(tunis, Role.FINANCE, "finance.tunis")


@pytest.fixture
def project(morocco):
    return ProjectFactory(
        code="AVRR-MA-SEM",
        mission=morocco,
        currency="EUR",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )


@pytest.fixture
def lines(project):
    """Pre-departure (medical, food, accommodation), tickets, and a general line."""
    return {
        "PD": line(project, "PD", "1000.00", ["medical", "food", "accommodation"]),
        "TK": line(project, "TK", "2000.00", ["ticket"]),
        "GEN": line(project, "GEN", "500.00", []),
    }


@pytest.fixture
def eur_mad():
    """1 EUR = 10.8 MAD from 1 January 2026."""
    from .helpers import rate

    return rate("EUR", "MAD", "10.8", datetime.date(2026, 1, 1))
