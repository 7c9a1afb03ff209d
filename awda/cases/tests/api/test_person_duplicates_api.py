"""POST /api/v1/persons/duplicates/: the duplicate check of the registration form, for API
clients: scoped, scored, with reasons (code, params, text), documented in the schema."""

import pytest

from awda.core.api.testing import api_client, error_of
from awda.factories import person_data, register_case

URL = "/api/v1/persons/duplicates/"
USMAN = {"given_name": "Usman", "family_name": "Jalloh", "phone": "+212 661 23 45 67"}


@pytest.fixture
def ousmane(caseworker, rabat):
    return register_case(
        caseworker,
        rabat,
        principal=person_data(phone="0661234567"),
        principal_documents=[{"doc_type": "passport", "number": "R0412345"}],
    ).principal


def test_finds_the_variant_with_score_and_reasons(caseworker, ousmane):
    response = api_client(caseworker).post(URL, USMAN, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.json()
    [hit] = response.json()
    assert hit["person"]["id"] == ousmane.pk
    assert hit["person"]["full_name"] == "Ousmane DIALLO"
    assert hit["person"]["nationality"] == "GN" and hit["person"]["date_of_birth"] == "1982-03-14"
    assert 0.5 <= hit["score"] <= 1 and isinstance(hit["likely"], bool)
    phone = next(r for r in hit["reasons"] if r["code"] == "same_phone")
    assert phone["text"].startswith("Same phone number") and phone["weight"] > 0
    variants = [r for r in hit["reasons"] if r["code"] == "name_variant"]
    assert {"a": "Jalloh", "b": "Diallo"} in [r["params"] for r in variants]
    assert "Name variant: Jalloh ~ Diallo" in [r["text"] for r in variants]


def test_documents_and_partial_data(caseworker, ousmane):
    body = {"family_name": "Dialo", "given_name": "Ousman", "documents": [{"number": "R041 2345"}]}
    response = api_client(caseworker).post(URL, body, format="json")
    assert [h["person"]["id"] for h in response.json()] == [ousmane.pk]
    # too little to look anything up: an empty answer, not an error
    response = api_client(caseworker).post(URL, {"given_name": "Usman"}, format="json")
    assert response.status_code == 200 and response.json() == []


def test_exclude_case_and_limit(caseworker, rabat, ousmane):
    client = api_client(caseworker)
    assert client.post(URL, {**USMAN, "exclude": [ousmane.pk]}, format="json").json() == []
    case = ousmane.case_memberships.get().case_id
    assert client.post(URL, {**USMAN, "case": case}, format="json").json() == []
    for given in ("Ousmane", "Usmane", "Ousman"):
        register_case(
            caseworker, rabat, principal=person_data(given_name=given, phone="0661234567")
        )
    assert len(client.post(URL, {**USMAN, "limit": 2}, format="json").json()) == 2


def test_invalid_input_is_a_validation_error(caseworker, other_office_user, oujda):
    other = register_case(other_office_user, oujda).pk
    client = api_client(caseworker)
    for body, field in [
        ({**USMAN, "limit": 50}, "limit"),
        ({**USMAN, "date_of_birth": "14/03/1982"}, "date_of_birth"),
        ({**USMAN, "case": other}, "case"),  # not a case in the user's scope
    ]:
        response = client.post(URL, body, format="json")
        assert response.status_code == 400
        assert field in error_of(response)["fields"]


def test_scoped_to_the_users_persons(caseworker, other_office_user, auditor, ousmane):
    assert api_client(other_office_user).post(URL, USMAN, format="json").json() == []
    response = api_client(auditor).post(URL, USMAN, format="json")
    assert response.status_code == 403
    assert api_client().post(URL, USMAN, format="json").status_code in (401, 403)


def test_is_throttled_per_user(caseworker, ousmane, monkeypatch, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "duplicates": "2/min",
        },
    }
    from django.core.cache import cache

    cache.clear()
    client = api_client(caseworker)
    codes = [client.post(URL, USMAN, format="json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    cache.clear()


def test_documented_in_the_schema(caseworker):
    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    op = schema["paths"][URL]["post"]
    assert {"200", "400", "401", "403", "429"} <= set(op["responses"])
    body = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert {"given_name", "family_name", "phone", "documents", "case", "exclude", "limit"} <= set(
        schema["components"]["schemas"][body]["properties"]
    )
    answer = op["responses"]["200"]["content"]["application/json"]["schema"]
    item = answer["items"]["$ref"].split("/")[-1]
    assert set(schema["components"]["schemas"][item]["properties"]) == {
        "person",
        "score",
        "likely",
        "reasons",
    }
