import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.reintegration.delivery import services
from awda.reintegration.models import DeliveryDocument

from ..helpers import PDF, actions, order, pdf_text


def upload(name="invoice.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_attach_an_invoice_stored_under_a_random_name(origin_officer, reint_case, plan, supplier):
    purchase = order(origin_officer, reint_case, supplier)
    doc = services.delivery_document_attach(
        origin_officer, purchase=purchase, kind="invoice", upload=upload()
    )
    assert doc.original_name == "invoice.pdf" and doc.content_type == "application/pdf"
    assert doc.stored_name.endswith(".pdf") and "invoice" not in doc.stored_name
    assert doc.file.read() == PDF
    services.delivery_document_viewed(origin_officer, document=doc)
    assert actions(reint_case)[-2:] == [services.DOCUMENT_ATTACHED, services.DOCUMENT_DOWNLOADED]


def test_uploads_are_checked_like_case_attachments(origin_officer, reint_case, plan, supplier):
    purchase = order(origin_officer, reint_case, supplier)
    with pytest.raises(ValidationFailed) as exc:
        services.delivery_document_attach(
            origin_officer, purchase=purchase, kind="invoice", upload=upload("x.exe", b"MZ...")
        )
    assert "file" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.delivery_document_attach(
            origin_officer, purchase=purchase, kind="invoice", upload=upload("x.pdf", b"hello")
        )
    assert "file" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.delivery_document_attach(
            origin_officer, purchase=purchase, kind="acknowledgement", upload=upload()
        )
    assert set(exc.value.fields) == {"kind"}  # not delivered yet
    assert not DeliveryDocument.objects.exists()


def test_others_may_not_attach_or_download(
    origin_officer, caseworker, senegal_officer, reint_case, plan, supplier
):
    purchase = order(origin_officer, reint_case, supplier)
    with pytest.raises(PermissionDenied):
        services.delivery_document_attach(
            caseworker, purchase=purchase, kind="invoice", upload=upload()
        )
    doc = services.delivery_document_attach(
        origin_officer, purchase=purchase, kind="receipt", upload=upload()
    )
    services.delivery_document_viewed(caseworker, document=doc)  # host staff may read
    with pytest.raises(NotFound):
        services.delivery_document_viewed(senegal_officer, document=doc)
    assert DeliveryDocument.objects.count() == 1


def test_the_acknowledgement_pdf_lists_the_items(origin_officer, reint_case, plan, supplier):
    purchase = order(origin_officer, reint_case, supplier)
    text = pdf_text(services.acknowledgement_print(origin_officer, purchase=purchase))
    assert "Boutique Kaloum" in text and "Shelf" in text and "139.50 EUR" in text
    assert reint_case.number in text
    services.purchase_cancel(origin_officer, purchase=purchase, reason="x", expected_version=1)
    with pytest.raises(ValidationFailed):
        services.acknowledgement_print(origin_officer, purchase=purchase)
    assert actions(reint_case).count(services.ACKNOWLEDGEMENT_PRINTED) == 1
