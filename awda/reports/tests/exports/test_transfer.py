"""An export that leaves the organisation is a disclosure: it is logged once as a bulk data
transfer (recipient, purpose, categories, number of cases), audited, and holds only the cases
whose principal applicant has a valid consent for the purpose."""

import datetime

import pytest

from awda.audit.models import AuditEvent
from awda.reports.exports import services
from awda.reports.exports.choices import JobStatus
from awda.reports.models import ExportTransfer
from awda.screening.consent.services import consent_record, consent_withdraw

from .conftest import csv_rows, run_request

pytestmark = pytest.mark.django_db

PASSWORD = "for-the-consulate-1"


def consent(user, case, purpose="consulate", **kwargs):
    return consent_record(
        user, case=case, person=case.principal, purpose=purpose, language="fr", **kwargs
    )


def send_outside(user, capture, **kwargs):
    kwargs = {
        "kind": "case_list",
        "format": "csv",
        "password": PASSWORD,
        "leaves_organisation": True,
        "recipient": "Consulat général de Guinée",
        "purpose": "consulate",
        **kwargs,
    }
    return run_request(capture, services.export_request, user, **kwargs)


def decrypt_rows(job):
    import io

    import pyzipper

    from awda.reports.exports import writers

    with pyzipper.AESZipFile(io.BytesIO(writers.path_of(job.file_name).read_bytes())) as z:
        z.setpassword(PASSWORD.encode())
        return csv_rows(z.read("cases.csv"))[1:]


def test_only_principals_with_a_valid_consent_for_the_purpose_are_disclosed(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    konate, camara, sow, traore, diallo = rabat_cases
    consent(caseworker, konate)
    consent(caseworker, camara)
    consent(caseworker, sow, purpose="donors")  # another purpose
    consent(caseworker, traore, given=False)  # a refusal
    withdrawn = consent(caseworker, diallo)
    consent_withdraw(caseworker, consent=withdrawn, reason="Changed her mind")

    job = send_outside(caseworker, django_capture_on_commit_callbacks)

    assert job.status == JobStatus.DONE
    assert sorted(r[0] for r in decrypt_rows(job)) == sorted([konate.number, camara.number])
    transfer = ExportTransfer.objects.get(job=job)
    assert transfer.recipient == "Consulat général de Guinée"
    assert transfer.purpose == "consulate"
    assert transfer.categories == ["identity", "case"]
    assert (transfer.case_count, transfer.excluded_count) == (2, 3)
    assert transfer.recorded_by == caseworker
    assert transfer.transferred_on == datetime.date.today()


def test_transfer_and_request_are_audited_without_names(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    consent(caseworker, rabat_cases[0])

    job = send_outside(caseworker, django_capture_on_commit_callbacks)

    transfer_event = AuditEvent.objects.get(action=services.EXPORT_TRANSFER_RECORDED)
    assert transfer_event.actor == caseworker
    assert transfer_event.object_type == "reports.exporttransfer"
    assert transfer_event.changes == {
        "export": job.pk,
        "recipient": "Consulat général de Guinée",
        "purpose": "consulate",
        "categories": ["identity", "case"],
        "transferred_on": datetime.date.today().isoformat(),
    }
    requested = AuditEvent.objects.get(action=services.EXPORT_REQUESTED)
    assert requested.changes["leaves_organisation"] is True
    completed = AuditEvent.objects.get(action=services.EXPORT_COMPLETED)
    assert completed.changes["rows"] == 1
    assert completed.changes["excluded_without_consent"] == 4
    ours = AuditEvent.objects.filter(action__startswith="reports.")
    everything = " ".join(f"{e.object_repr} {e.changes}" for e in ours)
    assert "Konat" not in everything


def test_an_internal_export_records_no_transfer(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    job = run_request(
        django_capture_on_commit_callbacks,
        services.export_request,
        caseworker,
        kind="case_list",
        format="csv",
    )

    assert job.status == JobStatus.DONE and not job.leaves_organisation
    assert not ExportTransfer.objects.exists()
    assert not AuditEvent.objects.filter(action=services.EXPORT_TRANSFER_RECORDED).exists()
