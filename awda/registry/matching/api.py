"""Entry points of the engine."""

from collections.abc import Iterable

from . import batch
from .blocking import blocking_keys as _blocking_keys
from .model import REVIEW_THRESHOLD, Match, Record
from .names import BUILTIN, Frequencies
from .score import explain, prepare


def blocking_keys(record: Record) -> set[str]:
    """Short keys (at most 16, usually 6 to 10) to store per person and to look candidates up
    with, even from partial data (names only, a phone only, a document only). See blocking.py."""
    return _blocking_keys(record)


def compare(a: Record, b: Record, *, frequencies: Frequencies | None = None) -> Match:
    """Score two records (in [0, 1]) with the reasons. `frequencies` (names.Frequencies, e.g.
    from batch.frequencies()) weighs names by how common they are in a registry; without it a
    built-in list of very common names is used."""
    return explain(prepare(a), prepare(b), frequencies or BUILTIN)


def find_pairs(records: Iterable[Record], *, threshold: float = REVIEW_THRESHOLD):
    """Every pair of records scoring at least `threshold`, as (id_a, id_b, Match) with
    id_a < id_b, each pair once, sorted."""
    return batch.find_pairs(records, threshold=threshold)
