import pytest

from awda.core.text import compact, digits, fold


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
