"""Import benchmark: N person rows in a CSV file imported through the real import path, against
a plain PostgreSQL COPY of the same rows and Django's bulk_create, measured in the same run.

    .venv/bin/python bench/import.py [--rows 1000000] [--small-divisor 10]
                                     [--db postgres://...awda_bench_import] [--json out.json]

Creates its own PostgreSQL database (its name must contain "bench"; dropped at the end unless
--keep), migrates it, creates a mission, an office and a caseworker with the factories, then at
N/10 and N rows: generates a CSV of person rows (deterministic: names with accents, sexes
written "F"/"Homme"/..., dates as DD/MM/YYYY, nationalities as codes or names, phones, an
identity document for ~70 %), and measures, each in a fresh subprocess (so that its peak
resident memory is its own):

  copy         baseline: COPY of the file into a plain table with the same columns (typed:
               dates as date), PostgreSQL parsing the CSV and the dates itself
  copy_persons the same rows COPYed straight into the real persons table (registry_person, with
               its b-tree and trigram indexes), by the import's own COPY writer, no validation:
               what the table's indexes cost PostgreSQL, before any Python work
  bulk_create  reference: Django's Person.objects.bulk_create of the same rows (documents not
               included), batches of 5,000, in one transaction
  import       the real path, as a caseworker does it: import_upload (store + SHA-256 + read +
               suggested mapping), import_preview (every row validated, keys looked up),
               import_request in "valid rows only" mode, run in-process (no broker) by the task:
               read -> validate -> one transaction of COPYs (persons, documents, cases, members,
               imported-row keys, an audit event per case, duplicate-check keys)
  commit       the task alone (from the job's started_at to finished_at): read -> validate ->
               write, the part a caseworker waits for after clicking "import"

It prints rows/s of each, the ratio to COPY, and the peak RSS. The second scale's file holds
other people (another range of phones and documents), so nothing is skipped as already imported.
"""

import argparse
import csv
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/awda_bench_import"
USER = "import.bench"
MODES = ("copy", "copy_persons", "bulk_create", "import")
HEADER = [
    "prenom",
    "nom",
    "sexe",
    "date_naissance",
    "nationalite",
    "telephone",
    "type_document",
    "numero_document",
    "date_expiration",
]
COPY_TABLE = "bench_import_copy"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="rows at the large scale")
    p.add_argument("--small-divisor", type=int, default=10, help="small scale = rows / this")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--db", default=os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_DB))
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    p.add_argument("--keep", action="store_true", help="keep the bench database at the end")
    p.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    p.add_argument("--file", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def log(msg: str) -> None:
    print(msg, flush=True)


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(key)


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


# ---- the file -----------------------------------------------------------------------------------

GIVEN_F = [
    "Aminata",
    "Mariama",
    "Fatoumata",
    "Kadiatou",
    "Aïssatou",
    "Hawa",
    "Djénéba",
    "Awa",
    "Binta",
    "Oumou",
    "Ramatoulaye",
    "Nènè",
]
GIVEN_M = [
    "Ousmane",
    "Mamadou",
    "Ibrahima",
    "Sékou",
    "Alpha",
    "Moussa",
    "Lansana",
    "Boubacar",
    "Thierno",
    "Abdoulaye",
    "Mohamed",
    "Souleymane",
]
FAMILY = [
    "Diallo",
    "Barry",
    "Bah",
    "Camara",
    "Sow",
    "Traoré",
    "Konaté",
    "Kouyaté",
    "N'Diaye",
    "Keïta",
    "Condé",
    "Touré",
    "Sylla",
    "Cissé",
    "Koné",
    "Coulibaly",
]
FEMALE = ["F", "Femme", "female", "féminin"]
MALE = ["M", "Homme", "male", "H"]
NATIONALITIES = [
    "GN",
    "Guinée",
    "CI",
    "Côte d'Ivoire",
    "SN",
    "Sénégal",
    "ML",
    "Mali",
    "CM",
    "NG",
    "Nigeria",
    "GIN",
    "CIV",
]
DOC_TYPES = ["Passeport", "passport", "CNI", "carte consulaire"]


def write_file(path: Path, rows: int, *, seed: int, offset: int) -> int:
    rng = random.Random(seed)
    start = datetime.date(1960, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(offset, offset + rows):
            female = rng.random() < 0.45
            dob = start + datetime.timedelta(days=rng.randrange(0, 16000))
            has_doc = rng.random() < 0.7
            w.writerow(
                [
                    rng.choice(GIVEN_F if female else GIVEN_M),
                    rng.choice(FAMILY),
                    rng.choice(FEMALE if female else MALE),
                    dob.strftime("%d/%m/%Y"),
                    rng.choice(NATIONALITIES),
                    f"+212 6{i // 10_000_000 % 10}{i % 10_000_000:07d}",
                    rng.choice(DOC_TYPES) if has_doc else "",
                    f"B{i:09d}" if has_doc else "",
                    (dob + datetime.timedelta(days=12000)).strftime("%d/%m/%Y") if has_doc else "",
                ]
            )
    return path.stat().st_size


# ---- child: one measurement in a fresh process ----------------------------------------------


def child(mode: str, db: str, file: str) -> None:
    from bench.run import setup_django

    setup_django(db)
    import gc

    from django.conf import settings
    from django.db import connection, transaction

    from awda.accounts.models import Office, User
    from awda.imports import services  # noqa: F401 - loaded before the measurement
    from awda.imports.models import ImportJob
    from awda.registry.models import Person

    settings.AWDA_IMPORT_MAX_UPLOAD_MB = 10_000
    user = User.objects.get(username=USER)
    office = Office.objects.get(code="RBA")
    path = Path(file)
    connection.ensure_connection()
    gc.collect()
    reset_peak()
    before = _status_mb("VmRSS")
    result = {"mode": mode}
    started = time.perf_counter()
    if mode == "copy":
        with connection.cursor() as cursor:
            cursor.execute("SET datestyle = 'ISO, DMY'")
            with (
                transaction.atomic(),
                cursor.cursor.copy(f"COPY {COPY_TABLE} FROM STDIN WITH (FORMAT csv, HEADER)") as cp,
                open(path, "rb") as fh,
            ):
                while data := fh.read(1 << 20):
                    cp.write(data)
            cursor.execute(f"SELECT count(*) FROM {COPY_TABLE}")
            result["rows"] = cursor.fetchone()[0]
            result["seconds"] = time.perf_counter() - started
            cursor.execute(f"TRUNCATE {COPY_TABLE}")
    elif mode == "copy_persons":
        from django.utils import timezone

        from awda.imports.services import bulk

        now = timezone.now()
        table = bulk.Table(
            Person,
            [
                "id",
                "given_name",
                "family_name",
                "sex",
                "date_of_birth",
                "birth_year",
                "nationality",
                "phone",
                "phone_digits",
                "search_text",
            ],
            constants={"registered_by_office_id": office.pk, "created_by_id": user.pk},
            now=now,
        )
        count = 0
        with transaction.atomic():
            with open(path, newline="", encoding="utf-8") as fh:
                reader = csv.reader(fh)
                next(reader)
                batch = []
                for r in reader:
                    day, month, year = r[3].split("/")
                    digits_ = "".join(c for c in r[5] if c.isdigit())
                    batch.append(
                        [
                            0,
                            r[0],
                            r[1],
                            "female" if r[2] in FEMALE else "male",
                            datetime.date(int(year), int(month), int(day)),
                            int(year),
                            r[4][:2].upper(),
                            r[5],
                            digits_,
                            f"{r[0]} {r[1]} {digits_}".lower(),
                        ]
                    )
                    if len(batch) >= 20_000:
                        for row, pk in zip(
                            batch, bulk.reserve_ids(Person, len(batch)), strict=True
                        ):
                            row[0] = pk
                        bulk.write(table, batch)
                        count += len(batch)
                        batch = []
                for row, pk in zip(batch, bulk.reserve_ids(Person, len(batch)), strict=True):
                    row[0] = pk
                bulk.write(table, batch)
                count += len(batch)
            result["seconds"] = time.perf_counter() - started
            transaction.set_rollback(True)
        result["rows"] = count
    elif mode == "bulk_create":
        from awda.core.text import digits

        count = 0
        with transaction.atomic():
            with open(path, newline="", encoding="utf-8") as fh:
                reader = csv.reader(fh)
                next(reader)
                batch = []
                for r in reader:
                    day, month, year = r[3].split("/")
                    batch.append(
                        Person(
                            given_name=r[0],
                            family_name=r[1],
                            sex="female" if r[2] in FEMALE else "male",
                            date_of_birth=datetime.date(int(year), int(month), int(day)),
                            birth_year=int(year),
                            nationality=r[4][:2].upper(),
                            phone=r[5],
                            phone_digits=digits(r[5]),
                            registered_by_office=office,
                            created_by=user,
                        )
                    )
                    if len(batch) >= 5000:
                        Person.objects.bulk_create(batch)
                        count += len(batch)
                        batch = []
                Person.objects.bulk_create(batch)
                count += len(batch)
            result["seconds"] = time.perf_counter() - started
            transaction.set_rollback(True)  # the import that follows starts from the same data
        result["rows"] = count
    else:
        from django.core.files import File

        from awda.imports.services import commit

        # Duplicate detection of the new persons is its own background job (requested after the
        # import commits; eager here, without a broker): it is not part of the import measured.
        committed = {}
        commit._detect_duplicates_later = lambda *a, **k: committed.setdefault(
            "at", time.perf_counter()
        )
        with open(path, "rb") as fh:
            job = services.import_upload(user, office=office, file=File(fh, name=path.name))
        t_upload = time.perf_counter() - started
        job = services.import_preview(user, job=job)
        t_preview = time.perf_counter() - started - t_upload
        t_job = time.perf_counter()
        with transaction.atomic():  # the task runs on commit, in-process (no broker)
            services.import_request(user, job=job, mode="valid_only")
        end = committed.get("at", time.perf_counter())
        result["seconds"] = end - started
        job = ImportJob.objects.get(pk=job.pk)
        if job.status != "done":
            raise SystemExit(f"import ended {job.status}: {job.error}")
        result.update(
            {
                "rows": job.total,
                "created": job.created,
                "rejected": job.rejected,
                "skipped": job.skipped_existing,
                "persons": job.persons_created,
                "upload_seconds": t_upload,
                "preview_seconds": t_preview,
                # the task: read -> validate -> write -> COMMIT (deferred FK checks included)
                "commit_seconds": end - t_job,
            }
        )
    result["rss_before_mb"] = before
    result["peak_rss_mb"] = _status_mb("VmHWM")
    print("RESULT " + json.dumps(result), flush=True)


def measure(mode: str, db: str, file: Path, media: str) -> dict:
    env = {**os.environ, "MEDIA_ROOT": media, "CELERY_BROKER_URL": "", "PYTHONHASHSEED": "0"}
    proc = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, __file__, "--child", mode, "--db", db, "--file", str(file)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"{mode} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return json.loads(lines[-1][len("RESULT ") :])


def setup_reference() -> None:
    from django.db import connection

    from awda.accounts.choices import MissionKind, Role
    from awda.factories import MissionFactory, OfficeFactory, member_of

    morocco = MissionFactory(code="MA", name="Morocco", country_alpha3="MAR", kind=MissionKind.HOST)
    rabat = OfficeFactory(mission=morocco, code="RBA", name="Rabat", city="Rabat")
    member_of(rabat, Role.CASEWORKER, USER)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {COPY_TABLE} (given_name varchar(120), family_name varchar(120), "
            "sex varchar(10), date_of_birth date, nationality varchar(60), phone varchar(40), "
            "doc_type varchar(40), doc_number varchar(60), expiry_date date)"
        )


def table(title: str, results: dict) -> str:
    copy = results["copy"]
    base = copy["rows"] / copy["seconds"]
    lines = [
        title,
        f"{'':32} {'rows':>10} {'seconds':>9} {'rows/s':>10} {'x COPY':>7} {'peak RSS':>9}",
    ]
    rows = [
        ("COPY (baseline)", copy["rows"], copy["seconds"], copy),
        (
            "COPY into registry_person",
            results["copy_persons"]["rows"],
            results["copy_persons"]["seconds"],
            results["copy_persons"],
        ),
        (
            "Django bulk_create (persons)",
            results["bulk_create"]["rows"],
            results["bulk_create"]["seconds"],
            results["bulk_create"],
        ),
    ]
    imp = results["import"]
    rows.append(("import: the job (read+val+write)", imp["rows"], imp["commit_seconds"], imp))
    rows.append(("import: upload+preview+job", imp["rows"], imp["seconds"], imp))
    for label, n, secs, r in rows:
        rate = n / secs
        lines.append(
            f"{label:32} {n:>10,} {secs:>9.1f} {rate:>10,.0f} {base / rate:>6.1f}x "
            f"{r['peak_rss_mb']:>7.0f} MB"
        )
    lines.append(
        f"  import detail: upload {imp['upload_seconds']:.1f} s, preview "
        f"{imp['preview_seconds']:.1f} s, job {imp['commit_seconds']:.1f} s; "
        f"{imp['created']:,} cases, {imp['persons']:,} persons, {imp['rejected']:,} rejected"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.child:
        child(args.child, args.db, args.file)
        return 0
    from bench.run import drop_database, recreate_database, setup_django

    if "bench" not in args.db.rsplit("/", 1)[-1]:
        raise SystemExit("The bench database's name must contain 'bench'.")
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="awda-bench-import-")
    media = os.path.join(work, "media")
    os.environ["MEDIA_ROOT"] = media
    os.environ["CELERY_BROKER_URL"] = ""
    name = recreate_database(args.db)
    log(f"Database {name} created; files in {work}.")
    setup_django(args.db)
    from django.core.management import call_command

    report = {"database": name, "phases": {}}
    try:
        call_command("migrate", verbosity=0, interactive=False)
        setup_reference()
        small = max(args.rows // args.small_divisor, 1000)
        offset = 0
        for phase, n in (("small", small), ("large", args.rows)):
            path = Path(work) / f"persons-{n}.csv"
            t = time.perf_counter()
            size = write_file(path, n, seed=args.seed + offset, offset=offset)
            offset += n
            log(
                f"\n== {phase}: {n:,} rows, {size / 1e6:.0f} MB CSV "
                f"(generated in {time.perf_counter() - t:.0f} s) =="
            )
            results = {}
            for mode in MODES:
                log(f"  {mode} ...")
                results[mode] = r = measure(mode, args.db, path, media)
                log(
                    f"    {r['rows']:,} rows in {r['seconds']:.1f} s, peak RSS "
                    f"{r['peak_rss_mb']:.0f} MB"
                )
            path.unlink()
            report["phases"][phase] = results
            log("")
            log(table(f"{phase} scale ({n:,} rows)", results))
        report["total_seconds"] = round(time.monotonic() - started, 1)
        log(f"\nTotal run time {report['total_seconds']:.0f} s.")
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2, default=str))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.keep:
            log(f"Database {name} kept (--keep).")
        else:
            drop_database(args.db)
            log(f"Database {name} dropped.")


if __name__ == "__main__":
    sys.exit(main())
