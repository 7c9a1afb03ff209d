"""Validation: the services' rules, one error per row and field with a clear message, members,
skipped empty rows, duplicate keys, and the Kobo export factory end to end."""

import datetime
import io

import pytest

from awda.imports.contract import CaseRecord, Mapping, SourceRow, Table
from awda.imports.mapping import suggest_mapping
from awda.imports.sources import read, read_csv
from awda.imports.tests.kobo_factory import expected_errors, make_kobo_export
from awda.imports.validate import validate, validate_all

TODAY = datetime.date(2025, 6, 1)
HEADER = "prenom;nom;sexe;date_naissance;nationalite;telephone;type_document;numero_document;date_emission;date_expiration;pays_retour"


def _check(lines, mapping=None, **kwargs):
    data = ("\n".join([HEADER, *lines]) + "\n").encode()
    table = read_csv(io.BytesIO(data), name="t.csv")
    mapping = mapping or suggest_mapping(table)
    return table, mapping, list(validate(table, mapping, today=TODAY, **kwargs))


def _errors(results):
    return {(e.row, e.field): e for r in results if isinstance(r, list) for e in r}


def test_a_valid_row_becomes_a_case_record_in_the_services_shape():
    _t, _m, [record] = _check(
        ["  Ousmane ;TRAORÉ;H;12/04/1981;Guinée;+212 661;Passeport;LP 123;01/01/2020;31/12/2029;"]
    )
    assert isinstance(record, CaseRecord)
    assert record.row == 2 and record.key.startswith("h:")
    assert record.principal == {
        "given_name": "Ousmane",
        "family_name": "TRAORÉ",
        "other_names": "",
        "sex": "male",
        "date_of_birth": datetime.date(1981, 4, 12),
        "birth_year": 1981,
        "nationality": "GN",
        "phone": "+212 661",
        "languages": [],
        "address": "",
        "city": "",
    }
    assert record.documents == [
        {
            "doc_type": "passport",
            "number": "LP 123",
            "issuing_country": "",
            "issue_date": datetime.date(2020, 1, 1),
            "expiry_date": datetime.date(2029, 12, 31),
        }
    ]
    assert record.country_of_return == "GN"  # the nationality, as case_register does
    assert record.registered_on is None and record.members == []


def test_messages_name_row_field_value_and_what_is_expected():
    _t, _m, results = _check(
        [
            "Aminata;Diallo;F;31/02/1990;GN;;;;;;",
            ";Diallo;Z;01/01/2090;Atlantide;;;;;;",
            "Awa;Sow;F;1850-01-01;GN;;carte de bibliothèque;X1;;;",
            "Hawa;Bah;F;;GN;;Passeport;;01/01/2020;01/01/2019;",
            "Fanta;Camara;F;1990;;;;;;;",
        ]
    )
    errors = _errors(results)
    assert errors[(2, "principal.date_of_birth")].message == (
        'Row 2, date of birth: "31/02/1990" is not a date '
        "(expected DD/MM/YYYY, YYYY-MM-DD or an Excel date)"
    )
    assert errors[(2, "principal.date_of_birth")].value == "31/02/1990"
    assert errors[(2, "principal.date_of_birth")].column == "date_naissance"
    assert errors[(3, "principal.given_name")].message == (
        "Row 3, given name: is empty (a value is required)"
    )
    assert '"Z" is not recognised' in errors[(3, "principal.sex")].message
    assert errors[(3, "principal.date_of_birth")].message.endswith('"01/01/2090" is in the future')
    assert '"Atlantide" is not a known country' in errors[(3, "principal.nationality")].message
    assert "before 1900" in errors[(4, "principal.date_of_birth")].message
    assert '"carte de bibliothèque"' in errors[(4, "document.doc_type")].message
    assert (5, "principal.birth_year") in errors  # neither date of birth nor year
    assert "is empty" in errors[(5, "document.number")].message
    assert "before the issue date (2020-01-01)" in errors[(5, "document.expiry_date")].message
    assert "country of return" in errors[(6, "case.country_of_return")].message
    assert len(results) == 5 and all(isinstance(r, list) for r in results)


def test_year_only_gives_an_estimated_birth_year():
    _t, _m, [record] = _check(
        [
            "Fanta;Camara;F;1990;GN;;;;;;",
        ]
    )
    assert record.principal["date_of_birth"] is None
    assert record.principal["birth_year"] == 1990
    _t, _m, [record] = _check(["Fanta;Camara;F;00/00/1987;GN;;;;;;"])
    assert record.principal["birth_year"] == 1987


def test_too_long_text_is_refused_like_the_database_would():
    _t, _m, [errors] = _check([f"{'A' * 121};Camara;F;1990;GN;;;;;;"])
    assert errors[0].field == "principal.given_name"
    assert "at most 120 characters" in errors[0].message


def test_value_mapping_defaults_and_month_first_order():
    table, mapping, _r = _check(["Awa;Sow;Dame;12/31/1990;Wakanda;;;;;;"])
    mapping.values = {
        "principal.sex": {"Dame": "female"},
        "principal.nationality": {"wakanda": "GN"},
    }
    mapping.date_order = "mdy"
    [record] = validate(table, mapping, today=TODAY)
    assert record.principal["sex"] == "female"
    assert record.principal["nationality"] == "GN"
    assert record.principal["date_of_birth"] == datetime.date(1990, 12, 31)
    mapping.values = {"principal.sex": {"Dame": "lady"}}
    [errors] = validate(table, mapping, today=TODAY)
    assert any('mapped to "lady"' in e.message for e in errors)


def test_empty_rows_are_skipped_and_duplicates_refused_on_the_second():
    row = "Awa;Sow;F;1990;GN;;;;;;"
    rows = [SourceRow(2, "k1", {"prenom": "Awa"}), SourceRow(3, "k2", {"prenom": " ", "nom": None})]
    assert (
        len(list(validate(Table(["prenom", "nom"], {}, rows), Mapping(columns={}), today=TODAY)))
        == 1
    )
    _t, _m, results = _check([row, row])
    assert isinstance(results[0], CaseRecord)
    [dup] = results[1]
    assert dup.field == "case.key" and dup.row == 3
    assert dup.message == "Row 3, row key: same values as row 2 (the row is repeated)"


def test_a_mapped_key_column_is_the_key():
    table = Table(
        ["id", "g", "f", "s", "y", "n"],
        {},
        [
            SourceRow(
                2, "h:1", {"id": "A-1", "g": "Awa", "f": "Sow", "s": "F", "y": "1990", "n": "GN"}
            ),
            SourceRow(
                3, "h:2", {"id": "A-1", "g": "Awa", "f": "Sow", "s": "F", "y": "1991", "n": "GN"}
            ),
            SourceRow(
                4, "h:3", {"id": "", "g": "Awa", "f": "Sow", "s": "F", "y": "1992", "n": "GN"}
            ),
        ],
    )
    mapping = Mapping(
        columns={
            "case.key": "id",
            "principal.given_name": "g",
            "principal.family_name": "f",
            "principal.sex": "s",
            "principal.birth_year": "y",
            "principal.nationality": "n",
        }
    )
    first, second, third = validate(table, mapping, today=TODAY)
    assert first.key == "A-1"
    assert (
        second[0].field == "case.key" and '"A-1" is already the key of row 2' in second[0].message
    )
    assert third.key == "h:3"  # empty key cell: the row's own key


def _family_table(members):
    values = {"g": "Awa", "f": "Sow", "s": "F", "y": "1990", "n": "GN", "when": "2025-05-02"}
    return Table(
        list(values),
        {"hh": ["mg", "mf", "ms", "my", "rel", "tr", "_index"]},
        [SourceRow(7, "u1", values, {"hh": members})],
    )


def _family_mapping():
    return Mapping(
        columns={
            "principal.given_name": "g",
            "principal.family_name": "f",
            "principal.sex": "s",
            "principal.birth_year": "y",
            "principal.nationality": "n",
            "case.registered_on": "when",
            "member.given_name": "mg",
            "member.family_name": "mf",
            "member.sex": "ms",
            "member.birth_year": "my",
            "member.relationship": "rel",
            "member.travels": "tr",
        },
        member_group="hh",
    )


def test_members_become_the_services_members():
    members = [
        {
            "mg": "Fanta",
            "mf": "Sow",
            "ms": "F",
            "my": "2015",
            "rel": "fille",
            "tr": "non",
            "_index": 1,
        },
        {"mg": None, "mf": "", "ms": None, "my": None, "rel": None, "tr": None, "_index": 2},
        {"mg": "Ali", "mf": "Sow", "ms": "M", "my": 2012, "rel": "fils", "tr": "", "_index": 3},
    ]
    [record] = validate(_family_table(members), _family_mapping(), today=TODAY)
    assert record.registered_on == datetime.date(2025, 5, 2)
    assert [
        (m["relationship"], m["travels"], m["person"]["given_name"]) for m in record.members
    ] == [
        ("child", False, "Fanta"),
        ("child", True, "Ali"),
    ]
    assert record.members[1]["person"]["birth_year"] == 2012


def test_member_errors_carry_the_parent_row_and_the_member_index():
    members = [
        {"mg": "Fanta", "mf": "Sow", "ms": "F", "my": "2015", "rel": "fille", "tr": "oui"},
        {"mg": "Ali", "mf": "Sow", "ms": "", "my": "2012", "rel": "voisin", "tr": "peut-être"},
        {"mg": "Awa", "mf": "Sow", "ms": "F", "my": "1990", "rel": "principal", "tr": ""},
    ]
    [errors] = validate(_family_table(members), _family_mapping(), today=TODAY)
    by_field = {e.field: e for e in errors}
    assert set(by_field) == {
        "members.1.sex",
        "members.1.relationship",
        "members.1.travels",
        "members.2.relationship",
    }
    assert all(e.row == 7 for e in errors)
    assert (
        by_field["members.1.sex"].message == "Row 7, member 2, sex: is empty (a value is required)"
    )
    assert "principal applicant" in by_field["members.2.relationship"].message


def test_registration_date_in_the_future_is_refused():
    table = _family_table([])
    table.rows[0].values["when"] = "2025-06-02"
    [errors] = validate(table, _family_mapping(), today=TODAY)
    assert errors[0].field == "case.registered_on"


def test_kobo_submissions_are_named_as_submissions():
    subs = [
        {
            "_id": 4711,
            "_uuid": "u-1",
            "given_name": "",
            "family_name": "X",
            "sex": "F",
            "birth_year": "1990",
            "nationality": "GN",
        },
        {
            "_id": 4712,
            "_uuid": "u-1",
            "given_name": "A",
            "family_name": "X",
            "sex": "F",
            "birth_year": "1990",
            "nationality": "GN",
        },
    ]
    from awda.imports.sources import read_kobo_json

    table = read_kobo_json(subs)
    errors = [e for r in validate(table, suggest_mapping(table), today=TODAY) for e in r]
    assert errors[0].message.startswith("Submission 4711, given name:")
    assert errors[1].message == (
        "Submission 4712, row key: same submission (uuid u-1) as submission 4711"
    )


def test_unmapped_required_fields_are_errors_on_every_row():
    table = Table(["x"], {}, [SourceRow(2, "k", {"x": "1"})])
    [errors] = validate(table, Mapping(columns={}), today=TODAY)
    assert {e.field for e in errors} >= {
        "principal.given_name",
        "principal.family_name",
        "principal.sex",
    }
    assert "no column is mapped" in errors[0].message


def test_kobo_export_factory_end_to_end():
    data = make_kobo_export(rows=400, invalid=12)
    table = read(io.BytesIO(data), "export.xlsx")
    assert len(table.rows) == 400
    mapping = suggest_mapping(table)
    assert mapping.member_group == "group_members"
    result = validate_all(table, mapping, today=TODAY)
    assert result.rows == 400 and result.invalid_rows == 12
    got = {}
    for e in result.errors:
        got.setdefault(e.row, set()).add(e.field)
    expected = expected_errors(rows=400, invalid=12)
    assert set(got) == set(expected)
    assert all(expected[row] in fields for row, fields in got.items())
    assert sum(len(r.members) for r in result.records) > 50
    # Re-reading the same file gives the same keys: a re-import creates nothing twice.
    again = read(io.BytesIO(data), "export-copy.xlsx")
    assert [r.key for r in again.rows] == [r.key for r in table.rows]


def test_kobo_export_without_members():
    data = make_kobo_export(rows=60, invalid=12, members=False)
    table = read(io.BytesIO(data), "export.xlsx")
    assert table.child_columns == {}
    result = validate_all(table, suggest_mapping(table), today=TODAY)
    assert {e.row for e in result.errors} == set(expected_errors(60, 12, members=False))


@pytest.mark.parametrize("rows, invalid", [(5, 5), (3, 0)])
def test_factory_argument_bounds(rows, invalid):
    if invalid >= rows:
        with pytest.raises(ValueError):
            make_kobo_export(rows=rows, invalid=invalid)
    else:
        assert make_kobo_export(rows=rows, invalid=invalid)[:2] == b"PK"


def test_defaults_fill_empty_cells():
    table = Table(
        ["g", "f", "s", "y", "num"],
        {},
        [SourceRow(2, "k", {"g": "Awa", "f": "Sow", "s": "F", "y": "1990", "num": "P-77"})],
    )
    mapping = Mapping(
        columns={
            "principal.given_name": "g",
            "principal.family_name": "f",
            "principal.sex": "s",
            "principal.birth_year": "y",
            "document.number": "num",
        },
        defaults={"document.doc_type": "passport", "case.country_of_return": "Guinée"},
    )
    [record] = validate(table, mapping, today=TODAY)
    assert record.documents[0]["doc_type"] == "passport"
    assert record.country_of_return == "GN"
    assert record.principal["nationality"] == ""
