import datetime

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import OrganisationFactory
from awda.movements.traveldocs import services
from awda.movements.traveldocs.models import TravelDocument
from awda.registry.choices import OrganisationKind
from awda.registry.models import IdentityDocument

from ..helpers import IN_A_YEAR, TODAY, fresh, principal, record_passport, request_lp


def test_a_passport_held_is_recorded_as_issued_and_audited(caseworker, case):
    doc = record_passport(caseworker, case, principal(case))
    assert doc.status == "issued" and doc.kind == "passport" and doc.version == 1
    assert doc.expires_on == IN_A_YEAR and doc.issuing_country == "GN"
    event = AuditEvent.objects.get(action="travel_documents.document.recorded")
    assert event.case_id == case.pk and event.changes["travel_document"] == doc.pk
    assert fresh(case).version == case.version + 1


def test_an_issued_document_needs_a_number_and_an_expiry_after_issue(caseworker, case):
    with pytest.raises(ValidationFailed) as exc:
        record_passport(caseworker, case, principal(case), number="", expires_on=None)
    assert set(exc.value.fields) == {"number", "expires_on"}
    with pytest.raises(ValidationFailed) as exc:
        record_passport(caseworker, case, principal(case), issued_on=TODAY, expires_on=TODAY)
    assert "expires_on" in exc.value.fields
    assert not TravelDocument.objects.exists()


def test_a_request_names_an_active_consulate(caseworker, case, consulate):
    with pytest.raises(ValidationFailed) as exc:
        request_lp(caseworker, case, principal(case), None)
    assert "consulate" in exc.value.fields
    hospital = OrganisationFactory(kind=OrganisationKind.HOSPITAL)
    with pytest.raises(ValidationFailed) as exc:
        request_lp(caseworker, case, principal(case), hospital)
    assert "consulate" in exc.value.fields
    doc = request_lp(caseworker, case, principal(case), consulate)
    assert doc.status == "requested" and doc.requested_on == TODAY


def test_the_consulates_answer_issues_the_laissez_passer(caseworker, case, consulate):
    doc = request_lp(caseworker, case, principal(case), consulate)
    doc = services.travel_document_answer(
        caseworker,
        document=doc,
        expected_version=1,
        outcome="issued",
        number="LP-123",
        issued_on=TODAY,
        expires_on=TODAY + datetime.timedelta(days=90),
    )
    doc.refresh_from_db()
    assert (doc.status, doc.number, doc.version, doc.answered_on) == ("issued", "LP-123", 2, TODAY)
    assert AuditEvent.objects.filter(action="travel_documents.document.answered").count() == 1


def test_a_refusal_needs_its_reason(caseworker, case, consulate):
    doc = request_lp(caseworker, case, principal(case), consulate)
    with pytest.raises(ValidationFailed) as exc:
        services.travel_document_answer(
            caseworker, document=doc, expected_version=1, outcome="refused"
        )
    assert "reason" in exc.value.fields
    services.travel_document_answer(
        caseworker, document=doc, expected_version=1, outcome="refused", reason="Nationality"
    )
    doc.refresh_from_db()
    assert doc.status == "refused" and doc.refusal_reason == "Nationality"
    with pytest.raises(ValidationFailed) as exc:
        services.travel_document_answer(
            caseworker, document=doc, expected_version=2, outcome="refused", reason="again"
        )
    assert exc.value.code == "not_requested"


def test_an_update_bumps_the_version_and_a_stale_one_is_refused(caseworker, colleague, case):
    doc = record_passport(caseworker, case, principal(case))
    services.travel_document_update(caseworker, document=doc, expected_version=1, number="P7654321")
    doc.refresh_from_db()
    assert doc.version == 2 and doc.number == "P7654321"
    with pytest.raises(StaleEdit):
        services.travel_document_update(
            colleague, document=doc, expected_version=1, number="P0000000"
        )
    doc.refresh_from_db()
    assert doc.number == "P7654321" and doc.version == 2
    assert AuditEvent.objects.filter(action="travel_documents.document.updated").count() == 1


def test_a_document_can_be_cancelled_not_reissued_here(caseworker, case):
    doc = record_passport(caseworker, case, principal(case))
    with pytest.raises(ValidationFailed):
        services.travel_document_update(
            caseworker, document=doc, expected_version=1, status="requested"
        )
    services.travel_document_update(
        caseworker, document=doc, expected_version=1, status="cancelled"
    )
    doc.refresh_from_db()
    assert doc.status == "cancelled"


@pytest.mark.parametrize("who", ["finance_officer", "medical_officer", "other_office_user"])
def test_who_may_not_record_changes_nothing(request, who, case):
    user = request.getfixturevalue(who)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        record_passport(user, case, principal(case))
    assert not TravelDocument.objects.exists()
    assert AuditEvent.objects.count() == before
    assert fresh(case).version == case.version


def test_movement_officer_may_record(movement_officer, case):
    assert record_passport(movement_officer, case, principal(case)).pk


def test_a_person_outside_the_case_is_refused(caseworker, case, family):
    with pytest.raises(ValidationFailed) as exc:
        record_passport(caseworker, case, principal(family))
    assert "person" in exc.value.fields


def test_a_passport_from_the_identity_documents_is_copied_and_linked(caseworker, case):
    person = principal(case)
    held = IdentityDocument.objects.create(
        person=person,
        doc_type="passport",
        number="GN998877",
        issuing_country="GN",
        issue_date=TODAY - datetime.timedelta(days=400),
        expiry_date=TODAY + datetime.timedelta(days=800),
    )
    doc = services.travel_document_record(
        caseworker, case=fresh(case), person=person, identity_document=held
    )
    assert (doc.kind, doc.status, doc.number, doc.identity_document_id) == (
        "passport",
        "issued",
        "GN998877",
        held.pk,
    )
    assert doc.expires_on == held.expiry_date and doc.issued_on == held.issue_date
    card = IdentityDocument.objects.create(person=person, doc_type="national_id", number="X1")
    with pytest.raises(ValidationFailed) as exc:
        services.travel_document_record(
            caseworker, case=fresh(case), person=person, identity_document=card
        )
    assert "identity_document" in exc.value.fields


def test_a_correction_cannot_issue_before_the_request(caseworker, case, consulate):
    doc = request_lp(
        caseworker, case, principal(case), consulate, requested_on=TODAY - datetime.timedelta(2)
    )
    doc = services.travel_document_answer(
        caseworker,
        document=doc,
        expected_version=1,
        outcome="issued",
        number="LP-1",
        expires_on=TODAY + datetime.timedelta(days=90),
    )
    doc.case = fresh(case)
    with pytest.raises(ValidationFailed) as exc:
        services.travel_document_update(
            caseworker,
            document=doc,
            expected_version=doc.version,
            issued_on=TODAY - datetime.timedelta(days=30),
        )
    assert "issued_on" in exc.value.fields
    doc.refresh_from_db()
    assert doc.issued_on == TODAY
