"""Members and the declaration of voluntary return."""

import datetime

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.models import Case, CaseMember
from awda.cases.services import (
    case_declaration_record,
    case_member_add,
    case_member_remove,
    case_member_update,
)
from awda.core.errors import NotFound, StaleEdit, ValidationFailed
from awda.factories import person_data, register_case
from awda.registry.models import Person


def child(**kw):
    return person_data(
        **{
            "given_name": "Aminata",
            "sex": "female",
            "date_of_birth": None,
            "birth_year": 2017,
            **kw,
        }
    )


def test_add_a_new_person_as_member(case, caseworker):
    version = case.version
    member = case_member_add(
        caseworker,
        case=case,
        relationship="child",
        person=child(),
        documents=[{"doc_type": "birth_certificate", "number": "BC-1"}],
        expected_version=version,
    )
    row = Case.objects.get(pk=case.pk)
    assert row.member_count == 2 and row.version == version + 1
    assert (case.version, case.member_count) == (row.version, row.member_count)
    assert member.person.documents.count() == 1
    event = AuditEvent.objects.get(action="cases.member.added")
    assert event.case_id == case.pk and event.person_id == member.person_id
    assert event.changes == {"person": member.person_id, "relationship": "child", "travels": True}


def test_in_memory_version_follows_the_database_after_a_member_is_added(
    case, caseworker, colleague
):
    from awda.cases.services import case_update

    stale = Case.objects.get(pk=case.pk)
    case_update(colleague, case=case, expected_version=None, data={"destination_area": "Boké"})
    # Adding a member does not overwrite anything, so it needs no version; afterwards the object
    # the caller holds must carry the real version, not the stale one plus one.
    case_member_add(caseworker, case=stale, relationship="child", person=child())
    assert stale.version == Case.objects.get(pk=case.pk).version


def test_add_an_existing_person_and_refuse_duplicates(case, caseworker, rabat):
    other = register_case(caseworker, rabat, principal=person_data(given_name="Mamadou")).principal
    case_member_add(caseworker, case=case, relationship="sibling", person_id=other.pk)
    with pytest.raises(ValidationFailed) as err:
        case_member_add(caseworker, case=case, relationship="sibling", person_id=other.pk)
    assert "person_id" in err.value.fields
    assert Case.objects.get(pk=case.pk).member_count == 2


def test_existing_person_of_another_office_is_not_found(case, caseworker, other_office_user, oujda):
    stranger = register_case(other_office_user, oujda).principal
    with pytest.raises(NotFound):
        case_member_add(caseworker, case=case, relationship="spouse", person_id=stranger.pk)
    assert CaseMember.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("relationship", ["principal", "cousin", ""])
def test_invalid_relationship_is_refused(case, caseworker, relationship):
    with pytest.raises(ValidationFailed) as err:
        case_member_add(caseworker, case=case, relationship=relationship, person=child())
    assert "relationship" in err.value.fields
    assert Person.objects.count() == 1


def test_invalid_new_member_names_the_field_and_writes_nothing(case, caseworker):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as err:
        case_member_add(caseworker, case=case, relationship="child", person=child(sex="?"))
    assert "person.sex" in err.value.fields
    assert Person.objects.count() == 1 and AuditEvent.objects.count() == events
    assert Case.objects.get(pk=case.pk).version == case.version


@pytest.mark.parametrize("status", ["departed", "arrived", "reintegration", "monitoring", "closed"])
def test_members_cannot_be_added_after_departure(case, caseworker, status):
    Case.objects.filter(pk=case.pk).update(status=status)
    with pytest.raises(ValidationFailed):
        case_member_add(caseworker, case=case, relationship="child", person=child())
    assert Person.objects.count() == 1 and CaseMember.objects.count() == 1


def test_stale_member_add_is_refused(case, caseworker):
    with pytest.raises(StaleEdit):
        case_member_add(
            caseworker, case=case, relationship="child", person=child(), expected_version=99
        )
    assert Person.objects.count() == 1


def test_update_and_remove_member(case, caseworker):
    member = case_member_add(caseworker, case=case, relationship="child", person=child())
    member = case_member_update(
        caseworker, case=case, member=member, relationship="sibling", travels=False
    )
    assert CaseMember.objects.get(pk=member.pk).travels is False
    event = AuditEvent.objects.get(action="cases.member.updated")
    assert event.changes == {
        "relationship": {"from": "child", "to": "sibling"},
        "travels": {"from": True, "to": False},
    }
    case_member_remove(caseworker, case=case, member=member)
    row = Case.objects.get(pk=case.pk)
    assert row.member_count == 1 and not CaseMember.objects.filter(pk=member.pk).exists()
    assert case.member_count == 1 and case.version == row.version
    assert Person.objects.filter(pk=member.person_id).exists()  # the person record stays
    assert AuditEvent.objects.filter(action="cases.member.removed", case_id=case.pk).count() == 1


def test_principal_cannot_be_removed_or_relabelled(case, caseworker):
    principal = case.members.get(is_principal=True)
    with pytest.raises(ValidationFailed):
        case_member_remove(caseworker, case=case, member=principal)
    with pytest.raises(ValidationFailed):
        case_member_update(caseworker, case=case, member=principal, relationship="child")
    assert CaseMember.objects.get(pk=principal.pk).relationship == "principal"


def test_member_of_another_case_is_not_found(case, caseworker, rabat):
    other = register_case(caseworker, rabat, principal=person_data(given_name="Other"))
    member = case_member_add(caseworker, case=other, relationship="child", person=child())
    with pytest.raises(NotFound):
        case_member_remove(caseworker, case=case, member=member)
    with pytest.raises(NotFound):
        case_member_update(caseworker, case=case, member=member, travels=False)


def test_members_cannot_be_removed_after_departure(case, caseworker):
    member = case_member_add(caseworker, case=case, relationship="child", person=child())
    Case.objects.filter(pk=case.pk).update(status="departed")
    case.refresh_from_db()
    with pytest.raises(ValidationFailed):
        case_member_remove(caseworker, case=case, member=member)
    assert CaseMember.objects.filter(pk=member.pk).exists()


# ---- declaration --------------------------------------------------------------------------------


def test_declaration_is_recorded_and_audited(case, caseworker):
    case = case_declaration_record(
        caseworker, case=case, signed_on=case.registered_on, expected_version=case.version
    )
    row = Case.objects.get(pk=case.pk)
    assert row.declaration_signed_on == case.registered_on
    assert row.declaration_recorded_by == caseworker and row.version == case.version == 2
    event = AuditEvent.objects.get(action="cases.case.declaration_recorded")
    assert event.changes == {
        "declaration_signed_on": {"from": None, "to": case.registered_on.isoformat()}
    }


@pytest.mark.parametrize(
    ("days", "reason"), [(1, "future"), (-1, "before registration")], ids=["future", "early"]
)
def test_declaration_date_is_checked(case, caseworker, days, reason):
    base = timezone.localdate() if days > 0 else case.registered_on
    with pytest.raises(ValidationFailed) as err:
        case_declaration_record(
            caseworker, case=case, signed_on=base + datetime.timedelta(days=days)
        )
    assert "signed_on" in err.value.fields, reason
    assert Case.objects.get(pk=case.pk).declaration_signed_on is None


def test_declaration_is_recorded_only_during_counselling(case, caseworker):
    Case.objects.filter(pk=case.pk).update(status="eligible")
    with pytest.raises(ValidationFailed):
        case_declaration_record(caseworker, case=case, signed_on=case.registered_on)
    assert Case.objects.get(pk=case.pk).declaration_signed_on is None
    assert not AuditEvent.objects.filter(action="cases.case.declaration_recorded").exists()


def test_stale_declaration_is_refused(case, caseworker):
    with pytest.raises(StaleEdit):
        case_declaration_record(
            caseworker, case=case, signed_on=case.registered_on, expected_version=0
        )
    assert Case.objects.get(pk=case.pk).declaration_signed_on is None


def test_member_update_is_refused_after_departure_and_when_stale(case, caseworker):
    member = case_member_add(caseworker, case=case, relationship="child", person=child())
    with pytest.raises(StaleEdit):
        case_member_update(caseworker, case=case, member=member, travels=False, expected_version=1)
    Case.objects.filter(pk=case.pk).update(status="departed")
    with pytest.raises(ValidationFailed):
        case_member_update(caseworker, case=case, member=member, travels=False)
    assert CaseMember.objects.get(pk=member.pk).travels is True


def test_member_update_without_change_writes_no_event(case, caseworker):
    member = case_member_add(caseworker, case=case, relationship="child", person=child())
    case_member_update(caseworker, case=case, member=member, relationship="child")
    assert not AuditEvent.objects.filter(action="cases.member.updated").exists()


def test_document_writes_check_the_policy_in_the_service(case, caseworker, medical_officer):
    from awda.cases.services import person_document_add, person_document_delete
    from awda.core.errors import PermissionDenied
    from awda.registry.models import IdentityDocument

    person = case.principal
    data = {"doc_type": "passport", "number": "GN 1234567"}
    with pytest.raises(PermissionDenied):
        person_document_add(
            medical_officer, person=person, data=data, expected_version=None, case=case
        )
    with pytest.raises(PermissionDenied):
        person_document_add(medical_officer, person=person, data=data, expected_version=None)
    assert not IdentityDocument.objects.exists()
    doc = person_document_add(
        caseworker, person=person, data=data, expected_version=None, case=case
    )
    with pytest.raises(PermissionDenied):
        person_document_delete(medical_officer, document=doc, expected_version=None, case=case)
    assert IdentityDocument.objects.filter(pk=doc.pk).exists()
