"""Duplicate detection engine: pure Python, no database, no Django models.

The one place that decides whether two registrations may be the same person. The registry's
registration-time check, the batch detection into the review queue, the import and the
benchmarks all call these functions, so they agree.

Public interface (stable; other modules import only these names):

- `Record`: what the engine knows of one registration.
- `Reason`, `Match`: the result of comparing two records (a score in [0, 1] and the reasons).
- `blocking_keys(record) -> set[str]`: short keys stored per person (registry.PersonMatchKey) and
  used to find candidates: two records that may be the same person share at least one key.
- `compare(a, b) -> Match`.
- `find_pairs(records, *, threshold=REVIEW_THRESHOLD) -> list[tuple[id_a, id_b, Match]]`: batch
  detection over many records (id_a < id_b, each pair once).
- `LIKELY_THRESHOLD`: at or above it, shown as a likely duplicate while registering.
- `REVIEW_THRESHOLD`: at or above it, a pair goes to the review queue.
"""

from .api import blocking_keys, compare, find_pairs  # noqa: F401,E402
from .model import (  # noqa: F401
    LIKELY_THRESHOLD,
    REASON_CODES,
    REVIEW_THRESHOLD,
    Match,
    Reason,
    Record,
)
