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
