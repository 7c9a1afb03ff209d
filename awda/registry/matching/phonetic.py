"""Folding and phonetic normalisation of names written in French, English, Portuguese or an Arabic
transliteration.

Three levels, from exact to coarse:

- `fold("N'DIAYE")` -> "ndiaye": case, accents, apostrophes; hyphens and other punctuation split
  words.
- `spell("ndiaye")` -> "njaie": one spelling for sounds written differently by the French, English
  and Arabic transliteration traditions (ou/u/w, dj/j/di+vowel, ch/sh, kh/h, ph/f, q/k/c, c/s,
  th/s, dh/z, y/i, silent final h and e, double letters).
- `skeleton("njaie")` -> "nj": the consonants only, with h dropped, z as s, and a final d as t
  (Mohamed / Mahamat): Diallo / Jallow / Jalloh -> "jl", Ousmane / Usman / Othmane -> "smn",
  Coulibaly / Kulibali -> "klbl", Boubacar / Abubakar -> "bbkr".

All functions are pure and cached: a registry has a few thousand distinct name words.
"""

import functools
import re
import unicodedata

from .variants import PARTICLES, PATRONYMICS

_VOWELS = frozenset("aeiou")
_SPLIT = re.compile(r"[^a-z0-9]+")
_NON_DIGIT = re.compile(r"[^0-9]+")
_NON_ALNUM = re.compile(r"[^0-9A-Z]+")


@functools.lru_cache(maxsize=1 << 20)
def fold(value: str) -> str:
    """Lower-case ASCII words separated by single spaces. Apostrophes join ("N'Diaye" ->
    "ndiaye"); hyphens and other punctuation separate ("Al-Amin" -> "al amin")."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c)).lower()
    for apostrophe in ("'", "\u2019", "\u2018", "`", "\u00b4"):
        value = value.replace(apostrophe, "")
    value = value.replace("\u00df", "ss").replace("\u00e6", "ae").replace("\u0153", "oe")
    return " ".join(w for w in _SPLIT.split(value) if w)


@functools.lru_cache(maxsize=1 << 20)
def words(value: str) -> tuple[str, ...]:
    """The folded words of a name field, articles joined to the next word ("Abd el Rahman" ->
    ("abdelrahman",), "Al-Amin" -> ("alamin",)), "son of" dropped ("Ould Ahmed" -> ("ahmed",))."""
    out: list[str] = []
    pending = ""
    parts = [w for w in fold(value).split() if not w.isdigit()]
    for i, w in enumerate(parts):
        if w in PATRONYMICS and i + 1 < len(parts):
            continue
        if w in PARTICLES:
            pending += w
            continue
        out.append(pending + w)
        pending = ""
    if pending:  # a particle alone ("Ben") is a name
        out.append(pending)
    return tuple(out)


_DIGRAPHS = (
    ("tch", "sh"),
    ("sch", "sh"),
    ("ch", "sh"),
    ("ph", "f"),
    ("kh", "h"),
    ("gh", "g"),
    ("dh", "z"),
    ("dj", "j"),
    ("ck", "k"),
    ("qu", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "u"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
)
_DI_VOWEL = re.compile(r"d[iy](?=[aeou])")
_C_SOFT = re.compile(r"c(?=[eiy])")
_GU = re.compile(r"gu(?=[eiy])")
_TH_INITIAL = re.compile(r"^th")
_Y_CONSONANT = re.compile(r"(?<!^)y|y(?![aeiou])")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
_FINAL_E = re.compile(r"(?<=[^aeiou])e$")
_DOUBLE = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=1 << 20)
def spell(word: str) -> str:
    """One spelling for the usual transliteration variants of a folded word."""
    s = _TH_INITIAL.sub("t", word)  # Thiam, Thomas: a t
    s = s.replace("th", "s")  # Othmane / Osman / Usman (Arabic tha)
    s = _GU.sub("g", s)
    s = _C_SOFT.sub("s", s)
    for a, b in _DIGRAPHS:
        if a in s:
            s = s.replace(a, b)
    s = s.replace("c", "k")
    s = _DI_VOWEL.sub("j", s)  # Diallo / Jallow, Ndiaye / Njie, Kadiatou / Khadija
    s = _Y_CONSONANT.sub("i", s)  # Coulibaly / Kulibali; an initial y before a vowel stays
    s = _DOUBLE.sub(r"\1", s)
    s = _FINAL_H.sub("", s)  # Jalloh, Abdallah, Sanneh
    if len(s) > 3:
        s = _FINAL_E.sub("", s)  # Ousmane / Usman, Lamine / Al-Amin, Cissé / Sise
    return s or word


@functools.lru_cache(maxsize=1 << 20)
def skeleton(word: str) -> str:
    """The consonants of `spell(word)` (h dropped, z as s, a final d as t)."""
    s = spell(word)
    out = []
    for i, c in enumerate(s):
        if c in _VOWELS or c == "h":
            continue
        if c == "i":
            continue
        if c == "y" and i > 0:
            continue
        out.append("s" if c == "z" else c)
    if out and out[-1] == "d":
        out[-1] = "t"
    return "".join(out)


def phone_key(value: str) -> str:
    """The last 9 digits of a phone number: 0612345678, +212 6 12 34 56 78 and 00212612345678
    agree; numbers with fewer than 7 digits are ignored."""
    digits = _NON_DIGIT.sub("", value) if value else ""
    return digits[-9:] if len(digits) >= 7 else ""


def document_key(value: str) -> str:
    """Document numbers: letters and digits only, upper-case ("16 YK16212" -> "16YK16212")."""
    out = _NON_ALNUM.sub("", value.upper()) if value else ""
    return out if len(out) >= 4 else ""
