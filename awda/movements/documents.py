"""Printable movements documents: the manifest of a departure (PDF and XLSX) and the
pocket-money receipt to sign (PDF). The callers audit them (they hold personal data)."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awda.core import countries
from awda.core.documents import PdfDocument, xlsx_table
from awda.screening.health.choices import SpecialNeed

from . import selectors
from .choices import BookingStatus

NEED_LABELS = dict(SpecialNeed.choices)


def _country(code: str) -> str:
    try:
        return countries.name(code) if code else ""
    except Exception:  # noqa: BLE001 - an unknown code prints as is
        return code


def manifest_rows(departure, bookings=None) -> list[dict]:
    """One dict per traveller of the manifest: what the manifest page, the PDF, the XLSX and the
    API show. Fixed queries (the bookings, their documents)."""
    bookings = list(selectors.manifest(departure) if bookings is None else bookings)
    docs = selectors.travel_documents({b.person_id for b in bookings}, departure.departure_date)
    rows = []
    for b in bookings:
        person, case = b.person, b.case
        doc = docs.get(b.person_id)
        destination = ", ".join(
            x for x in (case.destination_area, _country(case.country_of_return)) if x
        )
        rows.append(
            {
                "booking": b,
                "case": case,
                "person": person,
                "name": person.full_name,
                "date_of_birth": person.date_of_birth,
                "birth_year": getattr(person, "birth_year", None),
                "nationality": person.nationality,
                "nationality_name": _country(person.nationality),
                "document_type": doc[0] if doc else "",
                "document_number": doc[1] if doc else "",
                "document_expiry": doc[2] if doc else None,
                "escort": str(b.escort) if b.escort_id else "",
                "special_needs": [str(NEED_LABELS.get(n, n)) for n in b.special_needs or []],
                "destination": destination,
                "destination_airport": b.destination_airport,
                "status": b.status,
                "status_label": BookingStatus(b.status).label,
                "airport_assistance": b.airport_assistance,
            }
        )
    return rows


def _dob(row) -> str:
    if row["date_of_birth"]:
        return date_format(row["date_of_birth"], "SHORT_DATE_FORMAT")
    return str(row["birth_year"] or "")


HEADERS = (
    lambda: _("Name"),
    lambda: _("Date of birth"),
    lambda: _("Nationality"),
    lambda: _("Document number"),
    lambda: _("Escort"),
    lambda: _("Special needs"),
    lambda: _("Destination"),
    lambda: _("Case"),
    lambda: _("Status"),
)


def _subtitle(departure) -> str:
    flight = departure.flight_number or departure.get_kind_display()
    when = date_format(departure.departure_date, "DATE_FORMAT")
    if departure.departure_time:
        when += f" {departure.departure_time:%H:%M}"
    return f"{departure.reference} · {flight} · {departure.from_airport} → {departure.to_airport} · {when}"


def manifest_pdf(departure, rows) -> bytes:
    doc = PdfDocument(
        _("Manifest"),
        subtitle=_subtitle(departure),
        landscape=True,
        organisation=departure.mission.name,
        footer=departure.reference,
    )
    escorts = list(selectors.escorts_of(departure))
    doc.fields(
        [
            (_("Carrier"), departure.carrier),
            (_("Seats"), departure.capacity or _("not limited")),
            (_("Travellers"), len(rows)),
            (
                _("Escorts"),
                "; ".join(f"{e} — {e.seats}" for e in escorts) or _("none"),
            ),
        ]
    )
    doc.table(
        [h() for h in HEADERS],
        [
            (
                r["name"],
                _dob(r),
                r["nationality"],
                r["document_number"],
                r["escort"],
                ", ".join(r["special_needs"]),
                r["destination"],
                r["case"].number,
                r["status_label"],
            )
            for r in rows
        ],
        widths=[3, 1.3, 0.9, 1.6, 2, 2.4, 2, 1.9, 1.1],
        numbered=True,
    )
    doc.signature_block([_("Movement officer"), _("Escort leader"), _("Date")])
    return doc.output()


def manifest_xlsx(departure, rows) -> bytes:
    return xlsx_table(
        [h() for h in HEADERS] + [_("Airport assistance"), _("Document expiry")],
        [
            (
                r["name"],
                r["date_of_birth"] or r["birth_year"],
                r["nationality"],
                r["document_number"],
                r["escort"],
                ", ".join(r["special_needs"]),
                r["destination"],
                r["case"].number,
                r["status_label"],
                r["airport_assistance"],
                r["document_expiry"],
            )
            for r in rows
        ],
        sheet=_("Manifest"),
        title=f"{_('Manifest')} {_subtitle(departure)}",
    )


def receipt_pdf(pocket_money) -> bytes:
    """The receipt the traveller signs when given the pocket money."""
    booking = pocket_money.booking
    person, case = booking.person, booking.case
    doc = PdfDocument(
        _("Pocket money receipt"),
        subtitle=case.number,
        organisation=case.mission.name if hasattr(case, "mission") else "",
    )
    doc.fields(
        [
            (_("Beneficiary"), person.full_name),
            (_("Date of birth"), person.date_of_birth),
            (_("Case"), case.number),
            (_("Travel date"), booking.travel_date),
            (
                _("Flight"),
                booking.departure.reference if booking.departure_id else booking.booking_reference,
            ),
            (_("Amount"), f"{pocket_money.amount} {pocket_money.currency}"),
            (_("Paid on"), pocket_money.paid_on),
            (_("Paid by"), pocket_money.paid_by.get_full_name() or pocket_money.paid_by),
        ]
    )
    doc.paragraph(
        _(
            "I, the undersigned, confirm that I received the amount above in cash as "
            "departure-day pocket money."
        )
    )
    doc.signature_block([_("Signature of the beneficiary"), _("Signature of the staff member")])
    return doc.output()
