"""The API token of a Kobo server source, kept encrypted in the database.

The same sealing as the passwords of protected exports (awda.reports.exports.sealing: Fernet,
AES-128-CBC + HMAC-SHA256, a key derived from SECRET_KEY with salted_hmac), with a key of its own
(another salt), so that a token sealed for one purpose cannot be unsealed for another. Unlike an
export password, a token has no maximum age: it is kept until the source is changed or deleted.
Rotating SECRET_KEY makes saved tokens unreadable: the user is asked to enter the token again."""

import base64

from cryptography.fernet import Fernet, InvalidToken
from django.utils.crypto import salted_hmac

KEY_SALT = "awda.imports.kobo.token"

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet() -> Fernet:
    key = salted_hmac(KEY_SALT, "kobo-api-token", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(token: str) -> str:
    """The secret; InvalidToken if the token was altered or sealed with another SECRET_KEY."""
    return _fernet().decrypt(token.encode()).decode()
