"""Scoring two records: evidence in bits (log2 likelihood ratios, Fellegi-Sunter style), summed,
then mapped to a score in [0, 1].

Each comparison contributes a weight, positive for a match, negative against, and a `Reason`
carrying it. Names weigh by their frequency (a shared "Mamadou Diallo" is worth far less than a
shared "Chinedu Okeke"); a given name that differs weighs heavily against, so that siblings
(same family name and phone) and twins (same date of birth too) stay apart.
"""

import datetime
import functools
import math

from rapidfuzz.distance import DamerauLevenshtein, Hamming

from .model import Match, Reason, Record
from .names import BUILTIN, SAME, TYPO, Frequencies, full_key, similarity, word
from .phonetic import document_key, phone_key, words

# Weights in bits. Calibrated on the even-numbered entities of the development set (see
# docs/duplicates.md); the odd-numbered ones are kept to check them.
W = {
    "given_differs": -10.0,  # no given name in common (siblings, twins)
    "family_differs": -8.0,
    "name_partly_differs": -4.0,  # both compound names have a word the other lacks
    "name_shortened": -0.5,
    "alias": 0.7,  # share of the bits of a name found among the other's aliases
    "other_same": 4.0,  # both have other names (a father's name, an alias) and they agree: at most
    "other_differs": -4.0,  # both have other names, none in common
    "dob_same": 8.0,
    "dob_close": 4.0,  # a digit wrong, day and month swapped
    "dob_year_off_same_day": {1: 3.0, 2: 1.0},
    "dob_same_year_only": -1.0,  # same year, day and month differ
    "dob_years": {0: 2.5, 1: 0.5, 2: -1.0, 3: -3.0, 4: -5.0},  # imprecise dates (only a year)
    "dob_years_far": -10.0,
    "exact_years": {1: -2.0, 2: -5.0},
    "exact_years_far": -12.0,
    "sex_differs": -4.0,
    "nationality_same": 0.5,
    "nationality_differs": -3.0,
    "phone_same": 6.0,
    "phone_differs": -0.5,
    "document_same": 18.0,
    "document_differs": -1.0,
    "document_typo": 10.0,  # one typing mistake in a document number of 6+ characters
    "household": -100.0,
}
OFFSET = 13.0  # bits at which the score is 0.5
SCALE = 2.0  # bits per doubling of the odds
COMMON_NAME_BITS = 10.0  # a full name agreeing with less evidence than this is "common"


class Prepared:
    """A record with its normalised fields, computed once."""

    __slots__ = (
        "record",
        "id",
        "given",
        "family",
        "other",
        "exact",
        "year",
        "sex",
        "nationality",
        "phones",
        "documents",
        "households",
        "full_key",
        "date",
        "names",
    )

    def __init__(self, r: Record):
        self.record = r
        self.id = r.id
        self.given, self.family, self.other, self.names, self.full_key = _names_of(
            r.given_name or "", r.family_name or "", r.other_names or ""
        )
        exact = None
        year = r.birth_year
        dob = r.date_of_birth
        if isinstance(dob, datetime.date):
            year = dob.year
            # 1 January is what is written when only the year is known.
            if not r.dob_estimated and not (dob.month == 1 and dob.day == 1):
                exact = (dob.year, dob.month, dob.day)
        self.exact = exact
        self.date = f"{exact[0]:04d}{exact[1]:02d}{exact[2]:02d}" if exact else ""
        self.year = year
        self.sex = _SEX[r.sex] if r.sex else ""
        self.nationality = (r.nationality or "").strip().upper()
        self.phones = _phones(r.phone) if r.phone else _NONE
        self.documents = _documents(r.documents) if r.documents else _NONE
        self.households = r.households or _NONE


_NONE: frozenset = frozenset()


@functools.lru_cache(maxsize=1 << 18)
def _names_of(given: str, family: str, other: str):
    """(given, family, other, given + family, full key) of the name fields, cached: a registry
    has far fewer distinct names than records."""
    g = tuple(word(w) for w in words(given))
    f = tuple(word(w) for w in words(family))
    o: list = []
    for alias in other.split(","):
        o.extend(word(w) for w in words(alias))
    return g, f, tuple(o), g + f, full_key(g + f)


def _phones(value: str) -> frozenset:
    if "," in value or ";" in value or "/" in value:
        parts = value.replace(";", ",").replace("/", ",").split(",")
    else:
        parts = (value,)
    return frozenset(k for k in map(phone_key, parts) if k)


def _documents(values) -> frozenset:
    return frozenset(k for k in map(document_key, values) if k)


class _Sex(dict):
    def __missing__(self, key):
        value = self[key] = _SEX_NAMES.get(key.strip().lower(), "")
        return value


_SEX_NAMES = {"m": "m", "male": "m", "f": "f", "female": "f", "h": "m", "homme": "m", "femme": "f"}
_SEX = _Sex()


def prepare(r) -> Prepared:
    return r if isinstance(r, Prepared) else Prepared(r)


def _title(words_) -> str:
    return " ".join(w.text.title() for w in words_)


def _match_words(xs, ys):
    """Greedy best one-to-one alignment: ([(x, y, kind, quality)], unmatched xs, unmatched ys)."""
    if len(xs) == 1 and len(ys) == 1:
        kind, q = similarity(xs[0], ys[0])
        if q:
            return [(xs[0], ys[0], kind, q)], (), ()
        return [], xs, ys
    cands = []
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            kind, q = similarity(x, y)
            if q:
                cands.append((q, -i - j, i, j, kind))
    if not cands:
        return [], xs, ys
    cands.sort(reverse=True)
    used_x, used_y, matched = set(), set(), []
    for q, _, i, j, kind in cands:
        if i in used_x or j in used_y:
            continue
        used_x.add(i)
        used_y.add(j)
        matched.append((xs[i], ys[j], kind, q))
    return (
        matched,
        tuple(x for i, x in enumerate(xs) if i not in used_x),
        tuple(y for j, y in enumerate(ys) if j not in used_y),
    )


def _in(w, others) -> bool:
    return any(similarity(w, o)[1] for o in others)


def _in_any(ws, others) -> bool:
    return any(_in(w, others) for w in ws)


def _side(xs, ys, a_other, b_other, freq, differs, out):
    """(bits for, bits against) one part of the name (given names, family names, or the whole
    name), appending (code, params, weight) to `out`."""
    matched, ex, ey = _match_words(xs, ys)
    if (not matched or (ex and ey)) and len(xs) != len(ys):
        # Words joined or split: "JeanPaul" / "Jean-Paul", "Abdourahmane" / "Abdou Rahmane".
        jx = word("".join(w.text for w in xs))
        jy = word("".join(w.text for w in ys))
        kind, q = similarity(jx, jy)
        if q:
            # Worth at most the words' bits on either side.
            most = min(sum(map(freq.info, xs)), sum(map(freq.info, ys)))
            bits = min(q * min(freq.info(jx), freq.info(jy)), most)
            code = "name_typo" if kind == TYPO else "name_variant"
            out.append((code, {"a": _title(xs), "b": _title(ys)}, round(bits, 2)))
            return bits, 0.0
    if not matched:
        # A name used as an alias in the other record ("Mariama Diallo, alias Fatoumata").
        am, _, _ = _match_words(xs, b_other) if b_other else ([], (), ())
        if not am and a_other:
            am, _, _ = _match_words(a_other, ys)
        if am:
            x, y, kind, q = am[0]
            bits = W["alias"] * q * min(freq.info(x), freq.info(y))
            out.append(("name_variant", {"a": x.text.title(), "b": y.text.title()}, bits))
            return bits, 0.0
        out.append(("different_name", {}, differs))
        return 0.0, differs
    pos = neg = 0.0
    for x, y, kind, q in matched:
        b = q * min(freq.info(x), freq.info(y))
        pos += b
        if kind == SAME:
            continue
        code = "name_typo" if kind == TYPO else "name_variant"
        out.append((code, {"a": x.text.title(), "b": y.text.title()}, round(b, 2)))
    if ex and b_other:
        ex = tuple(x for x in ex if not _in(x, b_other))
    if ey and a_other:
        ey = tuple(y for y in ey if not _in(y, a_other))
    if ex and ey:
        out.append(("different_name", {}, W["name_partly_differs"]))
        neg += W["name_partly_differs"]
    elif ex or ey:
        out.append(("name_shortened", {"a": _title(xs), "b": _title(ys)}, W["name_shortened"]))
        neg += W["name_shortened"]
    return pos, neg


def _cap(a: Prepared, b: Prepared, freq) -> float | None:
    ca = freq.full_info(a.full_key)
    cb = freq.full_info(b.full_key)
    if ca is None:
        return cb
    return ca if cb is None else min(ca, cb)


def _names(a: Prepared, b: Prepared, freq, out) -> float:
    """Bits for the names. Agreement is worth the words' bits, at most the full name's bits when
    the batch shows it is common."""
    if a.given and a.family and b.given and b.family:
        straight: list = []
        p1, n1 = _side(a.given, b.given, a.other, b.other, freq, W["given_differs"], straight)
        p2, n2 = _side(a.family, b.family, a.other, b.other, freq, W["family_differs"], straight)
        pos, neg = p1 + p2, n1 + n2
        code = "same_name"
        chosen = straight
        if straight:
            swapped: list = []
            p1, n1 = _side(a.given, b.family, a.other, b.other, freq, W["given_differs"], swapped)
            p2, n2 = _side(a.family, b.given, a.other, b.other, freq, W["family_differs"], swapped)
            if p1 + p2 + n1 + n2 > pos + neg + 1.0:
                pos, neg, chosen, code = p1 + p2, n1 + n2, swapped, "names_swapped"
    else:
        # One of them has the whole name in one field ("Traoré Moussa", no family name).
        xs, ys = a.names, b.names
        if not xs or not ys:
            return 0.0
        chosen = []
        code = "same_name"
        pos, neg = _side(xs, ys, a.other, b.other, freq, W["given_differs"], chosen)
    if pos:
        cap = _cap(a, b, freq)
        if cap is not None and pos > cap:
            pos = cap
    if a.other and b.other:
        om, _, _ = _match_words(a.other, b.other)
        if om:
            x, y, kind, q = om[0]
            pos += min(W["other_same"], q * min(freq.info(x), freq.info(y)))
        elif not _in_any(a.other, b.names) and not _in_any(b.other, a.names):
            out.append(("different_name", {}, W["other_differs"]))
            neg += W["other_differs"]
    if code == "names_swapped" or not chosen:
        out.append((code, {}, round(pos - sum(r[2] for r in chosen if r[2] > 0), 2)))
    out.extend(chosen)
    return pos + neg


def _dob(a: Prepared, b: Prepared, out) -> float:
    if a.year is None or b.year is None:
        return 0.0
    dy = abs(a.year - b.year)
    if a.exact and b.exact:
        if a.exact == b.exact:
            out.append(("same_date_of_birth", {}, W["dob_same"]))
            return W["dob_same"]
        (ya, ma, da), (yb, mb, db) = a.exact, b.exact
        if ma == mb and da == db and dy in W["dob_year_off_same_day"]:
            w = W["dob_year_off_same_day"][dy]
            out.append(("birth_year_differs", {"years": dy}, w))
            return w
        if (dy == 0 and (ma == mb or da == db or (ma == db and da == mb))) or (
            dy <= 1 and _one_digit(a.date, b.date)
        ):
            days = (
                abs((datetime.date(ya, ma, da) - datetime.date(yb, mb, db)).days)
                if _valid(a.exact) and _valid(b.exact)
                else 0
            )
            out.append(("date_of_birth_close", {"days": days}, W["dob_close"]))
            return W["dob_close"]
        if dy == 0:
            out.append(("date_of_birth_differs", {}, W["dob_same_year_only"]))
            return W["dob_same_year_only"]
        w = W["exact_years"].get(dy, W["exact_years_far"])
        out.append(("birth_year_differs", {"years": dy}, w))
        return w
    w = W["dob_years"].get(dy, W["dob_years_far"])
    if dy == 0:
        out.append(("same_birth_year", {}, w))
    else:
        out.append(("birth_year_differs", {"years": dy}, w))
    return w


def _valid(d) -> bool:
    try:
        datetime.date(*d)
    except ValueError:
        return False
    return True


def _one_digit(sa: str, sb: str) -> bool:
    """Two yyyymmdd strings one digit apart."""
    return Hamming.distance(sa, sb, score_cutoff=1) == 1


def _document_typo(xs, ys) -> tuple[str, str] | None:
    """Two document numbers of 6+ characters one typing mistake apart (a digit wrong, two
    digits swapped, one left out): (x, y), else None."""
    for x in xs:
        for y in ys:
            if (
                min(len(x), len(y)) >= 6
                and abs(len(x) - len(y)) <= 1
                and DamerauLevenshtein.distance(x, y, score_cutoff=1) <= 1
            ):
                return x, y
    return None


def weigh(a: Prepared, b: Prepared, freq: Frequencies = BUILTIN, out=None) -> float:
    """Total bits for the pair; reasons as (code, params, weight) appended to `out`."""
    if out is None:
        out = []
    if a.households and b.households and not a.households.isdisjoint(b.households):
        out.append(("same_household", {}, W["household"]))
        return W["household"]
    return _names(a, b, freq, out) + weigh_others(a, b, out)


def name_bound(p: Prepared, freq: Frequencies) -> float:
    """At most the bits _names() can give this record with any other."""
    bits = sum(map(freq.info, p.given + p.family))
    cap = freq.full_info(p.full_key)
    if cap is not None and cap < bits:
        bits = cap
    return bits + (W["other_same"] if p.other else 0.0)


def simple_names(p: Prepared) -> bool:
    """One given and one family name word, no other names: names_bound() applies."""
    return len(p.given) == 1 and len(p.family) == 1 and not p.other


def names_bound(a: Prepared, b: Prepared, freq: Frequencies) -> float:
    """At most the bits _names() gives two records with simple_names(): each word of `a` agrees
    at best with one word of `b` (straight or swapped; no words to join, no aliases)."""
    (ga,), (fa,), (gb,), (fb,) = a.given, a.family, b.given, b.family
    total = 0.0
    for x in (ga, fa):
        best = 0.0
        for y in (gb, fb):
            q = similarity(x, y)[1]
            if q:
                bits = q * min(freq.info(x), freq.info(y))
                if bits > best:
                    best = bits
        total += best
    return total


def weigh_others(a: Prepared, b: Prepared, out) -> float:
    """Bits of everything but the names."""
    total = _dob(a, b, out)
    if a.documents and b.documents:
        common = a.documents & b.documents
        if common:
            number = min(common)
            out.append(("same_document", {"number": number}, W["document_same"]))
            total += W["document_same"]
        else:
            near = _document_typo(sorted(a.documents), sorted(b.documents))
            if near:
                # Reported with the generic "typing mistake: a ~ b" reason (no code of its own).
                out.append(("document_typo", {"a": near[0], "b": near[1]}, W["document_typo"]))
                total += W["document_typo"]
            else:
                out.append(("different_document", {}, W["document_differs"]))
                total += W["document_differs"]
    if a.phones and b.phones:
        common = a.phones & b.phones
        if common:
            out.append(("same_phone", {"phone": a.record.phone}, W["phone_same"]))
            total += W["phone_same"]
        else:
            out.append(("different_phone", {}, W["phone_differs"]))
            total += W["phone_differs"]
    if a.sex and b.sex and a.sex != b.sex:
        out.append(("different_sex", {}, W["sex_differs"]))
        total += W["sex_differs"]
    if a.nationality and b.nationality:
        if a.nationality == b.nationality:
            out.append(("same_nationality", {}, W["nationality_same"]))
            total += W["nationality_same"]
        else:
            out.append(("different_nationality", {}, W["nationality_differs"]))
            total += W["nationality_differs"]
    return total


_DOB_SAME = W["dob_same"]
_DOB_CLOSE = W["dob_close"]
_DOB_YEAR_OFF = W["dob_year_off_same_day"]
_DOB_SAME_YEAR = W["dob_same_year_only"]
_EXACT_YEARS = W["exact_years"]
_EXACT_FAR = W["exact_years_far"]
_DOB_YEARS = W["dob_years"]
_DOB_FAR = W["dob_years_far"]


def others_bits(a: Prepared, b: Prepared, upper: bool = False) -> float:
    """weigh_others() without the reasons (the same number, faster): for the batch's bound.
    With `upper`, two different document numbers count as a typing mistake without checking
    (an upper bound, cheaper)."""
    total = 0.0
    ya, yb = a.year, b.year
    if ya is not None and yb is not None:
        dy = ya - yb if ya > yb else yb - ya
        ea, eb = a.exact, b.exact
        if ea and eb:
            if ea == eb:
                total = _DOB_SAME
            elif ea[1] == eb[1] and ea[2] == eb[2] and dy in _DOB_YEAR_OFF:
                total = _DOB_YEAR_OFF[dy]
            elif (
                dy == 0
                and (ea[1] == eb[1] or ea[2] == eb[2] or (ea[1] == eb[2] and ea[2] == eb[1]))
            ) or (dy <= 1 and _one_digit(a.date, b.date)):
                total = _DOB_CLOSE
            elif dy == 0:
                total = _DOB_SAME_YEAR
            else:
                total = _EXACT_YEARS.get(dy, _EXACT_FAR)
        else:
            total = _DOB_YEARS.get(dy, _DOB_FAR)
    if a.documents and b.documents:
        if not a.documents.isdisjoint(b.documents):
            total += W["document_same"]
        elif upper or _document_typo(a.documents, b.documents):
            total += W["document_typo"]
        else:
            total += W["document_differs"]
    if a.phones and b.phones:
        total += W["phone_differs"] if a.phones.isdisjoint(b.phones) else W["phone_same"]
    if a.sex and b.sex and a.sex != b.sex:
        total += W["sex_differs"]
    if a.nationality and b.nationality:
        if a.nationality == b.nationality:
            total += W["nationality_same"]
        else:
            total += W["nationality_differs"]
    return total


def to_score(bits: float) -> float:
    x = (bits - OFFSET) / SCALE
    if x > 60:
        return 1.0
    if x < -60:
        return 0.0
    return 1.0 / (1.0 + 2.0**-x)


def bits_for(score: float) -> float:
    """The bits at which to_score() reaches `score` (for thresholds)."""
    score = min(max(score, 1e-12), 1 - 1e-12)
    return OFFSET + SCALE * math.log2(score / (1 - score))


def explain(a: Prepared, b: Prepared, freq: Frequencies = BUILTIN) -> Match:
    out: list = []
    return to_match(weigh(a, b, freq, out), out, freq)


def to_match(bits: float, out: list, freq: Frequencies = BUILTIN) -> Match:
    """The Match of weigh()'s bits and reasons."""
    reasons = [Reason(code, params, round(weight, 2)) for code, params, weight in out]
    if bits - freq.shift < OFFSET and any(
        r.code in ("same_name", "names_swapped") for r in reasons
    ):
        name_bits = sum(r.weight for r in reasons if r.code in ("same_name", "names_swapped"))
        if name_bits < COMMON_NAME_BITS:
            reasons.append(Reason("common_name", {}, 0.0))
    reasons.sort(key=lambda r: -abs(r.weight))
    return Match(score=round(to_score(bits - freq.shift), 4), reasons=tuple(reasons))
