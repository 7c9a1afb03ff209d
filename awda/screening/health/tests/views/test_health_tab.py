from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.factories import person_data, register_case
from awda.screening.consent.choices import Purpose
from awda.screening.consent.services import consent_withdraw
from awda.screening.health.models import (
    FitnessToTravel,
    MedicalDocument,
    MedicalNeed,
    MedicalReferral,
)
from awda.screening.health.services import DOCUMENT_DOWNLOADED, medical_document_add

from ..helpers import PDF, consent, fresh, principal, record_fitness, record_need


def tab_url(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=health"


def member_pk(case):
    return case.members.get(is_principal=True).pk


def body_of(client, case):
    response = client.get(tab_url(case))
    assert response.status_code == 200
    return response.content.decode()


def test_tab_renders_and_the_read_is_audited(client, caseworker, case):
    client.force_login(caseworker)
    body = body_of(client, case)
    assert 'data-testid="tab-health"' in body and 'data-testid="health-tab"' in body
    assert 'data-testid="fitness-none"' in body
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", case_id=case.pk, changes__part="health"
    ).exists()


def test_finance_does_not_see_the_tab(client, finance_officer, case):
    client.force_login(finance_officer)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="tab-health"' not in body and 'data-testid="health-tab"' not in body


def test_movement_sees_the_fitness_decision_but_not_medical_records(
    client, movement_officer, medical_officer, case
):
    record_need(medical_officer, case, principal(case))
    record_fitness(
        medical_officer,
        case,
        principal(case),
        "fit_with_escort",
        escort="medical",
        special_needs=["oxygen"],
        remarks="Oxygen bottle approved by the carrier",
    )
    client.force_login(movement_officer)
    body = body_of(client, case)
    assert 'data-testid="fitness-outcome-fit_with_escort"' in body
    assert "Oxygen bottle approved by the carrier" in body and "Medical escort" in body
    assert 'data-testid="medical-restricted"' in body
    assert "Medical records restricted to medical officers" in body
    assert "diabetes" not in body.lower()
    assert 'data-testid="fitness-form"' not in body and 'data-testid="need-form"' not in body


def test_caseworker_sees_medical_records_only_with_consent(
    client, caseworker, medical_officer, case
):
    record_need(medical_officer, case, principal(case))
    client.force_login(caseworker)
    assert "diabetes" not in body_of(client, case).lower()
    (given,) = consent(caseworker, case, principal(case))
    body = body_of(client, case)
    assert 'data-testid="medical-need"' in body and "Insulin-dependent diabetes" in body
    assert 'data-testid="need-update-form"' not in body  # seeing is not recording
    consent_withdraw(caseworker, consent=given, reason="Asked to stop")
    body = body_of(client, case)
    assert "diabetes" not in body.lower() and 'data-testid="medical-restricted"' in body


def test_medical_officer_records_a_fitness_decision(client, medical_officer, case):
    client.force_login(medical_officer)
    body = body_of(client, case)
    assert 'data-testid="fitness-form"' in body and 'data-testid="need-form"' in body
    p = f"fit-{member_pk(case)}"
    response = client.post(
        reverse("health:fitness_record", args=[case.pk, member_pk(case)]),
        {
            f"{p}-outcome": "fit",
            f"{p}-decided_on": fresh(case).registered_on.isoformat(),
            f"{p}-escort": "none",
            f"{p}-special_needs": ["wheelchair_ramp"],
            f"{p}-remarks": "",
        },
    )
    assert response.status_code == 302 and response.url == tab_url(case)
    d = FitnessToTravel.objects.get()
    assert d.outcome == "fit" and d.special_needs == ["wheelchair_ramp"] and d.valid_days == 7


def test_fitness_form_errors_come_back_on_the_tab(client, medical_officer, case):
    client.force_login(medical_officer)
    p = f"fit-{member_pk(case)}"
    response = client.post(
        reverse("health:fitness_record", args=[case.pk, member_pk(case)]),
        {f"{p}-outcome": "fit_with_escort", f"{p}-escort": "none", f"{p}-decided_on": "2026-01-01"},
    )
    assert response.status_code == 400
    assert "Say which escort the traveller needs." in response.content.decode()
    assert not FitnessToTravel.objects.exists()


def test_need_form_and_stale_update(client, medical_officer, case):
    client.force_login(medical_officer)
    p = f"nd-{member_pk(case)}"
    response = client.post(
        reverse("health:need_record", args=[case.pk, member_pk(case)]),
        {
            f"{p}-category": "pregnancy",
            f"{p}-severity": "low",
            f"{p}-identified_on": "2026-01-05",
            f"{p}-description": "Seven months",
            f"{p}-status": "open",
        },
    )
    assert response.status_code == 302
    need = MedicalNeed.objects.get()
    url = reverse("health:need_update", args=[case.pk, need.pk])
    data = {f"need-{need.pk}-status": "stabilised", f"need-{need.pk}-severity": "low"}
    assert client.post(url, {**data, f"need-{need.pk}-version": 1}).status_code == 302
    assert client.post(url, {**data, f"need-{need.pk}-version": 1}).status_code == 409
    need.refresh_from_db()
    assert need.status == "stabilised" and need.version == 2


def test_other_roles_get_403_and_other_offices_404(
    client, caseworker, other_office_user, medical_officer, case
):
    url = reverse("health:need_record", args=[case.pk, member_pk(case)])
    fit_url = reverse("health:fitness_record", args=[case.pk, member_pk(case)])
    client.force_login(caseworker)
    assert client.post(url, {}).status_code == 403
    assert client.post(fit_url, {}).status_code == 403
    client.force_login(other_office_user)
    assert client.get(tab_url(case)).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert not MedicalNeed.objects.exists() and not FitnessToTravel.objects.exists()


def test_referral_without_consent_is_refused_on_the_tab(
    client, caseworker, medical_officer, case, hospital
):
    client.force_login(medical_officer)
    p = f"rf-{member_pk(case)}"
    data = {
        f"{p}-provider": hospital.pk,
        f"{p}-purpose": "treatment",
        f"{p}-referred_on": fresh(case).registered_on.isoformat(),
    }
    url = reverse("health:referral_record", args=[case.pk, member_pk(case)])
    response = client.post(url, data)
    assert response.status_code == 400
    assert "No valid consent" in response.content.decode()
    assert not MedicalReferral.objects.exists()
    consent(caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
    assert client.post(url, data).status_code == 302
    referral = MedicalReferral.objects.get()
    assert referral.transfer.recipient == hospital.name
    assert hospital.name in body_of(client, case)


def test_referral_notes_are_shown_on_the_tab_not_in_the_transfer_log(
    client, caseworker, medical_officer, case, hospital
):
    consent(caseworker, case, principal(case), Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
    client.force_login(medical_officer)
    p = f"rf-{member_pk(case)}"
    url = reverse("health:referral_record", args=[case.pk, member_pk(case)])
    response = client.post(
        url,
        {
            f"{p}-provider": hospital.pk,
            f"{p}-purpose": "treatment",
            f"{p}-referred_on": fresh(case).registered_on.isoformat(),
            f"{p}-notes": "Suspected TB, X-ray attached",
        },
    )
    assert response.status_code == 302
    referral = MedicalReferral.objects.get()
    assert referral.notes == "Suspected TB, X-ray attached"
    assert "TB" not in referral.transfer.notes
    body = body_of(client, case)
    assert 'data-testid="referral-notes"' in body and "Suspected TB, X-ray attached" in body


def test_document_upload_and_scoped_audited_download(
    client, caseworker, movement_officer, medical_officer, case
):
    client.force_login(medical_officer)
    p = f"doc-{member_pk(case)}"
    response = client.post(
        reverse("health:document_add", args=[case.pk, member_pk(case)]),
        {
            f"{p}-file": SimpleUploadedFile("fit.pdf", PDF),
            f"{p}-title": "Fit-to-fly certificate",
            f"{p}-kind": "fitness_certificate",
        },
    )
    assert response.status_code == 302
    doc = MedicalDocument.objects.get()
    url = reverse("health:document_download", args=[case.pk, doc.pk])
    assert url in body_of(client, case)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action=DOCUMENT_DOWNLOADED, actor=medical_officer).exists()
    for user in (movement_officer, caseworker):
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action=DOCUMENT_DOWNLOADED).count() == 1
    consent(caseworker, case, principal(case))
    client.force_login(caseworker)
    assert client.get(url).status_code == 200


def _fill(user_cw, medical_officer, case, hospital):
    for m in case.members.select_related("person"):
        consent(user_cw, case, m.person, Purpose.SERVICE_PROVIDERS, Purpose.HEALTH_DATA)
        record_need(medical_officer, case, m.person)
        record_fitness(medical_officer, case, m.person, "pending")
        record_fitness(medical_officer, case, m.person, "fit")
        from awda.screening.health.services import medical_referral_record

        medical_referral_record(
            medical_officer,
            case=fresh(case),
            person=m.person,
            provider=hospital,
            purpose="treatment",
        )
        medical_document_add(
            medical_officer,
            case=fresh(case),
            person=m.person,
            file=SimpleUploadedFile("r.pdf", PDF),
            title="Report",
            kind="report",
        )


def _count(client, case):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(tab_url(case), HTTP_HX_REQUEST="true").status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_members(
    client, caseworker, medical_officer, rabat, family, hospital
):
    single = register_case(caseworker, rabat, principal=person_data(given_name="Solo"))
    _fill(caseworker, medical_officer, single, hospital)
    _fill(caseworker, medical_officer, family, hospital)
    for user in (medical_officer, caseworker):
        client.force_login(user)
        _count(client, single)  # warm caches (session, scope)
        assert _count(client, single) == _count(client, family), user
