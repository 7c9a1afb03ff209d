"""The rejected-rows file is safe to open: no formula in a CSV (header row included), no
formula, number or hyperlink made of an XLSX text (and no ' added there), and any repeat-group
name gives a valid, unique sheet name."""

import csv
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from awda.imports import services, storage
from awda.imports.choices import ImportMode, JobStatus
from awda.imports.contract import RowError, SourceRow
from awda.imports.services import rejected
from awda.imports.services.rejected import RejectedWriter

from .helpers import run, upload

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "parsing" / "data"
LINK = "external:\\\\evil\\share\\x.exe"
ERROR = [RowError(row=2, field="principal.sex", column="sex", message="Choose a sex.")]


def test_csv_header_cells_are_neutralised():
    writer = RejectedWriter(
        fmt="csv", columns=['=HYPERLINK("http://x")', "@SUM(A1)", "phone"], child_columns={}
    )
    writer.add(SourceRow(2, "k", {"phone": "+212 600", "@SUM(A1)": "ok"}), ERROR)
    with open(storage.path_of(writer.finish()), encoding="utf-8-sig") as handle:
        got = list(csv.reader(handle))
    assert got[0] == ['\'=HYPERLINK("http://x")', "'@SUM(A1)", "phone", "errors"]
    assert got[1][1:3] == ["ok", "'+212 600"]


def test_xlsx_texts_stay_texts_without_quote_or_hyperlink():
    writer = RejectedWriter(
        fmt="xlsx",
        columns=["phone", "link", "formula", "number", "=header"],
        child_columns={"members": ["m/phone", "m/link"]},
    )
    row = SourceRow(
        2,
        "k",
        {"phone": "+212 600", "link": LINK, "formula": "=1+1", "number": "0012", "=header": 7},
        {"members": [{"m/phone": "+212 611", "m/link": "https://evil.example/x"}]},
    )
    writer.add(row, ERROR)
    path = storage.path_of(writer.finish())
    with zipfile.ZipFile(path) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if "sheet" in n)
        rels = [n for n in archive.namelist() if "worksheets/_rels" in n]
    assert "hyperlink" not in xml and "<f>" not in xml and not rels
    book = openpyxl.load_workbook(path)
    rows, members = ([[c.value for c in r] for r in ws.iter_rows()] for ws in book.worksheets)
    assert rows[0][:5] == ["phone", "link", "formula", "number", "=header"]
    assert rows[1][:5] == ["+212 600", LINK, "=1+1", "0012", "7"]
    assert all(c.data_type == "s" for c in book.worksheets[0][2][:5])
    assert members[1] == [2, "+212 611", "https://evil.example/x"]


def test_any_group_name_gives_a_valid_unique_sheet():
    groups = {
        "rows": ["a"],
        "ROWS": ["a"],
        "a/b[1]:c*d?e\\f": ["a"],
        "x" * 40: ["a"],
        "y" + "x" * 40: ["a"],
        "'quoted'": ["a"],
        "": ["a"],
        "History": ["a"],
    }
    writer = RejectedWriter(fmt="xlsx", columns=["a"], child_columns=groups)
    row = SourceRow(2, "k", {"a": "1"}, {g: [{"a": g}] for g in groups})
    writer.add(row, ERROR)
    book = openpyxl.load_workbook(storage.path_of(writer.finish()), read_only=True)
    names = book.sheetnames
    assert len(names) == 1 + len(groups) and len({n.casefold() for n in names}) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    # Each group's member row went to its own sheet.
    seen = sorted(
        next(iter(ws.iter_rows(min_row=2, values_only=True)))[1] or "" for ws in book.worksheets[1:]
    )
    assert seen == sorted(groups)


def test_sheet_title_counts_like_excel():
    taken: set = set()
    assert rejected.sheet_title("Rows", taken) == "Rows"
    assert rejected.sheet_title("rows", taken) == "rows (2)"
    assert len(rejected.sheet_title("\U0001f600" * 20, taken).encode("utf-16-le")) <= 62


def test_valid_rows_import_with_a_repeat_group_named_like_the_rows_sheet(
    caseworker, rabat, django_capture_on_commit_callbacks
):
    """A Kobo JSON whose repeat groups are named "Rows" and "a:b[1]": once failed at the end."""
    submissions = json.loads((DATA / "kobo_data_page1.json").read_text())["results"]
    submissions += json.loads((DATA / "kobo_data_page2.json").read_text())["results"]
    for sub in submissions:
        sub["household/Rows"] = sub.pop("group_members", None) or [{"household/Rows/x": "1"}]
        sub["other/a:b[1]"] = [{"other/a:b[1]/y": "=2+2"}]
    submissions[0]["group_person/sex"] = "not a sex"
    submissions[0]["group_person/family_name"] = ""
    job = upload(caseworker, rabat, json.dumps(submissions).encode(), name="kobo.json")
    job = services.import_preview(caseworker, job=job)
    assert job.invalid >= 1
    job = run(django_capture_on_commit_callbacks, caseworker, job, ImportMode.VALID_ONLY)
    assert job.status == JobStatus.DONE, job.error
    book = openpyxl.load_workbook(storage.path_of(job.rejected_path), read_only=True)
    assert len(book.sheetnames) == 3
    assert len({n.casefold() for n in book.sheetnames}) == 3
    other = next(ws for ws in book.worksheets if ws.title.startswith("a_b"))
    assert list(other.iter_rows(min_row=2, values_only=True))[0][1] == "=2+2"
