import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import bring_case_to, person_data, register_case
from awda.movements.traveldocs import selectors, services
from awda.movements.traveldocs.models import DocumentBatch, ExitAuthorisation, TravelDocument
from awda.screening.consent.choices import Purpose
from awda.screening.consent.models import DataTransfer

from ..helpers import IN_A_YEAR, TODAY, consent, fresh, persons, record_passport


@pytest.fixture
def eligible(caseworker, manager, family, case):
    """Two eligible cases of Rabat: a family of three and Ousmane alone."""
    for c in (family, case):
        bring_case_to(c, "eligible", caseworker=caseworker, manager=manager)
    return fresh(family), fresh(case)


def candidates(user, kind="consulate", **kw):
    return list(selectors.batch_candidates(user, kind=kind, office_id=fresh_office(user), **kw))


def fresh_office(user):
    return user.memberships.first().office_id


def make_batch(user, eligible, recipient, kind="consulate"):
    members = candidates(user, kind)
    return services.batch_create(
        user, kind=kind, recipient=recipient, office=fresh_office(user), members=members
    )


def test_candidates_are_travellers_still_needing_the_document(caseworker, eligible, rabat):
    family, case = eligible
    assert len(candidates(caseworker)) == 4
    record_passport(caseworker, case, persons(case)[0])
    names = {m.person.full_name for m in candidates(caseworker)}
    assert "Ousmane DIALLO" not in names and len(names) == 3
    # registered cases are not listed; filtering by nationality works
    register_case(caseworker, rabat, principal=person_data(given_name="Awa", nationality="SN"))
    assert candidates(caseworker, nationality="SN") == []


def test_create_lists_the_persons_and_they_leave_the_candidates(caseworker, eligible, consulate):
    batch = make_batch(caseworker, eligible, consulate)
    assert batch.status == "draft" and batch.items.count() == 4
    assert candidates(caseworker) == []
    assert AuditEvent.objects.filter(action="travel_documents.batch.created").count() == 1


def test_a_person_who_cannot_be_listed_is_refused(caseworker, eligible, consulate):
    family, case = eligible
    member = case.members.get()
    record_passport(caseworker, case, member.person)
    with pytest.raises(ValidationFailed) as exc:
        services.batch_create(
            caseworker,
            kind="consulate",
            recipient=consulate,
            office=fresh_office(caseworker),
            members=[member],
        )
    assert "members" in exc.value.fields
    assert not DocumentBatch.objects.exists()


def test_the_recipient_must_match_the_kind(caseworker, eligible, authority):
    with pytest.raises(ValidationFailed) as exc:
        make_batch(caseworker, eligible, authority, kind="consulate")
    assert "recipient" in exc.value.fields


def test_another_office_may_not_make_a_list_here(other_office_user, eligible, consulate, rabat):
    with pytest.raises(PermissionDenied):
        services.batch_create(
            other_office_user,
            kind="consulate",
            recipient=consulate,
            office=rabat,
            members=[m.pk for m in eligible[1].members.all()],
        )


def test_sending_needs_every_persons_consent_and_names_those_without(
    caseworker, eligible, consulate
):
    family, case = eligible
    batch = make_batch(caseworker, eligible, consulate)
    for p in persons(family):
        consent(caseworker, family, p, Purpose.CONSULATE)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.batch_send(caseworker, batch=batch, expected_version=1)
    assert exc.value.code == "consent_missing"
    assert "Ousmane DIALLO" in str(exc.value.message)
    assert "Aminata" not in str(exc.value.message)
    assert exc.value.details["missing"] == [{"person": persons(case)[0].pk, "purpose": "consulate"}]
    batch.refresh_from_db()
    assert batch.status == "draft" and batch.sent_on is None and batch.version == 1
    assert not DataTransfer.objects.exists() and not TravelDocument.objects.exists()
    assert AuditEvent.objects.count() == events


def test_sending_records_one_transfer_per_case_and_a_request_per_person(
    caseworker, eligible, consulate
):
    family, case = eligible
    batch = make_batch(caseworker, eligible, consulate)
    for c in (family, case):
        for p in persons(c):
            consent(caseworker, c, p, Purpose.CONSULATE)
    batch = services.batch_send(caseworker, batch=batch, expected_version=1, sent_on=TODAY)
    assert batch.status == "sent" and batch.sent_on == TODAY and batch.sent_by == caseworker
    transfers = DataTransfer.objects.order_by("case_id")
    assert [t.case_id for t in transfers] == sorted([family.pk, case.pk])
    assert {t.purpose for t in transfers} == {"consulate"}
    assert {t.recipient for t in transfers} == {consulate.name}
    assert sorted(transfers.get(case=family).persons.values_list("pk", flat=True)) == sorted(
        p.pk for p in persons(family)
    )
    docs = TravelDocument.objects.filter(batch=batch)
    assert docs.count() == 4
    assert {(d.kind, d.status, d.consulate_id, d.requested_on) for d in docs} == {
        ("laissez_passer", "requested", consulate.pk, TODAY)
    }
    assert AuditEvent.objects.filter(action="travel_documents.batch.sent").count() == 2
    with pytest.raises(ValidationFailed) as exc:
        services.batch_send(caseworker, batch=batch, expected_version=batch.version)
    assert exc.value.code == "already_sent"


def test_answers_per_person_close_the_list(caseworker, eligible, consulate):
    family, case = eligible
    batch = make_batch(caseworker, eligible, consulate)
    for c in (family, case):
        for p in persons(c):
            consent(caseworker, c, p, Purpose.CONSULATE)
    services.batch_send(caseworker, batch=batch, expected_version=1)
    items = list(selectors.batch_items(batch))
    for i, item in enumerate(items):
        item.batch = batch
        if i == 0:
            services.batch_answer(
                caseworker,
                item=item,
                expected_version=item.travel_document.version,
                outcome="refused",
                reason="Nationality not established",
            )
        else:
            services.batch_answer(
                caseworker,
                item=item,
                expected_version=item.travel_document.version,
                outcome="issued",
                number=f"LP-{i}",
                expires_on=IN_A_YEAR,
            )
        batch.refresh_from_db()
        assert batch.status == ("answered" if i == len(items) - 1 else "sent")
    assert TravelDocument.objects.filter(batch=batch, status="issued").count() == 3


def test_an_authorities_list_requests_exit_authorisations(caseworker, eligible, authority):
    family, case = eligible
    batch = make_batch(caseworker, eligible, authority, kind="authority")
    for c in (family, case):
        for p in persons(c):
            consent(caseworker, c, p, Purpose.AUTHORITIES)
    services.batch_send(caseworker, batch=batch, expected_version=1)
    assert set(DataTransfer.objects.values_list("purpose", flat=True)) == {"authorities"}
    assert ExitAuthorisation.objects.filter(batch=batch, status="requested").count() == 4
    item = selectors.batch_items(batch).first()
    item.batch = batch
    services.batch_answer(
        caseworker,
        item=item,
        expected_version=1,
        outcome="granted",
        reference="AS-1",
        granted_on=TODAY,
    )
    item.exit_authorisation.refresh_from_db()
    assert item.exit_authorisation.status == "granted"


def test_a_consulate_consent_does_not_cover_the_authorities(caseworker, eligible, authority):
    family, case = eligible
    batch = make_batch(caseworker, eligible, authority, kind="authority")
    for c in (family, case):
        for p in persons(c):
            consent(caseworker, c, p, Purpose.CONSULATE)
    with pytest.raises(ValidationFailed) as exc:
        services.batch_send(caseworker, batch=batch, expected_version=1)
    assert exc.value.code == "consent_missing"
    assert len(exc.value.details["missing"]) == 4


def test_a_draft_is_discarded_and_its_persons_can_go_on_another_list(
    caseworker, eligible, consulate
):
    from awda.core.errors import StaleEdit

    batch = make_batch(caseworker, eligible, consulate)
    assert candidates(caseworker) == []
    with pytest.raises(StaleEdit):
        services.batch_discard(caseworker, batch=batch, expected_version=batch.version + 1)
    assert DocumentBatch.objects.filter(pk=batch.pk).exists()
    services.batch_discard(caseworker, batch=batch, expected_version=batch.version)
    assert not DocumentBatch.objects.filter(pk=batch.pk).exists()
    assert len(candidates(caseworker)) == 4
    event = AuditEvent.objects.get(action="travel_documents.batch.discarded")
    assert sorted(event.changes["members"]) == sorted(p.pk for c in eligible for p in persons(c))


def test_a_sent_list_is_a_record_and_is_not_discarded(caseworker, eligible, consulate):
    batch = make_batch(caseworker, eligible, consulate)
    for c in eligible:
        for p in persons(c):
            consent(caseworker, c, p, Purpose.CONSULATE)
    batch = services.batch_send(caseworker, batch=batch, expected_version=1, sent_on=TODAY)
    with pytest.raises(ValidationFailed) as exc:
        services.batch_discard(caseworker, batch=batch, expected_version=batch.version)
    assert exc.value.code == "already_sent"
    assert DocumentBatch.objects.filter(pk=batch.pk, status="sent").exists()


def test_another_office_may_not_discard(other_office_user, caseworker, eligible, consulate):
    batch = make_batch(caseworker, eligible, consulate)
    with pytest.raises(PermissionDenied):
        services.batch_discard(other_office_user, batch=batch, expected_version=batch.version)
    assert DocumentBatch.objects.filter(pk=batch.pk).exists()
