"""API token authentication with an expiry.

DRF's tokens never expire; Awda's last AWDA_API_TOKEN_TTL_HOURS (default 24) from their creation,
then the client asks for a new one. Tokens are also revoked when the user's password changes or the
account is deactivated (awda.accounts.services.user_tokens_revoke)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_expired(token) -> bool:
    ttl = datetime.timedelta(hours=settings.AWDA_API_TOKEN_TTL_HOURS)
    return token.created + ttl <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("The token has expired; request a new one."))
        return user, token
