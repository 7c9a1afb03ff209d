import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awda.accounts.choices import Role
from awda.audit.models import AuditEvent
from awda.factories import member_of

from ..helpers import post, principal


def tab_url(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=costs"


@pytest.mark.parametrize("persona", ["caseworker", "manager", "medical_officer", "finance_officer"])
def test_case_roles_see_the_costs_tab_and_the_read_is_audited(
    request, client, persona, caseworker, case, project, lines
):
    post(
        caseworker,
        case,
        project,
        "120.50",
        category="food",
        person=principal(case),
        description="Food basket",
    )
    post(caseworker, case, project, "1000", category="ticket", currency="GNF")
    user = request.getfixturevalue(persona)
    client.force_login(user)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="tab-costs"' in body and 'data-testid="costs-tab"' in body
    assert "Food basket" in body and 'data-figure="spent" data-amount="120.50"' in body
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=user, changes__part="costs"
    ).exists()


def test_m_and_e_and_other_offices_do_not_see_it(client, auditor, other_office_user, case):
    client.force_login(other_office_user)
    assert client.get(tab_url(case)).status_code == 404
    client.force_login(auditor)
    response = client.get(tab_url(case))
    assert response.status_code == 404  # M&E is no case role: aggregates only


def test_the_tab_costs_a_fixed_number_of_queries(client, caseworker, case, project, lines, rabat):
    client.force_login(caseworker)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(tab_url(case)).status_code == 200
        return len(ctx.captured_queries)

    post(caseworker, case, project, "1", category="food", person=principal(case))
    few = count()
    for i in range(12):
        post(
            caseworker,
            case,
            project,
            "1",
            category=["food", "ticket", "cash"][i % 3],
            currency=["EUR", "MAD"][i % 2],
            person=principal(case) if i % 2 else None,
        )
    assert count() == few


def test_the_tab_shows_a_person_s_costs_in_their_other_cases(
    client, caseworker, rabat, case, project, lines
):
    from awda.cases import services as case_services

    person = principal(case)
    other = case_services.case_register(
        caseworker, office=rabat, principal_person=person, members=[]
    )
    post(caseworker, case, project, "10", category="food", person=person)
    post(caseworker, other, project, "25", category="food", person=person)
    client.force_login(caseworker)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="costs-all-cases"' in body and "35" in body


def test_an_empty_case_says_so(client, caseworker, case):
    client.force_login(member_of(case.office, Role.FINANCE, "fin.x"))
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="costs-empty"' in body
