"""Account services. Users, offices and memberships are reference data edited in the Django admin
(awda.accounts.admin, audited there); this module holds what other interfaces share."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from awda.core.api.authentication import token_expired


def user_tokens_revoke(user) -> int:
    """Revoke the user's API tokens (after a password change or a deactivation)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


def user_token_issue(user) -> Token:
    """The user's API token: the current one while it is valid, else a new one."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and token_expired(token):
            token.delete()
            token = None
        return token or Token.objects.create(user=user)
