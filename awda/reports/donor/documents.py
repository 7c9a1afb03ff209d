"""The donor report as a PDF (fpdf2, DejaVu fonts with accents: awda.core.documents) and as an
XLSX annex (XlsxWriter, one sheet per section, numbers kept as numbers)."""

import io
from decimal import Decimal

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from awda.core.documents import PdfDocument

from .report import DonorReport, Section, is_suppressed

# The mark of a count not shown: the same whether it is small or hidden so that a small one
# cannot be worked out from a total ("< 11" would be untrue of the latter, and would tell which
# is which).
SUPPRESSED_MARK = "*"


def _suppressed_text(report: DonorReport) -> str:
    return SUPPRESSED_MARK


def cell_text(report: DonorReport, value, kind: str) -> str:
    if is_suppressed(value):
        return _suppressed_text(report)
    if value is None or value == "":
        return "—" if kind != "text" else ""
    if kind == "amount":
        return number_format(Decimal(value), decimal_pos=2, force_grouping=True)
    if kind == "count":
        return number_format(value, force_grouping=True)
    return str(value)


def _period(report: DonorReport) -> str:
    return _("%(start)s to %(end)s") % {
        "start": date_format(report.date_from, "SHORT_DATE_FORMAT"),
        "end": date_format(report.date_to, "SHORT_DATE_FORMAT"),
    }


def _header_fields(report: DonorReport) -> list[tuple[str, object]]:
    project = report.project
    donors = ", ".join(d.name for d in report.donors) or "—"
    return [
        (_("Project"), f"{project.code} – {project.name}"),
        (_("Donors"), donors),
        (_("Mission"), str(project.mission)),
        (
            _("Project period"),
            _("%(start)s to %(end)s")
            % {
                "start": date_format(project.start_date, "SHORT_DATE_FORMAT"),
                "end": date_format(project.end_date, "SHORT_DATE_FORMAT"),
            },
        ),
        (_("Reporting period"), _period(report)),
        (_("Currency"), project.currency),
    ]


def suppression_note(report: DonorReport) -> str:
    return _(
        "%(mark)s To protect the people assisted, counts of persons or cases from 1 to %(k1)s "
        "are not shown, and neither is a count from which, with a total of its row or of its "
        "column, a hidden one could be worked out; both are marked “%(mark)s”. No names or "
        "case numbers appear in this report."
    ) % {"k1": report.min_cell - 1, "mark": _suppressed_text(report)}


def _organisation() -> str:
    return str(settings.AWDA_IATI_REPORTING_ORG.get("name", ""))


def display_sections(report: DonorReport) -> list[dict]:
    """The sections with their cells as text, for the page: {"section", "headers", "rows",
    "total"}; each header and cell is {"text", "num"} (num: a figure, aligned right)."""

    def cells(values, kinds):
        return [
            {"text": cell_text(report, v, k), "num": k != "text"}
            for v, k in zip(values, kinds, strict=True)
        ]

    out = []
    for s in report.sections:
        out.append(
            {
                "section": s,
                "headers": [
                    {"text": h, "num": k != "text"} for h, k in zip(s.headers, s.kinds, strict=True)
                ],
                "rows": [cells(r, s.kinds) for r in s.rows],
                "total": cells(s.total, s.kinds) if s.total else None,
            }
        )
    return out


# ---- PDF ----------------------------------------------------------------------------------------


def donor_report_pdf(report: DonorReport) -> bytes:
    project = report.project
    doc = PdfDocument(
        _("Donor report"),
        subtitle=f"{project.code} – {project.name} · {_period(report)}",
        organisation=_organisation(),
        footer=f"{project.code} · {_period(report)}",
    )
    doc.fields(_header_fields(report), label_width=45)
    if report.min_cell > 1:
        doc.paragraph(suppression_note(report), size=8)
    for section in report.sections:
        _pdf_section(doc, report, section)
    return doc.output()


def _pdf_section(doc: PdfDocument, report: DonorReport, section: Section) -> None:
    doc.heading(section.title)
    rows = [
        [cell_text(report, v, k) for v, k in zip(row, section.kinds, strict=True)]
        for row in section.rows
    ]
    if section.total:
        rows.append(
            [cell_text(report, v, k) for v, k in zip(section.total, section.kinds, strict=True)]
        )
    if not rows:
        doc.paragraph(_("Nothing in the period."), size=9)
    else:
        widths = [2.6 if k == "text" else 1 for k in section.kinds]
        if section.key == "budget":
            widths = [0.7, 2.2, 1, 1, 1, 1, 1, 1]
        doc.table(section.headers, rows, widths=widths, size=7.5)
    if section.note:
        doc.paragraph(section.note, size=8)


# ---- XLSX ---------------------------------------------------------------------------------------


def donor_report_xlsx(report: DonorReport) -> bytes:
    """One sheet per section after a "Report" sheet (project, donors, period, notes)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#E1E6EC", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    money_bold = book.add_format({"num_format": "#,##0.00", "bold": True})
    count_bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    ws = book.add_worksheet(_("Report")[:31])
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 70)
    ws.write(0, 0, _("Donor report"), title)
    r = 2
    for label, value in _header_fields(report):
        ws.write(r, 0, label, bold)
        ws.write_string(r, 1, str(value))
        r += 1
    r += 1
    if report.min_cell > 1:
        ws.write(r, 0, _("Small numbers"), bold)
        ws.write(r, 1, suppression_note(report), wrap)
        r += 1

    used = set()
    for section in report.sections:
        name = _sheet_name(section.sheet or section.title, used)
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, section.title, title)
        for c, h in enumerate(section.headers):
            sheet.write(2, c, h, head)
            sheet.set_column(c, c, 34 if section.kinds[c] == "text" else 16)
        row = 3
        for cells in section.rows:
            _xlsx_row(sheet, row, report, cells, section.kinds, money, None)
            row += 1
        if section.total:
            _xlsx_row(sheet, row, report, section.total, section.kinds, money_bold, count_bold)
            row += 1
        if section.note:
            sheet.write(row + 1, 0, section.note)
        sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()


def _sheet_name(title: str, used: set) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:26]} {n}"
        n += 1
    used.add(name.lower())
    return name


def _xlsx_row(sheet, row, report, cells, kinds, money_fmt, count_fmt) -> None:
    for c, (value, kind) in enumerate(zip(cells, kinds, strict=True)):
        if is_suppressed(value):
            sheet.write_string(row, c, _suppressed_text(report))
        elif value is None or value == "":
            continue
        elif kind == "amount":
            sheet.write_number(row, c, float(value), money_fmt)
        elif kind == "count" and isinstance(value, int):
            if count_fmt is not None:
                sheet.write_number(row, c, value, count_fmt)
            else:
                sheet.write_number(row, c, value)
        else:
            sheet.write_string(row, c, str(value))
