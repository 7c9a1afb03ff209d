import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from awda.accounts.choices import Role
from awda.cases import services as case_services
from awda.factories import ProjectFactory, member_of, person_data, register_case
from awda.finance.cost_selectors import case_costs, person_costs_across

from ..helpers import line, post, principal, rate


def _family(caseworker, rabat):
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Aminata", family_name="Camara", sex="female"),
        members=[{"relationship": "child", "person": person_data(given_name="Fanta")}],
    )


def test_costs_are_summed_per_person_project_and_category(
    caseworker, rabat, project, lines, guinea
):
    rate("MAD", "EUR", "0.1", datetime.date(2026, 1, 1))
    case = _family(caseworker, rabat)
    mother = principal(case)
    child = case.members.get(is_principal=False).person
    reint = ProjectFactory(code="REINT-GN", mission=guinea, currency="GNF")
    line(reint, "ALL", "10000000", [])
    post(caseworker, case, project, "500", currency="MAD", category="food", person=mother)
    post(caseworker, case, project, "20", category="food", person=mother, stage="committed")
    post(caseworker, case, project, "300", currency="MAD", category="medical", person=child)
    post(caseworker, case, project, "99", category="medical", person=child, source_id=501)
    post(
        caseworker,
        case,
        project,
        "99",
        category="medical",
        person=child,
        source_id=501,
        stage="released",
    )
    post(caseworker, case, project, "15", currency="XOF", category="food", person=mother)
    post(caseworker, case, project, "400", category="ticket")
    post(
        caseworker,
        case,
        reint,
        "2000000",
        currency="GNF",
        category="reintegration_cash",
        person=mother,
        stage="committed",
    )

    costs = case_costs(case)
    assert [p.project.code for p in costs.projects] == ["AVRR-MA-SEM", "REINT-GN"]
    sem, gn = costs.projects
    assert (sem.committed, sem.spent, sem.awaiting) == (Decimal("20"), Decimal("480"), 1)
    assert (gn.committed, gn.spent) == (Decimal("2000000"), 0)
    food = next(r for r in sem.rows if r.category == "food")
    assert food.spent_by_currency == {"MAD": Decimal("500"), "XOF": Decimal("15")}
    assert food.committed_by_currency == {"EUR": Decimal("20")}
    assert (food.committed, food.spent, food.awaiting) == (Decimal("20"), Decimal("50"), 1)

    by_person = {(p.person.pk if p.person else None): p for p in costs.persons}
    assert list(by_person) == [mother.pk, child.pk, None]
    assert [p.project.code for p in by_person[mother.pk].projects] == ["AVRR-MA-SEM", "REINT-GN"]
    assert by_person[child.pk].projects[0].spent == Decimal("30.00")  # the released one is not
    assert by_person[None].projects[0].rows[0].category == "ticket"
    assert costs.by_currency["MAD"] == {"committed": 0, "spent": Decimal("800")}
    assert len(costs.charges) == 7  # the released one is listed


def test_a_person_s_costs_across_the_cases_the_user_may_see(
    caseworker, rabat, oujda, project, lines, other_office_user, origin_officer
):
    both = member_of(rabat, Role.CASEWORKER, "caseworker.both")
    member_of(oujda, Role.CASEWORKER, "caseworker.both")
    first = register_case(caseworker, rabat)
    person = principal(first)
    # the same person in a second case, in Oujda
    second = case_services.case_register(both, office=oujda, principal_person=person, members=[])
    post(caseworker, first, project, "100", category="food", person=person)
    post(both, second, project, "40", category="food", person=person, stage="committed")
    post(both, second, project, "5", category="food", person=person, currency="XOF")
    with CaptureQueriesContext(connection) as ctx:
        mine = person_costs_across(caseworker, [person.pk])
    assert len(ctx.captured_queries) <= 3
    assert mine[person.pk]["cases"] == 1  # the Oujda case is not the Rabat caseworker's
    assert mine[person.pk]["projects"][0]["spent"] == Decimal("100.00")
    theirs = person_costs_across(both, [person.pk])[person.pk]
    assert theirs["cases"] == 2
    [sem] = theirs["projects"]
    assert (sem["committed"], sem["spent"], sem["awaiting"]) == (
        Decimal("40.00"),
        Decimal("100.00"),
        1,
    )
    oujda_view = person_costs_across(other_office_user, [person.pk])[person.pk]
    assert oujda_view["cases"] == 1 and oujda_view["projects"][0]["spent"] == 0
    assert person_costs_across(origin_officer, [person.pk]) == {}
    assert person_costs_across(caseworker, []) == {}
