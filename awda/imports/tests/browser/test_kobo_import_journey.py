"""Issue 7's done-when, in a real browser: "A caseworker imports a 5,000-row Kobo export with
household members, fixes the mapping of two columns, sees 12 invalid rows with their reasons,
imports the rest, and re-importing it creates nothing new."

The export comes from kobo_factory (5,000 submissions, household members in a repeat group, 12
invalid rows). Two of its headers are renamed to names no mapping could guess ("q7", "q12"
for the principal's sex and date of birth), so the caseworker maps them by hand; the mapping is
saved as a source and reused for the second upload of the same file."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from awda.cases.models import Case
from awda.cases.tests.browser.test_register_to_eligible import log_in
from awda.imports.models import ImportJob
from awda.imports.services import commit
from awda.imports.tests.kobo_factory import expected_errors, make_kobo_export

pytestmark = pytest.mark.browser

ROWS, INVALID = 5000, 12
RENAMED = {"group_person/sex": "group_person/q7", "group_person/date_of_birth": "group_person/q12"}


def _export_with_opaque_headers() -> bytes:
    """The factory's export with two main-sheet headers renamed (in the shared strings)."""
    source = zipfile.ZipFile(io.BytesIO(make_kobo_export(rows=ROWS, invalid=INVALID)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                text = data.decode()
                for old, new in RENAMED.items():
                    assert f">{old}<" in text
                    text = text.replace(f">{old}<", f">{new}<")
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def _upload(page, data, *, source_label=None):
    page.get_by_test_id("nav-imports").click()
    page.get_by_test_id("import-new").click()
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "enregistrement-avrr.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": data,
            }
        ],
    )
    if source_label:
        page.select_option("#id_source", label=source_label)
    page.get_by_test_id("upload-submit").click()
    expect(page.get_by_test_id("mapping-table")).to_be_visible(timeout=60_000)


def test_caseworker_imports_a_kobo_export_and_reimporting_creates_nothing(
    page, caseworker, rabat, monkeypatch
):
    # Duplicate detection of the new persons is a job of its own (tested with it).
    monkeypatch.setattr(commit, "_detect_duplicates_later", lambda *a, **k: None)
    data = _export_with_opaque_headers()
    # Reading a 5,000-row XLSX and importing it take seconds: the clicks wait for those pages.
    page.set_default_timeout(120_000)
    log_in(page, caseworker.username)

    _upload(page, data)
    # The two opaque columns are not mapped: the page says what is missing.
    expect(page.get_by_test_id("mapping-problems")).to_be_visible()
    expect(page.get_by_test_id("col-principal.sex")).to_have_value("")
    expect(page.get_by_test_id("member-group")).to_have_value("group_members")
    page.get_by_test_id("col-principal.sex").select_option("group_person/q7")
    page.get_by_test_id("col-principal.date_of_birth").select_option("group_person/q12")
    page.get_by_test_id("source-name").fill("Kobo AVRR Rabat")
    page.get_by_test_id("mapping-submit").click()

    # 12 invalid rows, each with its reason.
    expect(page.get_by_test_id("count-invalid")).to_have_text("12", timeout=60_000)
    expect(page.get_by_test_id("count-new")).to_contain_text("4")
    rows = page.get_by_test_id("error-row")
    expect(rows).to_have_count(12)
    shown = {
        int(rows.nth(i).locator("td").nth(0).inner_text()): rows.nth(i)
        .locator("td")
        .nth(1)
        .inner_text()
        for i in range(12)
    }
    assert shown == expected_errors(ROWS, INVALID, True)
    for i in range(12):
        assert rows.nth(i).locator("td").nth(4).inner_text().strip()

    # Import the valid rows only.
    expect(page.get_by_test_id("mode-valid")).to_be_checked()
    page.get_by_test_id("import-start").click()
    expect(page.get_by_test_id("result-created")).to_have_text("4,988", timeout=120_000)
    expect(page.get_by_test_id("result-rejected")).to_have_text("12")
    expect(page.get_by_test_id("rejected-download")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("rejected-download").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert Case.objects.filter(office=rabat).count() == ROWS - INVALID

    # The same export again, with the saved source: nothing new.
    _upload(page, data, source_label="Kobo AVRR Rabat")
    expect(page.get_by_test_id("mapping-problems")).to_have_count(0)
    expect(page.get_by_test_id("col-principal.sex")).to_have_value("group_person/q7")
    page.get_by_test_id("mapping-submit").click()
    expect(page.get_by_test_id("count-new")).to_have_text("0", timeout=60_000)
    expect(page.get_by_test_id("already-note")).to_be_visible()
    page.get_by_test_id("import-start").click()
    expect(page.get_by_test_id("result-created")).to_have_text("0", timeout=120_000)
    assert Case.objects.filter(office=rabat).count() == ROWS - INVALID
    assert ImportJob.objects.filter(status="done").count() == 2
