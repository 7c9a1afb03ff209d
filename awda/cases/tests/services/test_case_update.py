"""Editing cases and persons: field-level audit, optimistic locking (a stale edit is refused and
the newer data is untouched), reassignment rules."""

import pytest

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.cases.services import case_person_update, case_update
from awda.core.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import person_data, register_case
from awda.registry.models import Person


def test_update_saves_bumps_version_and_audits_field_changes(case, caseworker):
    version = case.version
    case = case_update(
        caseworker,
        case=case,
        expected_version=version,
        data={"destination_area": "Labé", "priority": "3", "country_of_return": "gin"},
    )
    row = Case.objects.get(pk=case.pk)
    assert (row.destination_area, row.priority, row.country_of_return) == ("Labé", 3, "GN")
    assert row.version == version + 1 == case.version
    event = AuditEvent.objects.get(action="cases.case.updated")
    assert event.case_id == case.pk and event.actor == caseworker
    assert event.changes == {
        "destination_area": {"from": "", "to": "Labé"},
        "priority": {"from": 1, "to": 3},
    }  # country_of_return was already GN: unchanged fields are not listed


def test_stale_version_is_refused_and_the_newer_edit_survives(case, caseworker, colleague):
    mine = Case.objects.get(pk=case.pk)
    theirs = Case.objects.get(pk=case.pk)
    case_update(
        colleague, case=theirs, expected_version=theirs.version, data={"destination_area": "Kindia"}
    )
    events = AuditEvent.objects.count()
    with pytest.raises(StaleEdit):
        case_update(
            caseworker, case=mine, expected_version=mine.version, data={"destination_area": "Mamou"}
        )
    row = Case.objects.get(pk=case.pk)
    assert row.destination_area == "Kindia" and row.version == case.version + 1
    assert AuditEvent.objects.count() == events


def test_stale_in_memory_copy_is_refused_without_explicit_version(case, caseworker, colleague):
    stale = Case.objects.get(pk=case.pk)
    case_update(colleague, case=case, expected_version=None, data={"destination_area": "Kindia"})
    with pytest.raises(StaleEdit):
        case_update(caseworker, case=stale, expected_version=None, data={"priority": 2})
    assert Case.objects.get(pk=case.pk).priority == 1


def test_invalid_update_changes_nothing(case, caseworker):
    with pytest.raises(ValidationFailed) as err:
        case_update(caseworker, case=case, expected_version=case.version, data={"priority": "high"})
    assert "priority" in err.value.fields
    assert Case.objects.get(pk=case.pk).version == case.version
    assert not AuditEvent.objects.filter(action="cases.case.updated").exists()


def test_caseworker_takes_an_unassigned_case_but_cannot_reassign(
    case, caseworker, colleague, manager
):
    case = case_update(
        caseworker, case=case, expected_version=case.version, data={"assigned_to": caseworker}
    )
    assert case.assigned_to == caseworker
    with pytest.raises(PermissionDenied):
        case_update(
            colleague, case=case, expected_version=case.version, data={"assigned_to": colleague}
        )
    case = case_update(
        manager, case=case, expected_version=case.version, data={"assigned_to": colleague}
    )
    assert Case.objects.get(pk=case.pk).assigned_to == colleague
    event = AuditEvent.objects.filter(action="cases.case.updated").order_by("-id").first()
    assert event.changes == {"assigned_to": {"from": caseworker.pk, "to": colleague.pk}}


def test_cannot_assign_to_someone_outside_the_office(case, manager, other_office_user):
    with pytest.raises(ValidationFailed) as err:
        case_update(
            manager,
            case=case,
            expected_version=case.version,
            data={"assigned_to": other_office_user},
        )
    assert "assigned_to" in err.value.fields


# ---- persons ------------------------------------------------------------------------------------


def test_person_update_audits_and_refreshes_search(case, caseworker):
    person = case.principal
    person = case_person_update(
        caseworker,
        case=case,
        person=person,
        expected_version=person.version,
        data={"family_name": "Traoré", "phone": "+212 700-000 001"},
    )
    row = Person.objects.get(pk=person.pk)
    assert row.version == 2 and row.phone_digits == "212700000001"
    assert "traore" in row.search_text and "212700000001" in row.search_text
    event = AuditEvent.objects.get(action="registry.person.updated")
    assert event.person_id == person.pk and event.case_id == case.pk
    assert event.changes["family_name"] == {"from": "Diallo", "to": "Traoré"}


def test_stale_person_edit_is_refused_and_the_newer_data_survives(case, caseworker, colleague):
    mine = Person.objects.get(pk=case.principal_id)
    theirs = Person.objects.get(pk=case.principal_id)
    case_person_update(
        colleague, case=case, person=theirs, expected_version=1, data={"phone": "111111"}
    )
    events = AuditEvent.objects.count()
    with pytest.raises(StaleEdit):
        case_person_update(
            caseworker, case=case, person=mine, expected_version=1, data={"phone": "222222"}
        )
    row = Person.objects.get(pk=case.principal_id)
    assert row.phone == "111111" and row.version == 2
    assert AuditEvent.objects.count() == events


def test_principal_nationality_change_updates_the_case(case, caseworker):
    case_person_update(
        caseworker,
        case=case,
        person=case.principal,
        expected_version=1,
        data={"nationality": "CIV"},
    )
    row = Case.objects.get(pk=case.pk)
    assert row.nationality == "CI" and row.version == case.version + 1
    assert Person.objects.get(pk=case.principal_id).nationality_alpha3 == "CIV"
    event = AuditEvent.objects.get(action="cases.case.updated", case_id=case.pk)
    assert event.changes == {"nationality": {"from": "GN", "to": "CI"}}


def test_departed_case_keeps_the_nationality_it_travelled_with(case, caseworker, rabat):
    Case.objects.filter(pk=case.pk).update(status="departed")
    newer = register_case(caseworker, rabat, principal_person=case.principal)
    case_person_update(
        caseworker,
        case=newer,
        person=case.principal,
        expected_version=1,
        data={"nationality": "ML"},
    )
    assert Case.objects.get(pk=case.pk).nationality == "GN"
    assert Case.objects.get(pk=newer.pk).nationality == "ML"


def test_person_of_another_case_is_not_found(case, caseworker, rabat):
    other = register_case(caseworker, rabat, principal=person_data(given_name="Other"))
    with pytest.raises(NotFound):
        case_person_update(
            caseworker, case=case, person=other.principal, expected_version=1, data={"phone": "1"}
        )
    assert Person.objects.get(pk=other.principal_id).version == 1


def test_person_validation_refuses_future_birth_date(case, caseworker):
    import datetime

    from django.utils import timezone

    with pytest.raises(ValidationFailed) as err:
        case_person_update(
            caseworker,
            case=case,
            person=case.principal,
            expected_version=1,
            data={"date_of_birth": timezone.localdate() + datetime.timedelta(days=1)},
        )
    assert "date_of_birth" in err.value.fields
    assert Person.objects.get(pk=case.principal_id).version == 1


def test_closed_case_cannot_be_edited(case, caseworker):
    from awda.cases.models import Case
    from awda.core.errors import ValidationFailed

    Case.objects.filter(pk=case.pk).update(status="closed")
    case.refresh_from_db()
    version = case.version
    with pytest.raises(ValidationFailed) as err:
        case_update(
            caseworker, case=case, expected_version=version, data={"destination_area": "Labé"}
        )
    assert err.value.code == "case_closed"
    case.refresh_from_db()
    assert case.version == version and case.destination_area != "Labé"
