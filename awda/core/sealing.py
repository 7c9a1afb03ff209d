"""Secrets kept encrypted in the database (an export's password until its task runs, a Kobo
server's API token): Fernet (AES-128-CBC + HMAC-SHA256) with a key derived from SECRET_KEY by
salted_hmac. Each purpose has its own salt, so a secret sealed for one purpose cannot be unsealed
for another. Rotating SECRET_KEY makes sealed secrets unreadable (InvalidToken)."""

import base64
import datetime

from cryptography.fernet import Fernet, InvalidToken
from django.utils.crypto import salted_hmac

__all__ = ["InvalidToken", "Sealer"]


class Sealer:
    def __init__(self, salt: str, value: str):
        self.salt = salt
        self.value = value

    def _fernet(self) -> Fernet:
        key = salted_hmac(self.salt, self.value, algorithm="sha256").digest()
        return Fernet(base64.urlsafe_b64encode(key))

    def seal(self, secret: str) -> str:
        return self._fernet().encrypt(secret.encode()).decode()

    def unseal(self, token: str, *, max_age: datetime.timedelta | None = None) -> str:
        """The secret; InvalidToken if the token was altered, sealed with another SECRET_KEY or
        for another purpose, or is older than `max_age`."""
        ttl = int(max_age.total_seconds()) if max_age else None
        return self._fernet().decrypt(token.encode(), ttl=ttl).decode()
