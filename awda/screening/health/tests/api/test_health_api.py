from django.core.files.uploadedfile import SimpleUploadedFile

from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.screening.consent.choices import Purpose
from awda.screening.consent.services import consent_withdraw
from awda.screening.health.models import (
    FitnessToTravel,
    MedicalDocument,
    MedicalNeed,
    MedicalReferral,
)
from awda.screening.health.services import DOCUMENT_DOWNLOADED

from ..helpers import PDF, consent, principal, record_fitness, record_need


def url(case, resource, suffix=""):
    return f"/api/v1/cases/{case.pk}/{resource}/{suffix}"


def test_record_and_list_fitness(medical_officer, movement_officer, case):
    body = {
        "person": principal(case).pk,
        "outcome": "fit_with_escort",
        "escort": "medical",
        "special_needs": ["stretcher"],
        "remarks": "Stretcher booked with the carrier",
    }
    created = api_client(medical_officer).post(url(case, "fitness"), body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["outcome"] == "fit_with_escort" and data["valid_days"] == 7
    assert data["valid_today"] is True and data["special_needs"] == ["stretcher"]
    listed = api_client(movement_officer).get(url(case, "fitness"))
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [data["id"]]
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=movement_officer, changes__part="fitness"
    ).exists()


def test_fitness_denials(caseworker, finance_officer, other_office_user, case):
    body = {"person": principal(case).pk, "outcome": "fit"}
    response = api_client(caseworker).post(url(case, "fitness"), body, format="json")
    assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"
    assert api_client(finance_officer).get(url(case, "fitness")).status_code == 403
    assert api_client(other_office_user).get(url(case, "fitness")).status_code == 404
    assert not FitnessToTravel.objects.exists()


def test_fitness_for_a_non_member_is_a_validation_error(medical_officer, case):
    body = {"person": 999999, "outcome": "fit"}
    response = api_client(medical_officer).post(url(case, "fitness"), body, format="json")
    assert response.status_code == 400 and "person" in error_of(response)["fields"]


def test_medical_needs_are_restricted(caseworker, medical_officer, movement_officer, family):
    mother, son0, _son1 = [m.person for m in family.members.select_related("person")]
    for p in (mother, son0):
        record_need(medical_officer, family, p)
    assert len(api_client(medical_officer).get(url(family, "medical-needs")).json()["results"]) == 2
    assert api_client(caseworker).get(url(family, "medical-needs")).json()["results"] == []
    (given,) = consent(caseworker, family, son0)
    results = api_client(caseworker).get(url(family, "medical-needs")).json()["results"]
    assert [r["person"]["id"] for r in results] == [son0.pk]
    assert results[0]["description"] == "Insulin-dependent diabetes"
    consent_withdraw(caseworker, consent=given, reason="Asked to stop")
    assert api_client(caseworker).get(url(family, "medical-needs")).json()["results"] == []
    response = api_client(movement_officer).get(url(family, "medical-needs"))
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=caseworker, changes__part="medical"
    ).exists()
    assert not AuditEvent.objects.filter(
        actor=movement_officer, action="cases.case.viewed"
    ).exists()


def test_create_and_patch_a_need_with_its_version(caseworker, medical_officer, case):
    client = api_client(medical_officer)
    created = client.post(
        url(case, "medical-needs"),
        {
            "person": principal(case).pk,
            "category": "disability",
            "description": "Reduced mobility",
            "severity": "moderate",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    need = created.json()
    assert need["status"] == "open" and need["version"] == 1
    detail = url(case, "medical-needs", f"{need['id']}/")
    patched = client.patch(detail, {"status": "stabilised", "version": 1}, format="json")
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = client.patch(detail, {"status": "resolved", "version": 1}, format="json")
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_edit"
    no_version = client.patch(detail, {"status": "resolved"}, format="json")
    assert no_version.status_code == 400 and "version" in error_of(no_version)["fields"]
    # a caseworker who may not see the record gets 404, one who may gets 403
    assert api_client(caseworker).patch(detail, {"version": 2}, format="json").status_code == 404
    consent(caseworker, case, principal(case))
    response = api_client(caseworker).patch(detail, {"status": "resolved", "version": 2})
    assert response.status_code == 403
    assert MedicalNeed.objects.get().status == "stabilised"


def test_referral_is_refused_without_consent(caseworker, medical_officer, case, hospital):
    client = api_client(medical_officer)
    body = {"person": principal(case).pk, "provider": hospital.pk, "purpose": "stabilisation"}
    refused = client.post(url(case, "medical-referrals"), body, format="json")
    assert refused.status_code == 400 and error_of(refused)["code"] == "consent_missing"
    assert not MedicalReferral.objects.exists()
    consent(caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
    created = client.post(url(case, "medical-referrals"), body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["provider"]["id"] == hospital.pk and data["transfer"]
    patched = client.patch(
        url(case, "medical-referrals", f"{data['id']}/"),
        {"status": "seen", "version": 1},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["status"] == "seen"
    listed = api_client(caseworker).get(url(case, "medical-referrals")).json()["results"]
    assert [r["id"] for r in listed] == [data["id"]]


def test_referral_notes_stay_on_the_referral(caseworker, medical_officer, case, hospital):
    consent(caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
    body = {
        "person": principal(case).pk,
        "provider": hospital.pk,
        "purpose": "treatment",
        "notes": "Suspected TB, X-ray attached",
    }
    client = api_client(medical_officer)
    created = client.post(url(case, "medical-referrals"), body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["notes"] == "Suspected TB, X-ray attached"
    listed = client.get(url(case, "medical-referrals")).json()["results"]
    assert listed[0]["notes"] == "Suspected TB, X-ray attached"
    transfer = MedicalReferral.objects.get().transfer
    assert transfer.notes == "Medical referral"


def test_unknown_provider_is_a_validation_error(caseworker, medical_officer, case):
    consent(caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
    body = {"person": principal(case).pk, "provider": 999999, "purpose": "treatment"}
    response = api_client(medical_officer).post(url(case, "medical-referrals"), body, format="json")
    assert response.status_code == 400 and "provider" in error_of(response)["fields"]


def test_documents_upload_list_and_audited_download(
    caseworker, medical_officer, movement_officer, case
):
    client = api_client(medical_officer)
    created = client.post(
        url(case, "medical-documents"),
        {
            "person": principal(case).pk,
            "file": SimpleUploadedFile("report.pdf", PDF),
            "title": "Hospital report",
            "kind": "report",
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["download_url"].endswith(f"medical-documents/{data['id']}/download/")
    download = url(case, "medical-documents", f"{data['id']}/download/")
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert api_client(caseworker).get(download).status_code == 404
    assert api_client(movement_officer).get(download).status_code == 404
    assert api_client(movement_officer).get(url(case, "medical-documents")).status_code == 404
    assert AuditEvent.objects.filter(action=DOCUMENT_DOWNLOADED).count() == 1
    consent(caseworker, case, principal(case))
    assert len(api_client(caseworker).get(url(case, "medical-documents")).json()["results"]) == 1
    assert api_client(caseworker).get(download).status_code == 200
    assert AuditEvent.objects.filter(action=DOCUMENT_DOWNLOADED).count() == 2


def test_bad_upload_and_denied_upload_write_nothing(caseworker, medical_officer, case):
    bad = api_client(medical_officer).post(
        url(case, "medical-documents"),
        {
            "person": principal(case).pk,
            "file": SimpleUploadedFile("report.pdf", b"MZ not a pdf"),
            "title": "X",
            "kind": "report",
        },
        format="multipart",
    )
    assert bad.status_code == 400 and "file" in error_of(bad)["fields"]
    denied = api_client(caseworker).post(
        url(case, "medical-documents"),
        {
            "person": principal(case).pk,
            "file": SimpleUploadedFile("report.pdf", PDF),
            "title": "X",
            "kind": "report",
        },
        format="multipart",
    )
    assert denied.status_code == 403
    assert not MedicalDocument.objects.exists()


def test_fitness_list_shows_the_history_newest_first(medical_officer, caseworker, case):
    first = record_fitness(medical_officer, case, principal(case), "pending")
    second = record_fitness(medical_officer, case, principal(case), "fit")
    results = api_client(caseworker).get(url(case, "fitness")).json()["results"]
    assert [r["id"] for r in results] == [second.pk, first.pk]
