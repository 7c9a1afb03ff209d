import pytest

from awda.core.text import as_id, compact, digits, fold


@pytest.mark.parametrize(
    ("value", "folded"),
    [
        ("TRAORÉ", "traore"),
        ("N'Diaye", "ndiaye"),
        ("N’Diaye", "ndiaye"),
        ("Aïssatou  Bâ", "aissatou ba"),
        ("Ndiaye-Sow", "ndiaye sow"),
        ("KOUYATÉ, Sékou.", "kouyate sekou"),
        ("Çağlar Öztürk", "caglar ozturk"),
        ("  ", ""),
        ("", ""),
        (None, ""),
        ("ﬁfi", "fifi"),  # compatibility ligature
        ("محمد", "محمد"),  # Arabic letters are kept
    ],
)
def test_fold(value, folded):
    assert fold(value) == folded


def test_fold_is_idempotent():
    for value in ["TRAORÉ", "N'Diaye", "Ndiaye-Sow"]:
        assert fold(fold(value)) == fold(value)


def test_digits_and_compact():
    assert digits("+212 (0)6-61 23") == "212066123"
    assert digits(None) == ""
    assert compact(" ab-12 34/x ") == "AB1234X"
    assert compact(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (42, 42),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
    ],
)
def test_as_id_accepts_only_ids_the_database_can_hold(value, expected):
    assert as_id(value) == expected
