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
