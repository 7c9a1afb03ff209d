"""The printed batch list (PDF and XLSX, awda.core.documents) sent to a consulate or to the
authorities: one line per person with name, sex, date of birth, place of birth (when the
registry knows it), nationality, the document held, case number and office.

The caller audits every print (services.batch_printed): the list holds personal data."""

from django.utils import timezone
from django.utils.translation import gettext as _

from awda.core import countries
from awda.core.documents import PdfDocument, xlsx_table

from .choices import DocumentStatus


def headers() -> list[str]:
    return [
        _("Name"),
        _("Sex"),
        _("Date of birth"),
        _("Place of birth"),
        _("Nationality"),
        _("Document held"),
        _("Case number"),
        _("Office"),
    ]


def _held(item, today) -> str:
    """The travel document the person holds in the case (issued, not expired), otherwise the
    identity documents recorded in the registry, otherwise "none"."""
    from .models import TravelDocument

    docs = [
        d
        for d in getattr(item, "held_documents", ())
        if isinstance(d, TravelDocument)
        and d.status == DocumentStatus.ISSUED
        and d.expires_on
        and d.expires_on > today
    ]
    if docs:
        return "; ".join(f"{d.get_kind_display()} {d.number}" for d in docs)
    ids = list(item.person.documents.all())
    if ids:
        return "; ".join(f"{d.get_doc_type_display()} {d.number}" for d in ids)
    return _("none")


def _birth(person):
    if person.date_of_birth:
        return person.date_of_birth
    if person.birth_year:
        return _("%(year)s (estimated)") % {"year": person.birth_year}
    return ""


def rows(items) -> list[list]:
    today = timezone.localdate()
    out = []
    for item in items:
        p = item.person
        out.append(
            [
                p.full_name,
                p.get_sex_display(),
                _birth(p),
                # The registry holds no place of birth yet: printed when a field provides it.
                getattr(p, "place_of_birth", "") or "",
                countries.name(p.nationality) if p.nationality else "",
                _held(item, today),
                item.case.number,
                item.case.office.name,
            ]
        )
    return out


def title(batch) -> str:
    if batch.kind == "consulate":
        return _("Laissez-passer requests to %(recipient)s") % {"recipient": batch.recipient.name}
    return _("Exit authorisation requests to %(recipient)s") % {"recipient": batch.recipient.name}


def batch_pdf(batch, items) -> bytes:
    doc = PdfDocument(
        title(batch),
        subtitle=_("List #%(id)s, %(office)s") % {"id": batch.pk, "office": batch.office.name},
        landscape=True,
        organisation=batch.office.mission.name if batch.office.mission_id else "",
        footer=_("Personal data: handle in confidence."),
    )
    doc.fields(
        [
            (_("Recipient"), batch.recipient.name),
            (_("Status"), batch.get_status_display()),
            (_("Sent on"), batch.sent_on),
            (_("Persons"), len(items)),
        ]
    )
    doc.table(headers(), rows(items), widths=[3, 1, 1.3, 1.5, 1.5, 3, 2.2, 1.3], numbered=True)
    return doc.output()


def batch_xlsx(batch, items) -> bytes:
    return xlsx_table(headers(), rows(items), sheet=_("List"), title=title(batch))
