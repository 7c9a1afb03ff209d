"""Duplicate-detection benchmark: batch detection (awda.registry.matching.find_pairs) on the
development set and on a generated set about 10 times larger, with pairwise precision, recall
and F1, time and peak memory, against baselines measured in the same run.

    .venv/bin/python bench/dedup.py [--dev ../shared/dedup/dev-labelled.csv] [--people 200000]
                                    [--seed 7] [--json out.json] [--only dev|large]

Each data set runs in a fresh subprocess, so that its peak resident memory (VmHWM, reset with
/proc/self/clear_refs once the records are loaded) is the detection's own. Baselines:
- "normalise": preparing every record (folding, phonetic forms, phones, documents), the floor
  of any detection; the detection's time is also given as a multiple of it;
- "exact name+DOB": pairs with the same folded full name and date of birth (F1 for reference).
No database, no Django. See bench/README.md ("Duplicate detection").
"""

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_DEV = ROOT.parent / "shared" / "dedup" / "dev-labelled.csv"


def _status(field: str) -> int:
    """A /proc/self/status value in kB (VmRSS, VmHWM); 0 where unavailable."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _load(which: str, args):
    from awda.registry.matching import evaluate as ev

    if which == "dev":
        return ev.load_csv(args.dev)
    from dedup_gen import generate

    return generate(args.people, args.seed)


def _exact(records):
    """Baseline: same folded full name and date of birth."""
    from awda.registry.matching.phonetic import fold

    groups: dict = {}
    for r in records:
        if r.date_of_birth:
            key = (fold(f"{r.given_name} {r.family_name}"), r.date_of_birth)
            groups.setdefault(key, []).append(r.id)
    return [(a, b) for ids in groups.values() for x, a in enumerate(ids) for b in ids[x + 1 :]]


def child(which: str, args) -> dict:
    from awda.registry.matching import LIKELY_THRESHOLD, REVIEW_THRESHOLD, find_pairs
    from awda.registry.matching import evaluate as ev
    from awda.registry.matching.score import prepare

    records, truth = _load(which, args)
    ids = [r.id for r in records]
    out = {"set": which, "records": len(records), "people": len(set(truth.values()))}
    out["true_pairs"] = ev.true_pair_count(truth, ids)

    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    gc.disable()
    prepared = [prepare(r) for r in records]
    gc.enable()
    out["normalise_s"] = round(time.perf_counter() - t, 3)
    out["normalise_cpu_s"] = round(time.process_time() - c, 3)
    del prepared
    gc.collect()

    t = time.perf_counter()
    exact = _exact(records)
    out["exact_s"] = round(time.perf_counter() - t, 3)
    s = ev.score_pairs(exact, truth, ids)
    out["exact"] = {"f1": round(s.f1, 4), "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4)}  # fmt: skip
    del exact
    gc.collect()

    from awda.registry.matching.batch import _workers

    base_rss = _status("VmRSS")
    reset = _reset_peak()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t, c = time.perf_counter(), time.process_time()
    pairs = find_pairs(records)
    out["find_pairs_s"] = round(time.perf_counter() - t, 3)
    out["find_pairs_cpu_s"] = round(time.process_time() - c, 3)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The scoring runs in 2 processes from batch.PARALLEL_MIN records: the child's CPU time and
    # peak resident memory (shared pages included) are reported apart.
    out["workers"] = _workers(len(records))
    out["child_cpu_s"] = round(
        after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 3
    )
    out["child_peak_mb"] = round(after.ru_maxrss / 1024, 1) if out["workers"] > 1 else None
    peak = _status("VmHWM")
    out["peak_mb"] = round((peak - base_rss) / 1024, 1) if reset else None
    out["process_peak_mb"] = round(peak / 1024, 1)
    out["baseline_rss_mb"] = round(base_rss / 1024, 1)
    out["time_vs_normalise"] = round(out["find_pairs_s"] / max(out["normalise_s"], 1e-9), 2)

    def scores(s):
        return {"f1": round(s.f1, 4), "precision": round(s.precision, 4),
                "recall": round(s.recall, 4), "predicted": s.predicted}  # fmt: skip

    out["pairs"] = scores(ev.score_pairs(pairs, truth, ids))
    out["clusters"] = scores(ev.score_clusters(pairs, truth, ids))
    likely = [p for p in pairs if p[2].score >= LIKELY_THRESHOLD]
    out["likely"] = scores(ev.score_pairs(likely, truth, ids))
    out["threshold"] = REVIEW_THRESHOLD
    if which == "dev":
        for parity, name in ((0, "even"), (1, "odd")):
            part = ev.split(records, truth, parity)
            pp = find_pairs(part)
            out[name] = scores(ev.score_pairs(pp, truth, [r.id for r in part]))
    return out


def show(res: dict) -> None:
    print(f"\n== {res['set']}: {res['records']:,} records of {res['people']:,} people, "
          f"{res['true_pairs']:,} true pairs")  # fmt: skip
    p = res["pairs"]
    print(
        f"  find_pairs        F1 {p['f1']:.4f}  precision {p['precision']:.4f}  "
        f"recall {p['recall']:.4f}  ({p['predicted']:,} pairs at score >= {res['threshold']})"
    )
    c = res["clusters"]
    print(
        f"  as clusters       F1 {c['f1']:.4f}  precision {c['precision']:.4f}  "
        f"recall {c['recall']:.4f}  (connected components of the pairs)"
    )
    k = res["likely"]
    print(
        f"  likely (>= 0.8)   F1 {k['f1']:.4f}  precision {k['precision']:.4f}  "
        f"recall {k['recall']:.4f}"
    )
    for name in ("even", "odd"):
        if name in res:
            s = res[name]
            print(
                f"  {name:4} entities     F1 {s['f1']:.4f}  precision {s['precision']:.4f}  "
                f"recall {s['recall']:.4f}"
            )
    e = res["exact"]
    print(
        f"  baseline exact name+DOB  F1 {e['f1']:.4f}  precision {e['precision']:.4f}  "
        f"recall {e['recall']:.4f}  ({res['exact_s']:.2f} s)"
    )
    print(
        f"  time   find_pairs {res['find_pairs_s']:.1f} s = {res['time_vs_normalise']:.1f} x "
        f"normalising the records ({res['normalise_s']:.1f} s); CPU time "
        f"{res['find_pairs_cpu_s']:.1f} s and {res['normalise_cpu_s']:.1f} s"
    )
    if res.get("workers", 1) > 1:
        print(
            f"         in {res['workers']} processes: the child's CPU time "
            f"{res['child_cpu_s']:.1f} s, its peak {res['child_peak_mb']:.0f} MB "
            f"(shared pages included)"
        )
    peak = f"{res['peak_mb']:.0f} MB" if res["peak_mb"] is not None else "n/a"
    print(
        f"  memory peak {peak} above the loaded records "
        f"(process peak {res['process_peak_mb']:.0f} MB)"
    )


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--dev", default=str(DEFAULT_DEV), help="labelled CSV (development set)")
    p.add_argument("--people", type=int, default=200_000, help="people in the generated set")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", metavar="PATH")
    p.add_argument("--only", choices=("dev", "large"))
    p.add_argument("--child", choices=("dev", "large"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args)))
        return 0
    sets = [args.only] if args.only else ["dev", "large"]
    if "dev" in sets and not os.path.exists(args.dev):
        print(f"development set not found: {args.dev} (skipped)", file=sys.stderr)
        sets.remove("dev")
    results = []
    for which in sets:
        cmd = [sys.executable, __file__, "--child", which, "--dev", args.dev,
               "--people", str(args.people), "--seed", str(args.seed)]  # fmt: skip
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        res["wall_s"] = round(time.perf_counter() - t, 1)
        show(res)
        results.append(res)
    if len(results) == 2:
        a, b = results
        print(
            f"\n  large / dev: records x{b['records'] / a['records']:.1f}, "
            f"find_pairs time x{b['find_pairs_s'] / a['find_pairs_s']:.1f}, "
            f"normalise time x{b['normalise_s'] / a['normalise_s']:.1f}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
