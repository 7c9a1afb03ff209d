"""Name words and how two of them compare: same, variant (transliteration), typo or different."""

import functools
import math

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from .phonetic import skeleton, spell
from .variants import COMMON, GROUPS

SAME, VARIANT, TYPO, NONE = "same", "variant", "typo", "none"

# Quality of an agreement, as a share of the name's information.
Q_SAME = 1.0
Q_VARIANT = 0.92  # same group in the table, same spelling once normalised
Q_SKELETON = 0.85  # same consonant skeleton, spellings close
Q_RELATED = 0.75  # two names of the table with the same skeleton (Mamadou / Mohamed)
Q_TYPO = 0.8

DEFAULT_FREQUENCY = 0.002  # a name word not known to be common
MIN_FREQUENCY = 1 / 8192  # at most 13 bits for one word
PRIOR_COUNT = 2000  # batch frequencies are pulled towards the built-in ones by this many records
REFERENCE_SIZE = 12_500  # records: the size of the half of the development set used to calibrate
MIN_BATCH = 2000  # full-name frequencies are used in batches of at least this many records


def full_key(ws) -> str:
    return " ".join(sorted(w.key for w in ws))


def _build_groups():
    by_word: dict[str, str] = {}
    by_spell: dict[str, str] = {}
    lines: list[list[str]] = []
    for line in GROUPS.splitlines():
        if not line.strip():
            continue
        if line.startswith(" ") and lines:
            lines[-1].extend(line.split())
        else:
            lines.append(line.split())
    members: dict[str, list[tuple[str, str]]] = {}
    for group in lines:
        head = group[0]
        for w in group:
            by_word.setdefault(w, head)
            by_spell.setdefault(spell(w), head)
            if by_word[w] == head:
                members.setdefault(head, []).append((w, spell(w)))
    return by_word, by_spell, {h: tuple(dict.fromkeys(m)) for h, m in members.items()}


_GROUP_BY_WORD, _GROUP_BY_SPELL, _MEMBERS = _build_groups()


class Word:
    """A folded name word with its normal forms. Interned: one object per distinct word."""

    __slots__ = ("text", "spell", "skeleton", "group", "known", "key", "common")

    def __init__(self, text: str):
        self.text = text
        self.spell = spell(text)
        self.skeleton = skeleton(text)
        self.known = _GROUP_BY_WORD.get(text, "")  # spelled as in the table
        self.group = self.known or _GROUP_BY_SPELL.get(self.spell) or ""
        # Frequencies are counted per group (all spellings of Mohamed together), else per spelling.
        self.key = self.group or self.spell
        self.common = COMMON.get(self.key, 0.0)

    def __repr__(self):
        return f"Word({self.text!r})"


@functools.lru_cache(maxsize=1 << 20)
def word(text: str) -> Word:
    return Word(text)


_SIM_CACHE: dict[tuple[str, str], tuple[str, float]] = {}


def similarity(x: Word, y: Word) -> tuple[str, float]:
    """(kind, quality) of the agreement of two words; quality 0 when they differ."""
    if x is y or x.text == y.text:
        return SAME, Q_SAME
    key = (x.text, y.text)
    hit = _SIM_CACHE.get(key)
    if hit is not None:
        return hit
    result = _similarity(x, y)
    if len(_SIM_CACHE) > 2_000_000:
        _SIM_CACHE.clear()
    _SIM_CACHE[key] = result
    _SIM_CACHE[(y.text, x.text)] = result
    return result


def _similarity(x: Word, y: Word) -> tuple[str, float]:
    if x.group and x.group == y.group:
        return VARIANT, Q_VARIANT
    if x.known and y.known:
        # Two different known names (Touré / Traoré, Aliou / Saliou, Koné / Kane): not a typo.
        if x.skeleton == y.skeleton and len(x.skeleton) >= 3:
            return VARIANT, Q_RELATED  # Mamadou / Mohamed
        return NONE, 0.0
    if x.spell == y.spell:
        return VARIANT, Q_VARIANT
    if (
        x.skeleton == y.skeleton
        and len(x.skeleton) >= 2
        and JaroWinkler.similarity(x.spell, y.spell) >= 0.8
    ):
        return VARIANT, Q_SKELETON
    result = _typo(x.text, x.spell, y.text, y.spell)
    if result[1] or bool(x.group) == bool(y.group):
        return result
    # One of them is a name of the table, the other one no spelling of it: it may be a typing
    # mistake in another spelling of that name (Abdullsh ~ Abdullah ~ Abdoulaye, Momoou ~
    # Momodou ~ Mamadou, Mahamag ~ Mahamat ~ Mohamed).
    known, other = (x, y) if x.group else (y, x)
    best = result
    for text, spelled in _MEMBERS.get(known.group, ()):
        if text == known.text:
            continue
        r = _typo(other.text, other.spell, text, spelled)
        if r[1] > best[1]:
            best = r
    return best


def _typo(xt: str, xs: str, yt: str, ys: str) -> tuple[str, float]:
    """A typing mistake between two words (their folded and spelled forms)."""
    longest = max(len(xt), len(yt))
    if longest >= 3 and abs(len(xt) - len(yt)) <= 2:
        dt = DamerauLevenshtein.distance(xt, yt, score_cutoff=2)
        ds = DamerauLevenshtein.distance(xs, ys, score_cutoff=2)
        d = min(dt, ds)
        if d <= 1 or (d == 2 and longest >= 8):
            # A typing mistake in a short word could make another name: weigh it less.
            return TYPO, Q_TYPO if longest >= 5 else Q_TYPO * (0.75 if longest == 4 else 0.5)
        if dt == 2 and longest >= 6 and xt[0] == yt[0]:
            return TYPO, Q_TYPO * 0.7  # two mistakes in a 6- or 7-letter word
    return NONE, 0.0


class Frequencies:
    """Relative frequency of name words (per variant group) and of full names. Built from a batch
    of records by find_pairs(); without one, the built-in list of very common names is used."""

    __slots__ = ("counts", "total", "full", "_info", "shift")

    def __init__(self, counts=None, total: int = 0, full=None):
        self.counts: dict[str, int] = counts or {}
        self.total = total
        self.full: dict[str, int] = full or {}  # full-name key -> records
        self._info: dict[str, float] = {}
        # The chance that two records of a registry are the same person falls with its size:
        # beyond REFERENCE_SIZE records (where the weights were calibrated), a pair needs
        # log2(size / REFERENCE_SIZE) more bits for the same score.
        self.shift = max(0.0, math.log2(total / REFERENCE_SIZE)) if total else 0.0

    @classmethod
    def from_names(cls, per_record) -> "Frequencies":
        """From one sequence of name Words per record (given then family names)."""
        counts: dict[str, int] = {}
        full: dict[str, int] = {}
        n = 0
        for ws in per_record:
            n += 1
            for k in {w.key for w in ws}:
                counts[k] = counts.get(k, 0) + 1
            if ws:
                fk = full_key(ws)
                full[fk] = full.get(fk, 0) + 1
        return cls(counts, n, full)

    def full_info(self, key: str) -> float | None:
        """At most how many bits an agreement on this full name is worth in this batch: the
        words' bits overstate names whose words go together ("Jean-Claude", "Mamadou Diallo"),
        and a batch cannot tell a frequency below one other record in it. None for small batches
        (then the words' bits stand)."""
        if self.total < MIN_BATCH or not key:
            return None
        bits = self._info.get("\0" + key)
        if bits is None:
            others = self.full.get(key, 0) - 1
            bits = self._info["\0" + key] = -math.log2(max(others, 1) / self.total)
        return bits

    def info(self, w: Word) -> float:
        """Bits of evidence of an agreement on this word: -log2(frequency)."""
        bits = self._info.get(w.key)
        if bits is None:
            prior = w.common or DEFAULT_FREQUENCY
            if self.total:
                f = (self.counts.get(w.key, 0) + PRIOR_COUNT * prior) / (self.total + PRIOR_COUNT)
            else:
                f = prior
            bits = -math.log2(max(f, MIN_FREQUENCY))
            self._info[w.key] = bits
        return bits


BUILTIN = Frequencies()
