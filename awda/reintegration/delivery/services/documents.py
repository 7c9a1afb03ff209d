"""The documents of a purchase: invoice, supplier's receipt, the returnee's signed
acknowledgement (attach, download), and the acknowledgement of receipt to print."""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from awda.cases.services import (
    ALLOWED_UPLOADS,
    lock_case,
    require_open,
    touch_case,
    validate_upload,
)
from awda.core.errors import NotFound, ValidationFailed

from ... import policies
from ...choices import DeliveryDocumentKind, PurchaseStatus
from ...common import audit, raise_errors, require
from ...models import DeliveryDocument, Purchase
from .. import documents as pdf
from ._common import ACKNOWLEDGEMENT_PRINTED, DOCUMENT_ATTACHED, DOCUMENT_DOWNLOADED, require_status


def delivery_document_attach(user, *, purchase: Purchase, kind: str, upload) -> DeliveryDocument:
    """Store an invoice, a supplier's receipt or the signed acknowledgement of a purchase (type,
    content and size checked like case attachments; stored under a random name). The signed
    acknowledgement belongs to a delivered purchase; it does not set the acknowledgement date
    (purchase_acknowledge records the day the returnee signed)."""
    case = purchase.case
    require(policies.may_record(user, case))
    require_status(case)
    errors: dict = {}
    if kind not in DeliveryDocumentKind.values:
        errors["kind"] = [_("Choose a valid option.")]
    elif (
        kind == DeliveryDocumentKind.ACKNOWLEDGEMENT and purchase.status != PurchaseStatus.DELIVERED
    ):
        errors["kind"] = [_("The returnee signs the acknowledgement once the goods are delivered.")]
    ext, file_errors = validate_upload(upload)
    errors.update(file_errors)
    raise_errors(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_status(locked)
        document = DeliveryDocument(
            purchase=purchase,
            kind=kind,
            uploaded_by=user,
            original_name=upload.name.rsplit("/", 1)[-1][:200],
            content_type=ALLOWED_UPLOADS[ext][0],
            size=upload.size,
            stored_name=f"{uuid.uuid4().hex}.{ext}",
        )
        document.file.save(document.stored_name, upload, save=False)
        try:
            document.save()
            touch_case(case, locked)
            audit(
                user,
                DOCUMENT_ATTACHED,
                document,
                case=case,
                changes={
                    "purchase": purchase.pk,
                    "document_kind": kind,
                    "name": document.original_name,
                    "size": document.size,
                },
            )
        except Exception:
            document.file.delete(save=False)
            raise
    return document


def delivery_document_viewed(user, *, document: DeliveryDocument) -> None:
    """Record a download of a delivery document (404 for someone who may not see the case's
    reintegration)."""
    case = document.purchase.case
    if not policies.may_view(user, case):
        raise NotFound()
    audit(
        user,
        DOCUMENT_DOWNLOADED,
        document,
        case=case,
        changes={"purchase": document.purchase_id, "document": document.pk},
    )


def acknowledgement_print(user, *, purchase: Purchase) -> bytes:
    """The acknowledgement of receipt of a purchase (PDF), for the returnee to sign: the items,
    quantities, supplier and signature boxes. The print is audited (personal data)."""
    case = purchase.case
    require(policies.may_view(user, case))
    require_open(case)
    if purchase.status == PurchaseStatus.CANCELLED:
        raise ValidationFailed(
            _("A cancelled purchase has no acknowledgement of receipt."), code="purchase_status"
        )
    principal = case.members.select_related("person").filter(is_principal=True).first()
    data = pdf.acknowledgement_pdf(purchase, principal.person if principal else None)
    audit(
        user,
        ACKNOWLEDGEMENT_PRINTED,
        purchase,
        case=case,
        person_id=principal.person_id if principal else None,
        changes={"purchase": purchase.pk},
    )
    return data
