"""Attachments: type, content and size checks, storage, audited downloads."""

import uuid
import zipfile

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.core.errors import (
    ValidationFailed,
)
from awda.registry.models import Person

from ..choices import (
    AttachmentKind,
)
from ..models import Attachment, Case
from ._common import _require, require_open

ALLOWED_UPLOADS = {
    # extension: (content type, magic bytes prefixes)
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
}


# Office documents are ZIP archives: check they hold what their type needs, no macros, and no
# decompression bomb.
OFFICE_MARKERS = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    "odt": ("mimetype", "content.xml"),
}
MAX_UNCOMPRESSED = 200 * 1024 * 1024


def _office_document_ok(file, ext: str) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if not set(OFFICE_MARKERS[ext]) <= names:
                return False
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return False
            if sum(i.file_size for i in archive.infolist()) > MAX_UNCOMPRESSED:
                return False
            if ext == "odt":
                return (
                    archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text"
                )
            return True
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    finally:
        file.seek(0)


def validate_upload(file) -> tuple[str, dict]:
    """(extension, field errors) for an uploaded file: an accepted type whose content matches
    its extension, office documents without macros, not empty, not over AWDA_MAX_UPLOAD_MB.
    Public: every app that stores files (e.g. medical documents) checks them the same way."""
    name = getattr(file, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    max_bytes = settings.AWDA_MAX_UPLOAD_MB * 1024 * 1024
    if file is None:
        return ext, {"file": [_("Choose a file.")]}
    if ext not in ALLOWED_UPLOADS:
        return ext, {
            "file": [
                _("Files of this type are not accepted. Accepted: %(types)s.")
                % {"types": ", ".join(sorted(ALLOWED_UPLOADS))}
            ]
        }
    if file.size > max_bytes:
        return ext, {
            "file": [_("The file is larger than %(n)s MB.") % {"n": settings.AWDA_MAX_UPLOAD_MB}]
        }
    if file.size == 0:
        return ext, {"file": [_("The file is empty.")]}
    head = file.read(16)
    file.seek(0)
    if not any(head.startswith(m) for m in ALLOWED_UPLOADS[ext][1]):
        return ext, {"file": [_("The file content does not match its extension.")]}
    if ext in OFFICE_MARKERS and not _office_document_ok(file, ext):
        return ext, {
            "file": [
                _("The file is not a valid %(ext)s document (or it contains macros).")
                % {"ext": ext.upper()}
            ]
        }
    return ext, {}


def attachment_add(
    user, *, case: Case, file, kind: str, description: str = "", person: Person | None = None
) -> Attachment:
    """Store a file after checking its type (extension and content) and size."""
    _require(user, "attachment.add", case)
    require_open(case)
    errors = {}
    if kind not in AttachmentKind.values:
        errors["kind"] = [_("Choose a valid type.")]
    name = getattr(file, "name", "") or ""
    ext, file_errors = validate_upload(file)
    errors.update(file_errors)
    if person is not None and not case.members.filter(person=person).exists():
        errors["person"] = [_("This person is not a member of the case.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        att = Attachment(
            case=case,
            person=person,
            kind=kind,
            description=(description or "").strip(),
            uploaded_by=user,
            original_name=name.rsplit("/", 1)[-1][:200],
            content_type=ALLOWED_UPLOADS[ext][0],
            size=file.size,
            stored_name=f"{uuid.uuid4().hex}.{ext}",
        )
        att.file.save(att.stored_name, file, save=False)
        try:
            att.save()
            audit_record(
                user,
                action="cases.attachment.created",
                obj=att,
                case_id=case.pk,
                office_id=case.office_id,
                changes={
                    "kind": kind,
                    "name": att.original_name,
                    "size": att.size,
                    "person": getattr(person, "pk", None),
                },
            )
        except Exception:
            att.file.delete(save=False)
            raise
    return att


def attachment_viewed(user, *, attachment: Attachment) -> None:
    _require(user, "attachment.view", attachment.case)
    audit_record(
        user,
        action="cases.attachment.downloaded",
        obj=attachment,
        case_id=attachment.case_id,
        office_id=attachment.case.office_id,
    )
