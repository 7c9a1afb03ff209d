import pytest
from django.utils import translation

from awda.core import countries
from awda.core.text import fold


@pytest.mark.parametrize(
    ("value", "alpha2"),
    [
        ("GN", "GN"),
        ("gn", "GN"),
        ("GIN", "GN"),
        ("civ", "CI"),
        ("Guinea", "GN"),
        ("Côte d'Ivoire", "CI"),
        (" MA ", "MA"),
        ("", ""),
        (None, ""),
        ("XX", ""),
        ("Atlantis", ""),
    ],
)
def test_resolve(value, alpha2):
    assert countries.resolve(value) == alpha2


def test_alpha3_and_is_valid():
    assert countries.alpha3("gn") == "GIN" and countries.alpha3("CM") == "CMR"
    assert countries.alpha3("") == "" and countries.alpha3("ZZ") == ""
    assert countries.is_valid("sn") and not countries.is_valid("") and not countries.is_valid("ZZ")


def test_names_follow_the_active_language():
    with translation.override("en"):
        assert countries.name("MA") == "Morocco"
    with translation.override("fr"):
        assert countries.name("MA") == "Maroc"
    assert countries.name("ZZ") == "ZZ" and countries.name("") == ""


def test_choices_are_sorted_and_complete():
    with translation.override("en"):
        choices = countries.choices()
    codes = [c for c, _n in choices]
    assert len(codes) == len(set(codes)) >= 249
    names = [n for _c, n in choices]
    assert "GN" in codes and names == sorted(names, key=lambda n: (fold(n), n))


def test_choices_sort_accented_names_with_their_letter_in_french():
    with translation.override("fr"):
        names = [n for _c, n in countries.choices()]
    assert names.index("Dominique") < names.index("Égypte") < names.index("Espagne")
