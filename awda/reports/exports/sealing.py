"""The password of a protected export, between the request and the task that uses it.

It is never stored or sent in clear: the request seals it (awda.core.sealing: Fernet with a key
of its own derived from SECRET_KEY) into the job's row, the task unseals it, encrypts the file
and wipes the token in the same update that finishes the job. The broker (Redis) only ever
carries the job id. See docs/exports.md for the alternatives considered."""

import datetime

from awda.core.sealing import InvalidToken, Sealer

__all__ = ["InvalidToken", "seal", "unseal"]

_SEALER = Sealer("awda.reports.exports.password", "export-password")


def seal(password: str) -> str:
    return _SEALER.seal(password)


def unseal(token: str, *, max_age: datetime.timedelta | None = None) -> str:
    """The password; InvalidToken if the token was altered, sealed with another SECRET_KEY, or is
    older than `max_age`."""
    return _SEALER.unseal(token, max_age=max_age)
