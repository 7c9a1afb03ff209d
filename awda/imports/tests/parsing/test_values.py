"""Value mapping for choice fields: the issue's examples, user mappings first, distinct values."""

import pytest

from awda.imports.contract import Mapping, SourceRow, Table
from awda.imports.values import auto_value, choices_for, distinct_values, map_value, valid_choice


@pytest.mark.parametrize(
    "value", ["Guinée", "Guinea", "GN", "GIN", "324", "Guinée Conakry", "guinéenne"]
)
def test_guinea(value):
    assert auto_value("country", value) == "GN"


@pytest.mark.parametrize(
    "value, code",
    [
        ("Côte d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("CIV", "CI"),
        ("cote divoire", "CI"),
        ("Guinée-Bissau", "GW"),
        ("Guinée équatoriale", "GQ"),
        ("Sénégal", "SN"),
        ("Maroc", "MA"),
        ("Niger", "NE"),
        ("nigérien", "NE"),
        ("Nigeria", "NG"),
        ("RDC", "CD"),
        ("Congo Brazzaville", "CG"),
        ("Cameroun", "CM"),
        ("Syrie", "SY"),
        ("004", "AF"),
    ],
)
def test_countries(value, code):
    assert auto_value("country", value) == code


@pytest.mark.parametrize("value", ["Atlantide", "Guin", "", "Afrique"])
def test_unknown_countries_are_not_guessed(value):
    assert auto_value("country", value) is None


@pytest.mark.parametrize("value", ["F", "Femme", "female", "féminin", "W", "Frau", "FEMME "])
def test_female(value):
    assert auto_value("sex", value) == "female"


@pytest.mark.parametrize("value", ["M", "H", "Homme", "male", "masculin"])
def test_male(value):
    assert auto_value("sex", value) == "male"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("fils", "child"),
        ("son", "child"),
        ("enfant", "child"),
        ("child", "child"),
        ("épouse", "spouse"),
        ("wife", "spouse"),
        ("spouse", "spouse"),
        ("mari", "spouse"),
        ("Mère", "parent"),
        ("sœur", "sibling"),
        ("Belle-sœur", "other_relative"),
        ("oncle", "other_relative"),
        ("ami", "non_relative"),
        ("voisin", None),
        ("autre", None),
    ],
)
def test_relationships(value, expected):
    assert auto_value("relationship", value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Passeport", "passport"),
        ("CNI", "national_id"),
        ("carte d'identité", "national_id"),
        ("Laissez-passer", "laissez_passer"),
        ("titre de séjour", "residence_permit"),
        ("attestation HCR", "unhcr_document"),
        ("acte de naissance", "birth_certificate"),
        ("carte de bibliothèque", None),
    ],
)
def test_document_types(value, expected):
    assert auto_value("doc_type", value) == expected


def test_yes_no_and_languages():
    assert [auto_value("yesno", v) for v in ("oui", "Yes", "1", "non", "no", "0", "?")] == [
        True,
        True,
        True,
        False,
        False,
        False,
        None,
    ]
    assert auto_value("languages", "Français, Pular; arabe") == ["fr", "ff", "ar"]
    assert auto_value("languages", "fr ff") == ["fr", "ff"]  # Kobo select_multiple
    assert auto_value("languages", "Klingon") == ["Klingon"]


def test_user_mapping_wins_over_the_automatic_reading():
    user = {"GN": "SN", "femme ": "male"}
    from awda.imports.values import user_lookup

    lookup = user_lookup(
        Mapping(columns={}, values={"principal.nationality": user}), "principal.nationality"
    )
    assert map_value("principal.nationality", "GN", lookup) == "SN"
    assert map_value("principal.nationality", "GIN", lookup) == "GN"
    sex = user_lookup(Mapping(columns={}, values={"principal.sex": user}), "principal.sex")
    assert map_value("principal.sex", "FEMME", sex) == "male"  # matched folded


def test_valid_choice():
    assert valid_choice("relationship", "principal") is None
    assert valid_choice("relationship", "child") == "child"
    assert valid_choice("country", "Guinée") == "GN"
    assert valid_choice("sex", "F") is None
    assert valid_choice("yesno", "oui") is True


def test_distinct_values_with_counts_and_results():
    rows = [
        SourceRow(i + 2, f"k{i}", {"nat": v})
        for i, v in enumerate(["Guinée", "GN", "Guinée", "Atlantide", "", "Mali", "Guinée"])
    ]
    table = Table(["nat"], {}, rows)
    mapping = Mapping(
        columns={"principal.nationality": "nat"},
        values={"principal.nationality": {"Atlantide": "CI"}},
    )
    out = distinct_values(table, mapping, "principal.nationality")
    assert [(d.value, d.count, d.auto, d.mapped, d.result) for d in out] == [
        ("Guinée", 3, "GN", None, "GN"),
        ("GN", 1, "GN", None, "GN"),
        ("Atlantide", 1, None, "CI", "CI"),
        ("Mali", 1, "ML", None, "ML"),
    ]


def test_distinct_values_of_member_columns():
    row = SourceRow(2, "k", {}, {"hh": [{"rel": "fils"}, {"rel": "fils"}, {"rel": "épouse"}]})
    table = Table([], {"hh": ["rel"]}, [row])
    mapping = Mapping(columns={"member.relationship": "rel"}, member_group="hh")
    out = distinct_values(table, mapping, "member.relationship")
    assert [(d.value, d.count, d.result) for d in out] == [
        ("fils", 2, "child"),
        ("épouse", 1, "spouse"),
    ]


def test_choices_for_the_editor():
    assert ("female", "Female") in [(v, str(label)) for v, label in choices_for("principal.sex")]
    assert "principal" not in [v for v, _l in choices_for("member.relationship")]
    assert choices_for("principal.given_name") == []
