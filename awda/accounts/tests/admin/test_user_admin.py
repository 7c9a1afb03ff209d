from django.contrib.auth.models import Permission

from awda.accounts.choices import Role
from awda.accounts.models import User
from awda.factories import member_of


def _reference_admin(rabat):
    admin = member_of(rabat, Role.ADMIN, "admin.rabat")
    admin.is_staff = True
    admin.save()
    admin.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_user", "view_user"])
    )
    return admin


def test_reference_admin_cannot_make_anyone_superuser(client, rabat, caseworker):
    admin = _reference_admin(rabat)
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{admin.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    data = {
        "username": admin.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "preferred_language": "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    client.post(f"/admin/accounts/user/{admin.pk}/change/", data)
    assert User.objects.get(pk=admin.pk).is_superuser is False


def test_superuser_sees_privilege_fields(client, rabat):
    root = User.objects.create_superuser("root", "root@example.org", "a-strong-password-1")
    client.force_login(root)
    page = client.get(f"/admin/accounts/user/{root.pk}/change/")
    assert 'name="is_superuser"' in page.content.decode()


def test_reference_admin_cannot_set_a_privileged_users_password(client, rabat):
    admin = _reference_admin(rabat)
    root = User.objects.create_superuser("root", "root@example.org", "a-strong-password-1")
    client.force_login(admin)
    url = f"/admin/accounts/user/{root.pk}/password/"
    response = client.post(url, {"password1": "Pwn3d-password!", "password2": "Pwn3d-password!"})
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("a-strong-password-1")


def test_password_set_by_admin_is_audited_and_revokes_tokens(client, rabat, caseworker):
    from rest_framework.authtoken.models import Token

    from awda.audit.models import AuditEvent

    admin = _reference_admin(rabat)
    Token.objects.create(user=caseworker)
    client.force_login(admin)
    url = f"/admin/accounts/user/{caseworker.pk}/password/"
    data = {
        "password1": "New-strong-pass-42",
        "password2": "New-strong-pass-42",
        "usable_password": "true",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action="accounts.user.password_set_by_admin", object_id=str(caseworker.pk)
    ).exists()
    assert not Token.objects.filter(user=caseworker).exists()


def test_reference_admin_cannot_grant_themselves_a_role(client, rabat):
    from awda.accounts.models import Membership

    admin = _reference_admin(rabat)
    admin.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_membership", "change_membership", "view_membership"]
        )
    )
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/membership/add/",
        {"user": admin.pk, "office": rabat.pk, "role": "caseworker", "is_active": "on"},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=admin, role="caseworker").exists()
