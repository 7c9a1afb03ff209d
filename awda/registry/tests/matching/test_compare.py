"""compare(), blocking_keys() and find_pairs() of the duplicate-detection engine."""

import datetime
import time

from awda.registry.matching import (
    LIKELY_THRESHOLD,
    REASON_CODES,
    REVIEW_THRESHOLD,
    Record,
    blocking_keys,
    compare,
    find_pairs,
)

D = datetime.date


def rec(id_, given, family, **kw):
    kw.setdefault("sex", "male")
    kw.setdefault("nationality", "GN")
    return Record(id=id_, given_name=given, family_name=family, **kw)


def codes(match):
    return {r.code for r in match.reasons}


def test_same_person_variants_match_with_reasons():
    a = rec(1, "Ousmane", "DIALLO", date_of_birth=D(1990, 5, 3), phone="0612345678")
    b = rec(2, "Usman", "Jalloh", date_of_birth=D(1990, 5, 3), phone="+212 6 12 34 56 78")
    m = compare(a, b)
    assert m.likely and m.score >= LIKELY_THRESHOLD
    assert {"name_variant", "same_phone", "same_date_of_birth"} <= codes(m)
    variant = {tuple(sorted(r.params.values())) for r in m.reasons if r.code == "name_variant"}
    assert ("Jalloh", "Diallo") in {tuple(sorted(v, reverse=True)) for v in variant}
    assert all(r.code in REASON_CODES for r in m.reasons)
    assert all(set(r.params) == set(REASON_CODES[r.code]) for r in m.reasons)


def test_swapped_names():
    a = rec(1, "Moussa", "Traoré", date_of_birth=D(1974, 3, 2))
    b = rec(2, "TRAORE", "MOUSSA", date_of_birth=D(1974, 3, 2))
    m = compare(a, b)
    assert "names_swapped" in codes(m) and m.score >= REVIEW_THRESHOLD
    c = rec(3, "Traoré Moussa", "", date_of_birth=D(1974, 3, 2))  # all in one field
    assert compare(a, c).score >= REVIEW_THRESHOLD


def test_shortened_compound_name():
    a = rec(1, "Mamadou Aliou", "Sow", date_of_birth=D(1984, 7, 21), phone="0635142566")
    b = rec(2, "Mamadou", "Sow", date_of_birth=D(1984, 7, 21), phone="0635142566")
    m = compare(a, b)
    assert "name_shortened" in codes(m) and m.likely
    # Two compound names differing in their second word: different people (brothers).
    c = rec(3, "Mamadou Saliou", "Sow", date_of_birth=D(1986, 2, 1), phone="0635142566")
    assert compare(a, c).score < REVIEW_THRESHOLD


def test_typo_and_close_birth_date():
    a = rec(1, "Souleymane", "Touré", date_of_birth=D(1987, 6, 20), documents=("B123456",))
    b = rec(2, "SOULEYMANE", "TPURÉ", date_of_birth=D(1987, 6, 2), documents=("b 123456",))
    m = compare(a, b)
    assert {"name_typo", "date_of_birth_close", "same_document"} <= codes(m)
    assert m.likely


def test_birth_year_differs_reason():
    a = rec(1, "Chinedu", "Okeke", date_of_birth=D(1990, 3, 17), nationality="NG")
    b = rec(2, "Chinedu", "Okeke", date_of_birth=D(1991, 3, 17), nationality="NG")
    m = compare(a, b)
    r = next(r for r in m.reasons if r.code == "birth_year_differs")
    assert r.params == {"years": 1}
    far = compare(a, rec(3, "Chinedu", "Okeke", date_of_birth=D(1970, 1, 9), nationality="NG"))
    assert far.score < REVIEW_THRESHOLD


def test_twins_and_siblings_not_matched():
    phone = "0612345678"
    dob = D(2001, 4, 5)
    twin_a = rec(1, "Hassan", "Bah", date_of_birth=dob, phone=phone)
    twin_b = rec(2, "Housseini", "Bah", date_of_birth=dob, phone=phone)
    assert compare(twin_a, twin_b).score < REVIEW_THRESHOLD
    sister = rec(3, "Aminata", "Bah", sex="female", date_of_birth=D(1998, 1, 9), phone=phone)
    assert compare(twin_a, sister).score < REVIEW_THRESHOLD


def test_common_name_alone_is_not_a_match():
    a = rec(1, "Mamadou", "Diallo", birth_year=1990, dob_estimated=True)
    b = rec(2, "Mamadou", "Diallo", date_of_birth=D(1990, 8, 12))
    m = compare(a, b)
    assert m.score < REVIEW_THRESHOLD
    assert "common_name" in codes(m)
    # A rare name with the same evidence is.
    c = rec(3, "Chinedu", "Okonkwo", birth_year=1990, dob_estimated=True, nationality="NG")
    d = rec(4, "Chinedu", "Okonkwo", date_of_birth=D(1990, 8, 12), nationality="NG")
    assert compare(c, d).score >= REVIEW_THRESHOLD


def test_documents_and_phones():
    a = rec(1, "Mamadou", "Diallo", documents=("RY 6942787",))
    b = rec(2, "Mamadu", "Jallow", documents=("ry6942787",))
    m = compare(a, b)
    assert "same_document" in codes(m) and m.likely
    c = rec(3, "Mamadou", "Diallo", phone="+224 626 88 74 68", date_of_birth=D(1986, 6, 28))
    d = rec(4, "Mamadou", "Diallo", phone="00224626887468", date_of_birth=D(1986, 6, 28))
    assert "same_phone" in codes(compare(c, d))


def test_sex_nationality_household():
    a = rec(1, "Chinedu", "Okeke", date_of_birth=D(1990, 3, 17), nationality="NG")
    b = rec(2, "Chinedu", "Okeke", date_of_birth=D(1990, 3, 17), nationality="CM", sex="female")
    m = compare(a, b)
    assert {"different_sex", "different_nationality"} <= codes(m)
    h1 = rec(5, "Chinedu", "Okeke", date_of_birth=D(1990, 3, 17), households=frozenset({9}))
    h2 = rec(6, "Chinedu", "Okeke", date_of_birth=D(1990, 3, 17), households=frozenset({9}))
    m = compare(h1, h2)
    assert m.score == 0.0 and "same_household" in codes(m)


def test_other_names():
    a = rec(1, "Abdalla", "Osman", other_names="Khalid", birth_year=1982, nationality="SD")
    b = rec(2, "Abdalla", "Osman", other_names="Salih", birth_year=1982, nationality="SD")
    assert compare(a, b).score < REVIEW_THRESHOLD


def test_blocking_keys_issue_example():
    a = Record(id=1, given_name="Usman", family_name="Jalloh")  # no date of birth
    b = Record(id=2, given_name="Ousmane", family_name="DIALLO", phone="0612345678")
    ka, kb = blocking_keys(a), blocking_keys(b)
    assert ka & kb
    c = Record(id=3, given_name="Usman", family_name="Jalloh", phone="+212612345678")
    assert "p:612345678" in blocking_keys(c) & kb
    swapped = Record(id=4, given_name="Diallo", family_name="Ousmane")
    assert blocking_keys(swapped) & kb
    assert blocking_keys(Record(id=5, documents=("LP-2026-777111",))) == {"d:LP2026777111"}
    full = rec(6, "Mamadou Aliou", "Bah", date_of_birth=D(1990, 1, 2), phone="0612345678",
               documents=("A1234567", "LP12345"), other_names="Elhadj")  # fmt: skip
    keys = blocking_keys(full)
    assert 1 <= len(keys) <= 14 and all(len(k) <= 40 for k in keys)


def test_blocking_keys_survive_a_typo_with_the_birth_date():
    a = rec(1, "Souleymane", "Touré", date_of_birth=D(1987, 6, 20))
    b = rec(2, "Souleymane", "Tpuré", date_of_birth=D(1987, 6, 20))
    assert blocking_keys(a) & blocking_keys(b)


def test_compare_is_fast():
    a = rec(1, "Mamadou Aliou", "Diallo", date_of_birth=D(1990, 1, 2), phone="0612345678")
    others = [
        rec(i, g, f, date_of_birth=D(1980 + i % 20, 1 + i % 12, 1 + i % 28), phone=f"06{i:08d}")
        for i, (g, f) in enumerate(
            [("Mamadou", "Diallo"), ("Ibrahima", "Jalloh"), ("Alpha", "Bah"), ("Oumar", "Barry")]
            * 75
        )
    ]
    compare(a, others[0])
    t = time.perf_counter()
    for o in others:
        compare(a, o)
    assert (time.perf_counter() - t) / len(others) < 0.002  # well under 2 ms each


def test_find_pairs_small_set():
    recs = [
        rec("a", "Ousmane", "Diallo", date_of_birth=D(1990, 5, 3), phone="0612345678"),
        rec("b", "Usman", "Jalloh", date_of_birth=D(1990, 5, 3)),
        rec("c", "Ibrahima", "Diallo", date_of_birth=D(1993, 2, 1), phone="0612345678"),
        rec("d", "Aminata", "Camara", sex="female", date_of_birth=D(1995, 9, 9)),
        rec("e", "Aminatou", "Kamara", sex="female", date_of_birth=D(1995, 9, 9)),
    ]
    pairs = find_pairs(recs)
    assert [(a, b) for a, b, _ in pairs] == [("a", "b"), ("d", "e")]
    assert all(m.score >= REVIEW_THRESHOLD for _, _, m in pairs)
    assert find_pairs([]) == []
