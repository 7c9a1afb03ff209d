from django.urls import reverse

OLD = "demo-pass-2026"
NEW = "Tamazight-Atlas-2026"


def test_password_change_page_renders(client, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 200
    assert 'data-testid="password-change-form"' in response.content.decode()


def test_password_change_requires_login(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302


def test_user_changes_password_and_stays_signed_in(client, caseworker):
    client.force_login(caseworker)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    assert client.get(response.url).status_code == 200
    caseworker.refresh_from_db()
    assert caseworker.check_password(NEW)
    assert client.get(reverse("cases:dashboard")).status_code == 200


def test_password_change_refuses_wrong_old_password_and_weak_password(client, caseworker):
    client.force_login(caseworker)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    caseworker.refresh_from_db()
    assert caseworker.check_password(OLD)
