"""Receipts: print, attach the signed copy, download it."""

import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.cases.models import Case
from awda.cases.services import (
    ALLOWED_UPLOADS,
    lock_case,
    require_open,
    touch_case,
    validate_upload,
)
from awda.core.errors import NotFound, ValidationFailed
from awda.registry.models import Person

from .. import documents, policies
from ..choices import LineStatus
from ..models import AssistanceLine, SignedReceipt
from ._common import RECEIPT_ATTACHED, RECEIPT_DOWNLOADED, RECEIPT_PRINTED, _raise, _require

# ---- receipts -----------------------------------------------------------------------------------


def _receipt_lines(case: Case, lines) -> tuple[Person, list[AssistanceLine]]:
    lines = list(lines or ())
    if not lines:
        raise ValidationFailed(fields={"lines": [_("There is no recorded line to print.")]})
    if any(ln.case_id != case.pk for ln in lines):
        raise NotFound()
    persons = {ln.person_id for ln in lines}
    if len(persons) != 1:
        raise ValidationFailed(fields={"lines": [_("A receipt is for the lines of one person.")]})
    if any(ln.status != LineStatus.RECORDED for ln in lines):
        raise ValidationFailed(fields={"lines": [_("A cancelled line has no receipt.")]})
    return lines[0].person, lines


def assistance_receipt_attach(
    user, *, case: Case, lines: Sequence[AssistanceLine], file
) -> SignedReceipt:
    """Store the signed copy of a receipt (scan or photo; type, content and size checked like
    case attachments) and link it to the recorded `lines` of one person it covers. A line
    signed again points to the newest copy; the older file is kept."""
    _require(policies.may_record(user, case))
    require_open(case)
    person, lines = _receipt_lines(case, lines)
    ext, errors = validate_upload(file)
    _raise(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_open(locked)
        receipt = SignedReceipt(
            case=locked,
            person=person,
            uploaded_by=user,
            original_name=file.name.rsplit("/", 1)[-1][:200],
            content_type=ALLOWED_UPLOADS[ext][0],
            size=file.size,
            stored_name=f"{uuid.uuid4().hex}.{ext}",
        )
        receipt.file.save(receipt.stored_name, file, save=False)
        try:
            receipt.save()
            ids = [ln.pk for ln in lines]
            rows = AssistanceLine.objects.select_for_update().filter(
                pk__in=ids, case_id=case.pk, status=LineStatus.RECORDED
            )
            if rows.count() != len(set(ids)):
                raise ValidationFailed(fields={"lines": [_("A cancelled line has no receipt.")]})
            for row in rows:
                row.receipt = receipt
                row.version += 1
                row.save(update_fields=["receipt", "version", "updated_at"])
            touch_case(case, locked)
            audit_record(
                user,
                action=RECEIPT_ATTACHED,
                obj=receipt,
                case_id=case.pk,
                person_id=person.pk,
                office_id=case.office_id,
                changes={"person": person.pk, "lines": sorted(ids), "name": receipt.original_name},
            )
        except Exception:
            receipt.file.delete(save=False)
            raise
    return receipt


def assistance_receipt_viewed(user, *, receipt: SignedReceipt, case: Case) -> None:
    """Record a download of a signed receipt (404 outside the case)."""
    if receipt.case_id != case.pk or not policies.may_view(user, case):
        raise NotFound()
    audit_record(
        user,
        action=RECEIPT_DOWNLOADED,
        obj=receipt,
        case_id=case.pk,
        person_id=receipt.person_id,
        office_id=case.office_id,
        changes={"person": receipt.person_id, "receipt": receipt.pk},
    )


def assistance_receipt_print(user, *, case: Case, lines: Sequence[AssistanceLine]) -> bytes:
    """The receipt PDF of recorded `lines` of one person of the case ("Reçu d'assistance"),
    with the print audited (a document with personal data)."""
    _require(policies.may_view(user, case))
    person, lines = _receipt_lines(case, lines)
    data = documents.receipt_pdf(case, person, lines)
    audit_record(
        user,
        action=RECEIPT_PRINTED,
        obj=case,
        case_id=case.pk,
        person_id=person.pk,
        office_id=case.office_id,
        changes={"person": person.pk, "lines": sorted(ln.pk for ln in lines)},
    )
    return data
