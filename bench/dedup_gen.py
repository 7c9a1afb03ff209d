"""Synthetic registrations with known identities, for the duplicate-detection benchmark.

    gen = generate(people=200_000, seed=7)  # -> (records, truth): about 256,000 records

People are drawn from the demo's name pools per nationality (awda.demo.names, weighted like the
caseload), with compound given names, a long tail of family names made of syllables, and
skewed draws so that many people share a common name. Families: siblings share the family name,
nationality and often the phone; some are twins (same date of birth). 20 % of people have 2 to 4
registrations, each copy varied like real data entry: transliteration and spelling variants
(written here as substitutions on the spelling, independently of the engine's rules), dropped
accents, upper case, given and family names swapped or typed in one field, compound names
shortened, typos (adjacent keys, deletions, transpositions), a date of birth missing, reduced to
the year, off by a year, with a wrong digit or day and month swapped, another phone or phone
format, another document, an alias added, rarely another sex or nationality.

Seeded and reproducible. Not a substitute for the development set: its variants are simpler.
"""

import datetime
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from awda.demo.names import POOLS  # noqa: E402
from awda.registry.matching import Record  # noqa: E402

# Spelling substitutions seen between French, English and Arabic transliterations.
_SUBS = (
    ("ou", "u"),
    ("u", "ou"),
    ("Dia", "Ja"),
    ("dia", "ja"),
    ("Dj", "J"),
    ("J", "Dj"),
    ("y", "i"),
    ("i", "y"),
    ("c", "k"),
    ("C", "K"),
    ("ss", "s"),
    ("s", "ss"),
    ("ll", "l"),
    ("mm", "m"),
    ("é", "e"),
    ("è", "e"),
    ("ï", "i"),
    ("Mo", "Mu"),
    ("Ou", "U"),
    ("Ou", "O"),
    ("Ch", "Sh"),
    ("kh", "h"),
    ("th", "t"),
    ("ee", "i"),
    ("oo", "u"),
)
_KEYBOARD = {
    c: n
    for row in ("azertyuiop", "qsdfghjklm", "wxcvbn", "qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i, c in enumerate(row)
    for n in [row[max(0, i - 1) : i] + row[i + 1 : i + 2]]
}
_SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "sa",
    "se",
    "si",
    "so",
    "su",
    "ta",
    "te",
    "ti",
    "to",
    "tu",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ga",
    "go",
    "gu",
    "ya",
    "yo",
    "wa",
    "nd",
    "mb",
    "ng",
    "kou",
    "tou",
    "dou",
    "lou",
    "mou",
    "sou",
    "fa",
    "fo",
]


def _variant(rng: random.Random, name: str) -> str:
    for _ in range(3):
        a, b = rng.choice(_SUBS)
        if a in name:
            i = name.find(a)
            return name[:i] + b + name[i + len(a) :]
    if name.endswith(("e", "a")) and len(name) > 4:
        return name[:-1]
    return name + "h" if name[-1] in "aeiou" else name


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.random()
    if kind < 0.35:
        c = name[i].lower()
        n = _KEYBOARD.get(c)
        if not n:
            return name
        r = rng.choice(n)
        return name[:i] + (r.upper() if name[i].isupper() else r) + name[i + 1 :]
    if kind < 0.6:
        return name[:i] + name[i + 1 :]
    if kind < 0.8:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i] + name[i:]


def _fold_accents(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


class _Draw:
    """Skewed choice: the first names of a pool are the most common (Zipf-like)."""

    def __init__(self, items, s=1.0):
        self.items = list(items)
        w = [1 / (i + 1) ** s for i in range(len(self.items))]
        t = sum(w)
        acc, self.cum = 0.0, []
        for x in w:
            acc += x / t
            self.cum.append(acc)

    def __call__(self, rng):
        import bisect

        return self.items[min(bisect.bisect(self.cum, rng.random()), len(self.items) - 1)]


def _phone(rng, country_code):
    if rng.random() < 0.75:
        return "2126" + "".join(rng.choice("0123456789") for _ in range(8))
    return country_code + "".join(rng.choice("0123456789") for _ in range(9))


def _format_phone(rng, p):
    if p.startswith("212"):
        local = "0" + p[3:]
        return rng.choice(
            (
                local,
                "+" + p,
                "00" + p,
                p,
                " ".join(local[i : i + 2] for i in range(0, 10, 2)),
                "+212 " + p[3] + " " + " ".join(p[i : i + 2] for i in range(4, 12, 2)),
            )
        )
    return rng.choice(("+" + p, "00" + p, p))


def _document(rng, nat):
    if rng.random() < 0.3:
        return f"LP{nat}{rng.randrange(2016, 2026)}{rng.randrange(10**5, 10**6)}"
    return rng.choice("ABCDEFGHJKLMNPRSTUVZ") + str(rng.randrange(10**6, 10**8))


_CODES = {
    "GN": "224", "CI": "225", "SN": "221", "CM": "237", "ML": "223", "NG": "234", "BF": "226",
    "SL": "232", "SD": "249", "GM": "220", "CD": "243", "CG": "242", "NE": "227", "LR": "231",
    "TD": "235",
}  # fmt: skip


def generate(people: int = 200_000, seed: int = 7):
    """(records, truth {record id: person id}) for about 1.28 x `people` records."""
    rng = random.Random(seed)
    nats = list(POOLS)
    nat_draw = _Draw(nats, 0.0)
    nat_weights = [POOLS[c].weight for c in nats]
    draws = {
        c: (
            _Draw(POOLS[c].male, 0.9),
            _Draw(POOLS[c].female, 0.9),
            _Draw(POOLS[c].family, 0.9),
        )
        for c in nats
    }
    del nat_draw

    def family_name(c):
        if rng.random() < 0.3:  # the long tail
            return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()
        return draws[c][2](rng)

    def given_name(c, sex):
        d = draws[c][0 if sex == "male" else 1]
        g = d(rng)
        if rng.random() < 0.2:
            h = d(rng)
            if h != g:
                g = f"{g} {h}"
        return g

    persons = []  # (pid, given, family, sex, dob, nat, phone, doc)
    pid = 0
    while pid < people:
        c = rng.choices(nats, nat_weights)[0]
        size = 1 if rng.random() < 0.85 else rng.choice((2, 2, 3, 4))
        fam = family_name(c)
        phone = _phone(rng, _CODES.get(c, "224")) if rng.random() < 0.8 else ""
        twins = size > 1 and rng.random() < 0.15
        base = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(0, 40 * 365))
        for k in range(size):
            sex = "male" if rng.random() < 0.72 else "female"
            if twins and k < 2:
                dob = base
            else:
                dob = base + datetime.timedelta(days=rng.randrange(-3000, 3000) if k else 0)
            if rng.random() < 0.12:
                dob = datetime.date(dob.year, 1, 1)
            own_phone = phone if (size > 1 and rng.random() < 0.8) else _phone(rng, _CODES[c])
            if rng.random() < 0.25:
                own_phone = ""
            doc = _document(rng, c) if rng.random() < 0.6 else ""
            persons.append((pid, given_name(c, sex), fam, sex, dob, c, own_phone, doc))
            pid += 1
            if pid >= people:
                break

    records, truth = [], {}
    rid = 0
    for pid, given, fam, sex, dob, nat, phone, doc in persons:
        copies = 1 if rng.random() < 0.8 else rng.choices((2, 3, 4), (70, 22, 8))[0]
        others = ""
        if rng.random() < 0.15:
            others = draws[nat][0](rng)
        for k in range(copies):
            g, f, o, s, d, n, ph, dc = given, fam, others, sex, dob, nat, phone, doc
            year = None
            estimated = False
            if k:
                r = rng.random
                if r() < 0.35:
                    if r() < 0.5:
                        f = _variant(rng, f)
                    else:
                        g = " ".join(_variant(rng, w) for w in g.split())
                if r() < 0.2:
                    if r() < 0.5:
                        f = _typo(rng, f)
                    else:
                        g = _typo(rng, g)
                if " " in g and r() < 0.4:
                    g = g.split()[0]
                if r() < 0.08:
                    o = "" if o else draws[nat][0](rng)
                if r() < 0.15:
                    d = None
                    year = dob.year + rng.choice((0, 0, 0, -1, 1, 2))
                    estimated = True
                elif r() < 0.08:
                    d = None
                elif r() < 0.15:
                    choice = r()
                    if choice < 0.4:
                        d = d.replace(year=d.year + rng.choice((-1, 1)), day=min(d.day, 28))
                    elif choice < 0.7 and d.day <= 12:
                        d = datetime.date(d.year, d.day, d.month)
                    else:
                        d = d.replace(day=min(28, max(1, d.day + rng.choice((-10, -1, 1, 10)))))
                if r() < 0.3:
                    ph = _phone(rng, _CODES[n]) if r() < 0.6 else ""
                if r() < 0.3:
                    dc = _document(rng, n) if r() < 0.6 else ""
                if r() < 0.02:
                    s = "female" if s == "male" else "male"
                if r() < 0.03:
                    n = rng.choice(nats)
            style = rng.random()
            if style < 0.3:
                g, f = _fold_accents(g), _fold_accents(f)
            if style > 0.75:
                g, f = g.upper(), f.upper()
            if k and rng.random() < 0.08:
                g, f = f, g
            elif k and rng.random() < 0.05:
                g, f = f"{f} {g}", ""
            rid += 1
            record = Record(
                id=rid,
                given_name=g,
                family_name=f,
                other_names=o,
                sex=s,
                date_of_birth=d,
                birth_year=d.year if d else year,
                dob_estimated=estimated,
                nationality=n,
                phone=_format_phone(rng, ph) if ph else "",
                documents=(dc,) if dc else (),
            )
            records.append(record)
            truth[rid] = pid
    rng.shuffle(records)
    return records, truth


if __name__ == "__main__":  # a quick look
    recs, truth = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 20, 7)
    for r in sorted(recs, key=lambda r: truth[r.id])[:40]:
        print(truth[r.id], r)
