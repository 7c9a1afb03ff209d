import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awda.assistance.services import (
    RECEIPT_ATTACHED,
    RECEIPT_PRINTED,
    assistance_cancel,
    assistance_receipt_attach,
    assistance_receipt_print,
)
from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed

from ..helpers import PDF, fresh, pdf_text, persons, principal, record


def test_the_receipt_holds_the_case_the_name_the_items_and_the_amounts(caseworker, funded_case):
    a = record(caseworker, funded_case, description="Food basket", unit_cost="150.00")
    b = record(
        caseworker,
        funded_case,
        kind="transport",
        description="Taxi to the consulate",
        quantity=1,
        unit_cost="45.50",
    )
    data = assistance_receipt_print(caseworker, case=fresh(funded_case), lines=[a, b])
    text = pdf_text(data)
    assert funded_case.number in text and "Ousmane DIALLO" in text
    assert "Food basket" in text and "Taxi to the consulate" in text
    assert "300.00 MAD" in text and "45.50 MAD" in text and "345.50 MAD" in text
    event = AuditEvent.objects.get(action=RECEIPT_PRINTED)
    assert event.case_id == funded_case.pk and sorted(event.changes["lines"]) == sorted(
        [a.pk, b.pk]
    )


def test_finance_may_print_but_another_office_may_not(
    caseworker, finance_officer, other_office_user, funded_case
):
    line = record(caseworker, funded_case)
    assert assistance_receipt_print(finance_officer, case=fresh(funded_case), lines=[line])
    with pytest.raises(PermissionDenied):
        assistance_receipt_print(other_office_user, case=fresh(funded_case), lines=[line])
    assert AuditEvent.objects.filter(action=RECEIPT_PRINTED).count() == 1


def test_a_receipt_is_for_recorded_lines_of_one_person(caseworker, family):
    mother, child, _ = persons(family)
    a = record(caseworker, family, person=mother)
    b = record(caseworker, family, person=child)
    with pytest.raises(ValidationFailed):
        assistance_receipt_print(caseworker, case=fresh(family), lines=[a, b])
    assistance_cancel(caseworker, line=a, reason="x", expected_version=1)
    a.refresh_from_db()
    with pytest.raises(ValidationFailed):
        assistance_receipt_print(caseworker, case=fresh(family), lines=[a])


def test_the_signed_copy_is_stored_and_linked_to_the_lines(caseworker, funded_case):
    a = record(caseworker, funded_case)
    b = record(caseworker, funded_case)
    upload = SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")
    receipt = assistance_receipt_attach(
        caseworker, case=fresh(funded_case), lines=[a, b], file=upload
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.receipt == receipt == b.receipt and a.version == 2
    assert receipt.person == principal(funded_case) and receipt.content_type == "application/pdf"
    assert receipt.file.read() == PDF
    assert AuditEvent.objects.filter(action=RECEIPT_ATTACHED, case_id=funded_case.pk).exists()


def test_a_bad_file_is_refused_and_nothing_is_linked(caseworker, funded_case):
    line = record(caseworker, funded_case)
    upload = SimpleUploadedFile("signed.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationFailed) as exc:
        assistance_receipt_attach(caseworker, case=fresh(funded_case), lines=[line], file=upload)
    assert "file" in exc.value.fields
    line.refresh_from_db()
    assert line.receipt is None


def test_finance_may_not_attach(caseworker, finance_officer, funded_case):
    line = record(caseworker, funded_case)
    upload = SimpleUploadedFile("signed.pdf", PDF)
    with pytest.raises(PermissionDenied):
        assistance_receipt_attach(
            finance_officer, case=fresh(funded_case), lines=[line], file=upload
        )
