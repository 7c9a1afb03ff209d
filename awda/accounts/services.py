"""Account services. Users, offices and memberships are reference data edited in the Django admin
(awda.accounts.admin, audited there); this module holds what other interfaces share."""

from rest_framework.authtoken.models import Token


def user_tokens_revoke(user) -> int:
    """Revoke the user's API tokens (after a password change or a deactivation)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
