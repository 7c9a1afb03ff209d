"""Blocking keys: short strings shared by two records that may be the same person.

Stored per person (registry.PersonMatchKey) and looked up at registration time with whatever was
typed (names only, a phone only, a document only), and used by find_pairs() to generate candidate
pairs. Keys (at most about 15 per record):

- ``p:<last 9 digits>`` per phone number;
- ``d:<document number>`` per document (letters and digits, upper-case);
- ``n:<x>|<y>`` per pair of name words (first given name with last family name, and a few
  others for compound names), in alphabetical order so that swapped names agree; a word is
  written as its variant group when the table knows it (Fatou -> fatoumata), else as its
  consonant skeleton (Jalloh / Diallo -> jl). "Usman Jalloh" and "Ousmane DIALLO" share
  ``n:jl|ousmane``;
- ``b:<x>:<yyyymmdd>``: the first given name or the last family name (either, so that swapped
  names meet) with the full date of birth: a typo or another spelling in the other name;
- ``i:<c><c>:<yyyymmdd>``: the initial consonants of both names (in alphabetical order) with the
  full date of birth: both names mistyped or spelled otherwise;
- ``y:<x>:<c>:<bucket>``: a name, the initial consonant of the other name and a two-year bucket
  of the birth year (year // 2 and (year + 1) // 2: two years at most one apart share one), so
  that a typo in one name together with a birth year off by one still meets its record.

The initial consonant is the first letter of the skeleton (Ousmane / Usman / Othmane -> s).

Name keys of very common names make large blocks (about 0.4 % of the registry for
"Mamadou Diallo" in a Guinean caseload): docs/duplicates.md gives the sizes measured.
"""

import functools

from .names import Word
from .score import Prepared, prepare

MAX_NAME_KEYS = 4


def name_part(w: Word) -> str:
    return w.group or w.skeleton or w.spell


def name_pairs(p: Prepared) -> list[tuple[str, str]]:
    """The name-word pairs keyed, in a stable order, at most MAX_NAME_KEYS."""
    g, f = p.given, p.family
    pairs: list[tuple[Word, Word]] = []
    if g and f:
        pairs.append((g[0], f[-1]))
        if len(f) > 1:
            pairs.append((g[0], f[0]))
        if len(g) > 1:
            pairs.append((g[-1], f[-1]))
    else:
        ws = g or f
        if len(ws) == 1:
            return [(name_part(ws[0]), "")]
        for i in range(len(ws) - 1):
            pairs.append((ws[i], ws[i + 1]))
        if len(ws) > 2:
            pairs.append((ws[0], ws[-1]))
    out: list[tuple[str, str]] = []
    for x, y in pairs:
        a, b = name_part(x), name_part(y)
        key = (a, b) if a <= b else (b, a)
        if key not in out:
            out.append(key)
    return out[:MAX_NAME_KEYS]


def initial(w: Word) -> str:
    """The first consonant of a word's skeleton, vowels being the least stable part of a
    transliteration (Ousmane / Usman / Othmane -> s, Aissatou / Isatou -> s)."""
    return (w.skeleton or w.spell)[:1]


def year_buckets(year: int) -> tuple[int, ...]:
    """Two-year buckets: an even year has one, an odd year two, so that two years at most one
    apart always share a bucket (1983: 991 and 992; 1984: 992)."""
    a, b = year // 2, (year + 1) // 2
    return (a,) if a == b else (a, b)


def keys_of(p: Prepared) -> list[str]:
    keys = [f"p:{k}" for k in sorted(p.phones)[:2]] if p.phones else []
    if p.documents:
        keys += [f"d:{k}" for k in sorted(p.documents)[:3]]
    names, dated, yearly = _name_keys(p.given, p.family)
    keys += names
    # A typo in one name: the other name with the birth date, or with the birth year (+-1) and
    # the initial consonant of the mistyped name. Given and family names play the same part in
    # these keys, so that swapped names meet too.
    if dated:
        if p.date:
            keys += [k + p.date for k in dated]
        if p.year:
            for bucket in year_buckets(p.year):
                keys += [f"{k}{bucket}" for k in yearly]
    return list(dict.fromkeys(keys))


@functools.lru_cache(maxsize=1 << 18)
def _name_keys(given: tuple, family: tuple):
    """(name-pair keys, prefixes of the keys with a date, prefixes of the keys with a year) for
    these name words (cached: names repeat)."""
    p = _Names(given, family)
    names = [f"n:{a}|{b}" for a, b in name_pairs(p)]
    g, f = (given, family) if given and family else (p.names[:1], p.names[-1:])
    if not (g and f) or g[0] is f[-1]:
        return names, (), ()
    x, y = g[0], f[-1]
    nx, ny = name_part(x), name_part(y)
    ix, iy = initial(x), initial(y)
    dated = (f"b:{nx}:", f"b:{ny}:", f"i:{min(ix, iy)}{max(ix, iy)}:")
    yearly = (f"y:{nx}:{iy}:", f"y:{ny}:{ix}:")
    return names, dated, yearly


class _Names:
    """The name part of a Prepared, for name_pairs()."""

    __slots__ = ("given", "family", "names")

    def __init__(self, given, family):
        self.given, self.family, self.names = given, family, given + family


def blocking_keys(record) -> set[str]:
    return set(keys_of(prepare(record)))
