"""Awda benchmark: the caseworker's pages at a small and a large scale, in one run.

    .venv/bin/python bench/run.py [--persons 200000] [--db postgres://...awda_bench] [--json out.json]

Creates its own PostgreSQL database (its name must contain "bench"; it is dropped at the end
unless --keep), migrates it, generates the small scale (1/20 of the cases), measures, grows the
same database to the large scale, measures again, and prints every page as a ratio to a baseline
measured in the same phase (a primary-key fetch through the ORM), plus large/small. See
bench/README.md.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/awda_bench"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--persons",
        type=int,
        default=200_000,
        help="cases at the large scale, each with its principal applicant; families add about\n"
        "a quarter more persons (default 200000; the domain target is 1000000)",
    )
    p.add_argument("--small-divisor", type=int, default=20, help="small scale = persons / this")
    p.add_argument("--rounds", type=int, default=30, help="timed runs of each scenario")
    p.add_argument(
        "--budget",
        type=float,
        default=20.0,
        help="seconds per scenario and scale after which it stops at 5 runs (default 20)",
    )
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    p.add_argument(
        "--pg-options",
        default="",
        help='PostgreSQL settings for the app\'s connection, e.g. "-c jit=off" (default: the\n'
        "server's own)",
    )
    p.add_argument("--keep", action="store_true", help="keep the bench database at the end")
    p.add_argument(
        "--skip-missing",
        action="store_true",
        help="leave out (and list) pages that answer 404, e.g. while they are being built",
    )
    p.add_argument(
        "--explain-ms",
        type=float,
        default=10.0,
        help="EXPLAIN ANALYZE the slowest SELECT of a page at the large scale when it takes\n"
        "longer than this (default 10 ms)",
    )
    return p.parse_args(argv)


# ---- the bench database -------------------------------------------------------------------------


def _maintenance_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or "bench" not in name:
        sys.exit(
            f"Refusing to use database {name!r}: the benchmark creates and drops its database, "
            "so its name must contain 'bench'."
        )
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_database(url: str) -> str:
    import psycopg
    from psycopg import sql

    maintenance, name = _maintenance_url(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    maintenance, name = _maintenance_url(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuv")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ---- output -----------------------------------------------------------------------------------


def log(msg: str) -> None:
    print(msg, flush=True)


def phase_table(title: str, results: dict) -> str:
    base = results["baseline_pk"].median
    lines = [
        title,
        f"  {'measurement':<52} {'median ms':>9} {'p95 ms':>8} {'runs':>4} {'x baseline':>10} "
        f"{'queries':>7}",
    ]
    for r in results.values():
        lines.append(
            f"  {r.label:<52} {r.median:9.2f} {r.p95:8.2f} {len(r.times_ms):4d} "
            f"{r.median / base:10.1f} {r.queries:7d}"
        )
    return "\n".join(lines)


def scaling_table(small: dict, large: dict) -> tuple[str, list[dict], bool]:
    """large/small per page: raw medians, and normalised by each phase's baseline (which cancels a
    change in the machine's speed between the two phases)."""
    lines = [
        "Scaling, large / small (1.0 = does not grow with the number of rows)",
        f"  {'measurement':<52} {'raw':>6} {'normalised':>10} {'queries small/large':>20}",
    ]
    rows = []
    same = True
    for key, s in small.items():
        if key not in large:  # --skip-missing: a page that appeared between the phases
            continue
        g = large[key]
        raw = g.median / s.median
        norm = (g.median / large["baseline_pk"].median) / (s.median / small["baseline_pk"].median)
        flag = "" if s.queries == g.queries else "  <-- query count differs"
        same = same and s.queries == g.queries
        lines.append(
            f"  {s.label:<52} {raw:6.2f} {norm:10.2f} {s.queries:>9d} / {g.queries:<9d}{flag}"
        )
        rows.append(
            {
                "key": key,
                "ratio_raw": round(raw, 3),
                "ratio_normalised": round(norm, 3),
                "queries_small": s.queries,
                "queries_large": g.queries,
            }
        )
    return "\n".join(lines), rows, same


def result_json(results: dict) -> dict:
    base = results["baseline_pk"].median
    return {
        r.key: {
            "label": r.label,
            "median_ms": round(r.median, 3),
            "p95_ms": round(r.p95, 3),
            "runs": len(r.times_ms),
            "x_baseline": round(r.median / base, 2),
            "queries": r.queries,
            "slowest_select_ms": round(r.slowest_sql_ms, 3),
        }
        for r in results.values()
    }


# ---- main ---------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    large_n = args.persons
    small_n = max(large_n // args.small_divisor, 100)
    started = time.monotonic()
    name = recreate_database(args.db)
    log(f"Database {name} created.")
    if args.pg_options:
        os.environ["BENCH_PG_OPTIONS"] = args.pg_options
    setup_django(args.db)

    from django.core.management import call_command
    from django.db import connection

    from bench import datagen, measure

    try:
        t0 = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        log(f"Migrated in {time.monotonic() - t0:.1f} s.")
        ref = datagen.setup_reference()
        gen = datagen.Generator(ref, seed=args.seed)
        phases = {}
        report = {
            "database": name,
            "postgresql": connection.cursor().connection.info.server_version,
            "rounds": args.rounds,
            "pg_options": args.pg_options,
            "phases": {},
        }
        for phase, target in (("small", small_n), ("large", large_n)):
            have = datagen.table_counts()["cases"]
            log(f"\n== {phase} scale: generating {target - have:,} cases (to {target:,}) ==")
            counts = gen.generate(target - have, log=log)
            vac = datagen.vacuum_analyze()
            rows = datagen.table_counts()
            log(
                f"Generated {counts.cases:,} cases, {counts.persons:,} persons, "
                f"{counts.members:,} case members, {counts.documents:,} identity documents, "
                f"{counts.by_table.get('movements.Departure', 0):,} departures, "
                f"{counts.by_table.get('movements.Booking', 0):,} bookings in "
                f"{counts.seconds:.1f} s ({counts.cases / counts.seconds:,.0f} cases/s); "
                f"VACUUM ANALYZE {vac:.1f} s."
            )
            log("Totals: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
            datagen.verify_search_text()
            datagen.verify_survey_scores()
            checked = datagen.verify_charges()
            log(
                "Finance: "
                + ", ".join(f"{k} {v:,}" for k, v in datagen.finance_facts().items())
                + f" ({checked} sampled charges equal to charge_post's, budget totals checked)"
            )
            facts = datagen.movement_facts(ref)
            log("Movements: " + ", ".join(f"{k} {v:,}" for k, v in facts.items()))
            reint = datagen.reintegration_facts(ref)
            log(
                "Reintegration: "
                + ", ".join(
                    f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in reint.items()
                )
            )
            scenarios = measure.scenarios_for(
                ref, document_number=datagen.TARGET_DOCUMENT, phone="0661 90 90 91"
            )
            log(f"Measuring {len(scenarios)} scenarios x {args.rounds} rounds ...")
            results = measure.measure(
                scenarios,
                rounds=args.rounds,
                budget_s=args.budget,
                log=log,
                skip_missing=args.skip_missing,
            )
            phases[phase] = results
            report["phases"][phase] = {
                "rows": rows,
                "movements": facts,
                "reintegration": reint,
                "generation_seconds": round(counts.seconds, 1),
                "vacuum_analyze_seconds": round(vac, 1),
                "results": result_json(results),
            }
            log("")
            log(phase_table(f"Results at the {phase} scale ({rows['cases']:,} cases)", results))

        explains = {}
        for r in phases["large"].values():
            if r.slowest_sql and r.slowest_sql_ms >= args.explain_ms and not r.is_baseline:
                explains[r.key] = {
                    "slowest_select_ms": round(r.slowest_sql_ms, 2),
                    "sql": r.slowest_sql,
                    "plan": measure.explain(r.slowest_sql),
                }
        report["explain"] = explains

        log("")
        log(phase_table("Small scale", phases["small"]))
        log("")
        log(phase_table("Large scale", phases["large"]))
        log("")
        text, rows, same_queries = scaling_table(phases["small"], phases["large"])
        log(text)
        report["scaling"] = rows
        report["query_counts_equal"] = same_queries
        if explains:
            log(f"\nSlowest SELECT of pages above {args.explain_ms} ms at the large scale:")
            for key, e in explains.items():
                log(f"\n-- {key}: {e['slowest_select_ms']} ms\n{e['sql']}\n{e['plan']}")
        log(
            f"\nQuery counts equal at both scales: {'yes' if same_queries else 'NO'}. "
            f"Total run time {time.monotonic() - started:.0f} s. Timings on a shared machine are "
            "noisy: compare ratios, not milliseconds."
        )
        report["total_seconds"] = round(time.monotonic() - started, 1)
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2, default=str))
            log(f"JSON written to {args.json}")
        return 0 if same_queries else 1
    finally:
        if args.keep:
            log(f"Database {name} kept (--keep).")
        else:
            drop_database(args.db)
            log(f"Database {name} dropped.")


if __name__ == "__main__":
    sys.exit(main())
