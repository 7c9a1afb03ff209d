"""Column mapping: suggestions on French, English and Kobo headers; problems; JSON round trip."""

from awda.imports.contract import Mapping, SourceRow, Table
from awda.imports.mapping import (
    mapping_from_json,
    mapping_problems,
    mapping_to_json,
    suggest_mapping,
    target_choices,
    validate_mapping_targets,
)


def _table(columns, child_columns=None, rows=None):
    return Table(list(columns), child_columns or {}, rows or [])


def test_french_headers():
    table = _table(
        [
            "N°",
            "Prénom(s)",
            "Nom de famille",
            "Sexe",
            "Date de naissance",
            "Nationalité",
            "Téléphone",
            "Langues parlées",
            "Ville",
            "Type de pièce",
            "Numéro de pièce",
            "Date d'expiration",
            "Pays de retour",
        ]
    )
    cols = suggest_mapping(table).columns
    assert cols == {
        "principal.given_name": "Prénom(s)",
        "principal.family_name": "Nom de famille",
        "principal.sex": "Sexe",
        "principal.date_of_birth": "Date de naissance",
        "principal.nationality": "Nationalité",
        "principal.phone": "Téléphone",
        "principal.languages": "Langues parlées",
        "principal.city": "Ville",
        "document.doc_type": "Type de pièce",
        "document.number": "Numéro de pièce",
        "document.expiry_date": "Date d'expiration",
        "case.country_of_return": "Pays de retour",
    }


def test_english_headers_and_passport_number_sets_the_document_type():
    table = _table(["First Name", "Surname", "Gender", "DOB", "Nationality", "Passport Number"])
    m = suggest_mapping(table)
    assert m.columns == {
        "principal.given_name": "First Name",
        "principal.family_name": "Surname",
        "principal.sex": "Gender",
        "principal.date_of_birth": "DOB",
        "principal.nationality": "Nationality",
        "document.number": "Passport Number",
    }
    assert m.defaults == {"document.doc_type": "passport"}


def test_kobo_headers_with_groups_and_the_members_repeat_group():
    table = _table(
        [
            "start",
            "today",
            "group_person/given_name",
            "group_person/family_name",
            "group_person/sexe",
            "group_person/annee_naissance",
            "_id",
            "_uuid",
            "_submission_time",
            "_index",
        ],
        {
            "group_visits": ["group_visits/visit_date", "_index", "_parent_index"],
            "group_members": [
                "group_members/member_given_name",
                "group_members/nom_membre",
                "group_members/member_sex",
                "group_members/member_dob",
                "group_members/lien_avec_le_chef_de_menage",
                "group_members/voyage_avec",
                "_index",
                "_parent_index",
            ],
        },
    )
    m = suggest_mapping(table)
    assert m.member_group == "group_members"
    assert m.columns["principal.birth_year"] == "group_person/annee_naissance"
    assert m.columns["case.registered_on"] == "start"
    assert m.columns["member.given_name"] == "group_members/member_given_name"
    assert m.columns["member.family_name"] == "group_members/nom_membre"
    assert m.columns["member.relationship"] == "group_members/lien_avec_le_chef_de_menage"
    assert m.columns["member.travels"] == "group_members/voyage_avec"
    assert "_uuid" not in m.columns.values()


def test_kobo_csv_dot_prefixes():
    m = suggest_mapping(_table(["grp_id.prenom", "grp_id.nom", "grp_id.genre"]))
    assert m.columns == {
        "principal.given_name": "grp_id.prenom",
        "principal.family_name": "grp_id.nom",
        "principal.sex": "grp_id.genre",
    }


def test_month_first_dates_are_detected_from_the_values():
    rows = [SourceRow(2, "a", {"dob": "12/31/1990"}), SourceRow(3, "b", {"dob": "01/02/1990"})]
    assert suggest_mapping(_table(["dob"], rows=rows)).date_order == "mdy"
    assert suggest_mapping(_table(["dob"])).date_order == "dmy"


def test_problems_name_what_is_missing_and_unknown_columns():
    table = _table(["prenom", "nom"], {"hh": ["m_name"]})
    mapping = Mapping(
        columns={
            "principal.given_name": "prenom",
            "principal.family_name": "gone",
            "member.given_name": "m_name",
            "principal.shoe_size": "nom",
        },
        member_group="hh",
    )
    problems = mapping_problems(table, mapping)
    text = "\n".join(problems)
    assert '"principal.shoe_size" is not a field' in text
    assert 'Column "gone"' in text
    assert "Principal applicant: sex" in text
    assert "Household member: relationship" in text
    assert "date of birth or Principal applicant: year of birth" in text
    assert "country of return" in text
    assert not mapping_problems(
        _table(["a", "b", "c", "d", "e"]),
        Mapping(
            columns={
                "principal.given_name": "a",
                "principal.family_name": "b",
                "principal.sex": "c",
                "principal.birth_year": "d",
                "principal.nationality": "e",
            }
        ),
    )


def test_document_needs_type_and_number():
    table = _table(["a", "b", "c", "d", "e", "n"])
    base = {
        "principal.given_name": "a",
        "principal.family_name": "b",
        "principal.sex": "c",
        "principal.birth_year": "d",
        "principal.nationality": "e",
    }
    problems = mapping_problems(table, Mapping(columns={**base, "document.number": "n"}))
    assert len(problems) == 1 and "document type" in problems[0]
    ok = Mapping(
        columns={**base, "document.number": "n"}, defaults={"document.doc_type": "passport"}
    )
    assert mapping_problems(table, ok) == []


def test_json_round_trip_and_bad_shapes():
    m = Mapping(
        columns={"principal.sex": "Sexe"},
        values={"principal.sex": {"Femme": "female"}, "member.travels": {"Oui": True}},
        member_group="hh",
        defaults={"document.doc_type": "passport"},
        date_order="mdy",
    )
    assert mapping_from_json(mapping_to_json(m)) == m
    assert mapping_from_json(None) == Mapping(columns={})
    odd = mapping_from_json({"columns": {"a": 1, "b": "x"}, "values": [], "date_order": "ymd"})
    assert odd.columns == {"b": "x"} and odd.values == {} and odd.date_order == "dmy"


def test_validate_mapping_targets():
    bad = Mapping(
        columns={"principal.nope": "x", "member.sex": "y"},
        values={"principal.sex": {"F": "femme"}, "principal.given_name": {"a": "b"}},
        defaults={"document.doc_type": "library card"},
    )
    errors = validate_mapping_targets(bad)
    assert set(errors) == {
        "principal.nope",
        "member_group",
        "principal.sex",
        "principal.given_name",
        "document.doc_type",
    }
    assert validate_mapping_targets(Mapping(columns={"principal.sex": "S"})) == {}


def test_target_choices_are_labelled():
    choices = dict(target_choices())
    assert choices["principal.given_name"] == "Principal applicant: given name"
    assert choices["member.relationship"] == "Household member: relationship"
