"""Normalisation and name variants of the duplicate-detection engine (no database)."""

import pytest

from awda.registry.matching.names import NONE, TYPO, VARIANT, similarity, word
from awda.registry.matching.phonetic import (
    document_key,
    fold,
    phone_key,
    skeleton,
    spell,
    words,
)


def sim(a: str, b: str):
    (wa,), (wb,) = words(a), words(b)
    return similarity(word(wa), word(wb))


def test_fold_case_accents_apostrophes_hyphens():
    assert fold("TRAORÉ") == "traore"
    assert fold("Keïta") == "keita"
    assert fold("N'Diaye") == "ndiaye"
    assert fold("N\u2019DIAYE") == "ndiaye"
    assert fold("Jean-Claude") == "jean claude"
    assert fold("  Cissé ") == "cisse"


def test_words_join_articles_and_drop_son_of():
    assert words("Al-Amin") == ("alamin",)
    assert words("Abd el Rahman") == ("abdelrahman",)
    assert words("Ould Ahmed") == ("ahmed",)
    assert words("Mamadou Aliou") == ("mamadou", "aliou")
    assert words("Ben") == ("ben",)


@pytest.mark.parametrize(
    "names",
    [
        ("Diallo", "Jallow", "Jalloh"),
        ("Ousmane", "Usman", "Othmane"),
        ("N'Diaye", "Ndiaye", "Njie"),
        ("Mohamed", "Mohammed", "Muhammad"),
        ("Traoré", "Traore"),
        ("Coulibaly", "Kulibali"),
        ("Keita", "Keïta"),
        ("Abdoulaye", "Abdullahi", "Abdallah"),
        ("Moussa", "Musa"),
        ("Ibrahima", "Ibrahim"),
        ("Souleymane", "Sulayman"),
        ("Cissé", "Sisse"),
        ("Touré", "Toure"),
        ("Youssef", "Yusuf", "Youssouf"),
        ("Aminata", "Aminatou"),
        ("Fatoumata", "Fatima", "Fatou"),
        ("Oumar", "Omar", "Umar"),
        ("Boubacar", "Abubakar"),
        ("Idrissa", "Idris"),
        ("Lamine", "Al-Amin"),
        ("Mamadou", "Mohamadou"),
    ],
)
def test_issue_variants_agree(names):
    first = names[0]
    for other in names[1:]:
        kind, q = sim(first, other)
        assert q >= 0.85, (first, other, kind, q)
        if fold(first) != fold(other):
            assert kind == VARIANT, (first, other, kind)


def test_variants_by_rule_not_only_by_table():
    # Not in the table: the phonetic rules bring them together.
    assert skeleton("jallow") == skeleton("diallo") == "jl"
    assert skeleton("othmane") == skeleton("usman") == "smn"
    assert skeleton("kulibaly") == skeleton("coulibaly")
    assert spell("djenepo") == spell("jenepo")
    kind, q = sim("Sawadogo", "Sawadougou")
    assert kind == VARIANT and q > 0.8


def test_different_known_names_are_not_typos():
    for a, b in [("Touré", "Traoré"), ("Aliou", "Saliou"), ("Koné", "Kane"), ("Amadou", "Mamadou")]:
        assert sim(a, b)[0] == NONE, (a, b)


def test_typos():
    for a, b in [("Touré", "Tpuré"), ("Ouattara", "Ouattarq"), ("Abdoulaye", "Abduolaye")]:
        kind, q = sim(a, b)
        assert kind in (TYPO, VARIANT) and q > 0.5, (a, b, kind)
    assert sim("Okeke", "Nwosu")[0] == NONE


def test_phone_and_document_keys():
    assert (
        phone_key("0612345678")
        == phone_key("+212 6 12 34 56 78")
        == phone_key("00212612345678")
        == phone_key("212-612-345-678")
    )
    assert phone_key("123") == ""
    assert document_key("16 YK16212") == document_key("16yk16212") == "16YK16212"
    assert document_key("") == ""
