"""The password of a protected export, between the request and the task that uses it.

It is never stored or sent in clear: the request seals it (Fernet: AES-128-CBC + HMAC-SHA256)
with a key derived from SECRET_KEY into the job's row, the task unseals it, encrypts the file
and wipes the token in the same update that finishes the job. The broker (Redis) only ever
carries the job id. See docs/exports.md for the alternatives considered."""

import base64
import datetime

from cryptography.fernet import Fernet, InvalidToken
from django.utils.crypto import salted_hmac

KEY_SALT = "awda.reports.exports.password"

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet() -> Fernet:
    key = salted_hmac(KEY_SALT, "export-password", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode()


def unseal(token: str, *, max_age: datetime.timedelta | None = None) -> str:
    """The password; InvalidToken if the token was altered, sealed with another SECRET_KEY, or is
    older than `max_age`."""
    ttl = int(max_age.total_seconds()) if max_age else None
    return _fernet().decrypt(token.encode(), ttl=ttl).decode()
