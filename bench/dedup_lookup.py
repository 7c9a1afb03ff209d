"""Duplicate check while registering: the lookup (cases.duplicate_check.likely_duplicates) at
N/10 and N persons, with p50/p95/p99, the queries per lookup, and ratios against baselines
measured in the same run.

    .venv/bin/python bench/dedup_lookup.py [--persons 1000000] [--queries 300]
        [--db postgres://...awda_bench_lookup] [--json out.json] [--keep] [--explain]

Creates its own PostgreSQL database (its name must contain "bench"; dropped at the end unless
--keep), migrates it, and writes persons, identity documents and their duplicate-check keys
(registry.PersonMatchKey) with COPY in chunks (bench/datagen.py's writer): names per nationality
from awda.demo.names in the shape of IOM Morocco's caseload (so "Mamadou Diallo" makes blocks of
thousands), ~70 % with a full date of birth (else a year), ~75 % with a Moroccan mobile number,
~35 % with a document; 10 % of the persons are re-registrations of an earlier one with the
variations of real registries (spelling and transliteration variants, typos, swapped names, the
phone number in another format, a year instead of the date). Each person's keys are computed by
awda.registry.match_keys.person_keys, the function the services use; a sample is checked
against the stored persons afterwards.

Then, as caseworker.rabat (who sees the Rabat office's persons, about half), it times ~300
lookups of partial data as typed on the registration form: variants of persons of Rabat, variants
of persons of other offices (which must not be proposed), new people (often with very common
names), document-only and phone-only lookups. Each lookup is the whole selector, the user's scope
included (the scope is recomputed, as on each request). Baselines, same queries, same run:
the check this one replaced (the accent-blind name search `person_list_for(query=names,
nationality=...)` filtered by year of birth, first 6 with their documents and case history) and a
primary-key fetch of one person. See bench/README.md, "Duplicate check while registering".
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/awda_bench_lookup"
CHUNK = 20_000  # persons per COPY transaction
OFFICES = (("RBA", "Rabat", 52), ("CAS", "Casablanca", 28), ("OUJ", "Oujda", 20))
REREGISTERED = 0.10  # share of persons who are an earlier person registered again
RESERVOIR = 60_000  # earlier persons kept to draw re-registrations and queries from
KINDS = (  # lookups: (kind, share)
    ("variant_visible", 0.50),
    ("variant_other_office", 0.10),
    ("new_person", 0.30),
    ("document_only", 0.05),
    ("phone_only", 0.05),
)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--persons", type=int, default=1_000_000, help="persons at the large scale")
    p.add_argument("--small-divisor", type=int, default=10, help="small scale = persons / this")
    p.add_argument("--queries", type=int, default=300, help="lookups timed at each scale")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--db", default=os.environ.get("BENCH_LOOKUP_DATABASE_URL", DEFAULT_DB))
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    p.add_argument("--keep", action="store_true", help="keep the bench database at the end")
    p.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest lookup")
    return p.parse_args(argv)


def log(msg: str) -> None:
    print(msg, flush=True)


# ---- variants as registries have them ---------------------------------------------------------


def _groups() -> dict[str, list[str]]:
    """word -> its spellings, from the engine's table of name variants (bench/README.md says
    why using it here is fair: this bench measures time; recall is a sanity check)."""
    from awda.registry.matching.variants import GROUPS

    lines, out = [], {}
    for raw in GROUPS.strip("\n").splitlines():
        if raw.startswith((" ", "\t")) and lines:
            lines[-1] += " " + raw.strip()
        elif raw.strip():
            lines.append(raw.strip())
    for line in lines:
        words = line.split()
        for w in words:
            out[w] = words
    return out


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


class Variants:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.groups = _groups()

    def word(self, w: str) -> str:
        rng = self.rng
        key = _strip_accents(w).lower()
        if key in self.groups and rng.random() < 0.5:
            w = rng.choice(self.groups[key]).capitalize()
        elif len(w) > 4 and rng.random() < 0.2:  # a typing mistake
            i = rng.randrange(1, len(w) - 1)
            w = rng.choice(
                [w[:i] + w[i + 1 :], w[:i] + w[i] + w[i:], w[:i] + w[i + 1] + w[i] + w[i + 2 :]]
            )
        if rng.random() < 0.3:
            w = _strip_accents(w)
        return w

    def name(self, name: str) -> str:
        return " ".join(self.word(w) for w in name.split())

    def phone(self, phone: str) -> str:
        d = "".join(c for c in phone if c.isdigit())[-9:]
        return self.rng.choice(
            [
                f"0{d}",
                f"+212 {d[:3]} {d[3:5]} {d[5:7]} {d[7:]}",
                f"00212{d}",
                f"0{d[:3]}-{d[3:5]}-{d[5:7]}-{d[7:]}",
                f"212{d}",
            ]
        )

    def of(self, p: dict, new_phone) -> dict:
        """A re-registration of person `p` (the fields as typed)."""
        rng = self.rng
        given, family = self.name(p["given_name"]), self.name(p["family_name"])
        if rng.random() < 0.1:
            given, family = family, given
        if rng.random() < 0.3:
            family = family.upper()
        out = {"given_name": given, "family_name": family, "sex": p["sex"]}
        r = rng.random()
        if p["date_of_birth"] and r < 0.5:
            out["date_of_birth"] = p["date_of_birth"]
        elif p["date_of_birth"] and r < 0.62:
            dob = p["date_of_birth"]
            if dob.day <= 12 and dob.day != dob.month:
                out["date_of_birth"] = dob.replace(month=dob.day, day=dob.month)
            else:
                out["date_of_birth"] = dob.replace(day=min(28, dob.day + 1))
        elif r < 0.9:
            out["birth_year"] = p["birth_year"] + rng.choice((0, 0, 0, -1, 1, 2))
        out["nationality"] = p["nationality"] if rng.random() < 0.95 else "ML"
        r = rng.random()
        if p["phone"] and r < 0.6:
            out["phone"] = self.phone(p["phone"])
        elif r < 0.8:
            out["phone"] = new_phone()
        docs = []
        if p["document"] and rng.random() < 0.4:
            n = p["document"]
            docs = [n if rng.random() < 0.7 else f"{n[:2]} {n[2:]}"]
        return {"data": out, "documents": docs}


# ---- data -----------------------------------------------------------------------------------


class PersonRows:
    """Persons, documents and keys as COPY rows, chunk by chunk, with datagen's writer."""

    def __init__(self, ref, seed: int):
        from awda.demo import names
        from bench.datagen import _next_id

        self.ref = ref
        self.rng = random.Random(seed)
        self.variants = Variants(random.Random(seed + 1))
        self.names = names
        self.nats = names.NATIONALITIES
        self.nat_weights = names.NATIONALITY_WEIGHTS
        self.today = datetime.date(2026, 12, 1)
        self.reservoir: list[dict] = []
        self.seen = 0
        self.doc_serial = 0
        from awda.registry.models import IdentityDocument, Person, PersonMatchKey

        self.next_person = _next_id(Person)
        self.next_doc = _next_id(IdentityDocument)
        self.next_key = _next_id(PersonMatchKey)

    def new_phone(self) -> str:
        rng = self.rng
        return f"+212 6{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"

    def fresh(self) -> dict:
        rng = self.rng
        nat = rng.choices(self.nats, self.nat_weights)[0]
        pool = self.names.POOLS[nat]
        sex = "male" if rng.random() < 0.72 else "female"
        given = rng.choice(pool.male if sex == "male" else pool.female)
        if rng.random() < 0.15:  # compound given names ("Mamadou Aliou")
            given = f"{given} {rng.choice(pool.male if sex == 'male' else pool.female)}"
        year = self.today.year - rng.randint(18, 60)
        dob = None
        if rng.random() < 0.7:
            dob = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        document = ""
        if rng.random() < 0.35:
            self.doc_serial += 1
            document = f"{nat}{(self.doc_serial * 7_654_321) % 10_000_000:07d}"
        return {
            "given_name": given,
            "family_name": rng.choice(pool.family),
            "sex": sex,
            "date_of_birth": dob,
            "birth_year": year,
            "nationality": nat,
            "phone": self.new_phone() if rng.random() < 0.75 else "",
            "document": document,
        }

    def reregistered(self) -> dict:
        p = self.rng.choice(self.reservoir)
        typed = self.variants.of(p, self.new_phone)
        d = typed["data"]
        year = d.get("birth_year") or (d["date_of_birth"].year if d.get("date_of_birth") else None)
        return {
            "given_name": d["given_name"],
            "family_name": d["family_name"],
            "sex": d["sex"],
            "date_of_birth": d.get("date_of_birth"),
            "birth_year": year or p["birth_year"],
            "nationality": d["nationality"],
            "phone": d.get("phone", ""),
            "document": typed["documents"][0].replace(" ", "") if typed["documents"] else "",
        }

    def generate(self, n: int) -> float:
        from awda.core import countries
        from awda.core.text import compact, digits
        from awda.registry.match_keys import person_keys
        from awda.registry.models import IdentityDocument, Person, PersonMatchKey
        from awda.registry.services import _refresh_search_text
        from bench.datagen import _Table, _Writer

        started = time.monotonic()
        persons, documents, keys = _Table(Person), _Table(IdentityDocument), _Table(PersonMatchKey)
        offices = [self.ref["offices"][c] for c, _n, _w in OFFICES]
        weights = [w for _c, _n, w in OFFICES]
        writer = _Writer()
        writer.start()
        created = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        done = 0
        while done < n:
            for _ in range(min(CHUNK, n - done)):
                rng = self.rng
                p = (
                    self.reregistered()
                    if self.reservoir and rng.random() < REREGISTERED
                    else self.fresh()
                )
                pid = self.next_person
                self.next_person += 1
                office = rng.choices(offices, weights)[0]
                values = {
                    "id": pid,
                    "created_at": created,
                    "updated_at": created,
                    "given_name": p["given_name"],
                    "family_name": p["family_name"],
                    "sex": p["sex"],
                    "date_of_birth": p["date_of_birth"],
                    "birth_year": p["birth_year"],
                    "dob_estimated": p["date_of_birth"] is None,
                    "nationality": p["nationality"],
                    "nationality_alpha3": countries.alpha3(p["nationality"]),
                    "phone": p["phone"],
                    "phone_digits": digits(p["phone"]),
                    "registered_by_office_id": office.pk,
                    "created_by_id": self.ref["creator"].pk,
                }
                probe = SimpleNamespace(
                    pk=None, other_names="", name_arabic="", merged_into_id=None, **values
                )
                _refresh_search_text(probe)
                numbers = [p["document"]] if p["document"] else []
                doc_numbers = " ".join(compact(x).lower() for x in numbers)
                values["search_text"] = " ".join(x for x in (probe.search_text, doc_numbers) if x)
                persons.add(values)
                for number in numbers:
                    documents.add(
                        {
                            "id": self.next_doc,
                            "created_at": created,
                            "updated_at": created,
                            "person_id": pid,
                            "doc_type": "passport",
                            "number": number,
                            "number_compact": compact(number),
                            "issuing_country": p["nationality"],
                        }
                    )
                    self.next_doc += 1
                probe.pk = pid
                for key in sorted(person_keys(probe, numbers)):
                    keys.add({"id": self.next_key, "person_id": pid, "key": key})
                    self.next_key += 1
                p = {**p, "id": pid, "office": office.code}
                self.seen += 1
                if len(self.reservoir) < RESERVOIR:
                    self.reservoir.append(p)
                else:
                    j = rng.randrange(self.seen)
                    if j < RESERVOIR:
                        self.reservoir[j] = p
            done += min(CHUNK, n - done)
            writer.put([persons.take(), documents.take(), keys.take()])
            if done % 100_000 == 0 or done == n:
                log(f"    {done:,} / {n:,} persons ({time.monotonic() - started:.0f} s)")
        writer.close()
        from bench.datagen import _reset_sequence

        for model in (Person, IdentityDocument, PersonMatchKey):
            _reset_sequence(model)
        return time.monotonic() - started


def setup_reference() -> dict:
    from awda.accounts.choices import MissionKind, Role
    from awda.factories import MissionFactory, OfficeFactory, member_of

    morocco = MissionFactory(code="MA", name="Morocco", country_alpha3="MAR", kind=MissionKind.HOST)
    offices = {
        code: OfficeFactory(mission=morocco, code=code, name=name, city=name)
        for code, name, _w in OFFICES
    }
    caseworker = member_of(offices["RBA"], Role.CASEWORKER, "caseworker.rabat")
    return {"offices": offices, "caseworker": caseworker, "creator": caseworker}


def vacuum_analyze() -> float:
    from django.db import connection

    from awda.registry.models import IdentityDocument, Person, PersonMatchKey

    started = time.monotonic()
    with connection.cursor() as c:
        for model in (Person, IdentityDocument, PersonMatchKey):
            c.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
    return time.monotonic() - started


def verify_keys(sample: int = 200, seed: int = 1) -> None:
    """The stored keys of sampled persons are what the services would write for them."""
    from awda.registry.match_keys import person_keys
    from awda.registry.models import Person, PersonMatchKey

    rng = random.Random(seed)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = [rng.randint(1, top) for _ in range(sample)]
    for person in Person.objects.filter(pk__in=ids).prefetch_related("documents"):
        stored = set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))
        numbers = [d.number for d in person.documents.all()]
        assert stored == person_keys(person, numbers), (person.pk, stored)


def facts() -> dict:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT (SELECT COUNT(*) FROM registry_person), "
            "(SELECT COUNT(*) FROM registry_identitydocument), "
            "(SELECT COUNT(*) FROM registry_personmatchkey)"
        )
        persons, docs, keys = c.fetchone()
        c.execute(
            "SELECT key, COUNT(*) FROM registry_personmatchkey GROUP BY key "
            "ORDER BY COUNT(*) DESC LIMIT 3"
        )
        largest = c.fetchall()
        c.execute(
            "SELECT percentile_disc(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY n) FROM "
            "(SELECT COUNT(*) n FROM registry_personmatchkey GROUP BY key) s"
        )
        p50, p99 = c.fetchone()[0]
        c.execute("SELECT pg_total_relation_size('registry_personmatchkey')")
        size = c.fetchone()[0]
    return {
        "persons": persons,
        "documents": docs,
        "keys": keys,
        "keys_per_person": round(keys / max(persons, 1), 2),
        "block_p50": p50,
        "block_p99": p99,
        "largest_blocks": largest,
        "keys_table_mb": round(size / 1_048_576),
    }


# ---- the lookups ----------------------------------------------------------------------------


def build_queries(gen: PersonRows, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    variants = Variants(random.Random(seed + 7))
    visible = [p for p in gen.reservoir if p["office"] == "RBA"]
    other = [p for p in gen.reservoir if p["office"] != "RBA"]
    out = []
    for kind, share in KINDS:
        for _ in range(round(n * share)):
            if kind in ("variant_visible", "variant_other_office"):
                p = rng.choice(visible if kind == "variant_visible" else other)
                q = variants.of(p, gen.new_phone)
                q.update(kind=kind, target=p["id"])
            elif kind == "new_person":
                p = gen.fresh()
                data = {k: p[k] for k in ("given_name", "family_name", "sex", "nationality")}
                if p["date_of_birth"] and rng.random() < 0.6:
                    data["date_of_birth"] = p["date_of_birth"]
                elif rng.random() < 0.7:
                    data["birth_year"] = p["birth_year"]
                if p["phone"]:
                    data["phone"] = p["phone"]
                q = {
                    "data": data,
                    "documents": [p["document"]] if p["document"] else [],
                    "kind": kind,
                }
                q["target"] = None
            elif kind == "document_only":
                p = rng.choice([x for x in visible[:5000] if x["document"]])
                q = {"data": {}, "documents": [p["document"]], "kind": kind, "target": p["id"]}
            else:  # a phone alone: weak evidence (shared in families), rarely proposed
                p = rng.choice([x for x in visible[:5000] if x["phone"]])
                q = {"data": {"phone": variants.phone(p["phone"])}, "documents": []}
                q.update(kind=kind, target=p["id"])
            out.append(q)
    rng.shuffle(out)
    return out


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values)) - 1))]


def summary(times: list[float]) -> dict:
    return {
        "runs": len(times),
        "p50": round(_pct(times, 50), 2),
        "p95": round(_pct(times, 95), 2),
        "p99": round(_pct(times, 99), 2),
        "max": round(max(times), 2),
        "mean": round(statistics.fmean(times), 2),
    }


def run_lookups(user, queries: list[dict]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awda.cases import selectors
    from awda.cases.duplicate_check import likely_duplicates
    from awda.core.text import fold
    from awda.registry.models import Person

    def fresh_user():
        user.__dict__.pop("_awda_scope", None)  # the scope is computed on each request
        return user

    def check(q):
        return likely_duplicates(fresh_user(), q["data"], documents=q["documents"])

    def old_check(q):
        # the check this one replaced: names accent-blind, nationality, year within 2
        d = q["data"]
        given, family = fold(d.get("given_name")), fold(d.get("family_name"))
        if len(given) < 2 or len(family) < 2:
            return []
        qs = selectors.person_list_for(
            fresh_user(), query=f"{given} {family}", nationality=d.get("nationality") or None
        )
        year = d.get("birth_year") or (d["date_of_birth"].year if d.get("date_of_birth") else None)
        if year:
            qs = qs.filter(birth_year__range=(year - 2, year + 2))
        return list(selectors.with_case_history(fresh_user(), qs)[:6])

    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    rng = random.Random(5)

    def pk_fetch(_q):
        return Person.objects.get(pk=rng.randint(1, top))

    from awda.registry import matching

    compared = [0]
    compare = matching.compare

    def counting_compare(a, b):
        compared[0] += 1
        return compare(a, b)

    for q in queries[:20]:  # warm up (caches, connections)
        check(q)
        old_check(q)
    out = {}
    matching.compare = counting_compare
    for name, fn in (("check", check), ("name_search", old_check), ("pk_fetch", pk_fetch)):
        times, counts, per_kind, found, compares = [], [], {}, {}, []
        for q in queries:
            compared[0] = 0
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                result = fn(q)
                ms = (time.perf_counter() - t) * 1000
            times.append(ms)
            counts.append(len(ctx.captured_queries))
            per_kind.setdefault(q["kind"], []).append(ms)
            if name == "check":
                compares.append(compared[0])
                ids = [c.person.pk for c in result]
                found.setdefault(q["kind"], []).append(
                    (q["target"] in ids) if q["target"] else bool(ids)
                )
        out[name] = {
            **summary(times),
            "queries_min": min(counts),
            "queries_max": max(counts),
            "by_kind": {k: summary(v) for k, v in per_kind.items()},
        }
        if name == "check":
            out[name]["compared_p50"] = _pct(compares, 50)
            out[name]["compared_p95"] = _pct(compares, 95)
            out[name]["compared_max"] = max(compares)
            out[name]["found"] = {k: round(sum(v) / len(v), 3) for k, v in found.items()}
    matching.compare = compare
    return out


def explain_slowest(user, queries) -> str:
    from django.db import connection

    from awda.cases import selectors
    from awda.registry.duplicate_check import capped_candidates_sql, record_from_data
    from awda.registry.match_keys import record_keys

    best, worst = 0, queries[0]
    for q in queries:
        t = time.perf_counter()
        from awda.cases.duplicate_check import likely_duplicates

        likely_duplicates(user, q["data"], documents=q["documents"])
        ms = time.perf_counter() - t
        if ms > best:
            best, worst = ms, q
    record = record_from_data(worst["data"], documents=worst["documents"])
    qs = (
        selectors.person_queryset_for(user)
        .order_by()
        .filter(pk__in=capped_candidates_sql(record_keys(record)), merged_into__isnull=True)
        .values_list("id", "given_name")
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as c:
        c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(r[0] for r in c.fetchall())
    return f"slowest lookup ({best * 1000:.1f} ms): {worst['data']} {worst['documents']}\n{plan}"


def table(title: str, results: dict) -> str:
    base = results["name_search"]
    lines = [
        title,
        f"  {'measurement':<44} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} "
        f"{'queries':>8} {'p50 x':>6}",
    ]
    labels = {
        "check": "duplicate check (likely_duplicates)",
        "name_search": "baseline: previous check (name search)",
        "pk_fetch": "baseline: person by primary key",
    }
    for key, r in results.items():
        q = f"{r['queries_min']}-{r['queries_max']}"
        lines.append(
            f"  {labels[key]:<44} {r['p50']:7.2f} {r['p95']:7.2f} {r['p99']:7.2f} {r['max']:7.2f} "
            f"{q:>8} {r['p50'] / base['p50']:6.2f}"
        )
    check = results["check"]
    lines.append(
        f"  candidates compared per lookup: p50 {check['compared_p50']}, p95 "
        f"{check['compared_p95']}, max {check['compared_max']}"
    )
    lines.append("  duplicate check by kind of lookup (p50 / p95 ms, share finding the person):")
    for kind, s in check["by_kind"].items():
        lines.append(
            f"    {kind:<28} {s['p50']:7.2f} / {s['p95']:7.2f}   runs {s['runs']:3d}   "
            f"found {check['found'][kind]:.0%}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.run import drop_database, recreate_database, setup_django

    started = time.monotonic()
    name = recreate_database(args.db)
    log(f"Database {name} created.")
    setup_django(args.db)
    from django.core.management import call_command

    report = {"database": name, "phases": {}}
    try:
        call_command("migrate", verbosity=0, interactive=False)
        ref = setup_reference()
        user = ref["caseworker"]
        gen = PersonRows(ref, args.seed)
        small_n = max(args.persons // args.small_divisor, 1000)
        have, phases = 0, {}
        for phase, target in (("small", small_n), ("large", args.persons)):
            log(f"\n== {phase} scale: generating {target - have:,} persons (to {target:,}) ==")
            seconds = gen.generate(target - have)
            have = target
            vac = vacuum_analyze()
            verify_keys()
            f = facts()
            log(f"Generated in {seconds:.0f} s; VACUUM ANALYZE {vac:.0f} s; keys verified.")
            log(
                f"  {f['persons']:,} persons, {f['documents']:,} documents, {f['keys']:,} keys "
                f"({f['keys_per_person']} per person, table + indexes {f['keys_table_mb']} MB); "
                f"block size p50 {f['block_p50']}, p99 {f['block_p99']}, largest "
                + ", ".join(f"{k} {n:,}" for k, n in f["largest_blocks"])
            )
            queries = build_queries(gen, args.queries, args.seed + (phase == "large"))
            results = run_lookups(user, queries)
            phases[phase] = results
            report["phases"][phase] = {"facts": f, "results": results}
            log("")
            log(table(f"Results at the {phase} scale ({f['persons']:,} persons)", results))
            if args.explain and phase == "large":
                plan = explain_slowest(user, queries)
                report["phases"][phase]["explain"] = plan
                log("\n" + plan)
        s, g = phases["small"]["check"], phases["large"]["check"]
        bs, bg = phases["small"]["pk_fetch"], phases["large"]["pk_fetch"]
        log(
            f"\nScaling large/small of the duplicate check: p50 {g['p50'] / s['p50']:.2f}, "
            f"p95 {g['p95'] / s['p95']:.2f} (normalised by the pk fetch: "
            f"{(g['p50'] / bg['p50']) / (s['p50'] / bs['p50']):.2f}); queries "
            f"{s['queries_min']}-{s['queries_max']} / {g['queries_min']}-{g['queries_max']}."
        )
        report["total_seconds"] = round(time.monotonic() - started, 1)
        log(f"Total run time {report['total_seconds']:.0f} s.")
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2, default=str))
            log(f"JSON written to {args.json}")
        return 0
    finally:
        if args.keep:
            log(f"Database {name} kept (--keep).")
        else:
            drop_database(args.db)
            log(f"Database {name} dropped.")


if __name__ == "__main__":
    sys.exit(main())
