"""Merging two records of one man, and undoing it: every row of every app that pointed to the
merged record moves to the survivor (and back), recorded and audited."""

from decimal import Decimal

import pytest

from awda.assistance.models import AssistanceLine
from awda.assistance.services import assistance_record
from awda.audit.models import AuditEvent
from awda.cases.models import Case, CaseMember
from awda.cases.selectors import person_get_for, person_list_for
from awda.core.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import ProjectFactory, person_data, register_case
from awda.finance.models import Charge
from awda.registry.duplicates import merging, services
from awda.registry.duplicates.choices import PairStatus
from awda.registry.duplicates.models import DuplicatePair, MergedItem, PersonMerge
from awda.registry.models import IdentityDocument, Person, PersonMatchKey
from awda.screening.consent.models import Consent, DataTransfer
from awda.screening.consent.services import consent_record, transfer_record
from awda.screening.models import VulnerabilityScreening
from awda.screening.services import screening_record

from ..conftest import detect, pair_of

pytestmark = pytest.mark.django_db


def versions(*persons):
    return {p.pk: Person.objects.get(pk=p.pk).version for p in persons}


@pytest.fixture
def oujda_history(oujda_case, other_office_user, morocco):
    """What Oujda recorded for its registration: a consent and a disclosure to the consulate, a
    screening, an assistance line charged to a project (a Charge)."""
    Case.objects.filter(pk=oujda_case.pk).update(
        project=ProjectFactory(code="AVRR-MA-SEM", mission=morocco, currency="EUR")
    )
    case = Case.objects.get(pk=oujda_case.pk)
    person = case.principal
    member = case.members.get(person=person)
    consent = consent_record(
        other_office_user, case=case, person=person, purpose="consulate", language="fr"
    )
    transfer = transfer_record(
        other_office_user,
        case=case,
        persons=[person],
        recipient="Consulat de Guinée",
        purpose="consulate",
        categories=["identity"],
    )
    case.refresh_from_db()
    screening = screening_record(
        other_office_user, case=case, member=member, factors={}, expected_version=case.version
    )
    line = assistance_record(
        other_office_user,
        case=Case.objects.get(pk=case.pk),
        person=person,
        kind="non_food",
        description="Hygiene kit",
        quantity=Decimal("1"),
        unit_cost=Decimal("25.00"),
    )
    return {
        "case": case,
        "member": member,
        "consent": consent,
        "transfer": transfer,
        "screening": screening,
        "line": line,
        "charge": Charge.objects.get(person=person),
        "document": IdentityDocument.objects.get(person=person),
    }


def merge_into_rabat(manager, pair, rabat_case, oujda_case, **kwargs):
    keep, gone = rabat_case.principal, oujda_case.principal
    return services.persons_merge(
        manager, pair=pair, survivor=keep, expected_versions=versions(keep, gone), **kwargs
    )


def test_merge_moves_every_row_of_every_app_to_the_survivor_and_records_each(
    the_pair, oujda_history, rabat_case, oujda_case, manager
):
    keep, gone = rabat_case.principal, oujda_case.principal
    h = oujda_history
    merge = merge_into_rabat(manager, the_pair, rabat_case, oujda_case, note="Same passport photo")

    # cases: membership and principal applicant
    assert CaseMember.objects.get(pk=h["member"].pk).person_id == keep.pk
    oujda = Case.objects.get(pk=h["case"].pk)
    assert oujda.principal_id == keep.pk and oujda.version > h["case"].version
    # registry, screening, consent (and the transfer's persons), assistance, finance
    assert IdentityDocument.objects.get(pk=h["document"].pk).person_id == keep.pk
    assert VulnerabilityScreening.objects.get(pk=h["screening"].pk).person_id == keep.pk
    assert Consent.objects.get(pk=h["consent"].pk).person_id == keep.pk
    assert list(DataTransfer.objects.get(pk=h["transfer"].pk).persons.all()) == [keep]
    assert AssistanceLine.objects.get(pk=h["line"].pk).person_id == keep.pk
    assert Charge.objects.get(pk=h["charge"].pk).person_id == keep.pk
    # nothing at all points to the merged record any more
    for model, field in merging.person_relations():
        assert not model._base_manager.filter(**{field.attname: gone.pk}).exists(), model

    recorded = {(i.model_label, i.object_pk, i.field_name) for i in merge.items.all()}
    assert {
        ("cases.CaseMember", str(h["member"].pk), "person"),
        ("cases.Case", str(h["case"].pk), "principal"),
        ("registry.IdentityDocument", str(h["document"].pk), "person"),
        ("screening.VulnerabilityScreening", str(h["screening"].pk), "person"),
        ("consent.Consent", str(h["consent"].pk), "person"),
        ("assistance.AssistanceLine", str(h["line"].pk), "person"),
        ("finance.Charge", str(h["charge"].pk), "person"),
    } <= recorded
    assert any(label == "consent.DataTransfer_persons" for label, _pk, _f in recorded)

    gone.refresh_from_db()
    keep.refresh_from_db()
    assert gone.merged_into_id == keep.pk
    assert "Ousman Jallow" in keep.other_names  # the merged record's alias is kept
    assert "cc998877" in keep.search_text  # the moved consular card finds the survivor
    assert not PersonMatchKey.objects.filter(person=gone).exists()
    the_pair.refresh_from_db()
    assert the_pair.status == PairStatus.MERGED and the_pair.decided_by == manager
    assert merge.merged_snapshot["documents"] == [{"type": "consular_card", "number": "CC-998877"}]
    assert merge.merged_snapshot["cases"] == [h["case"].number]


def test_merge_is_audited_with_every_moved_item_and_on_each_case_touched(
    the_pair, rabat_case, oujda_case, manager
):
    merge = merge_into_rabat(manager, the_pair, rabat_case, oujda_case)

    event = AuditEvent.objects.get(action=merging.MERGED)
    assert event.person_id == rabat_case.principal_id and event.object_id == str(merge.pk)
    items = merge.items.count()
    assert len(event.changes["items"]) == items and items >= 3
    assert event.changes["moved"]["cases.CaseMember.person"] == 1
    assert AuditEvent.objects.get(action=merging.MERGED_INTO).person_id == oujda_case.principal_id
    case_event = AuditEvent.objects.get(action=merging.CASE_PERSON_MERGED)
    assert case_event.case_id == oujda_case.pk


def test_merged_person_leaves_person_lists_and_search_and_points_to_the_survivor(
    the_pair, rabat_case, oujda_case, manager, other_office_user
):
    merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    gone = oujda_case.principal

    assert gone not in person_list_for(manager, query="Diallo")
    assert gone not in person_list_for(other_office_user, query="Ousmane")
    # Oujda now sees the survivor through its case, found by the old alias too
    assert list(person_list_for(other_office_user, query="Jallow")) == [rabat_case.principal]
    with pytest.raises(NotFound) as exc:
        person_get_for(other_office_user, gone.pk)
    assert exc.value.code == "person_merged"
    assert exc.value.details == {"merged_into": rabat_case.principal_id}


def test_merge_closes_the_other_open_pairs_of_the_merged_person(
    the_pair,
    rabat_case,
    oujda_case,
    caseworker,
    rabat,
    manager,
    morocco,
    django_capture_on_commit_callbacks,
):
    third = register_case(
        caseworker, rabat, principal=person_data(phone="+212 600 11 22 33")
    ).principal
    detect(manager, morocco, django_capture_on_commit_callbacks)
    other = pair_of(third, oujda_case.principal)
    assert other.status == PairStatus.OPEN

    merge = merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    other.refresh_from_db()
    assert other.status == PairStatus.CLOSED and other.closed_reason == "person_merged"

    services.merge_undo(manager, merge=merge)
    other.refresh_from_db()
    assert other.status == PairStatus.OPEN and other.closed_reason == ""


def test_two_members_of_one_case_are_never_merged(twins_case, manager, morocco):
    a, b = sorted(twins_case.members.values_list("person_id", flat=True))
    pair = DuplicatePair.objects.create(
        mission=morocco, person_a_id=a, person_b_id=b, score=0.99, source="registration"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.persons_merge(
            manager,
            pair=pair,
            survivor=a,
            expected_versions={a: 1, b: Person.objects.get(pk=b).version},
        )
    assert exc.value.code == "same_case" and twins_case.number in str(exc.value.message)
    assert not PersonMerge.objects.exists()
    assert Person.objects.filter(merged_into__isnull=False).count() == 0


def test_a_stale_version_is_refused_and_nothing_moves(the_pair, rabat_case, oujda_case, manager):
    keep, gone = rabat_case.principal, oujda_case.principal
    stale = versions(keep, gone)
    stale[gone.pk] -= 1
    with pytest.raises(StaleEdit):
        services.persons_merge(manager, pair=the_pair, survivor=keep, expected_versions=stale)
    assert CaseMember.objects.get(case=oujda_case).person_id == gone.pk
    assert not PersonMerge.objects.exists() and not MergedItem.objects.exists()


def test_a_pair_not_open_or_a_person_already_merged_is_refused(
    the_pair, rabat_case, oujda_case, manager
):
    services.pair_reject(manager, pair=the_pair, expected_version=the_pair.version)
    with pytest.raises(ValidationFailed) as exc:
        merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    assert exc.value.code == "pair_not_open"

    DuplicatePair.objects.filter(pk=the_pair.pk).update(status="open")
    Person.objects.filter(pk=oujda_case.principal_id).update(merged_into=rabat_case.principal_id)
    with pytest.raises(ValidationFailed) as exc:
        merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    assert exc.value.code == "person_already_merged"


def test_the_survivor_must_be_one_of_the_pair(the_pair, twins_case, manager):
    outsider = twins_case.principal
    with pytest.raises(ValidationFailed) as exc:
        services.persons_merge(manager, pair=the_pair, survivor=outsider, expected_versions={})
    assert exc.value.code == "invalid_survivor"


def test_a_row_that_would_break_a_unique_rule_refuses_the_merge_and_says_which(
    the_pair, rabat_case, oujda_case, manager, monkeypatch
):
    """A unique rule of a table (here one added to case members for the test: one membership
    per person and relationship) that moving a row would break."""
    from django.db import models

    from awda.cases.models import CaseMember as Member

    rule = models.UniqueConstraint(fields=["person", "relationship"], name="test_rule")
    monkeypatch.setattr(Member._meta, "constraints", [*Member._meta.constraints, rule])
    with pytest.raises(ValidationFailed) as exc:
        merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    assert exc.value.code == "merge_conflict"
    assert ["cases.CaseMember", oujda_case.members.get().pk] in exc.value.details["records"]
    assert Member.objects.get(case=oujda_case).person_id == oujda_case.principal_id


@pytest.mark.parametrize("persona", ["caseworker", "protection_officer", "tunisia_manager"])
def test_only_managers_of_the_mission_merge_reject_or_undo(
    persona, request, the_pair, rabat_case, oujda_case, manager
):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        merge_into_rabat(user, the_pair, rabat_case, oujda_case)
    with pytest.raises(PermissionDenied):
        services.pair_reject(user, pair=the_pair, expected_version=the_pair.version, note="no")
    the_pair.refresh_from_db()
    assert the_pair.status == PairStatus.OPEN
    merge = merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    with pytest.raises(PermissionDenied):
        services.merge_undo(user, merge=merge)
    assert PersonMerge.objects.get().undone_at is None


def test_reject_is_remembered_and_audited(the_pair, manager):
    services.pair_reject(manager, pair=the_pair, expected_version=the_pair.version, note="Brothers")
    the_pair.refresh_from_db()
    assert the_pair.status == PairStatus.REJECTED and the_pair.decided_at
    event = AuditEvent.objects.get(action=services.PAIR_REJECTED)
    assert event.object_id == str(the_pair.pk) and event.changes["note"] is True
    with pytest.raises(ValidationFailed) as exc:
        services.pair_reject(
            manager, pair=the_pair, expected_version=the_pair.version, note="again"
        )
    assert exc.value.code == "pair_not_open"


# ---- undo ---------------------------------------------------------------------------------------


def _state(person_ids):
    """Where every row of every relation to these persons points."""
    out = {}
    for model, field in merging.person_relations():
        rows = model._base_manager.filter(**{f"{field.attname}__in": person_ids})
        for pk, value in rows.values_list("pk", field.attname):
            out[(model._meta.label, field.name, pk)] = value
    return out


def test_undo_puts_back_exactly_what_the_merge_moved(
    the_pair, oujda_history, rabat_case, oujda_case, manager, other_office_user
):
    keep, gone = rabat_case.principal, oujda_case.principal
    before = _state([keep.pk, gone.pk])
    names_before = Person.objects.get(pk=keep.pk).other_names
    keys_before = set(PersonMatchKey.objects.filter(person=gone).values_list("key", flat=True))
    merge = merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    assert _state([keep.pk, gone.pk]) != before

    undone = services.merge_undo(manager, merge=merge, note="Two different men")

    assert _state([keep.pk, gone.pk]) == before
    keep.refresh_from_db()
    gone.refresh_from_db()
    assert keep.other_names == names_before and gone.merged_into_id is None
    assert "cc998877" in gone.search_text and "cc998877" not in keep.search_text
    assert set(PersonMatchKey.objects.filter(person=gone).values_list("key", flat=True)) == (
        keys_before
    )
    assert undone.undone_by == manager and undone.undo_note == "Two different men"
    the_pair.refresh_from_db()
    assert the_pair.status == PairStatus.OPEN and the_pair.decided_by is None
    event = AuditEvent.objects.filter(action=merging.MERGE_UNDONE).get(person_id=keep.pk)
    moved = merge.items.filter(action="moved").count()
    # the consent and the transfer's link are a restricted category: counted, not named
    assert len(event.changes["items"]) + event.changes["restricted"] == moved
    assert event.changes["restricted"] == 2 and event.changes["skipped"] == []
    assert AuditEvent.objects.filter(action=merging.CASE_MERGE_UNDONE, case_id=oujda_case.pk)
    assert list(person_list_for(other_office_user, query="Jallow")) == [gone]
    with pytest.raises(ValidationFailed) as exc:
        services.merge_undo(manager, merge=merge)
    assert exc.value.code == "merge_undone"


def test_undo_restores_a_shared_link_removed_by_the_merge(
    the_pair, rabat_case, oujda_case, manager, caseworker, other_office_user
):
    """Both records were named in one disclosure: the merge keeps one link, the undo both."""
    keep, gone = rabat_case.principal, oujda_case.principal
    consent_record(caseworker, case=rabat_case, person=keep, purpose="consulate", language="fr")
    consent_record(
        other_office_user, case=oujda_case, person=gone, purpose="consulate", language="fr"
    )
    transfer = transfer_record(
        caseworker,
        case=rabat_case,
        persons=[keep],
        recipient="Consulat",
        purpose="consulate",
        categories=["identity"],
    )
    transfer.persons.add(gone)  # a log written before the two records were linked
    merge = merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    assert list(transfer.persons.all()) == [keep]
    assert merge.items.filter(action="removed").count() == 1

    services.merge_undo(manager, merge=merge)
    assert set(transfer.persons.all()) == {keep, gone}


def test_undo_leaves_rows_deleted_or_changed_since_and_lists_them(
    the_pair, rabat_case, oujda_case, manager
):
    merge = merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    doc = IdentityDocument.objects.get(number="CC-998877")
    doc_pk = doc.pk
    doc.delete()  # deleted on the survivor after the merge

    services.merge_undo(manager, merge=merge)
    event = AuditEvent.objects.filter(action=merging.MERGE_UNDONE).get(
        person_id=rabat_case.principal_id
    )
    assert ["registry.IdentityDocument", str(doc_pk), "person", "deleted"] in event.changes[
        "skipped"
    ]
    assert CaseMember.objects.get(case=oujda_case).person_id == oujda_case.principal_id


def test_undo_is_refused_while_the_survivor_is_merged_into_someone_else(
    the_pair, rabat_case, oujda_case, manager, caseworker, rabat, morocco
):
    merge = merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    third = register_case(caseworker, rabat, principal=person_data(given_name="Ousmane")).principal
    a, b = sorted([third.pk, rabat_case.principal_id])
    later_pair = DuplicatePair.objects.create(
        mission=morocco, person_a_id=a, person_b_id=b, score=0.9, source="batch"
    )
    later = services.persons_merge(
        manager,
        pair=later_pair,
        survivor=third,
        expected_versions=versions(third, rabat_case.principal),
    )
    with pytest.raises(ValidationFailed) as exc:
        services.merge_undo(manager, merge=merge)
    assert exc.value.code == "survivor_merged" and f"#{later.pk}" in str(exc.value.message)

    services.merge_undo(manager, merge=later)
    services.merge_undo(manager, merge=merge)
    assert CaseMember.objects.get(case=oujda_case).person_id == oujda_case.principal_id
