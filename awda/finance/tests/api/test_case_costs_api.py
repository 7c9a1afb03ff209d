from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client

from ..helpers import post, principal


def url(case):
    return f"/api/v1/cases/{case.pk}/costs/"


def test_a_case_s_costs_per_project_person_and_category(caseworker, case, project, lines):
    post(caseworker, case, project, "120.50", category="food", person=principal(case))
    post(caseworker, case, project, "1000", category="ticket", currency="GNF")
    body = api_client(caseworker).get(url(case)).json()
    [sem] = body["projects"]
    assert (sem["project"]["code"], sem["currency"], sem["spent"], sem["awaiting"]) == (
        "AVRR-MA-SEM",
        "EUR",
        "120.50",
        1,
    )
    food = next(r for r in sem["rows"] if r["category"] == "food")
    assert food["spent_by_currency"] == [{"currency": "EUR", "amount": "120.50"}]
    principal_row, whole = body["persons"]
    assert principal_row["is_principal"] and principal_row["all_cases"] is None
    assert whole["person"] is None and whole["projects"][0]["rows"][0]["category"] == "ticket"
    assert {c["currency"] for c in body["by_currency"]} == {"EUR", "GNF"}
    assert len(body["charges"]) == 2 and body["charges"][0]["project_code"] == "AVRR-MA-SEM"
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=caseworker, changes__part="costs"
    ).exists()


def test_another_office_gets_404_and_m_and_e_too(other_office_user, auditor, case):
    assert api_client(other_office_user).get(url(case)).status_code == 404
    assert api_client(auditor).get(url(case)).status_code == 404
    assert not AuditEvent.objects.filter(changes__part="costs").exists()
