"""Batch detection: candidate pairs from blocks, then scoring.

Candidates come from the blocking keys (blocking.py). Blocks up to SMALL_BLOCK records
(SMALL_TYPO_BLOCK for the `y:` keys, a name with an initial and two birth years) give every pair.
A larger name block is a common name ("Mamadou Diallo"), which carries too little evidence to
make a pair on its own: its records are sorted (by birth year for a full name, by the other name
for a name with a date or a year, so that its variants and typos are neighbours) and each meets
only its next WINDOW neighbours (sorted neighbourhood); pairs with more evidence still meet
through a phone, a document or a name with the full date of birth. Phone, document and
initials-and-date blocks larger than MAX_BLOCK (a community's phone) are skipped.

Each candidate is first bounded cheaply (an upper bound of everything but the names, plus the
most the names could give, see score.others_bits and score.name_bound) and scored fully only
when it could reach the threshold.

With AWDA_MATCH_WORKERS=2 in the environment, from PARALLEL_MIN records, the pairs are scored in
two processes (fork; the child shares the prepared records copy-on-write and sends its pairs
back pickled). One process by default.
"""

import gc
import os
import pickle
import threading
from collections import defaultdict
from collections.abc import Iterable

from .blocking import keys_of, name_pairs, name_part
from .model import REVIEW_THRESHOLD, Match
from .names import Frequencies
from .score import (
    Prepared,
    bits_for,
    name_bound,
    names_bound,
    others_bits,
    prepare,
    simple_names,
    to_match,
    weigh,
)

SMALL_BLOCK = 20  # blocks up to this size: every pair
SMALL_TYPO_BLOCK = 8  # the same for the y: keys (a name, an initial, two birth years)
MAX_BLOCK = 400  # larger phone, document or date blocks are skipped (a community's phone)
WINDOW = 4  # in larger name blocks, each record meets its next WINDOW neighbours in sort order
PARALLEL_MIN = 50_000  # records: from this size, AWDA_MATCH_WORKERS=2 scores in 2 processes
PARALLEL_MAX = 2


def _ends(p: Prepared):
    """The first given and last family names (the words the name keys are made of)."""
    if p.given and p.family:
        return p.given[0], p.family[-1]
    ws = p.names
    return ws[0], ws[-1]


def _other(p: Prepared, part: str) -> str:
    """The spelling of the keyed record's other name word (the one not in the key `part`)."""
    x, y = _ends(p)
    return y.spell if name_part(x) == part else x.spell


def _orders(key: str, members: list[int], prepared: list[Prepared]):
    """Orders of a large block in which the records worth comparing are neighbours."""
    kind = key[0]
    if kind == "n":  # a common full name: by birth year, then given name
        return [sorted(members, key=lambda i: (prepared[i].year or 0, _ends(prepared[i])[0].spell))]
    # A name with a date or a year: by the other name, so that its variants and typos meet.
    part = key.split(":")[1]
    return [sorted(members, key=lambda i: _other(prepared[i], part))]


SORTED_KINDS = frozenset("nby")  # name keys (i: blocks are small: two initials and a date)


def blocks_of(prepared: list[Prepared]) -> list[tuple[list[int], int]]:
    """The blocks worth comparing within, as (order of record indexes, window): each record
    meets the next `window` records of the order."""
    blocks: defaultdict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(prepared):
        for k in keys_of(p):
            blocks[k].append(i)
    out: list[tuple[list[int], int]] = []
    for key, members in blocks.items():
        size = len(members)
        if size < 2:
            continue
        if size <= (SMALL_TYPO_BLOCK if key[0] == "y" else SMALL_BLOCK):
            out.append((members, size))
        elif key[0] in SORTED_KINDS:  # name blocks: sorted neighbourhood
            out.extend((order, WINDOW) for order in _orders(key, members, prepared))
        elif size <= MAX_BLOCK:
            out.append((members, size))
    return out


def candidate_pairs(prepared: list[Prepared]):
    """Yield index pairs (i, j), i < j, each once."""
    seen: set[int] = set()
    n = len(prepared)
    for order, window in blocks_of(prepared):
        size = len(order)
        for x in range(size):
            i = order[x]
            for y in range(x + 1, min(size, x + 1 + window)):
                j = order[y]
                code = i * n + j if i < j else j * n + i
                if code not in seen:
                    seen.add(code)
                    yield (i, j) if i < j else (j, i)


def frequencies(prepared: list[Prepared]) -> Frequencies:
    return Frequencies.from_names(p.names for p in prepared)


def find_pairs(records: Iterable, *, threshold: float = REVIEW_THRESHOLD):
    # Millions of small objects, none cyclic: the cyclic collector would only rescan them.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _find_pairs(records, threshold)
    finally:
        if enabled:
            gc.enable()


def _scan(prepared, blocks, freq, threshold, part: int = 0, parts: int = 1):
    """Score the candidate pairs of the blocks whose (i + j) % parts == part: a list of
    (i, j, Match), i < j, each pair once."""
    min_bits = bits_for(threshold) + freq.shift
    bound = [name_bound(p, freq) for p in prepared]
    single = [simple_names(p) for p in prepared]
    n = len(prepared)
    seen: set[int] = set()
    out: list = []
    for order, window in blocks:
        size = len(order)
        for x in range(size - 1):
            i = order[x]
            a = prepared[i]
            bi = bound[i]
            for j in order[x + 1 : x + 1 + window]:
                if parts > 1 and (i + j) % parts != part:
                    continue
                code = i * n + j if i < j else j * n + i
                if code in seen:
                    continue
                seen.add(code)
                b = prepared[j]
                bj = bound[j]
                # Cheap first: an upper bound of everything but the names (two different
                # document numbers counted as a typo), plus the most the names could add.
                nb = bi if bi < bj else bj
                if others_bits(a, b, True) + nb < min_bits:
                    continue
                da, db = a.documents, b.documents
                if da and db and da.isdisjoint(db) and others_bits(a, b) + nb < min_bits:
                    continue
                # Then what the name words that agree at all could give.
                if (
                    single[i]
                    and single[j]
                    and names_bound(a, b, freq) + others_bits(a, b) < min_bits
                ):
                    continue
                if a.households and b.households and not a.households.isdisjoint(b.households):
                    continue
                reasons: list = []
                bits = weigh(a, b, freq, reasons)
                if bits >= min_bits:
                    m = to_match(bits, reasons, freq)
                    if m.score >= threshold:
                        out.append((i, j, m) if i < j else (j, i, m))
    return out


def _workers(n: int) -> int:
    """Processes to score with: AWDA_MATCH_WORKERS (1 or 2) from PARALLEL_MIN records, where
    fork is available and the process runs no other thread (forking a threaded web server is
    unsafe); else 1. One by default: on the shared 2-core machine measured, two processes did
    not shorten the wall time (docs/duplicates.md)."""
    env = os.environ.get("AWDA_MATCH_WORKERS", "")
    parts = max(1, min(int(env), PARALLEL_MAX)) if env.isdigit() else 1
    if parts == 1 or n < PARALLEL_MIN or not hasattr(os, "fork"):
        return 1
    if threading.active_count() > 1:
        return 1
    return parts


def _scan_parallel(prepared, blocks, freq, threshold, parts: int):
    """_scan() split over `parts` processes: the children are forked (they share the prepared
    records copy-on-write) and send their pairs back pickled; the parent does part 0. Any
    failure of a child falls back to doing its part here."""
    children = []
    for part in range(1, parts):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: never returns
            code = 0
            try:
                os.close(r)
                found = _scan(prepared, blocks, freq, threshold, part, parts)
                data = pickle.dumps([(i, j, m.score, m.reasons) for i, j, m in found], protocol=5)
                with os.fdopen(w, "wb") as f:
                    f.write(data)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(w)
        children.append((part, pid, r))
    out = _scan(prepared, blocks, freq, threshold, 0, parts)
    for part, pid, r in children:
        with os.fdopen(r, "rb") as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
        if status == 0 and data:
            out.extend((i, j, Match(score, reasons)) for i, j, score, reasons in pickle.loads(data))  # noqa: S301 - our own child, over a private pipe
        else:
            out.extend(_scan(prepared, blocks, freq, threshold, part, parts))
    return out


def _find_pairs(records, threshold):
    prepared = [prepare(r) for r in records]
    freq = frequencies(prepared)
    blocks = blocks_of(prepared)
    parts = _workers(len(prepared))
    if parts > 1:
        found = _scan_parallel(prepared, blocks, freq, threshold, parts)
    else:
        found = _scan(prepared, blocks, freq, threshold)
    out = []
    for i, j, m in found:
        ia, ib = prepared[i].id, prepared[j].id
        out.append((ia, ib, m) if ia < ib else (ib, ia, m))
    out.sort(key=lambda t: (t[0], t[1]))
    return out


__all__ = ["blocks_of", "candidate_pairs", "find_pairs", "frequencies", "name_pairs"]
