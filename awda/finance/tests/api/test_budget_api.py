import datetime
from decimal import Decimal

import pytest

from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.finance.models import BudgetLine, BudgetOverride, Charge, PersonCap

from ..helpers import post, rate

BASE = "/api/v1/finance"


@pytest.fixture
def costs(caseworker, case, project, lines):
    rate("MAD", "EUR", "0.0925", datetime.date(2026, 1, 1))
    post(caseworker, case, project, "300", category="food", stage="committed")
    post(caseworker, case, project, "1000", category="medical", currency="MAD")
    post(caseworker, case, project, "20", category="ticket", currency="GNF")
    return case


def test_the_budget_view_gives_lines_totals_awaiting_and_burn(finance_officer, project, costs):
    body = api_client(finance_officer).get(f"{BASE}/projects/{project.pk}/budget/").json()
    assert body["currency"] == "EUR" and body["project"]["code"] == "AVRR-MA-SEM"
    pd = next(r for r in body["lines"] if r["line"]["code"] == "PD")
    assert (pd["committed"], pd["spent"], pd["remaining"], pd["warning"], pd["over"]) == (
        "300.00",
        "92.50",
        "607.50",
        False,
        False,
    )
    assert body["totals"]["committed"] == "300.00" and body["totals"]["spent"] == "92.50"
    assert body["awaiting"] == [
        {"currency": "GNF", "committed": "0.00", "spent": "20.00", "charges": 1}
    ]
    assert body["unallocated"]["line"] is None
    assert body["burn"][0]["month"] == "2026-01"
    assert body["burn"][-1]["spent_cumulative"] == "92.50"


@pytest.mark.parametrize(
    "persona,budget,charges",
    [
        ("finance_officer", 200, 200),
        ("manager", 200, 200),
        ("auditor", 200, 403),
        ("caseworker", 403, 403),
        ("tunisia_finance", 404, 404),
    ],
)
def test_permissions_on_the_budget_and_charges(request, persona, budget, charges, project, costs):
    client = api_client(request.getfixturevalue(persona))
    assert client.get(f"{BASE}/projects/{project.pk}/budget/").status_code == budget
    response = client.get(f"{BASE}/projects/{project.pk}/charges/")
    assert response.status_code == charges
    if charges == 200:
        rows = response.json()["results"]
        assert len(rows) == 3 and rows[0]["case_number"] == costs.number


def test_the_finance_project_list_has_totals(finance_officer, caseworker, project, costs):
    body = api_client(finance_officer).get(f"{BASE}/projects/").json()
    [sem] = body["results"]
    assert (sem["allocated"], sem["committed"], sem["spent"], sem["remaining"]) == (
        "3500.00",
        "300.00",
        "92.50",
        "3107.50",
    )
    assert sem["awaiting"] == 1
    assert api_client(caseworker).get(f"{BASE}/projects/").status_code == 403


def test_charges_are_filtered(finance_officer, project, lines, costs):
    client = api_client(finance_officer)
    url = f"{BASE}/projects/{project.pk}/charges/"
    assert len(client.get(url, {"line": lines["PD"].pk}).json()["results"]) == 2
    assert len(client.get(url, {"awaiting": "true"}).json()["results"]) == 1
    assert len(client.get(url, {"stage": "committed"}).json()["results"]) == 1
    assert len(client.get(url, {"line": "none"}).json()["results"]) == 0
    assert client.get(url, {"line": "abc"}).status_code == 400


def test_lines_are_created_edited_with_their_version_and_deleted(finance_officer, manager, project):
    client = api_client(finance_officer)
    url = f"{BASE}/projects/{project.pk}/lines/"
    data = {
        "code": "PM",
        "name": "Pocket money",
        "amount": "1500.00",
        "categories": ["pocket_money"],
    }
    assert api_client(manager).post(url, data, format="json").status_code == 403
    created = client.post(url, data, format="json")
    assert created.status_code == 201
    line = created.json()
    assert (line["version"], line["warning_percent"], line["warning"]) == (1, 90, "")
    again = client.post(url, data, format="json")
    assert again.status_code == 400 and "code" in error_of(again)["fields"]
    detail = f"{BASE}/lines/{line['id']}/"
    no_version = client.patch(detail, {"name": "x"}, format="json")
    assert no_version.status_code == 400 and "version" in error_of(no_version)["fields"]
    patched = client.patch(detail, {"name": "Argent de poche", "version": 1}, format="json")
    assert patched.status_code == 200 and patched.json()["version"] == 2
    assert patched.json()["categories"] == ["pocket_money"]
    stale = client.patch(detail, {"name": "x", "version": 1}, format="json")
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_edit"
    assert client.delete(detail, QUERY_STRING="version=2").status_code == 204
    assert not BudgetLine.objects.exists()
    assert client.get(url).json() == []


def test_a_line_with_costs_is_not_deleted(finance_officer, project, lines, costs):
    response = api_client(finance_officer).delete(
        f"{BASE}/lines/{lines['PD'].pk}/", QUERY_STRING="version=1"
    )
    assert response.status_code == 400 and error_of(response)["code"] == "line_in_use"


def test_an_override_is_granted_with_a_reason(finance_officer, manager, lines):
    url = f"{BASE}/lines/{lines['PD'].pk}/overrides/"
    assert api_client(manager).post(url, {"amount": "5", "reason": "r"}).status_code == 403
    client = api_client(finance_officer)
    missing = client.post(url, {"amount": "5"}, format="json")
    assert missing.status_code == 400 and "reason" in error_of(missing)["fields"]
    created = client.post(url, {"amount": "250.00", "reason": "Donor email"}, format="json")
    assert created.status_code == 201
    assert created.json()["granted_by"]["username"] == "finance.rabat"
    assert client.get(url).json()[0]["reason"] == "Donor email"
    assert BudgetOverride.objects.get().line.overrun_allowed == Decimal("250.00")
    assert api_client(manager).get(url).status_code == 200  # finance.view


def test_a_cost_past_the_line_is_refused_with_budget_exceeded(caseworker, case, project, lines):
    from awda.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        post(caseworker, case, project, "1000.01", category="food")
    assert exc.value.as_dict()["code"] == "budget_exceeded"


def test_caps_are_set_listed_and_removed(finance_officer, auditor, project):
    client = api_client(finance_officer)
    url = f"{BASE}/projects/{project.pk}/caps/"
    response = client.post(url, {"category": "pocket_money", "amount": "150"}, format="json")
    assert response.status_code == 200 and response.json()["amount"] == "150.00"
    assert api_client(auditor).get(url).json()[0]["category"] == "pocket_money"
    bad = client.post(url, {"category": "gold", "amount": "1"}, format="json")
    assert bad.status_code == 400
    cap = PersonCap.objects.get()
    assert api_client(auditor).delete(f"{BASE}/caps/{cap.pk}/").status_code == 403
    assert client.delete(f"{BASE}/caps/{cap.pk}/").status_code == 204


def test_contributions_are_recorded_and_listed(finance_officer, project):
    from django.utils import timezone

    client = api_client(finance_officer)
    url = f"{BASE}/projects/{project.pk}/contributions/"
    data = {
        "donor": project.donors.get().pk,
        "amount": "250000",
        "currency": "CHF",
        "received_on": timezone.localdate().isoformat(),
    }
    assert client.post(url, data, format="json").status_code == 201
    assert client.get(url).json()["results"][0]["donor"]["short_name"] == "SEM"
    unknown = client.post(url, data | {"donor": 999999}, format="json")
    assert unknown.status_code == 400 and "donor" in error_of(unknown)["fields"]


def test_a_charge_is_reallocated(finance_officer, manager, project, lines, costs):
    charge = Charge.objects.get(category="food")
    url = f"{BASE}/charges/{charge.pk}/reallocate/"
    body = {"budget_line": lines["GEN"].pk, "reason": "General"}
    assert api_client(manager).post(url, body, format="json").status_code == 403
    response = api_client(finance_officer).post(url, body, format="json")
    assert response.status_code == 200 and response.json()["budget_line"] == lines["GEN"].pk
    assert AuditEvent.objects.filter(action="finance.charge.reallocated").exists()
    over = api_client(finance_officer).post(
        url, {"budget_line": lines["TK"].pk, "reason": ""}, format="json"
    )
    assert over.status_code == 400


def test_another_mission_gets_404_everywhere(tunisia_finance, project, lines, costs):
    client = api_client(tunisia_finance)
    charge = Charge.objects.first()
    assert client.get(f"{BASE}/lines/{lines['PD'].pk}/").status_code == 404
    assert (
        client.post(
            f"{BASE}/lines/{lines['PD'].pk}/overrides/", {"amount": "1", "reason": "r"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{BASE}/charges/{charge.pk}/reallocate/",
            {"budget_line": lines["GEN"].pk, "reason": "r"},
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "persona,sees_reason", [("finance_officer", True), ("manager", True), ("auditor", False)]
)
def test_override_reasons_are_given_only_to_those_who_see_the_charges(
    request, finance_officer, lines, persona, sees_reason
):
    from awda.finance.services import budget_override_grant

    budget_override_grant(finance_officer, line=lines["PD"], amount="75", reason="Case 42")
    url = f"{BASE}/lines/{lines['PD'].pk}/overrides/"
    [row] = api_client(request.getfixturevalue(persona)).get(url).json()
    assert (row["amount"], row["created_at"] is not None) == ("75.00", True)
    if sees_reason:
        assert row["reason"] == "Case 42"
        assert row["granted_by"]["username"] == "finance.rabat"
    else:
        assert (row["reason"], row["granted_by"]) == (None, None)


def test_flagged_charges_are_counted_and_filtered(
    finance_officer, caseworker, case, project, lines
):
    from awda.finance.models import PersonCap
    from awda.finance.services import charges_convert_pending

    from ..helpers import principal

    PersonCap.objects.create(project=project, category="food", amount=Decimal("50"))
    person = principal(case)
    waiting = post(caseworker, case, project, "1000", currency="MAD", person=person)
    post(caseworker, case, project, "20", person=person)
    rate("EUR", "MAD", "10", datetime.date(2026, 1, 1))
    assert charges_convert_pending(currency="MAD") == 1
    client = api_client(finance_officer)
    body = client.get(f"{BASE}/projects/{project.pk}/budget/").json()
    pd = next(r for r in body["lines"] if r["line"]["code"] == "PD")
    assert (pd["over_budget_charges"], pd["over_cap_charges"]) == (0, 1)
    assert (body["totals"]["over_budget_charges"], body["totals"]["over_cap_charges"]) == (0, 1)
    url = f"{BASE}/projects/{project.pk}/charges/"
    [row] = client.get(url, {"flagged": "true"}).json()["results"]
    assert row["id"] == waiting.pk and (row["over_cap"], row["over_budget"]) == (True, False)
    assert (row["rate"], row["rate_inverted"], row["project_amount"]) == (
        "10.0000000000",
        True,
        "100.00",
    )
    assert len(client.get(url, {"flagged": "false"}).json()["results"]) == 1


def test_a_cap_on_in_kind_reintegration_is_refused(finance_officer, project):
    url = f"{BASE}/projects/{project.pk}/caps/"
    response = api_client(finance_officer).post(
        url, {"category": "reintegration_in_kind", "amount": "485"}, format="json"
    )
    assert response.status_code == 400 and "category" in error_of(response)["fields"]
