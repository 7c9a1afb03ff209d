from django.contrib.auth.models import AnonymousUser

from awda.accounts.choices import Role
from awda.accounts.models import Membership, User
from awda.accounts.selectors import Scope, offices_for, user_scope, users_in_offices
from awda.factories import UserFactory, member_of


def test_scope_collects_roles_per_office_and_mission(rabat, oujda, conakry, morocco, guinea):
    user = member_of(rabat, Role.CASEWORKER, "multi")
    member_of(rabat, Role.PROTECTION, "multi")
    member_of(oujda, Role.MANAGER, "multi")
    member_of(conakry, Role.REINTEGRATION, "multi")
    scope = user_scope(user)
    assert scope.office_roles == {
        rabat.pk: {"caseworker", "protection"},
        oujda.pk: {"manager"},
        conakry.pk: {"reintegration"},
    }
    assert scope.mission_roles == {
        morocco.pk: {"caseworker", "protection", "manager"},
        guinea.pk: {"reintegration"},
    }
    assert scope.office_ids == {rabat.pk, oujda.pk, conakry.pk}
    assert scope.mission_ids == {morocco.pk, guinea.pk}
    assert scope.offices_with(Role.MANAGER) == {oujda.pk}
    assert scope.offices_with(Role.MANAGER, Role.PROTECTION) == {rabat.pk, oujda.pk}
    assert scope.missions_with(Role.REINTEGRATION) == {guinea.pk}
    assert scope.has_role(Role.PROTECTION) and not scope.has_role(Role.FINANCE)
    assert scope.roles == {"caseworker", "protection", "manager", "reintegration"}


def test_inactive_memberships_offices_and_users_give_nothing(rabat, oujda):
    user = member_of(rabat, Role.CASEWORKER, "partly")
    member_of(oujda, Role.MANAGER, "partly")
    Membership.objects.filter(user=user, office=oujda).update(is_active=False)
    assert user_scope(User.objects.get(pk=user.pk)).office_ids == {rabat.pk}
    rabat.is_active = False
    rabat.save()
    assert user_scope(User.objects.get(pk=user.pk)) == Scope()
    rabat.is_active = True
    rabat.save()
    user.is_active = False
    user.save()
    assert user_scope(user).office_ids == set()


def test_anonymous_and_membershipless_users(db):
    assert user_scope(AnonymousUser()) == Scope()
    nobody = UserFactory(username="nobody")
    scope = user_scope(nobody)
    assert scope.roles == set() and not scope.has_role(*Role.values)


def test_scope_is_cached_on_the_user_object(rabat, django_assert_num_queries):
    user = User.objects.get(pk=member_of(rabat, Role.CASEWORKER, "cached").pk)
    with django_assert_num_queries(1):
        user_scope(user)
        user_scope(user)


def test_offices_for_and_users_in_offices(rabat, oujda):
    boss = member_of(rabat, Role.MANAGER, "boss")
    member_of(oujda, Role.CASEWORKER, "boss")
    worker = member_of(rabat, Role.CASEWORKER, "worker")
    member_of(rabat, Role.MEDICAL, "doctor")
    assert set(offices_for(boss)) == {rabat, oujda}
    assert list(offices_for(boss, Role.MANAGER)) == [rabat]
    assert set(users_in_offices([rabat.pk])) == {boss, worker}
    assert {u.username for u in users_in_offices([rabat.pk], roles=[Role.MEDICAL])} == {"doctor"}
