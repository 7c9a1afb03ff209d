"""The travel-document part of the readiness checklist (cases.readiness, the `travel_safeguards`
gate of mark_ready, book, confirm_departure and resume): every traveller needs an issued travel
document whose expiry is after the travel date, and a granted exit authorisation still valid on
that day. The travel date is cases.readiness.travel_date(case) (the first leg of the booking once
the movements app resolves it, otherwise today).

Not restricted: the detail says precisely what is missing, e.g. "laissez-passer LP-123 expires on
10/12/2026, before the travel date 15/12/2026"."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awda.cases.readiness import Check

from .choices import DocumentStatus, ExitStatus
from .models import ExitAuthorisation, TravelDocument
from .selectors import document_valid, exit_valid

DOCUMENT_CODE = "travel_document"
EXIT_CODE = "exit_authorisation"


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _newest(rows):
    return max(rows, key=lambda r: (r.created_at, r.pk)) if rows else None


def document_check(docs, on_date: datetime.date) -> Check:
    """The check for one traveller from their documents in the case (cancelled ones left out)."""
    label = _("Travel document")
    docs = [d for d in docs if d.status != DocumentStatus.CANCELLED]
    valid = [d for d in docs if document_valid(d, on_date)]
    if valid:
        doc = max(valid, key=lambda d: (d.expires_on, d.pk))
        return Check(
            DOCUMENT_CODE,
            label,
            True,
            _("%(document)s valid until %(date)s")
            % {"document": doc.label, "date": _day(doc.expires_on)},
        )
    requested = _newest([d for d in docs if d.status == DocumentStatus.REQUESTED])
    if requested is not None:
        values = {
            "document": requested.label,
            "consulate": requested.consulate.name if requested.consulate else "",
            "date": _day(requested.requested_on) if requested.requested_on else "",
        }
        if requested.consulate and requested.requested_on:
            detail = _("%(document)s requested from %(consulate)s on %(date)s, not issued yet")
        elif requested.consulate:
            detail = _("%(document)s requested from %(consulate)s, not issued yet")
        else:
            detail = _("%(document)s requested, not issued yet")
        return Check(DOCUMENT_CODE, label, False, detail % values)
    expiring = [d for d in docs if d.status == DocumentStatus.ISSUED]
    if expiring:
        doc = max(expiring, key=lambda d: (d.expires_on or datetime.date.min, d.pk))
        if doc.expires_on is None:
            detail = _("%(document)s has no expiry date") % {"document": doc.label}
        elif doc.expires_on == on_date:
            detail = _("%(document)s expires on the travel date %(travel)s") % {
                "document": doc.label,
                "travel": _day(on_date),
            }
        else:
            detail = _("%(document)s expires on %(date)s, before the travel date %(travel)s") % {
                "document": doc.label,
                "date": _day(doc.expires_on),
                "travel": _day(on_date),
            }
        return Check(DOCUMENT_CODE, label, False, detail)
    refused = _newest([d for d in docs if d.status == DocumentStatus.REFUSED])
    if refused is not None:
        return Check(
            DOCUMENT_CODE, label, False, _("%(document)s refused") % {"document": refused.label}
        )
    return Check(DOCUMENT_CODE, label, False, _("no travel document"))


def exit_check(auths, on_date: datetime.date) -> Check:
    label = _("Exit authorisation")
    valid = [a for a in auths if exit_valid(a, on_date)]
    if valid:
        auth = _newest(valid)
        if auth.valid_until:
            detail = _("granted, valid until %(date)s") % {"date": _day(auth.valid_until)}
        else:
            detail = _("granted")
        if auth.reference:
            detail = f"{detail} ({auth.reference})"
        return Check(EXIT_CODE, label, True, detail)
    requested = _newest([a for a in auths if a.status == ExitStatus.REQUESTED])
    if requested is not None:
        return Check(
            EXIT_CODE,
            label,
            False,
            _("requested from %(authority)s on %(date)s, not granted yet")
            % {"authority": requested.authority.name, "date": _day(requested.requested_on)},
        )
    granted = _newest([a for a in auths if a.status == ExitStatus.GRANTED])
    if granted is not None:
        return Check(
            EXIT_CODE,
            label,
            False,
            _("valid until %(date)s, before the travel date %(travel)s")
            % {"date": _day(granted.valid_until), "travel": _day(on_date)},
        )
    if any(a.status == ExitStatus.REFUSED for a in auths):
        return Check(EXIT_CODE, label, False, _("refused"))
    return Check(EXIT_CODE, label, False, _("no exit authorisation"))


def collect(case, travellers, on_date):
    """Two queries whatever the number of travellers (collect_many for this one case)."""
    return collect_many([(case, travellers)], on_date)


def collect_many(items, on_date):
    """The document and exit-authorisation checks of many (case, travellers) pairs: two queries
    for every case together, the travel documents (with their consulates) and the exit
    authorisations (with their authorities); the operations board reads many cases at once
    through cases.readiness.cases_readiness."""
    cases = [case for case, _members in items]
    person_ids = {m.person_id for _case, members in items for m in members}
    docs: dict[tuple[int, int], list] = {}
    for d in TravelDocument.objects.filter(case__in=cases, person_id__in=person_ids).select_related(
        "consulate"
    ):
        docs.setdefault((d.case_id, d.person_id), []).append(d)
    auths: dict[tuple[int, int], list] = {}
    for a in ExitAuthorisation.objects.filter(
        case__in=cases, person_id__in=person_ids
    ).select_related("authority"):
        auths.setdefault((a.case_id, a.person_id), []).append(a)
    return {
        m.pk: [
            document_check(docs.get((case.pk, m.person_id), []), on_date),
            exit_check(auths.get((case.pk, m.person_id), []), on_date),
        ]
        for case, members in items
        for m in members
    }
