"""Whose cases a user counts: their offices' (case viewers and aggregate roles alike), the cases
handed over to their origin mission, never another mission's."""

import pytest

from awda.accounts.choices import Role
from awda.cases.models import Case
from awda.cases.selectors import aggregate_case_queryset_for, case_queryset_for
from awda.factories import member_of
from awda.reports.indicators.base import Filters, countable_case_q, may_count
from awda.reports.indicators.registry import INDICATORS, compute

from .conftest import YEAR


def returnees(user, **kw):
    return compute("returns", user, Filters(**YEAR, by="total", **kw)).totals[0]["returnees"]


def test_a_manager_counts_the_cases_of_their_office_only(world, manager):
    assert returnees(manager) == 5  # Rabat: not Oujda's Kouassi, not Tunis


def test_an_other_office_user_counts_their_own_office(world, other_office_user):
    assert returnees(other_office_user) == 1  # Oujda: Kouassi


def test_another_missions_cases_are_never_counted(world, me_both, tunis):
    assert returnees(me_both) == 6
    tunis_me = member_of(tunis, Role.ME, "me.tunis")
    assert returnees(tunis_me) == 1  # Salah only
    # even when asking for the other mission's office
    assert returnees(me_both, office=tunis.pk) == 0


@pytest.mark.parametrize("code", list(INDICATORS))
def test_no_indicator_counts_another_missions_case(world, tunis, code):
    """The Tunisian office's staff see only their case's figures, whatever the indicator:
    every count in their tables comes from case T."""
    tunis_me = member_of(tunis, Role.ME, "me.tunis")
    rabat_table = compute(code, tunis_me, Filters(**YEAR, by="office"))
    for row in rabat_table.rows:
        assert row.get("office_name") == "Tunis"


def test_origin_mission_staff_count_the_cases_handed_over_to_them(world, origin_officer, conakry):
    # A (Mamadou, Fatou) and D (Ibrahima) were handed over to Guinea; C returned to Guinea too
    # but was not handed over.
    assert returnees(origin_officer) == 3
    started = compute("reintegration", origin_officer, Filters(**YEAR, by="total"))
    assert started.totals[0]["started"] == 2
    origin_me = member_of(conakry, Role.ME, "me.conakry")
    assert returnees(origin_me) == 3


def test_roles_without_figures_count_nothing(db, rabat):
    admin = member_of(rabat, Role.ADMIN, "admin.rabat")
    assert not may_count(admin)
    assert countable_case_q(admin) is None


@pytest.mark.parametrize(
    "persona", ["caseworker", "manager", "auditor", "medical_officer", "origin_officer", "me_both"]
)
def test_the_scope_is_the_union_of_the_case_selectors(world, request, guinea, persona):
    """countable_case_q = cases the user sees, cases they count (aggregates) and the cases handed
    over to the origin missions where they hold a counting role (as the cohort averages)."""
    user = request.getfixturevalue(persona)
    q = countable_case_q(user)
    counted = set(Case.objects.filter(q).values_list("pk", flat=True))
    expected = set(case_queryset_for(user).values_list("pk", flat=True)) | set(
        aggregate_case_queryset_for(user).values_list("pk", flat=True)
    )
    assert counted == expected
    assert world["T"].pk not in counted
