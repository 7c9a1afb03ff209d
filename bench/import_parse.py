"""Import parsing speed: read_csv + suggest_mapping + validate on N generated rows, in rows/s.

    .venv/bin/python bench/import_parse.py [--rows 1000000] [--xlsx-rows 5000] [--cpu] [--profile]

The CSV is generated in memory like a Kobo CSV export in French (";" separated, group prefixes,
cp1252-safe accents, dates in three formats, 12 columns mapped, 1 in 500 rows invalid). Reading
and validation run in this process, no database. Prints the time and rows/s of each step and end
to end, and a calibration figure (a 10-million-iteration Python loop) because the machines here are
shared: compare rows/s between runs only together with it. --xlsx-rows also times a Kobo XLSX
export (awda.imports.tests.kobo_factory) read with openpyxl.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

HEADER = [
    "start",
    "group_person/prenom",
    "group_person/nom",
    "group_person/sexe",
    "group_person/date_naissance",
    "group_person/nationalite",
    "group_person/telephone",
    "group_person/ville",
    "group_document/type_document",
    "group_document/numero_document",
    "group_document/date_expiration",
    "pays_retour",
    "_id",
    "_uuid",
    "_submission_time",
]


def generate_csv(rows: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    given = ["Aminata", "Ousmane", "Mariama", "Sékou", "Aïssatou", "Mamadou", "Hawa", "Moussa"]
    family = ["Diallo", "Barry", "Camara", "Traoré", "Konaté", "Sow", "Bah", "N'Diaye"]
    sexes = ["F", "Femme", "M", "Homme", "female", "male", "H"]
    countries = ["Guinée", "GN", "GIN", "Guinea", "Côte d'Ivoire", "CIV", "Sénégal", "Mali"]
    doc_types = ["Passeport", "CNI", "passport", ""]
    cities = ["Rabat", "Casablanca", "Oujda", "Tanger", ""]
    base = datetime.date(1960, 1, 1)
    dobs = [base + datetime.timedelta(days=d) for d in range(0, 16000, 3)]
    lines = [";".join(HEADER)]
    append = lines.append
    for i in range(rows):
        dob = rng.choice(dobs)
        form = i % 3
        dob_text = (
            dob.isoformat()
            if form == 0
            else dob.strftime("%d/%m/%Y")
            if form == 1
            else str((dob - datetime.date(1899, 12, 30)).days)
        )
        doc = rng.choice(doc_types)
        number = f"P{rng.randrange(10**6, 10**7)}" if doc else ""
        expiry = f"{rng.randrange(1, 28):02d}/{rng.randrange(1, 13):02d}/20{rng.randrange(26, 35)}"
        sex = rng.choice(sexes)
        if i % 500 == 499:
            sex = "?"  # one invalid row in 500
        append(
            ";".join(
                [
                    "2025-03-01T09:12:00.000+00:00",
                    rng.choice(given),
                    rng.choice(family),
                    sex,
                    dob_text,
                    rng.choice(countries),
                    f"+224 6{rng.randrange(10**7, 10**8)}",
                    rng.choice(cities),
                    doc,
                    number,
                    expiry if doc else "",
                    "",
                    str(i + 1),
                    f"{rng.getrandbits(128):032x}",
                    "2025-03-01T09:20:00",
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def calibrate() -> float:
    t = time.perf_counter()
    s = 0
    for i in range(10_000_000):
        s += i
    return time.perf_counter() - t


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--xlsx-rows", type=int, default=0)
    p.add_argument("--profile", action="store_true", help="cProfile the validation")
    p.add_argument(
        "--cpu",
        action="store_true",
        help="measure this process's CPU time instead of wall time (steadier on a shared machine)",
    )
    args = p.parse_args(argv)

    import django

    django.setup()
    from awda.imports.mapping import mapping_problems, suggest_mapping
    from awda.imports.sources import read_csv
    from awda.imports.validate import validate

    today = datetime.date(2025, 6, 1)
    print(f"calibration: 10M-iteration loop {calibrate():.2f} s")
    print("clock:", "CPU time of this process" if args.cpu else "wall time")
    t = time.perf_counter()
    data = generate_csv(args.rows)
    print(
        f"generated {args.rows:,} rows, {len(data) / 1e6:.0f} MB in {time.perf_counter() - t:.1f} s"
    )

    clock = time.process_time if args.cpu else time.perf_counter
    t0 = clock()
    table = read_csv(io.BytesIO(data), name="bench.csv")
    t1 = clock()
    mapping = suggest_mapping(table)
    problems = mapping_problems(table, mapping)
    t2 = clock()
    assert not problems, problems
    assert len(mapping.columns) >= 12, mapping.columns
    valid = invalid = 0
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    for item in validate(table, mapping, today=today):
        if item.__class__ is list:
            invalid += 1
        else:
            valid += 1
    t3 = clock()
    if args.profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    n = len(table.rows)
    print(f"read_csv         {t1 - t0:6.2f} s  {n / (t1 - t0):>10,.0f} rows/s")
    print(f"suggest_mapping  {t2 - t1:6.2f} s")
    print(f"validate         {t3 - t2:6.2f} s  {n / (t3 - t2):>10,.0f} rows/s")
    print(f"end to end       {t3 - t0:6.2f} s  {n / (t3 - t0):>10,.0f} rows/s")
    print(f"valid {valid:,}  invalid {invalid:,}")
    assert invalid == args.rows // 500, invalid

    if args.xlsx_rows:
        from awda.imports.sources import read_xlsx
        from awda.imports.tests.kobo_factory import make_kobo_export

        data = make_kobo_export(args.xlsx_rows)
        t0 = time.perf_counter()
        table = read_xlsx(io.BytesIO(data))
        t1 = time.perf_counter()
        mapping = suggest_mapping(table)
        items = sum(1 for _ in validate(table, mapping, today=today))
        t2 = time.perf_counter()
        print(
            f"kobo xlsx {items:,} rows: read_xlsx {t1 - t0:.2f} s ({items / (t1 - t0):,.0f} rows/s), "
            f"validate {t2 - t1:.2f} s ({items / (t2 - t1):,.0f} rows/s)"
        )


if __name__ == "__main__":
    main()
