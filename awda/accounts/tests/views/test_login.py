from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

PASSWORD = "demo-pass-2026"  # UserFactory's password


@pytest.fixture
def login_url():
    return reverse("accounts:login")


def test_login_page_shows_form_and_demo_hint(client, db, login_url, settings):
    settings.AWDA_DEMO_MODE = True
    response = client.get(login_url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="login-form"' in body
    assert 'data-testid="demo-hint"' in body
    assert "caseworker.rabat" in body


def test_login_page_hides_demo_hint_outside_demo_mode(client, db, login_url, settings):
    settings.AWDA_DEMO_MODE = False
    body = client.get(login_url).content.decode()
    assert 'data-testid="demo-hint"' not in body


def test_login_page_is_french_by_default(client, db, login_url, settings):
    settings.LANGUAGE_CODE = "fr"  # the production default (test settings use English)
    response = client.get(login_url)
    assert response.headers["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()


def test_caseworker_logs_in_and_lands_on_dashboard(client, caseworker, login_url):
    response = client.post(login_url, {"username": "caseworker.rabat", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("cases:dashboard")
    assert client.get(reverse("cases:dashboard")).status_code == 200


def test_login_honours_safe_next_url(client, caseworker, login_url):
    next_url = reverse("cases:case_list")
    response = client.post(
        f"{login_url}?next={next_url}",
        {"username": "caseworker.rabat", "password": PASSWORD, "next": next_url},
    )
    assert response.url == next_url


def test_wrong_password_is_refused(client, caseworker, login_url):
    response = client.post(login_url, {"username": "caseworker.rabat", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'class="alert alert-danger' in response.content.decode()


def test_pages_require_login(client, db):
    response = client.get(reverse("cases:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_lockout_after_failure_limit_refuses_even_the_right_password(client, caseworker, login_url):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = client.post(login_url, {"username": "caseworker.rabat", "password": "bad"})
        assert response.status_code == 200
    response = client.post(login_url, {"username": "caseworker.rabat", "password": "bad"})
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()
    response = client.post(login_url, {"username": "caseworker.rabat", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_user_does_not_block_another(client, caseworker, colleague, login_url):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url, {"username": "caseworker.rabat", "password": "bad"})
    response = client.post(login_url, {"username": "caseworker2.rabat", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_is_post_only_and_ends_the_session(client, caseworker):
    client.force_login(caseworker)
    logout_url = reverse("accounts:logout")
    assert client.get(logout_url).status_code == 405
    response = client.post(logout_url)
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("cases:dashboard")).status_code == 302


def _stored_session(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_session_expiry_is_the_inactivity_timeout_and_each_request_refreshes_it(client, caseworker):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client.force_login(caseworker)
    client.get(reverse("cases:dashboard"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    # Pretend the user has been idle until ten seconds before the timeout.
    row = _stored_session(client)
    row.expire_date = timezone.now() + timedelta(seconds=10)
    row.save()
    before = timezone.now()
    assert client.get(reverse("cases:dashboard")).status_code == 200
    refreshed = _stored_session(client).expire_date
    assert refreshed >= before + timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


def test_idle_session_past_the_timeout_is_signed_out(client, caseworker):
    client.force_login(caseworker)
    row = _stored_session(client)
    row.expire_date = timezone.now() - timedelta(seconds=1)
    row.save()
    response = client.get(reverse("cases:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
