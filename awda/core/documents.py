"""Printable documents generated on the server with pure-Python libraries: PDF with fpdf2 (LGPL-3.0)
and XLSX with XlsxWriter (BSD-2-Clause). Nothing here needs a system package, so `make run` works on
a bare machine.

The PDF font is DejaVu Sans (awda/core/fonts, free licence in LICENSE-DejaVu.txt): it covers Latin
with accents, Cyrillic, Greek and the Arabic letters, so names print as they were written. (Arabic
is printed letter by letter without contextual shaping; a shaping engine would need HarfBuzz.)

Apps build their documents from these blocks and audit every document that contains personal data
where they serve it (the caller knows what the document is about):

    doc = PdfDocument(_("Manifest"), subtitle=departure.label, landscape=True)
    doc.fields([(_("Date"), date_format(departure.date))])
    doc.table([_("Name"), _("Date of birth")], rows, widths=[3, 1])
    return pdf_response(doc.output(), "manifest.pdf")
"""

import datetime
import io
import logging
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

# fontTools logs every glyph subset at INFO
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


class _Pdf(FPDF):
    def __init__(self, *, footer_text: str, **kwargs):
        super().__init__(**kwargs)
        self.footer_text = footer_text

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.set_text_color(110)
        left = self.footer_text
        right = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 5, left, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, right, align="R")
        self.set_text_color(0)


class PdfDocument:
    """A simple A4 document: title, optional subtitle, then blocks in order."""

    def __init__(
        self,
        title: str,
        *,
        subtitle: str = "",
        landscape: bool = False,
        organisation: str = "",
        footer: str = "",
    ):
        stamp = _("Generated on %(when)s") % {"when": _text(timezone.now())}
        self.pdf = _Pdf(
            footer_text=" · ".join(x for x in (footer, stamp) if x),
            orientation="L" if landscape else "P",
            unit="mm",
            format="A4",
        )
        self.pdf.set_title(str(title))
        self.pdf.set_creator("Awda")
        self.pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.pdf.set_auto_page_break(auto=True, margin=16)
        self.pdf.set_margins(14, 14, 14)
        self.pdf.add_page()
        if organisation:
            self.pdf.set_font(FONT, size=8)
            self.pdf.set_text_color(90)
            self.pdf.cell(0, 5, organisation, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.pdf.set_text_color(0)
        self.pdf.set_font(FONT, "B", 15)
        self.pdf.multi_cell(0, 8, str(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.pdf.set_font(FONT, size=10)
            self.pdf.multi_cell(0, 6, str(subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(3)

    @property
    def width(self) -> float:
        return self.pdf.epw

    def heading(self, text: str) -> None:
        self.pdf.ln(2)
        self.pdf.set_font(FONT, "B", 11)
        self.pdf.multi_cell(0, 6, str(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)

    def paragraph(self, text: str, *, size: float = 10) -> None:
        self.pdf.set_font(FONT, size=size)
        self.pdf.multi_cell(0, size * 0.5, str(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(2)

    def fields(self, pairs: Iterable[tuple[str, object]], *, label_width: float = 55) -> None:
        """Label: value lines."""
        for label, value in pairs:
            self.pdf.set_font(FONT, "B", 9)
            self.pdf.cell(label_width, 6, f"{label}", new_x=XPos.RIGHT, new_y=YPos.TOP)
            self.pdf.set_font(FONT, size=10)
            self.pdf.multi_cell(0, 6, _text(value) or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(2)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        widths: Sequence[float] | None = None,
        size: float = 8,
        numbered: bool = False,
    ) -> int:
        """A table whose header repeats on every page; returns the number of rows written."""
        headers = [str(h) for h in headers]
        widths = list(widths) if widths else [1] * len(headers)
        if numbered:
            headers = ["#", *headers]
            widths = [0.35, *widths]
        self.pdf.set_font(FONT, size=size)
        count = 0
        with self.pdf.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=size * 0.55,
            headings_style=_heading_style(),
            repeat_headings=1,
            padding=1,
        ) as table:
            head = table.row()
            for h in headers:
                head.cell(h)
            for row in rows:
                count += 1
                cells = [_text(v) for v in row]
                if numbered:
                    cells = [str(count), *cells]
                line = table.row()
                for c in cells:
                    line.cell(c)
        self.pdf.ln(3)
        return count

    def signature_block(self, labels: Sequence[str]) -> None:
        """Boxes to sign in, side by side: "Signature of the beneficiary", "Date", ..."""
        if self.pdf.will_page_break(30):
            self.pdf.add_page()
        self.pdf.ln(4)
        gap = 6
        w = (self.width - gap * (len(labels) - 1)) / max(len(labels), 1)
        y = self.pdf.get_y()
        for i, label in enumerate(labels):
            x = self.pdf.l_margin + i * (w + gap)
            self.pdf.set_xy(x, y)
            self.pdf.set_font(FONT, size=8)
            self.pdf.cell(w, 5, str(label))
            self.pdf.rect(x, y + 6, w, 20)
        self.pdf.set_xy(self.pdf.l_margin, y + 30)

    def page_break(self) -> None:
        self.pdf.add_page()

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", fill_color=(225, 230, 236))


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet: str = "Sheet1",
    title: str = "",
) -> bytes:
    """One worksheet: an optional title line, a bold header row (frozen, with filters), then the
    rows. Dates stay dates and amounts stay numbers so that the sheet can be sorted and summed."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bg_color": "#E1E6EC", "border": 1})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    datetime_fmt = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    money_fmt = book.add_format({"num_format": "#,##0.00"})
    r = 0
    if title:
        ws.write(0, 0, str(title), book.add_format({"bold": True, "font_size": 13}))
        r = 2
    headers = [str(h) for h in headers]
    widths = [max(10, len(h) + 2) for h in headers]
    for c, h in enumerate(headers):
        ws.write(r, c, h, bold)
    header_row = r
    for row in rows:
        r += 1
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, datetime.datetime):
                ws.write_datetime(
                    r, c, timezone.localtime(value).replace(tzinfo=None), datetime_fmt
                )
            elif isinstance(value, datetime.date):
                ws.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_fmt)
            elif isinstance(value, Decimal):
                ws.write_number(r, c, float(value), money_fmt)
            elif isinstance(value, bool):
                ws.write_string(r, c, _text(value))
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                text = str(value)
                ws.write_string(r, c, text)
                widths[c] = min(max(widths[c], len(text) + 2), 60)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(header_row + 1, 0)
    if headers:
        ws.autofilter(header_row, 0, max(r, header_row), len(headers) - 1)
    book.close()
    return buffer.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
