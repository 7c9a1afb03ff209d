"""The acknowledgement of receipt of an in-kind purchase (awda.core.documents), for the
returnee to sign when the goods are handed over. It holds personal data: the service that
builds it (services.acknowledgement_print) audits every print."""

from decimal import Decimal

from django.utils.translation import gettext as _

from awda.core.documents import PdfDocument


def _money(value) -> str:
    return f"{Decimal(value):.2f}"


def _quantity(value) -> str:
    text = f"{Decimal(value):.2f}"
    return text.rstrip("0").rstrip(".")


def acknowledgement_pdf(purchase, person) -> bytes:
    """Case, returnee, supplier, the items with quantities and amounts, the total, and boxes
    for the returnee's, the supplier's and the staff member's signatures."""
    case = purchase.case
    office = getattr(getattr(case, "reintegration", None), "office", None) or case.office
    doc = PdfDocument(
        _("Acknowledgement of receipt"),
        subtitle=_("Case %(number)s — purchase #%(id)s")
        % {"number": case.number, "id": purchase.pk},
        organisation=f"{office.mission.name} — {office.name}",
        footer=case.number,
    )
    supplier = purchase.supplier
    doc.fields(
        [
            (_("Case number"), case.number),
            (_("Returnee"), person.full_name if person else ""),
            (_("Date of birth"), (person.date_of_birth or person.birth_year) if person else ""),
            (_("Supplier"), ", ".join(x for x in (supplier.name, supplier.city) if x)),
            (_("Ordered on"), purchase.ordered_on),
            (_("Delivered on"), purchase.delivered_on),
            (_("Invoice number"), purchase.invoice_number),
            (_("Project"), purchase.project.code),
        ]
    )
    rows = [
        (
            line.description,
            f"{_quantity(line.quantity)} {line.unit}",
            _money(line.unit_price),
            f"{_money(line.total)} {purchase.currency}",
        )
        for line in purchase.lines.all()
    ]
    doc.table(
        [_("Item"), _("Quantity"), _("Unit price"), _("Amount")],
        rows,
        widths=[4.4, 1.4, 1.2, 1.6],
        numbered=True,
    )
    doc.fields([(_("Total"), f"{_money(purchase.total)} {purchase.currency}")], label_width=30)
    doc.paragraph(
        _(
            "I, the undersigned, confirm that I received the items listed above, in good "
            "condition, free of charge, as part of my reintegration assistance."
        ),
        size=9,
    )
    doc.signature_block(
        [
            _("Signature (or thumbprint) of the returnee"),
            _("Name and signature of the supplier"),
            _("Name and signature of the staff member"),
        ]
    )
    doc.signature_block([_("Date and place")])
    return doc.output()
