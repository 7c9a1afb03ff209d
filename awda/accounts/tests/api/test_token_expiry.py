import datetime

from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from awda.factories import UserFactory


def _client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_expired_token_is_refused_and_deleted(caseworker, settings):
    settings.AWDA_API_TOKEN_TTL_HOURS = 24
    token = Token.objects.create(user=caseworker)
    assert _client(token).get("/api/v1/me/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(hours=25))
    response = _client(token).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert not Token.objects.filter(pk=token.pk).exists()


def test_new_token_is_issued_after_expiry(client, caseworker):
    old = Token.objects.create(user=caseworker)
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=30))
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": caseworker.username, "password": "demo-pass-2026"}
    )
    assert response.status_code == 200
    assert response.json()["token"] != old.key


def test_password_change_revokes_api_tokens(client, caseworker):
    token = Token.objects.create(user=caseworker)
    client.force_login(caseworker)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "demo-pass-2026",
            "new_password1": "Another-strong-pass-9",
            "new_password2": "Another-strong-pass-9",
        },
    )
    assert response.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()


def test_deactivated_user_token_is_refused(db):
    user = UserFactory(username="gone.rabat")
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save()
    assert _client(token).get("/api/v1/me/").status_code == 401
