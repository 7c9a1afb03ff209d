"""The API token of a Kobo server source, kept encrypted in the database (awda.core.sealing,
a key of its own). Unlike an export password, a token has no maximum age: it is kept until the
source is changed or deleted. Rotating SECRET_KEY makes saved tokens unreadable: the user is asked
to enter the token again."""

from awda.core.sealing import InvalidToken, Sealer

__all__ = ["InvalidToken", "seal", "unseal"]

_SEALER = Sealer("awda.imports.kobo.token", "kobo-api-token")


def seal(secret: str) -> str:
    return _SEALER.seal(secret)


def unseal(token: str) -> str:
    """The secret; InvalidToken if the token was altered or sealed with another SECRET_KEY."""
    return _SEALER.unseal(token)
