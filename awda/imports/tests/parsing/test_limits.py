"""The size limits of what an import reads (awda/imports/limits.py): rows, columns, rows x
columns, the unzipped size of an XLSX workbook, and the Kobo pull (bytes, submissions). Each is
refused while reading with an error naming its setting."""

import io
import json
import zipfile

import openpyxl
import pytest

from awda.imports import limits
from awda.imports.contract import SourceError
from awda.imports.kobo import KoboClient, KoboError
from awda.imports.sources import read, read_csv, read_kobo_json, read_xlsx
from awda.imports.tests.parsing.test_kobo_client import SERVER, UID, Recorded, _data_routes


def _csv(columns: int, rows: int) -> io.BytesIO:
    lines = [",".join(f"c{i}" for i in range(columns))]
    lines += [",".join(f"v{r}" for _ in range(columns)) for r in range(rows)]
    return io.BytesIO("\n".join(lines).encode())


def _xlsx(columns: int, rows: int) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([f"c{i}" for i in range(columns)])
    for r in range(rows):
        sheet.append([f"v{r}"] * columns)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_defaults_keep_the_million_row_benchmark_possible():
    assert limits.max_rows() == 1_000_000
    assert limits.row_limit(9) == 1_000_000  # bench/import.py: 9 columns
    assert limits.row_limit(25) == 1_000_000


def test_rows_past_the_limit_are_refused(settings):
    settings.AWDA_IMPORT_MAX_ROWS = 5
    assert len(read_csv(_csv(3, 5)).rows) == 5
    with pytest.raises(SourceError) as exc:
        read_csv(_csv(3, 6))
    assert "AWDA_IMPORT_MAX_ROWS" in str(exc.value.message) and "5" in str(exc.value.message)
    assert len(read_xlsx(_xlsx(3, 5)).rows) == 5
    with pytest.raises(SourceError, match="AWDA_IMPORT_MAX_ROWS"):
        read_xlsx(_xlsx(3, 6))
    submissions = [{"_id": i, "name": f"n{i}"} for i in range(6)]
    assert len(read_kobo_json(submissions[:5]).rows) == 5
    with pytest.raises(SourceError, match="AWDA_IMPORT_MAX_ROWS"):
        read_kobo_json(submissions)


def test_rows_are_counted_while_reading(settings):
    """The reader stops at the first row past the limit: a generator of rows is not drained."""
    settings.AWDA_IMPORT_MAX_ROWS = 3
    pulled = []

    def submissions():
        for i in range(1000):
            pulled.append(i)
            yield {"_id": i + 1, "name": "x"}

    with pytest.raises(SourceError):
        read_kobo_json(submissions())
    assert len(pulled) == 4


def test_columns_past_the_limit_are_refused(settings):
    settings.AWDA_IMPORT_MAX_COLUMNS = 10
    assert len(read_csv(_csv(10, 2)).columns) == 10
    with pytest.raises(SourceError) as exc:
        read_csv(_csv(11, 2))
    assert "AWDA_IMPORT_MAX_COLUMNS" in str(exc.value.message)
    with pytest.raises(SourceError, match="AWDA_IMPORT_MAX_COLUMNS"):
        read_xlsx(_xlsx(11, 2))
    with pytest.raises(SourceError, match="AWDA_IMPORT_MAX_COLUMNS"):
        read_kobo_json([{f"q{i}": i for i in range(11)}])
    repeat = [{"name": "a", "grp/kids": [{f"grp/kids/q{i}": i for i in range(11)}]}]
    with pytest.raises(SourceError) as exc:
        read_kobo_json(repeat)
    assert '"kids"' in str(exc.value.message)


def test_short_lines_under_a_wide_header_are_refused_by_the_cell_limit(settings):
    """A tiny file of one-letter lines under a wide header costs rows x columns in memory."""
    settings.AWDA_IMPORT_MAX_CELLS = 1_000
    data = ",".join(f"c{i}" for i in range(100)) + "\n" + "x\n" * 11
    with pytest.raises(SourceError) as exc:
        read_csv(io.BytesIO(data.encode()))
    assert "AWDA_IMPORT_MAX_CELLS" in str(exc.value.message)
    assert len(read_csv(io.BytesIO(data.encode()[: -2 * 2])).rows) == 9


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(settings, monkeypatch):
    settings.AWDA_IMPORT_MAX_UPLOAD_MB = 1  # 20 MB of XML at most
    small = _xlsx(3, 2)
    bomb = io.BytesIO()
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b" " * (21 * 1_048_576) + b"</sheetData>")
            out.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    assert bomb.tell() < 1_048_576  # a small upload
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    with pytest.raises(SourceError) as exc:
        read(bomb, "bomb.xlsx")
    assert "unzipped" in str(exc.value.message) and exc.value.code == "import_too_large"
    assert opened == []


def test_kobo_pull_stops_past_the_submission_limit(settings):
    settings.AWDA_IMPORT_MAX_ROWS = 2
    transport = Recorded(_data_routes())
    with pytest.raises(KoboError) as exc:
        KoboClient(SERVER, "t", transport=transport, page_size=2).submissions(UID)
    assert exc.value.code == "kobo_too_large" and "AWDA_IMPORT_MAX_ROWS" in str(exc.value.message)
    assert len(transport.calls) == 1  # the announced count (3) is enough: no second page

    # A server that does not announce the count is stopped as the submissions come.
    def pages(url, headers, timeout):
        start = int(url.rsplit("start=", 1)[1]) if "start=" in url else 0
        assert start < 20, "the pull was not stopped"
        page = {"next": f"{SERVER}/api/v2/assets/{UID}/data/?start={start + 2}"}
        page["results"] = [{"_id": start + i} for i in range(2)]
        return 200, json.dumps(page).encode()

    with pytest.raises(KoboError, match="AWDA_IMPORT_MAX_ROWS"):
        KoboClient(SERVER, "t", transport=pages, page_size=2).submissions(UID)


def test_kobo_pull_stops_past_the_byte_limit(settings):
    settings.AWDA_IMPORT_MAX_UPLOAD_MB = 1
    calls = []

    def pages(url, headers, timeout):
        calls.append(url)
        assert len(calls) < 10, "the pull was not stopped"
        start = int(url.rsplit("start=", 1)[1]) if "start=" in url else 0
        page = {
            "next": f"{SERVER}/api/v2/assets/{UID}/data/?start={start + 1}",
            "results": [{"_id": start, "blob": "x" * 400_000}],
        }
        return 200, json.dumps(page).encode()

    with pytest.raises(KoboError) as exc:
        KoboClient(SERVER, "t", transport=pages).submissions(UID)
    assert exc.value.code == "kobo_too_large" and exc.value.status == 400
    assert len(calls) == 3
