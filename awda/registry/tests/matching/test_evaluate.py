"""Evaluation on a small generated labelled sample (the development set itself is measured by
bench/dedup.py: it lives outside the repository)."""

import csv
import time

from awda.registry.matching import evaluate as ev
from awda.registry.matching import find_pairs
from bench.dedup_gen import generate


def test_f1_on_a_generated_sample():
    records, truth = generate(people=1500, seed=11)
    t = time.perf_counter()
    pairs, scores = ev.evaluate(records, truth)
    assert time.perf_counter() - t < 5
    assert scores.true_pairs > 300
    assert scores.f1 >= 0.85, str(scores)
    assert scores.precision >= 0.8 and scores.recall >= 0.8
    assert all(a < b for a, b, _ in pairs)
    assert len({(a, b) for a, b, _ in pairs}) == len(pairs)


def test_scores_and_clusters():
    truth = {1: "A", 2: "A", 3: "A", 4: "B", 5: "C"}
    s = ev.score_pairs([(1, 2), (4, 5)], truth)
    assert (s.true_pairs, s.predicted, s.correct) == (3, 2, 1)
    assert s.precision == 0.5 and abs(s.recall - 1 / 3) < 1e-9
    c = ev.score_clusters([(1, 2), (2, 3)], truth)  # 1-3 implied
    assert (c.predicted, c.correct) == (3, 3) and c.f1 == 1.0
    assert sorted(map(sorted, ev.clusters([(1, 2), (2, 3), (4, 5)]))) == [[1, 2, 3], [4, 5]]


def test_load_csv_and_split(tmp_path):
    path = tmp_path / "sample.csv"
    fields = ["record_id", "entity_id", "given_name", "family_name", "other_names", "sex",
              "date_of_birth", "birth_year_estimated", "nationality", "phone",
              "document_number", "registration_date", "office"]  # fmt: skip
    rows = [
        ["R1", "E000002", "Ousmane", "DIALLO", "", "M", "1990-05-03", "", "GIN", "0612345678",
         "", "2024-01-01", "RABAT"],
        ["R2", "E000002", "Usman", "Jalloh", "", "M", "", "1990", "GIN", "+212612345678",
         "B123", "2024-02-01", "FES"],
        ["R3", "E000003", "Aminata", "Camara", "", "F", "1995-09-09", "", "SEN", "", "", "", ""],
    ]  # fmt: skip
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(fields)
        w.writerows(rows)
    records, truth = ev.load_csv(path)
    r1, r2, r3 = records
    assert r1.nationality == "GN" and r3.nationality == "SN"
    assert r1.sex == "male" and r3.sex == "female"
    assert r2.date_of_birth is None and r2.birth_year == 1990 and r2.dob_estimated
    assert truth == {"R1": "E000002", "R2": "E000002", "R3": "E000003"}
    assert [r.id for r in ev.split(records, truth, 0)] == ["R1", "R2"]
    assert [(a, b) for a, b, _ in find_pairs(records)] == [("R1", "R2")]
