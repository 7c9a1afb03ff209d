"""The printable documents of the ledger (awda.core.documents): the assistance receipt a
beneficiary signs, and the distribution sheet (one signature line per recipient). They hold
personal data: the services that build them (services.assistance_receipt_print,
services.distribution_sheet_print) audit every print."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from awda.core.documents import FONT, PdfDocument, _text

from .selectors import totals_of


def money(value: Decimal) -> str:
    """An amount as printed: exact, two decimals, a dot (no grouping that could be misread)."""
    return f"{Decimal(value):.2f}"


def quantity(value: Decimal) -> str:
    """A quantity without useless decimals: 3, 2.5, 0.25."""
    text = f"{Decimal(value):.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _what(line) -> str:
    parts = [line.get_kind_display()]
    if line.description:
        parts.append(line.description)
    if line.place:
        parts.append(line.place)
    if line.end_date and line.end_date != line.start_date:
        parts.append(
            _("%(start)s to %(end)s")
            % {"start": _text(line.start_date), "end": _text(line.end_date)}
        )
    if line.nights and line.unit != "night":
        parts.append(_("%(n)s night(s)") % {"n": line.nights})
    return " — ".join(str(p) for p in parts)


def _organisation(case) -> str:
    office = case.office
    return f"{office.mission.name} — {office.name}" if office else ""


def receipt_pdf(case, person, lines: Sequence) -> bytes:
    """ "Reçu d'assistance": case number, the beneficiary, the items with quantities and amounts,
    totals per currency, and boxes for the beneficiary's and the staff member's signatures."""
    doc = PdfDocument(
        _("Assistance receipt"),
        subtitle=_("Case %(number)s") % {"number": case.number},
        organisation=_organisation(case),
        footer=case.number,
    )
    doc.fields(
        [
            (_("Case number"), case.number),
            (_("Beneficiary"), person.full_name),
            (_("Date of birth"), person.date_of_birth or person.birth_year),
            (_("Nationality"), person.nationality_name),
            (_("Office"), case.office.name),
        ]
    )
    rows = [
        (
            line.start_date,
            _what(line),
            line.provider.name if line.provider else "",
            f"{quantity(line.quantity)} {line.unit}",
            money(line.unit_cost),
            f"{money(line.total)} {line.currency}",
        )
        for line in lines
    ]
    doc.table(
        [_("Date"), _("Assistance"), _("Provider"), _("Quantity"), _("Unit cost"), _("Amount")],
        rows,
        widths=[1.1, 3.4, 1.8, 1.2, 1.1, 1.5],
        numbered=True,
    )
    doc.fields(
        [(_("Total"), f"{money(total)} {cur}") for cur, total in totals_of(lines).items()],
        label_width=30,
    )
    doc.paragraph(
        _(
            "I, the undersigned, confirm that I received the assistance listed above, free of "
            "charge, as part of the assisted voluntary return programme."
        ),
        size=9,
    )
    doc.signature_block(
        [
            _("Signature (or thumbprint) of the beneficiary"),
            _("Name and signature of the staff member"),
            _("Date and place"),
        ]
    )
    return doc.output()


def distribution_sheet_pdf(distribution, lines: Sequence) -> bytes:
    """One page (or more) per distribution: what was given, then one line per recipient with a
    box to sign in."""
    office = distribution.office
    doc = PdfDocument(
        _("Distribution sheet"),
        subtitle=f"{distribution.get_kind_display()} — {_text(distribution.distributed_on)}",
        organisation=f"{office.mission.name} — {office.name}",
        footer=_("Distribution #%(id)s") % {"id": distribution.pk},
        landscape=True,
    )
    doc.fields(
        [
            (_("Date"), distribution.distributed_on),
            (_("Type of assistance"), distribution.get_kind_display()),
            (_("Items"), distribution.description),
            (_("Provider"), distribution.provider.name if distribution.provider else ""),
            (
                _("Per person"),
                f"{quantity(distribution.quantity)} {distribution.unit} × "
                f"{money(distribution.unit_cost)} {distribution.currency}",
            ),
            (_("Recorded by"), distribution.recorded_by),
        ]
    )
    headers = [
        "#",
        _("Case"),
        _("Name"),
        _("Date of birth"),
        _("Quantity"),
        _("Amount"),
        _("Signature or thumbprint"),
    ]
    widths = [8, 38, 62, 26, 24, 30]
    widths.append(doc.width - sum(widths))
    pdf = doc.pdf
    height = 11

    def header():
        pdf.set_font(FONT, "B", 8)
        pdf.set_fill_color(225, 230, 236)
        for text, w in zip(headers, widths, strict=True):
            pdf.cell(w, 7, str(text), border=1, fill=True, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.ln(7)
        pdf.set_font(FONT, size=8)

    header()
    for count, line in enumerate(lines, start=1):
        if pdf.will_page_break(height):
            pdf.add_page()
            header()
        person = line.person
        cancelled = line.status == "cancelled"
        cells = [
            str(count),
            line.case.number,
            person.full_name + (f" ({_('cancelled')})" if cancelled else ""),
            _text(person.date_of_birth or person.birth_year),
            f"{quantity(line.quantity)} {line.unit}",
            f"{money(line.total)} {line.currency}",
            "—" if cancelled else "",
        ]
        for text, w in zip(cells, widths, strict=True):
            pdf.cell(w, height, text, border=1, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.ln(height)
    pdf.ln(3)
    doc.fields(
        # cancelled lines stay on the sheet (struck out) but count neither here nor in the totals
        [(_("Recipients"), sum(1 for ln in lines if ln.status != "cancelled"))]
        + [(_("Total"), f"{money(t)} {cur}") for cur, t in totals_of(lines).items()],
        label_width=30,
    )
    doc.signature_block([_("Distributed by (name and signature)"), _("Verified by"), _("Date")])
    return doc.output()
