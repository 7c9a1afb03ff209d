"""Reads of travel documents, exit authorisations and batch lists.

The case-level reads take a case the caller resolved through the scoped case selectors; the batch
reads take the user and are scoped to the offices where they hold the permission (a batch of
another office is a NotFound, like a missing one)."""

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from awda.cases.models import CaseMember
from awda.core.errors import NotFound
from awda.core.text import as_id
from awda.registry.selectors import organisation_list

from . import policies
from .choices import (
    BATCH_CASE_STATUSES,
    RECIPIENT_KINDS,
    BatchKind,
    DocumentStatus,
    ExitStatus,
)
from .models import BatchItem, DocumentBatch, ExitAuthorisation, TravelDocument


def _for_persons(qs, person_ids):
    return qs if person_ids is None else qs.filter(person_id__in=list(person_ids))


def travel_documents(case, person_ids: Iterable[int] | None = None):
    """The travel documents of the case's members, newest first, with their persons, consulates
    and authors (one query)."""
    qs = TravelDocument.objects.filter(case=case).select_related(
        "person", "consulate", "recorded_by"
    )
    return _for_persons(qs, person_ids).order_by("-created_at", "-id")


def exit_authorisations(case, person_ids: Iterable[int] | None = None):
    qs = ExitAuthorisation.objects.filter(case=case).select_related(
        "person", "authority", "recorded_by"
    )
    return _for_persons(qs, person_ids).order_by("-created_at", "-id")


def consulates():
    """Active partner organisations of kind consulate, by name."""
    return organisation_list(kind=RECIPIENT_KINDS[BatchKind.CONSULATE])


def authorities():
    return organisation_list(kind=RECIPIENT_KINDS[BatchKind.AUTHORITY])


def recipients(kind: str):
    return organisation_list(kind=RECIPIENT_KINDS[kind])


def document_valid(doc, on_date: datetime.date) -> bool:
    """An issued document (not cancelled) whose expiry is after the travel date."""
    return (
        doc.status == DocumentStatus.ISSUED
        and doc.expires_on is not None
        and doc.expires_on > on_date
    )


def exit_valid(auth, on_date: datetime.date) -> bool:
    """A granted authorisation whose validity, if it has one, does not end before the date."""
    return auth.status == ExitStatus.GRANTED and (
        auth.valid_until is None or auth.valid_until >= on_date
    )


# ---- the interface of the movement issue ---------------------------------------------------------


def document_for_travel(
    person_ids: Iterable[int], on_date: datetime.date, *, case=None
) -> dict[int, TravelDocument | None]:
    """{person id: the travel document used for travel on `on_date`, or None} for every id in
    `person_ids`: an issued document (not cancelled) whose expiry is after `on_date`, the one
    expiring last where there are several (a laissez-passer before a passport on a tie). Limited
    to the documents recorded in `case` when given. One query whatever the number of persons.

    The manifest and the booking read it: `doc.kind`, `doc.get_kind_display()`, `doc.number`,
    `doc.issuing_country`, `doc.expires_on`."""
    ids = list(dict.fromkeys(person_ids))
    out: dict[int, TravelDocument | None] = {pk: None for pk in ids}
    if not ids:
        return out
    qs = TravelDocument.objects.filter(
        person_id__in=ids, status=DocumentStatus.ISSUED, expires_on__gt=on_date
    )
    if case is not None:
        qs = qs.filter(case=case)
    for doc in qs.order_by("person_id", "-expires_on", "-id"):
        if out.get(doc.person_id) is None:
            out[doc.person_id] = doc
    return out


# ---- batches ------------------------------------------------------------------------------------


def batch_list_for(user, *, kind: str | None = None, status: str | None = None):
    offices = policies.batch_view_offices(user)
    qs = DocumentBatch.objects.filter(office_id__in=offices)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("recipient", "office", "created_by", "sent_by").order_by(
        "-created_at", "-id"
    )


def batch_get_for(user, pk, *, for_record: bool = False) -> DocumentBatch:
    """The batch if `user` may see it (may record on it with `for_record`); NotFound otherwise."""
    offices = (
        policies.batch_record_offices(user) if for_record else policies.batch_view_offices(user)
    )
    batch = (
        DocumentBatch.objects.filter(office_id__in=offices)
        .select_related("recipient", "office", "office__mission", "created_by", "sent_by")
        .filter(pk=as_id(pk))
        .first()
        if as_id(pk)
        else None
    )
    if batch is None:
        raise NotFound()
    return batch


def batch_items(batch):
    """The persons of the batch with their case, person, identity documents and the request
    each item created, with its consulate or authority and author (a fixed number of
    queries)."""
    return (
        BatchItem.objects.filter(batch=batch)
        .select_related(
            "case",
            "case__office",
            "person",
            "travel_document__consulate",
            "travel_document__recorded_by",
            "travel_document__person",
            "exit_authorisation__authority",
            "exit_authorisation__recorded_by",
            "exit_authorisation__person",
        )
        .prefetch_related("person__documents")
        .order_by("person__family_name", "person__given_name", "id")
    )


def _needs_document_q() -> Q:
    """Travellers with neither a pending request nor a valid document in their case."""
    held = TravelDocument.objects.filter(
        case_id=OuterRef("case_id"), person_id=OuterRef("person_id")
    ).filter(
        Q(status=DocumentStatus.REQUESTED)
        | Q(status=DocumentStatus.ISSUED, expires_on__gt=timezone.localdate())
    )
    return ~Exists(held)


def _needs_exit_q() -> Q:
    held = ExitAuthorisation.objects.filter(
        case_id=OuterRef("case_id"), person_id=OuterRef("person_id")
    ).filter(
        Q(status=ExitStatus.REQUESTED)
        | Q(status=ExitStatus.GRANTED, valid_until__isnull=True)
        | Q(status=ExitStatus.GRANTED, valid_until__gte=timezone.localdate())
    )
    return ~Exists(held)


def batch_candidates(user, *, kind: str, office_id: int, nationality: str = ""):
    """The travellers a batch of `kind` can list: members who travel, of the cases of `office_id`
    (an office where `user` records travel documents) in status eligible, pre-departure or
    ready to travel, who still need the document (no pending request, no valid one) and are on
    no draft batch of that kind yet. One query."""
    if office_id not in policies.batch_record_offices(user):
        return CaseMember.objects.none()
    on_draft = BatchItem.objects.filter(
        batch__kind=kind,
        batch__status="draft",
        case_id=OuterRef("case_id"),
        person_id=OuterRef("person_id"),
    )
    qs = CaseMember.objects.filter(
        Q(travels=True) | Q(is_principal=True),
        case__office_id=office_id,
        case__status__in=BATCH_CASE_STATUSES,
    ).filter(_needs_document_q() if kind == BatchKind.CONSULATE else _needs_exit_q())
    qs = qs.filter(~Exists(on_draft))
    if nationality:
        qs = qs.filter(person__nationality=nationality)
    return qs.select_related("case", "person").order_by(
        "person__nationality", "person__family_name", "person__given_name", "id"
    )


def batch_items_with_documents(batch) -> list[BatchItem]:
    """batch_items, each with `held_documents`: the issued travel documents of the person in
    the item's case (one more query)."""
    items = list(batch_items(batch))
    if not items:
        return items
    held: dict[tuple[int, int], list] = {}
    for d in TravelDocument.objects.filter(
        case_id__in={i.case_id for i in items},
        person_id__in={i.person_id for i in items},
        status=DocumentStatus.ISSUED,
    ).order_by("-expires_on", "-id"):
        held.setdefault((d.case_id, d.person_id), []).append(d)
    for item in items:
        item.held_documents = held.get((item.case_id, item.person_id), [])
    return items
