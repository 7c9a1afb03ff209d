"""The printable-document blocks (awda/core/documents.py): what goes in comes out readable."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pypdf
from django.utils import translation

from awda.core.documents import PdfDocument, pdf_response, xlsx_response, xlsx_table


def _text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_pdf_keeps_accents_and_other_scripts():
    doc = PdfDocument("Déclaration de retour volontaire", subtitle="Dossier MA-RBA-2026-00042")
    doc.fields([("Nom", "Aïssatou Bâ"), ("Nom (autre écriture)", "Фатима"), ("Né le", None)])
    pages = _text(doc.output())
    assert "Déclaration de retour volontaire" in pages[0]
    assert "Aïssatou Bâ" in pages[0]
    assert "Фатима" in pages[0]
    assert "MA-RBA-2026-00042" in pages[0]


def test_pdf_table_repeats_its_header_on_every_page_and_numbers_rows():
    doc = PdfDocument("Manifest", landscape=True)
    rows = [(f"Traveller {i:03}", datetime.date(1990, 1, 1), "GN") for i in range(1, 121)]
    written = doc.table(["Name", "Date of birth", "Nationality"], rows, numbered=True)
    pages = _text(doc.output())
    assert written == 120
    assert len(pages) > 2
    assert all("Date of birth" in page for page in pages)
    assert "Traveller 120" in pages[-1]
    assert "120" in pages[-1]


def test_pdf_dates_follow_the_active_language():
    with translation.override("fr"):
        doc = PdfDocument("Reçu")
        doc.fields([("Date", datetime.date(2026, 12, 15))])
        assert "15/12/2026" in _text(doc.output())[0]


def test_signature_block_moves_to_a_new_page_when_the_page_is_full():
    doc = PdfDocument("Receipt")
    doc.table(["Item"], [(f"line {i}",) for i in range(58)])
    doc.signature_block(["Signature of the beneficiary", "Staff"])
    pages = _text(doc.output())
    assert "Signature of the beneficiary" in pages[-1]


def test_xlsx_keeps_types_for_sorting_and_sums():
    data = xlsx_table(
        ["Name", "Born", "Amount", "Count"],
        [("Ousmane Diallo", datetime.date(1982, 3, 14), Decimal("30.50"), 2), ("", None, None, 0)],
        title="Manifest",
        sheet="Manifest with a very long sheet title beyond 31 chars",
    )
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    values = list(ws.values)
    assert values[0][0] == "Manifest"
    assert values[2] == ("Name", "Born", "Amount", "Count")
    assert values[3] == ("Ousmane Diallo", datetime.datetime(1982, 3, 14), 30.5, 2)
    assert values[4] == (None, None, None, 0)
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:D5"


def test_responses_are_not_cached():
    pdf = pdf_response(b"%PDF", "x.pdf")
    xlsx = xlsx_response(b"PK", "x.xlsx")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store"
    assert 'filename="x.xlsx"' in xlsx["Content-Disposition"]
    assert xlsx["Cache-Control"] == "no-store"
