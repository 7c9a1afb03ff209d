"""Persona fixtures: a caseworker, a colleague in the same office, a user of another office, a
manager, a medical officer, an auditor (M&E), and origin-mission staff."""

import pytest

from awda.accounts.choices import MissionKind, Role
from awda.factories import MissionFactory, OfficeFactory, member_of, register_case


@pytest.fixture
def morocco(db):
    return MissionFactory(code="MA", name="Morocco", country_alpha3="MAR", kind=MissionKind.HOST)


@pytest.fixture
def guinea(db):
    return MissionFactory(code="GN", name="Guinea", country_alpha3="GIN", kind=MissionKind.ORIGIN)


@pytest.fixture
def rabat(morocco):
    return OfficeFactory(mission=morocco, code="RBA", name="Rabat", city="Rabat")


@pytest.fixture
def oujda(morocco):
    return OfficeFactory(mission=morocco, code="OUJ", name="Oujda", city="Oujda")


@pytest.fixture
def conakry(guinea):
    return OfficeFactory(mission=guinea, code="CKY", name="Conakry", city="Conakry")


@pytest.fixture
def caseworker(rabat):
    return member_of(rabat, Role.CASEWORKER, "caseworker.rabat")


@pytest.fixture
def colleague(rabat):
    return member_of(rabat, Role.CASEWORKER, "caseworker2.rabat")


@pytest.fixture
def other_office_user(oujda):
    return member_of(oujda, Role.CASEWORKER, "caseworker.oujda")


@pytest.fixture
def manager(rabat):
    return member_of(rabat, Role.MANAGER, "manager.rabat")


@pytest.fixture
def medical_officer(rabat):
    return member_of(rabat, Role.MEDICAL, "medical.rabat")


@pytest.fixture
def movement_officer(rabat):
    return member_of(rabat, Role.MOVEMENT, "movement.rabat")


@pytest.fixture
def auditor(rabat):
    """M&E officer: aggregates only, never names."""
    return member_of(rabat, Role.ME, "me.rabat")


@pytest.fixture
def origin_officer(conakry):
    return member_of(conakry, Role.REINTEGRATION, "reintegration.conakry")


@pytest.fixture
def case(caseworker, rabat):
    return register_case(caseworker, rabat)
