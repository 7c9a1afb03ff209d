import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^\w\s]", re.UNICODE)


def fold(value: str | None) -> str:
    """Lower-case, strip accents and punctuation: 'TRAORÉ' -> 'traore', "N'Diaye" -> 'ndiaye'."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c))
    value = value.lower().replace("'", "").replace("\u2019", "").replace("-", " ")
    value = _NON_ALNUM.sub(" ", value)
    return _SPACES.sub(" ", value).strip()


def digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")


def compact(value: str | None) -> str:
    """Document numbers: upper-case letters and digits only."""
    return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


# The largest primary key PostgreSQL's bigint (and SQLite's INTEGER) holds.
MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """A database id from user input ("42" -> 42), or None when it is not one: only ASCII digits
    ("²" and "٣" are digits to str.isdigit but not ids), from 1 up to what the database holds
    (a larger number would be a server error in the query, not a 404)."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
