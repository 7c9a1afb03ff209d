"""Candidate generation (blocking keys for typos with a birth year off by one, swapped names,
both names mistyped), typos against other spellings of a known name, document numbers one typing
mistake apart, the cheap bound of the batch and its two-process scoring."""

import datetime
import random

import pytest

from awda.registry.matching import (
    REVIEW_THRESHOLD,
    Record,
    batch,
    blocking_keys,
    compare,
    find_pairs,
)
from awda.registry.matching.blocking import year_buckets
from awda.registry.matching.names import SAME, TYPO, similarity, word
from awda.registry.matching.score import others_bits, prepare, weigh_others

D = datetime.date


def rec(id_, given, family, **kw):
    kw.setdefault("sex", "male")
    kw.setdefault("nationality", "SD")
    return Record(id=id_, given_name=given, family_name=family, **kw)


def test_year_buckets_meet_one_year_apart_only():
    for year in range(1950, 2030):
        assert set(year_buckets(year)) & set(year_buckets(year + 1))
        assert not set(year_buckets(year)) & set(year_buckets(year + 3))
        assert 1 <= len(year_buckets(year)) <= 2


def test_typo_and_birth_year_off_by_one_share_a_key():
    a = rec(1, "Moussa", "Konate", date_of_birth=D(1990, 4, 20))
    b = rec(2, "Moussa", "Konatr", date_of_birth=D(1991, 4, 20))
    assert blocking_keys(a) & blocking_keys(b) == {"y:moussa:k:995"}
    # Only a year on one side.
    c = rec(3, "Thierno", "Camara", birth_year=1995, dob_estimated=True)
    d = rec(4, "Thierno", "Cakara", birth_year=1996, dob_estimated=True)
    assert {k for k in blocking_keys(c) & blocking_keys(d) if k.startswith("y:")}


def test_swapped_names_with_a_typo_share_a_key():
    a = rec(1, "Alie", "Sesau", date_of_birth=D(1982, 1, 9), nationality="SL")
    b = rec(2, "SESAY", "ALIE", date_of_birth=D(1982, 1, 9), nationality="SL")
    assert {k for k in blocking_keys(a) & blocking_keys(b) if k.startswith("b:")}


def test_both_names_mistyped_share_the_initials_and_date_key():
    a = rec(1, "Alpha", "Diallo", date_of_birth=D(1990, 9, 26))
    b = rec(2, "Alppha", "Dialol", date_of_birth=D(1990, 9, 26))
    assert {k for k in blocking_keys(a) & blocking_keys(b) if k.startswith("i:")}
    # The initial is the first consonant: the vowels of a transliteration do not matter.
    c = rec(3, "Ousmane", "Sowe", date_of_birth=D(1991, 3, 4))
    d = rec(4, "Usmann", "Sow", date_of_birth=D(1991, 3, 4))
    assert {k for k in blocking_keys(c) & blocking_keys(d) if k.startswith("i:")}


def test_blocking_keys_are_few_and_short():
    full = rec(1, "Mamadou Aliou", "Bah", date_of_birth=D(1991, 1, 2), phone="0612345678",
               documents=("A1234567", "LP12345"), other_names="Elhadj")  # fmt: skip
    keys = blocking_keys(full)
    assert len(keys) <= 16 and all(len(k) <= 40 for k in keys)
    assert blocking_keys(full) == keys  # stable


def test_typo_of_another_spelling_of_a_known_name():
    # Abdullsh is one key from Abdullah, a spelling of Abdoulaye; Momoou one letter from Momodou.
    assert similarity(word("abdullsh"), word("abdoulaye"))[0] == TYPO
    assert similarity(word("momoou"), word("mamadou"))[0] == TYPO
    assert similarity(word("mahamag"), word("mohamed"))[0] == TYPO
    # Two names of the table stay different, and an unrelated name is no typo.
    assert similarity(word("toure"), word("traore"))[1] == 0
    assert similarity(word("keita"), word("mamadou"))[1] == 0
    assert similarity(word("diallo"), word("diallo"))[0] == SAME


def test_document_number_with_one_typing_mistake():
    base = dict(birth_year=1984, dob_estimated=True, nationality="GN")
    a = rec(1, "Boubacar", "Camara", documents=("RX6017360",), **base)
    b = rec(2, "Boubacar", "Camara", documents=("RX6071360",), **base)
    far = rec(3, "Boubacar", "Camara", documents=("RX6099999",), **base)
    near, other = compare(a, b), compare(a, far)
    typo = [
        r for r in near.reasons if r.code == "document_typo" and r.params.get("a") == "RX6017360"
    ]
    assert typo and typo[0].params["b"] == "RX6071360" and typo[0].weight > 0
    assert "different_document" in {r.code for r in other.reasons}
    assert near.score > REVIEW_THRESHOLD > other.score


def test_others_bits_is_weigh_others_without_reasons():
    rng = random.Random(3)
    names = [("Mamadou", "Diallo"), ("Usman", "Jalloh"), ("Aminata", "Kamara")]
    recs = []
    for i in range(150):
        g, f = rng.choice(names)
        dob = D(1985 + rng.randrange(4), 1 + rng.randrange(3), 1 + rng.randrange(3))
        recs.append(
            rec(i, g, f,
                date_of_birth=dob if rng.random() < 0.7 else None,
                birth_year=dob.year if rng.random() < 0.9 else None,
                sex=rng.choice(["male", "female", ""]),
                nationality=rng.choice(["GN", "SN", ""]),
                phone=rng.choice(["", "0612345678", "0612345679"]),
                documents=rng.choice([(), ("AB123456",), ("AB123465",), ("ZZ999999",)]))
        )  # fmt: skip
    prepared = [prepare(r) for r in recs]
    for _ in range(2000):
        a, b = rng.sample(prepared, 2)
        exact = others_bits(a, b)
        assert exact == pytest.approx(weigh_others(a, b, []))
        assert others_bits(a, b, True) >= exact


def _people(n, seed=5):
    rng = random.Random(seed)
    given = ["Mamadou", "Ousmane", "Aminata", "Fatoumata", "Ibrahima", "Moussa", "Awa", "Alpha"]
    family = ["Diallo", "Camara", "Bah", "Sow", "Keita", "Traore", "Kone", "Barry", "Sylla"]
    recs = []
    for i in range(n):
        g, f = rng.choice(given), rng.choice(family)
        dob = D(1970 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
        recs.append(rec(i, g, f, date_of_birth=dob, phone=f"06{rng.randrange(10**8):08d}"))
        if rng.random() < 0.3:  # a second registration with a typo and another phone
            recs.append(rec(n + i, g, f[:-1] + "x", date_of_birth=dob))
    return recs


def test_find_pairs_in_two_processes_is_the_same(monkeypatch):
    recs = _people(400)
    monkeypatch.setenv("AWDA_MATCH_WORKERS", "1")
    one = find_pairs(recs)
    monkeypatch.setenv("AWDA_MATCH_WORKERS", "2")
    monkeypatch.setattr(batch, "PARALLEL_MIN", 100)
    monkeypatch.setattr(batch.threading, "active_count", lambda: 1)
    assert batch._workers(len(recs)) == 2
    two = find_pairs(recs)
    assert one and [(a, b, m.score, m.reasons) for a, b, m in one] == [
        (a, b, m.score, m.reasons) for a, b, m in two
    ]


def test_workers_default(monkeypatch):
    monkeypatch.delenv("AWDA_MATCH_WORKERS", raising=False)
    assert batch._workers(10**6) == 1  # one process unless asked
    monkeypatch.setenv("AWDA_MATCH_WORKERS", "2")
    assert batch._workers(100) == 1  # small batches: not worth a fork
    monkeypatch.setattr(batch.threading, "active_count", lambda: 3)
    assert batch._workers(10**6) == 1  # never fork a threaded process


def test_candidate_pairs_are_unique_and_ordered():
    prepared = [prepare(r) for r in _people(300)]
    pairs = list(batch.candidate_pairs(prepared))
    assert len(pairs) == len(set(pairs)) and all(i < j for i, j in pairs)


def test_names_bound_is_an_upper_bound():
    from awda.registry.matching.names import Frequencies
    from awda.registry.matching.score import _names, names_bound, simple_names

    rng = random.Random(11)
    given = ["Mamadou", "Mamadoi", "Mohamed", "Ousmane", "Usman", "Aminata", "Awa", "Jean"]
    family = ["Diallo", "Jallow", "Dialol", "Camara", "Kamara", "Sow", "Bah", "Ousmane"]
    recs = [prepare(rec(i, rng.choice(given), rng.choice(family))) for i in range(200)]
    freq = Frequencies.from_names(p.names for p in recs)
    assert all(simple_names(p) for p in recs)
    for _ in range(3000):
        a, b = rng.sample(recs, 2)
        assert names_bound(a, b, freq) >= _names(a, b, freq, []) - 1e-9
    assert not simple_names(prepare(rec(1, "Mamadou Aliou", "Diallo")))
    assert not simple_names(prepare(rec(1, "Awa", "Sow", other_names="Fatou")))
