"""Attachments: accepted types checked by extension AND content, size limit, nothing stored or
audited on a refusal."""

import io
import os
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from awda.audit.models import AuditEvent
from awda.cases.models import Attachment
from awda.cases.services import attachment_add, attachment_viewed
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import person_data, register_case

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


def zipped(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def stored_files():
    root = settings.MEDIA_ROOT
    return {os.path.join(d, f) for d, _s, files in os.walk(root) for f in files}


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("declaration.pdf", PDF, "application/pdf"),
        ("PASSPORT.JPG", JPG, "image/jpeg"),
        ("photo.png", PNG, "image/png"),
        (
            "letter.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_files_are_stored_and_audited(case, caseworker, name, content, content_type):
    att = attachment_add(
        caseworker,
        case=case,
        file=upload(name, content, "text/html"),  # the client's content type is not trusted
        kind="identity",
        description=" copy ",
        person=case.principal,
    )
    assert att.content_type == content_type and att.size == len(content)
    assert att.original_name == name and att.stored_name != name and att.description == "copy"
    with att.file.open("rb") as fh:
        assert fh.read() == content
    event = AuditEvent.objects.get(action="cases.attachment.created")
    assert event.case_id == case.pk and event.changes["name"] == name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("malware.exe", b"MZ\x90\x00"),
        ("page.html", b"<html></html>"),
        ("noextension", PDF),
        ("script.pdf.js", PDF),
    ],
)
def test_wrong_type_is_refused(case, caseworker, name, content):
    before = stored_files()
    with pytest.raises(ValidationFailed) as err:
        attachment_add(caseworker, case=case, file=upload(name, content), kind="other")
    assert "file" in err.value.fields
    assert (
        Attachment.objects.count() == 0
        and not AuditEvent.objects.filter(action="cases.attachment.created").exists()
    )
    assert stored_files() == before


@pytest.mark.parametrize(
    ("name", "content"),
    [("fake.pdf", PNG), ("fake.png", PDF), ("fake.jpg", b"GIF89a....."), ("fake.docx", PDF)],
)
def test_content_that_does_not_match_the_extension_is_refused(case, caseworker, name, content):
    with pytest.raises(ValidationFailed) as err:
        attachment_add(caseworker, case=case, file=upload(name, content), kind="other")
    assert "file" in err.value.fields and "match" in str(err.value.fields["file"][0])
    assert Attachment.objects.count() == 0


def test_too_big_file_is_refused(case, caseworker, settings):
    settings.AWDA_MAX_UPLOAD_MB = 1
    big = upload("scan.pdf", PDF + b"0" * (1024 * 1024))
    before = stored_files()
    with pytest.raises(ValidationFailed) as err:
        attachment_add(caseworker, case=case, file=big, kind="identity")
    assert "file" in err.value.fields
    assert Attachment.objects.count() == 0 and stored_files() == before
    just_fits = upload("scan.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    assert (
        attachment_add(caseworker, case=case, file=just_fits, kind="identity").size == 1024 * 1024
    )


def test_empty_file_and_missing_file_are_refused(case, caseworker):
    for file in (upload("empty.pdf", b""), None):
        with pytest.raises(ValidationFailed) as err:
            attachment_add(caseworker, case=case, file=file, kind="other")
        assert "file" in err.value.fields


def test_unknown_kind_and_foreign_person_are_refused(case, caseworker, rabat):
    other = register_case(caseworker, rabat, principal=person_data(given_name="Other")).principal
    with pytest.raises(ValidationFailed) as err:
        attachment_add(
            caseworker, case=case, file=upload("a.pdf", PDF), kind="selfie", person=other
        )
    assert set(err.value.fields) == {"kind", "person"}
    assert Attachment.objects.count() == 0


def test_failure_while_auditing_removes_the_stored_file(case, caseworker, monkeypatch):
    from awda.cases.services import attachments

    def boom(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(attachments, "audit_record", boom)
    before = stored_files()
    with pytest.raises(RuntimeError):
        attachment_add(caseworker, case=case, file=upload("a.pdf", PDF), kind="other")
    assert Attachment.objects.count() == 0 and stored_files() == before


def test_finance_officer_cannot_upload_and_downloads_are_audited(case, caseworker, rabat):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    finance = member_of(rabat, Role.FINANCE)
    with pytest.raises(PermissionDenied):
        attachment_add(finance, case=case, file=upload("a.pdf", PDF), kind="other")
    att = attachment_add(caseworker, case=case, file=upload("a.pdf", PDF), kind="other")
    attachment_viewed(finance, attachment=att)
    event = AuditEvent.objects.get(action="cases.attachment.downloaded")
    assert event.actor == finance and event.case_id == case.pk


def test_other_office_cannot_download(case, caseworker, other_office_user):
    att = attachment_add(caseworker, case=case, file=upload("a.pdf", PDF), kind="other")
    with pytest.raises(PermissionDenied):
        attachment_viewed(other_office_user, attachment=att)
    assert not AuditEvent.objects.filter(action="cases.attachment.downloaded").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("archive.docx", zipped({"payload.exe": "MZ"})),  # any ZIP renamed
        (
            "macro.docx",
            zipped(
                {
                    "[Content_Types].xml": "<Types/>",
                    "word/document.xml": "<w:document/>",
                    "word/vbaProject.bin": "macro",
                }
            ),
        ),
        ("sheet.odt", zipped({"mimetype": "application/zip", "content.xml": "<x/>"})),
        ("broken.xlsx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_office_files_must_really_be_office_documents(case, caseworker, name, content):
    with pytest.raises(ValidationFailed) as err:
        attachment_add(caseworker, case=case, file=upload(name, content), kind="other")
    assert "file" in err.value.fields
    assert Attachment.objects.count() == 0
