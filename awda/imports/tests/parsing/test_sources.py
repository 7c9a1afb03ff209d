"""Readers: CSV (encodings, delimiters, row numbers), XLSX with Kobo repeat sheets, Kobo JSON,
dispatch by file name, stable row keys."""

import datetime
import io
import json

import openpyxl
import pytest

from awda.imports.contract import SourceError
from awda.imports.sources import read, read_csv, read_kobo_json, read_xlsx

CSV_ROWS = [
    ["Prénom", "Nom", "Sexe", "Ville"],
    ["Aïssatou", "Bâ", "Femme", "Fès"],
    ["Sékou", "Traoré", "H", "Salé"],
]


def _csv(rows, sep=",", newline="\r\n"):
    return newline.join(sep.join(r) for r in rows) + newline


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_csv_encodings_are_detected(encoding):
    table = read_csv(io.BytesIO(_csv(CSV_ROWS, ";").encode(encoding)))
    assert table.columns == ["Prénom", "Nom", "Sexe", "Ville"]
    assert table.rows[0].values == {
        "Prénom": "Aïssatou",
        "Nom": "Bâ",
        "Sexe": "Femme",
        "Ville": "Fès",
    }
    assert table.kind == "csv"


def test_cp1252_only_characters_decode_as_windows_text():
    data = _csv([["nom", "note"], ["O’Neil", "50 €"]]).encode("cp1252")
    table = read_csv(io.BytesIO(data))
    assert table.rows[0].values == {"nom": "O’Neil", "note": "50 €"}


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_csv_delimiters_are_detected(sep):
    table = read_csv(io.BytesIO(_csv(CSV_ROWS, sep).encode()))
    assert len(table.columns) == 4
    assert table.rows[1].values["Ville"] == "Salé"


def test_delimiter_inside_quotes_does_not_count():
    text = '"a;b;c;d",x\n"1;2;3;4",y\n'
    table = read_csv(io.BytesIO(text.encode()))
    assert table.columns == ["a;b;c;d", "x"]


def test_row_numbers_are_the_file_rows_and_blank_rows_are_skipped():
    text = '\n\ngiven,family\nA,B\n\n,\n  ,  \n"C\nD",E\nF,G\n'
    table = read_csv(io.BytesIO(text.encode()))
    assert [r.number for r in table.rows] == [4, 8, 9]  # header on line 3; the cell on 2 lines
    assert table.rows[1].values["given"] == "C\nD"


def test_short_rows_are_padded_long_rows_warned_and_headers_made_unique():
    text = "nom,nom,,x\n1,2\n1,2,3,4,5\n"
    table = read_csv(io.BytesIO(text.encode()))
    assert table.columns == ["nom", "nom (2)", "column 3", "x"]
    assert table.rows[0].values == {"nom": "1", "nom (2)": "2", "column 3": "", "x": ""}
    assert len(table.warnings) == 1


def test_empty_file_is_a_source_error():
    with pytest.raises(SourceError):
        read_csv(io.BytesIO(b"\n\n"))


def test_kobo_csv_export_uses_the_submission_uuid_as_key():
    text = (
        "group_person.given_name;group_person.family_name;meta.instanceID;_uuid\n"
        "Awa;Sow;uuid:aaa-111;aaa-111\n"
        "Hawa;Bah;uuid:bbb-222;\n"
    )
    table = read_csv(io.BytesIO(text.encode()))
    assert [r.key for r in table.rows] == ["aaa-111", "bbb-222"]


def test_hash_keys_are_stable_and_follow_the_values():
    data = _csv(CSV_ROWS).encode()
    first = [r.key for r in read_csv(io.BytesIO(data)).rows]
    again = [r.key for r in read(io.BytesIO(data), "other-name.csv").rows]
    assert first == again and all(k.startswith("h:") for k in first)
    assert first[0] != first[1]
    reordered = _csv([CSV_ROWS[0], CSV_ROWS[2], CSV_ROWS[1]]).encode()
    assert [r.key for r in read_csv(io.BytesIO(reordered)).rows] == first[::-1]
    edited = _csv([CSV_ROWS[0], ["Aïssatou", "Ba", "Femme", "Fès"], CSV_ROWS[2]]).encode()
    keys = [r.key for r in read_csv(io.BytesIO(edited)).rows]
    assert keys[0] != first[0] and keys[1] == first[1]


def _kobo_workbook(*, nested=False, orphan=False) -> bytes:
    wb = openpyxl.Workbook()
    main = wb.active
    main.title = "Enregistrement AVRR"
    main.append(["group_person/given_name", "group_person/date_of_birth", "_id", "_uuid", "_index"])
    main.append(["Ousmane", datetime.datetime(1981, 4, 12), 11, "uuid-1", 1])
    main.append([None, None, None, None, None])  # an empty row in the middle
    main.append(["Aminata", 34000, 12, "uuid-2", 2])
    members = wb.create_sheet("group_members")
    members.append(
        [
            "group_members/member_given_name",
            "_index",
            "_parent_table_name",
            "_parent_index",
            "_submission__uuid",
        ]
    )
    members.append(["Mariama", 1, "Enregistrement AVRR", 1, "uuid-1"])
    members.append(["Fanta", 2, "Enregistrement AVRR", 2, "uuid-2"])
    members.append(["Lansana", 3, "Enregistrement AVRR", 2.0, "uuid-2"])
    if orphan:
        members.append(["Nobody", 4, "Enregistrement AVRR", 99, "uuid-9"])
    if nested:
        sub = wb.create_sheet("group_children_visits")
        sub.append(["visit", "_index", "_parent_table_name", "_parent_index"])
        sub.append(["x", 1, "group_members", 1])
    notes = wb.create_sheet("Notes")
    notes.append(["free text"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_kobo_repeat_sheet_rows_are_attached_to_their_parent():
    table = read_xlsx(io.BytesIO(_kobo_workbook()), name="export.xlsx")
    assert table.kind == "xlsx" and table.source_name == "export.xlsx"
    assert [r.number for r in table.rows] == [2, 4]
    assert [r.key for r in table.rows] == ["uuid-1", "uuid-2"]
    assert table.rows[0].values["group_person/date_of_birth"] == datetime.datetime(1981, 4, 12)
    assert table.rows[1].values["group_person/date_of_birth"] == 34000
    assert table.child_columns["group_members"][0] == "group_members/member_given_name"
    names = [
        [c["group_members/member_given_name"] for c in r.children["group_members"]]
        for r in table.rows
    ]
    assert names == [["Mariama"], ["Fanta", "Lansana"]]
    assert any("Notes" in w for w in table.warnings)


def test_xlsx_nested_repeats_and_orphans_are_reported_not_read():
    table = read_xlsx(io.BytesIO(_kobo_workbook(nested=True, orphan=True)))
    assert "group_children_visits" not in table.child_columns
    assert len(table.warnings) == 3  # orphan row, nested group, Notes sheet
    assert sum(len(r.children.get("group_members", [])) for r in table.rows) == 3


def test_not_an_xlsx_is_a_source_error():
    with pytest.raises(SourceError):
        read_xlsx(io.BytesIO(b"PK\x03\x04 not really a zip"))


def test_same_xlsx_twice_gives_the_same_hash_keys():
    wb = openpyxl.Workbook()
    wb.active.append(["nom", "né le"])
    wb.active.append(["Camara", datetime.datetime(1990, 1, 2)])
    wb.active.append(["Sow", 33000.0])
    out = io.BytesIO()
    wb.save(out)
    keys = [r.key for r in read_xlsx(io.BytesIO(out.getvalue())).rows]
    assert keys == [r.key for r in read_xlsx(io.BytesIO(out.getvalue())).rows]
    assert all(k.startswith("h:") for k in keys) and keys[0] != keys[1]


def test_kobo_json_prefers_root_uuid_and_numbers_by_id():
    subs = [
        {
            "_id": 7,
            "meta/rootUuid": "uuid:root-1",
            "meta/instanceID": "uuid:edit-2",
            "_uuid": "edit-2",
            "household/group_members": [{"group_members/member_name": "A"}],
        },
        {"group_person/given_name": "B"},
    ]
    table = read_kobo_json(subs, name="form")
    assert [r.key for r in table.rows][0] == "root-1"
    assert table.rows[1].key.startswith("h:")
    assert [r.number for r in table.rows] == [7, 2]
    assert table.child_columns == {"group_members": ["group_members/member_name"]}


def test_kobo_json_that_is_not_submissions_is_refused():
    with pytest.raises(SourceError):
        read_kobo_json(["not a submission"])


def test_read_dispatches_by_extension_and_content():
    xlsx = _kobo_workbook()
    assert read(io.BytesIO(xlsx), "export.xlsx").kind == "xlsx"
    assert read(io.BytesIO(xlsx), "export").kind == "xlsx"  # a zip without a name
    page = {"count": 1, "results": [{"_id": 1, "_uuid": "u1", "q": "x"}]}
    assert read(io.BytesIO(json.dumps(page).encode()), "pull.json").rows[0].key == "u1"
    assert read(io.BytesIO(b"a;b\n1;2\n"), "data.txt").kind == "csv"
    assert read(io.BytesIO(b"a;b\n1;2\n"), "data").kind == "csv"
    with pytest.raises(SourceError):
        read(io.BytesIO(b"\xd0\xcf\x11\xe0"), "old.xls")
    with pytest.raises(SourceError):
        read(io.BytesIO(b"[1, 2"), "broken.json")
