import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awda.audit.models import AuditEvent
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.screening.health.models import MedicalDocument
from awda.screening.health.services import (
    DOCUMENT_ADDED,
    DOCUMENT_DOWNLOADED,
    medical_document_add,
    medical_document_viewed,
)

from ..helpers import PDF, consent, fresh, principal


def upload(user, case, name="report.pdf", content=PDF, **kwargs):
    return medical_document_add(
        user,
        case=fresh(case),
        person=principal(case),
        file=SimpleUploadedFile(name, content),
        title=kwargs.pop("title", "Discharge report"),
        kind=kwargs.pop("kind", "report"),
        **kwargs,
    )


def test_stores_the_file_apart_from_case_attachments(medical_officer, case):
    doc = upload(medical_officer, case)
    assert doc.file.name.startswith(f"medical/{case.office_id}/{case.pk}/")
    assert doc.content_type == "application/pdf" and doc.size == len(PDF)
    assert doc.original_name == "report.pdf"
    assert not case.attachments.exists()
    event = AuditEvent.objects.get(action=DOCUMENT_ADDED)
    assert event.changes == {"person": principal(case).pk, "document": doc.pk}
    assert "Discharge" not in event.object_repr


@pytest.mark.parametrize(
    "name, content",
    [("report.exe", b"MZ..."), ("report.pdf", b"not a pdf"), ("report.pdf", b"")],
)
def test_type_content_and_size_are_checked(medical_officer, case, name, content):
    with pytest.raises(ValidationFailed) as exc:
        upload(medical_officer, case, name=name, content=content)
    assert "file" in exc.value.fields
    assert not MedicalDocument.objects.exists()


def test_too_large_a_file_is_refused(settings, medical_officer, case):
    settings.AWDA_MAX_UPLOAD_MB = 0
    with pytest.raises(ValidationFailed) as exc:
        upload(medical_officer, case)
    assert "larger" in str(exc.value.fields["file"][0])


def test_only_medical_officers_upload(caseworker, case):
    with pytest.raises(PermissionDenied):
        upload(caseworker, case)
    assert not MedicalDocument.objects.exists()
    assert not AuditEvent.objects.filter(action=DOCUMENT_ADDED).exists()


def test_download_is_audited_and_refused_to_those_who_may_not_see_it(
    medical_officer, caseworker, movement_officer, case
):
    doc = upload(medical_officer, case)
    medical_document_viewed(medical_officer, document=doc, case=case)
    for user in (caseworker, movement_officer):
        with pytest.raises(NotFound):
            medical_document_viewed(user, document=doc, case=case)
    consent(caseworker, case, principal(case))
    medical_document_viewed(caseworker, document=doc, case=case)
    assert list(
        AuditEvent.objects.filter(action=DOCUMENT_DOWNLOADED)
        .order_by("id")
        .values_list("actor", flat=True)
    ) == [medical_officer.pk, caseworker.pk]
