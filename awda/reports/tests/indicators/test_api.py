"""API of the indicators: the list with definitions, one indicator with filters (the same
selector as the dashboard), errors in the API's one shape, documented in the schema."""

import pytest
from openapi_spec_validator import validate

from awda.accounts.choices import Role
from awda.core.api.testing import api_client, error_of
from awda.factories import member_of
from awda.reports.indicators.registry import INDICATORS

from .test_dashboard import PERSONS

BASE = "/api/v1/reports/indicators/"


def test_the_list_gives_every_indicator_with_its_definition(world, me_both):
    response = api_client(me_both).get(BASE)
    assert response.status_code == 200
    body = response.json()
    assert [i["code"] for i in body] == list(INDICATORS)
    returns = body[0]
    assert returns["default_by"] == "nationality"
    assert "sex" in returns["dimensions"] and "age_group" in returns["dimensions"]
    assert returns["definition"]
    assert {"key": "female", "hxl": "#reached+returnees+f"}.items() <= returns["measures"][
        1
    ].items()


def test_one_indicator_with_filters(world, me_both, rabat):
    response = api_client(me_both).get(
        f"{BASE}returns/", {"date_from": "2025-01-01", "date_to": "2025-12-31", "by": "age_group"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["by"] == "age_group"
    assert body["filters"] == {
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
        "by": "age_group",
    }
    rows = {r["label"]: r for r in body["rows"]}
    assert rows["18-24"]["returnees"] == 1 and rows["18-24"]["period_start"] == "2025-01-01"
    assert body["totals"][0]["returnees"] == 6
    keys = [c["key"] for c in body["columns"]]
    assert keys[:3] == ["period_start", "period_end", "age_group"]
    only_rabat = api_client(me_both).get(
        f"{BASE}returns/", {"date_from": "2025-01-01", "by": "total", "office": rabat.pk}
    )
    assert only_rabat.json()["rows"][0]["returnees"] == 5
    assert only_rabat.json()["filters"]["date_to"] == "2025-12-31"  # the rest of that year


def test_suppressed_cells_are_null_and_listed(world, me_both):
    body = (
        api_client(me_both)
        .get(f"{BASE}vulnerable/", {"date_from": "2025-01-01", "by": "nationality"})
        .json()
    )
    ivorians = next(r for r in body["rows"] if r["nationality"] == "CI")
    restricted = ["vulnerable", "uasc", "vot", "health", "disability"]
    assert ivorians["vot"] is None and ivorians["suppressed"] == restricted
    assert ivorians["returnees"] == 2  # not restricted
    assert body["totals"][0]["vot"] is None


@pytest.mark.parametrize("persona", ["caseworker", "medical_officer", "origin_officer"])
def test_spending_is_for_finance_view_holders_only(world, request, persona):
    """Absent from the list, 403 on its own, for the roles without finance.view."""
    client = api_client(request.getfixturevalue(persona))
    codes = [i["code"] for i in client.get(BASE).json()]
    assert "spending" not in codes and "returns" in codes
    response = client.get(f"{BASE}spending/", {"date_from": "2025-01-01"})
    assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"


def test_finance_officers_see_spending_but_no_vulnerability_figures(world, rabat):
    finance = member_of(rabat, Role.FINANCE, "finance.rabat")
    client = api_client(finance)
    codes = [i["code"] for i in client.get(BASE).json()]
    assert "spending" in codes and "vulnerable" not in codes
    assert client.get(f"{BASE}spending/", {"date_from": "2025-01-01"}).status_code == 200
    refused = client.get(f"{BASE}vulnerable/", {"date_from": "2025-01-01"})
    assert refused.status_code == 403


def test_amounts_and_scores_are_numbers(world, me_both):
    body = api_client(me_both).get(f"{BASE}spending/", {"date_from": "2025-01-01"}).json()
    assert body["totals"][0]["spent"] == 300.0 and body["totals"][0]["currency"] == "EUR"


def test_invalid_parameters_are_named(world, me_both):
    client = api_client(me_both)
    cases = [
        ({"by": "shoe_size"}, "by"),
        ({"date_from": "2025-12-31", "date_to": "2025-01-01"}, "date_to"),
        ({"nationality": "XX"}, "nationality"),
        ({"date_from": "not a date"}, "date_from"),
    ]
    for params, field in cases:
        response = client.get(f"{BASE}returns/", params)
        assert response.status_code == 400, params
        assert field in error_of(response)["fields"], params
    refused = client.get(f"{BASE}spending/", {"by": "sex"})
    assert refused.status_code == 400 and "by" in error_of(refused)["fields"]


def test_an_unknown_indicator_is_not_found(world, me_both):
    response = api_client(me_both).get(f"{BASE}happiness/")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_roles_without_figures_and_anonymous_clients_are_refused(db, rabat):
    admin = member_of(rabat, Role.ADMIN, "admin.rabat")
    for path in (BASE, f"{BASE}returns/"):
        response = api_client(admin).get(path)
        assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"
        assert api_client().get(path).status_code == 401


def test_the_me_officer_gets_figures_without_names(world, me_both):
    client = api_client(me_both)
    for code in INDICATORS:
        text = client.get(f"{BASE}{code}/", {"date_from": "2025-01-01"}).content.decode()
        for key in PERSONS:
            assert world[key].given_name not in text


def test_the_endpoints_are_in_a_valid_schema(caseworker):
    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    validate(schema)
    paths = schema["paths"]
    assert "/api/v1/reports/indicators/" in paths
    detail = paths["/api/v1/reports/indicators/{code}/"]["get"]
    params = {p["name"] for p in detail["parameters"]}
    assert {"date_from", "date_to", "by", "office", "nationality", "country_of_return"} <= params
    assert {"project", "donor", "instrument"} <= params
