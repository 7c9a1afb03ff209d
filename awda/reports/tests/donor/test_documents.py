"""The donor report as PDF (text read back with pypdf) and XLSX annex (read with openpyxl): the
same figures as the report data, accents intact, no names or case numbers."""

import io
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from awda.cases.models import Case
from awda.registry.models import Person
from awda.reports.donor.documents import donor_report_pdf, donor_report_xlsx
from awda.reports.donor.report import donor_report

from .conftest import PERIOD


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def no_personal_data(text: str) -> None:
    for person in Person.objects.all():
        assert person.given_name not in text
        assert person.family_name not in text
    for number in Case.objects.values_list("number", flat=True):
        assert number not in text


@pytest.fixture
def report(activity, auditor, settings):
    settings.AWDA_HXL_MIN_CELL = 1
    return donor_report(auditor, activity, **PERIOD)


def test_pdf_has_the_project_the_period_and_the_figures(report):
    data = donor_report_pdf(report)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Donor report" in text
    assert "AVRR-MA-2026 – AVRR Maroc – Sénégal" in text
    assert "State Secretariat for Migration" in text
    assert "01/01/2026" in text or "2026-01-01" in text
    assert "People reached by age group and sex" in text
    assert "Billets d'avion" in text and "Assistance générale" in text
    assert "10,000.00" in text and "8,200.00" in text and "13,055.00" in text
    assert "Medical care 3" in text
    assert "Not on a budget line" in text
    no_personal_data(text)


def test_pdf_marks_suppressed_counts(activity, auditor):
    text = pdf_text(donor_report_pdf(donor_report(auditor, activity, **PERIOD)))
    assert "Returnees *" in text
    assert "counts of persons or cases from 1 to 10 are not shown" in text
    assert "10,000.00" in text  # amounts are not suppressed


def test_xlsx_annex_has_a_sheet_per_section_with_numbers(report):
    book = openpyxl.load_workbook(io.BytesIO(donor_report_xlsx(report)))
    assert book.sheetnames == [
        "Report",
        "Activities",
        "People by age and sex",
        "People by sex",
        "Assistance",
        "Reintegration assistance",
        "Budget lines",
    ]
    info = {r[0]: r[1] for r in book["Report"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert info["Project"] == "AVRR-MA-2026 – AVRR Maroc – Sénégal"
    assert info["Donors"] == "State Secretariat for Migration"

    activities = {
        r[0]: r[1] for r in book["Activities"].iter_rows(min_row=4, values_only=True) if r[0]
    }
    assert activities["Returnees"] == 4

    ages = list(book["People by age and sex"].iter_rows(min_row=3, values_only=True))
    assert ages[0] == ("Age group (at departure)", "Returnees", "Female", "Male")
    assert ages[1:5] == [
        ("5-11", 1, 1, 0),
        ("25-59", 2, 1, 1),
        ("60+", 1, 0, 1),
        ("Total", 4, 2, 2),
    ]

    budget = list(book["Budget lines"].iter_rows(min_row=4, values_only=True))
    section = report.section("budget")
    for cells, row in zip(budget, [*section.rows, section.total], strict=False):
        numbers = [
            Decimal(str(v)).quantize(Decimal("0.01")) if v is not None else None for v in cells[2:8]
        ]
        expected = [v.quantize(Decimal("0.01")) if v is not None else None for v in row[2:8]]
        assert numbers == expected
    text = " ".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    )
    no_personal_data(text)


def test_xlsx_writes_suppressed_counts_as_text(activity, auditor):
    report = donor_report(auditor, activity, **PERIOD)
    book = openpyxl.load_workbook(io.BytesIO(donor_report_xlsx(report)))
    activities = {
        r[0]: r[1] for r in book["Activities"].iter_rows(min_row=4, values_only=True) if r[0]
    }
    assert activities["Returnees"] == "*"
    notes = [r[1] for r in book["Report"].iter_rows(values_only=True) if r[0] == "Small numbers"]
    assert notes and "not shown" in notes[0]
