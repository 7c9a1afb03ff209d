"""Evaluation against a labelled CSV (the development set's format):

    record_id, entity_id, given_name, family_name, other_names, sex, date_of_birth,
    birth_year_estimated, nationality (alpha-3), phone, document_number, ...

Pairwise precision, recall and F1 over record pairs: a true cluster of n records counts
n(n-1)/2 pairs. `score_pairs` scores the predicted pairs as returned by find_pairs();
`score_clusters` scores the pairs implied by the connected components of the predicted pairs
(transitive closure), for comparison.
"""

import csv
import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from .model import REVIEW_THRESHOLD, Record

_SEX = {"M": "male", "F": "female"}


def _alpha2(alpha3: str, cache: dict = {}) -> str:  # noqa: B006 - a cache
    alpha3 = (alpha3 or "").strip().upper()
    if len(alpha3) != 3:
        return alpha3
    if alpha3 not in cache:
        try:
            import pycountry

            c = pycountry.countries.get(alpha_3=alpha3)
            cache[alpha3] = c.alpha_2 if c else alpha3
        except ImportError:  # pragma: no cover
            cache[alpha3] = alpha3
    return cache[alpha3]


def record_from_row(row: dict, id_field: str = "record_id") -> Record:
    dob = None
    raw = (row.get("date_of_birth") or "").strip()
    if raw:
        try:
            dob = datetime.date.fromisoformat(raw)
        except ValueError:
            dob = None
    year = (row.get("birth_year_estimated") or "").strip()
    docs = tuple(d for d in (row.get("document_number") or "").split("|") if d.strip())
    return Record(
        id=row[id_field],
        given_name=row.get("given_name") or "",
        family_name=row.get("family_name") or "",
        other_names=row.get("other_names") or "",
        sex=_SEX.get((row.get("sex") or "").strip().upper(), (row.get("sex") or "").lower()),
        date_of_birth=dob,
        birth_year=dob.year if dob else (int(year) if year.isdigit() else None),
        dob_estimated=bool(year) and dob is None,
        nationality=_alpha2(row.get("nationality") or ""),
        phone=row.get("phone") or "",
        documents=docs,
    )


def load_csv(path) -> tuple[list[Record], dict]:
    """Records and {record id: entity id} from a labelled CSV."""
    records, truth = [], {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            r = record_from_row(row)
            records.append(r)
            truth[r.id] = row.get("entity_id", "")
    return records, truth


@dataclass
class Scores:
    true_pairs: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self):
        return (
            f"F1 {self.f1:.4f}  precision {self.precision:.4f}  recall {self.recall:.4f}  "
            f"({self.correct} of {self.predicted} predicted pairs correct, "
            f"{self.true_pairs} true pairs)"
        )


def true_pair_count(truth: dict, ids: Iterable | None = None) -> int:
    sizes: dict = {}
    for rid in ids if ids is not None else truth:
        e = truth[rid]
        sizes[e] = sizes.get(e, 0) + 1
    return sum(n * (n - 1) // 2 for n in sizes.values())


def score_pairs(pairs: Iterable, truth: dict, ids: Iterable | None = None) -> Scores:
    """P/R/F1 of predicted pairs ((id_a, id_b, ...) tuples) against the entity ids."""
    predicted = correct = 0
    for p in pairs:
        predicted += 1
        correct += truth[p[0]] == truth[p[1]]
    return Scores(true_pair_count(truth, ids), predicted, correct)


def clusters(pairs: Iterable) -> list[list]:
    """Connected components of the pairs (union-find)."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p[0]), find(p[1])
        if ra != rb:
            parent[ra] = rb
    groups: dict = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return list(groups.values())


def score_clusters(pairs: Iterable, truth: dict, ids: Iterable | None = None) -> Scores:
    implied = (
        (a, b) for group in clusters(pairs) for a, b in itertools.combinations(sorted(group), 2)
    )
    return score_pairs(implied, truth, ids)


def split(records: list[Record], truth: dict, parity: int) -> list[Record]:
    """Records of entities whose numeric id has this parity (0 even, 1 odd)."""

    def number(e):
        digits = "".join(c for c in str(e) if c.isdigit())
        return int(digits) if digits else 0

    return [r for r in records if number(truth[r.id]) % 2 == parity]


def evaluate(records: list[Record], truth: dict, *, threshold: float = REVIEW_THRESHOLD):
    """(pairs, Scores over the predicted pairs) for find_pairs() on these records."""
    from .api import find_pairs

    pairs = find_pairs(records, threshold=threshold)
    return pairs, score_pairs(pairs, truth, [r.id for r in records])
