"""Export benchmark: the real case-list export task at N/10 and N cases, with time, rows/s and peak
memory, against a baseline measured in the same run (PostgreSQL's own COPY of the same rows).

    .venv/bin/python bench/exports.py [--rows 1000000] [--db postgres://...awda_bench_exports]
                                      [--json out.json] [--keep]

Creates its own PostgreSQL database (its name must contain "bench"; dropped at the end unless
--keep), migrates it, generates cases with bench/datagen.py (the COPY-based generator of
bench/run.py), and for each scale runs every export in a fresh subprocess, so that the process's
peak resident memory (VmHWM, reset once Django is loaded) is that export's: the export task itself
(reports.exports.services.export_request, run in-process as without a broker), as CSV, XLSX and
password-protected CSV (AES ZIP); a protected XLSX where the rows are under its cap. The baseline
is `COPY (<the export's SELECT>) TO STDOUT` of the same rows, written to a file. Prints each
export's time as a multiple of the baseline, and the large/small ratios of time and memory: the
time should follow the rows (ratio ~ N / (N/10) = 10), the memory should not (ratio ~ 1).
See bench/README.md.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/awda_bench_exports"
EXPORT_USER = "export.bench"
PASSWORD = "bench-export-password"
MODES = ("copy", "csv", "xlsx", "csv_protected", "xlsx_protected")
LABELS = {
    "copy": "baseline: COPY (same SELECT) TO STDOUT",
    "csv": "export CSV",
    "xlsx": "export XLSX",
    "csv_protected": "export CSV, password (AES ZIP)",
    "xlsx_protected": "export XLSX, password (encrypted)",
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="cases at the large scale")
    p.add_argument("--small-divisor", type=int, default=10, help="small scale = rows / this")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--db", default=os.environ.get("BENCH_EXPORTS_DATABASE_URL", DEFAULT_DB))
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    p.add_argument("--keep", action="store_true", help="keep the bench database at the end")
    p.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE a chunk query at each scale"
    )
    p.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def log(msg: str) -> None:
    print(msg, flush=True)


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"{key} not in /proc/self/status")


def rss_mb() -> float:
    return _status_mb("VmRSS")


def reset_peak() -> None:
    """Reset the process's peak RSS (VmHWM) to its current RSS (Linux 4.0+). ru_maxrss cannot
    be used: Linux keeps the parent's peak across fork and exec."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_mb() -> float:
    return _status_mb("VmHWM")


# ---- child: one measurement in a fresh process ----------------------------------------------


def child(mode: str, db: str) -> None:
    from bench.run import setup_django

    setup_django(db)
    import gc

    from django.db import connection

    from awda.accounts.models import User
    from awda.cases.selectors import case_list_for
    from awda.reports.exports import caselist, services, writers  # noqa: F401 - loaded before
    from awda.reports.models import ExportJob

    user = User.objects.get(username=EXPORT_USER)
    connection.ensure_connection()
    gc.collect()
    before = rss_mb()
    reset_peak()
    started = time.perf_counter()
    if mode == "copy":
        rows_qs = caselist.rows_queryset(case_list_for(user))
        sql, params = rows_qs.query.sql_with_params()
        out = writers.root() / "baseline.csv"
        rows = -1  # the header line
        with connection.cursor() as cursor, open(out, "wb") as fh:
            statement = cursor.cursor.mogrify(sql, params)
            with cursor.cursor.copy(
                f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, HEADER)"
            ) as cp:
                for data in cp:
                    fh.write(data)
                    rows += bytes(data).count(b"\n")
        size = out.stat().st_size
        out.unlink()
        result = {"rows": rows, "size": size, "task_seconds": None}
    else:
        fmt, _, protected = mode.partition("_")
        job = services.export_request(
            user,
            kind="case_list",
            format=fmt,
            password=PASSWORD if protected else None,
        )
        job = ExportJob.objects.get(pk=job.pk)
        if job.status != "done":
            raise SystemExit(f"export {mode} ended {job.status}: {job.error}")
        task = (job.finished_at - job.started_at).total_seconds()
        result = {"rows": job.progress, "size": job.file_size, "task_seconds": task}
        writers.path_of(job.file_name).unlink()
    seconds = time.perf_counter() - started
    result.update(
        {
            "mode": mode,
            "seconds": seconds,
            "rss_before_mb": before,
            "peak_rss_mb": peak_mb(),
        }
    )
    print("RESULT " + json.dumps(result), flush=True)


def measure(mode: str, db: str, media: str) -> dict:
    env = {**os.environ, "MEDIA_ROOT": media, "CELERY_BROKER_URL": "", "PYTHONHASHSEED": "0"}
    proc = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, __file__, "--child", mode, "--db", db],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"{mode} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return json.loads(lines[-1][len("RESULT ") :])


# ---- parent -----------------------------------------------------------------------------------


def setup_export_user(ref):
    """A caseworker of the three host offices: sees (and exports) every generated case."""
    from awda.accounts.choices import Role
    from awda.factories import member_of

    user = None
    for office in ref.offices.values():
        user = member_of(office, Role.CASEWORKER, EXPORT_USER)
    return user


def explain_chunk(user) -> str:
    """EXPLAIN ANALYZE of a chunk query from the middle of the export (with its seek condition)."""
    from django.db import connection

    from awda.cases.selectors import case_list_for
    from awda.reports.exports import caselist

    rows = caselist.rows_queryset(case_list_for(user))
    total = rows.count()
    middle = list(rows[total // 2 : total // 2 + 1])[0]
    page = caselist.page_queryset(rows, middle[0], caselist.CHUNK_ROWS)
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(r[0] for r in cursor.fetchall())


def table(title: str, results: dict) -> str:
    base = results["copy"]["seconds"]
    lines = [
        title,
        f"  {'measurement':<40} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'x COPY':>7} "
        f"{'MB file':>8} {'peak RSS MB':>11} {'growth MB':>9}",
    ]
    for mode, r in results.items():
        if r.get("skipped"):
            lines.append(f"  {LABELS[mode]:<40} {r['skipped']}")
            continue
        growth = r["peak_rss_mb"] - r["rss_before_mb"]
        lines.append(
            f"  {LABELS[mode]:<40} {r['rows']:>10,} {r['seconds']:8.2f} "
            f"{r['rows'] / r['seconds']:9,.0f} {r['seconds'] / base:7.2f} "
            f"{r['size'] / 1e6:8.1f} {r['peak_rss_mb']:11.1f} {growth:9.1f}"
        )
    return "\n".join(lines)


def scaling(small: dict, large: dict) -> tuple[str, list]:
    lines = [
        "Large / small (rows ratio = expected time ratio; memory should stay ~1)",
        f"  {'measurement':<40} {'rows':>7} {'time':>7} {'peak RSS':>9} {'growth':>9}",
    ]
    rows = []
    for mode, s in small.items():
        g = large.get(mode)
        if not g or g.get("skipped") or s.get("skipped"):
            continue
        growth_s = max(s["peak_rss_mb"] - s["rss_before_mb"], 0.1)
        growth_g = max(g["peak_rss_mb"] - g["rss_before_mb"], 0.1)
        row = {
            "mode": mode,
            "rows": g["rows"] / s["rows"],
            "time": g["seconds"] / s["seconds"],
            "peak_rss": g["peak_rss_mb"] / s["peak_rss_mb"],
            "growth": growth_g / growth_s,
        }
        rows.append(row)
        lines.append(
            f"  {LABELS[mode]:<40} {row['rows']:7.2f} {row['time']:7.2f} "
            f"{row['peak_rss']:9.2f} {row['growth']:9.2f}"
        )
    return "\n".join(lines), rows


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.child:
        child(args.child, args.db)
        return 0
    from bench.run import drop_database, recreate_database, setup_django

    started = time.monotonic()
    media = tempfile.mkdtemp(prefix="awda-bench-exports-")
    os.environ["MEDIA_ROOT"] = media
    os.environ["CELERY_BROKER_URL"] = ""
    name = recreate_database(args.db)
    log(f"Database {name} created; export files in {media}.")
    setup_django(args.db)

    from django.conf import settings
    from django.core.management import call_command

    from bench import datagen

    report = {"database": name, "phases": {}}
    try:
        call_command("migrate", verbosity=0, interactive=False)
        ref = datagen.setup_reference()
        user = setup_export_user(ref)
        gen = datagen.Generator(ref, seed=args.seed)
        phases = {}
        limit = settings.AWDA_EXPORT_PROTECTED_XLSX_MAX_ROWS
        small_n = max(args.rows // args.small_divisor, 100)
        for phase, target in (("small", small_n), ("large", args.rows)):
            have = datagen.table_counts()["cases"]
            log(f"\n== {phase} scale: generating {target - have:,} cases (to {target:,}) ==")
            counts = gen.generate(target - have, log=log)
            vac = datagen.vacuum_analyze()
            log(f"Generated in {counts.seconds:.0f} s; VACUUM ANALYZE {vac:.0f} s.")
            from awda.cases.selectors import case_list_for

            visible = case_list_for(user).count()
            results = {}
            for mode in MODES:
                if mode == "xlsx_protected" and visible > limit:
                    results[mode] = {
                        "skipped": f"refused: {visible:,} rows > the cap of {limit:,} "
                        "(AWDA_EXPORT_PROTECTED_XLSX_MAX_ROWS)"
                    }
                    continue
                log(f"  {LABELS[mode]} ...")
                results[mode] = measure(mode, args.db, media)
                r = results[mode]
                log(
                    f"    {r['rows']:,} rows in {r['seconds']:.1f} s, peak RSS "
                    f"{r['peak_rss_mb']:.0f} MB (before: {r['rss_before_mb']:.0f} MB)"
                )
            phases[phase] = results
            report["phases"][phase] = {"cases": visible, "results": results}
            log("")
            log(table(f"Results at the {phase} scale ({visible:,} cases exported)", results))
            if args.explain:
                plan = explain_chunk(user)
                report["phases"][phase]["explain_chunk"] = plan
                log("\nA chunk query from the middle of the export:\n" + plan)
        log("")
        log(table("Small scale", phases["small"]))
        log("")
        log(table("Large scale", phases["large"]))
        log("")
        text, rows = scaling(phases["small"], phases["large"])
        log(text)
        report["scaling"] = rows
        report["total_seconds"] = round(time.monotonic() - started, 1)
        log(f"\nTotal run time {report['total_seconds']:.0f} s.")
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2, default=str))
            log(f"JSON written to {args.json}")
        return 0
    finally:
        shutil.rmtree(media, ignore_errors=True)
        if args.keep:
            log(f"Database {name} kept (--keep).")
        else:
            drop_database(args.db)
            log(f"Database {name} dropped.")


if __name__ == "__main__":
    sys.exit(main())
