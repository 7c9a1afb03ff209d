import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from awda.core.api.testing import api_client, error_of

PASSWORD = "demo-pass-2026"
TOKEN_URL = "/api/v1/auth/token/"


def test_token_is_issued_for_valid_credentials_and_authenticates(caseworker):
    client = APIClient()
    response = client.post(TOKEN_URL, {"username": "caseworker.rabat", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=caseworker).key == token

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "caseworker.rabat"


def test_wrong_password_is_refused_with_the_error_shape(caseworker):
    response = APIClient().post(TOKEN_URL, {"username": "caseworker.rabat", "password": "nope"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_credentials"
    assert not Token.objects.filter(user=caseworker).exists()


def test_missing_fields_are_a_validation_error(caseworker):
    response = APIClient().post(TOKEN_URL, {"username": "caseworker.rabat"}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert "password" in error["fields"]


def test_lockout_after_failure_limit_refuses_the_right_password(caseworker):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "caseworker.rabat", "password": "wrong-password"})
    response = client.post(TOKEN_URL, {"username": "caseworker.rabat", "password": PASSWORD})
    assert response.status_code == 429
    assert error_of(response)["code"] == "locked_out"
    assert not Token.objects.filter(user=caseworker).exists()


def test_success_resets_the_failure_count(caseworker):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(TOKEN_URL, {"username": "caseworker.rabat", "password": "wrong-password"})
    ok = client.post(TOKEN_URL, {"username": "caseworker.rabat", "password": PASSWORD})
    assert ok.status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(TOKEN_URL, {"username": "caseworker.rabat", "password": "wrong-password"})
    response = client.post(TOKEN_URL, {"username": "caseworker.rabat", "password": PASSWORD})
    assert response.status_code == 200


def test_token_endpoint_is_throttled(caseworker, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/min"})
    client = APIClient()
    for _ in range(2):
        client.post(TOKEN_URL, {"username": "caseworker.rabat", "password": PASSWORD})
    response = client.post(TOKEN_URL, {"username": "caseworker.rabat", "password": PASSWORD})
    assert response.status_code == 429
    error = error_of(response)
    assert error["code"] == "throttled"
    assert error["details"]["retry_after_seconds"] > 0
    cache.clear()


def test_token_can_be_revoked(caseworker):
    token = Token.objects.create(user=caseworker)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=caseworker).exists()
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_anonymous_request_gets_401_with_token_challenge(db):
    response = APIClient().get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert error_of(response)["code"] == "not_authenticated"


def test_me_lists_memberships_with_office_mission_and_role(caseworker, rabat, oujda):
    from awda.accounts.choices import Role
    from awda.accounts.models import Membership

    Membership.objects.create(user=caseworker, office=oujda, role=Role.MANAGER)
    Membership.objects.create(user=caseworker, office=oujda, role=Role.MEDICAL, is_active=False)
    body = api_client(caseworker).get("/api/v1/me/").json()
    assert body["username"] == "caseworker.rabat"
    got = {(m["office"]["code"], m["mission"]["code"], m["role"]) for m in body["memberships"]}
    assert got == {("RBA", "MA", "caseworker"), ("OUJ", "MA", "manager")}


@pytest.mark.parametrize("method", ["get", "post"])
def test_session_authentication_also_works(caseworker, method):
    client = api_client(caseworker)
    response = getattr(client, method)("/api/v1/me/")
    assert response.status_code == (200 if method == "get" else 405)
    if method == "post":
        assert error_of(response)["code"] == "method_not_allowed"
