"""ISO 3166-1 countries (pycountry), with names in the active language."""

import functools
import gettext

import pycountry
from django.utils.translation import get_language

from .text import fold


@functools.lru_cache(maxsize=8)
def _translator(lang: str):
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return None


def alpha3(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=(alpha2 or "").upper())
    return country.alpha_3 if country else ""


def is_valid(alpha2: str) -> bool:
    return bool(alpha2) and pycountry.countries.get(alpha_2=alpha2.upper()) is not None


def name(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=(alpha2 or "").upper())
    if not country:
        return alpha2 or ""
    lang = (get_language() or "en").split("-")[0]
    tr = _translator(lang) if lang != "en" else None
    base = getattr(country, "common_name", None) or country.name
    return tr.gettext(base) if tr else base


@functools.lru_cache(maxsize=8)
def _choices(lang: str):
    items = []
    for c in pycountry.countries:
        base = getattr(c, "common_name", None) or c.name
        tr = _translator(lang) if lang != "en" else None
        items.append((c.alpha_2, tr.gettext(base) if tr else base))
    # Accent-blind order, so that "Égypte" sorts with the E's in French.
    return sorted(items, key=lambda x: (fold(x[1]), x[1]))


def choices():
    return _choices((get_language() or "en").split("-")[0])


def resolve(value: str) -> str:
    """Accept alpha-2, alpha-3 or an English name; return alpha-2 or ''."""
    value = (value or "").strip()
    if not value:
        return ""
    for key in ("alpha_2", "alpha_3"):
        c = pycountry.countries.get(**{key: value.upper()})
        if c:
            return c.alpha_2
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        return ""
