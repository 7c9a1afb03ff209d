import re

import pytest

from awda.cases.models import Case
from awda.cases.services import case_register
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import person_data, register_case


def test_caseworker_registers_case_with_principal_and_members(caseworker, rabat):
    case = register_case(
        caseworker,
        rabat,
        members=[
            {
                "relationship": "child",
                "person": person_data(
                    given_name="Aïssatou", sex="female", date_of_birth=None, birth_year=2015
                ),
            }
        ],
    )
    assert re.fullmatch(r"MA-RBA-\d{4}-00001", case.number)
    assert case.status == "registered"
    assert case.member_count == 2
    assert case.principal.family_name == "Diallo"
    child = case.members.get(is_principal=False).person
    assert child.dob_estimated is True and child.birth_year == 2015
    assert case.country_of_return == "GN"


def test_case_numbers_follow_a_sequence_per_office_and_year(caseworker, rabat):
    first = register_case(caseworker, rabat)
    second = register_case(caseworker, rabat, principal=person_data(given_name="Mamadou"))
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


def test_other_office_user_cannot_register_in_rabat(other_office_user, rabat):
    with pytest.raises(PermissionDenied):
        register_case(other_office_user, rabat)
    assert Case.objects.count() == 0


def test_invalid_member_rolls_back_everything(caseworker, rabat):
    from awda.registry.models import Person

    with pytest.raises(ValidationFailed) as err:
        case_register(
            caseworker,
            office=rabat,
            principal=person_data(),
            members=[
                {
                    "relationship": "child",
                    "person": {"given_name": "", "family_name": "Diallo", "sex": "female"},
                }
            ],
        )
    assert "members.0.given_name" in err.value.fields
    assert Case.objects.count() == 0 and Person.objects.count() == 0


# ---- members and documents ----------------------------------------------------------------------


def test_registration_stores_members_and_documents(caseworker, rabat):
    from awda.audit.models import AuditEvent
    from awda.registry.models import IdentityDocument

    case = case_register(
        caseworker,
        office=rabat,
        principal=person_data(),
        principal_documents=[
            {"doc_type": "passport", "number": "R 0123-456", "issuing_country": "GIN"},
            {"doc_type": "unhcr_document", "number": "UNHCR-2025-77"},
        ],
        members=[
            {
                "relationship": "spouse",
                "person": person_data(given_name="Kadiatou", sex="female"),
                "documents": [{"doc_type": "national_id", "number": "GN-99 88"}],
            },
            {
                "relationship": "child",
                "person": person_data(given_name="Ibrahima", date_of_birth=None, birth_year=2019),
                "travels": False,
            },
        ],
        referral_source="unhcr",
        priority=2,
        destination_area="Labé",
    )
    assert case.member_count == 3
    members = list(case.members.select_related("person").order_by("id"))
    assert [(m.relationship, m.is_principal, m.travels) for m in members] == [
        ("principal", True, True),
        ("spouse", False, True),
        ("child", False, False),
    ]
    passport = IdentityDocument.objects.get(number="R 0123-456")
    assert passport.issuing_country == "GN" and passport.number_compact == "R0123456"
    assert IdentityDocument.objects.filter(person=members[1].person).count() == 1
    assert "r0123456" in type(case.principal).objects.get(pk=case.principal_id).search_text
    assert (case.referral_source, case.priority, case.destination_area) == ("unhcr", 2, "Labé")
    registered = AuditEvent.objects.get(action="cases.case.registered")
    assert registered.case_id == case.pk and registered.changes["number"] == case.number
    assert AuditEvent.objects.filter(action="registry.person.created").count() == 3
    assert AuditEvent.objects.filter(action="registry.identity_document.created").count() == 3


def test_registration_with_an_existing_person(caseworker, rabat):
    first = register_case(caseworker, rabat)
    again = case_register(caseworker, office=rabat, principal_person=first.principal)
    assert again.principal == first.principal and again.number != first.number


def test_existing_member_from_another_office_is_not_found(
    caseworker, rabat, other_office_user, oujda
):
    from awda.core.errors import NotFound

    stranger = register_case(other_office_user, oujda).principal
    with pytest.raises(NotFound):
        case_register(
            caseworker,
            office=rabat,
            principal=person_data(),
            members=[{"relationship": "spouse", "person_id": stranger.pk}],
        )
    assert Case.objects.filter(office=rabat).count() == 0


def test_the_same_person_twice_is_refused(caseworker, rabat):
    first = register_case(caseworker, rabat)
    with pytest.raises(ValidationFailed) as err:
        case_register(
            caseworker,
            office=rabat,
            principal_person=first.principal,
            members=[{"relationship": "spouse", "person_id": first.principal_id}],
        )
    assert "members" in err.value.fields


# ---- validation names the row and the field -----------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"principal": None}, "principal"),
        ({"principal": person_data(family_name="  ")}, "principal.family_name"),
        ({"principal": person_data(sex="x")}, "principal.sex"),
        ({"principal": person_data(nationality="Atlantis")}, "principal.nationality"),
        (
            {"principal": person_data(date_of_birth=None, birth_year=None)},
            "principal.birth_year",
        ),
        (
            {"principal_documents": [{"doc_type": "passport", "number": "P1"}, {"doc_type": "x"}]},
            "principal.documents.1.doc_type",
        ),
        (
            {"principal_documents": [{"doc_type": "passport", "number": " - "}]},
            "principal.documents.0.number",
        ),
        (
            {
                "members": [
                    {"relationship": "child", "person": person_data()},
                    {"relationship": "boss"},
                ]
            },
            "members.1.relationship",
        ),
        ({"members": [{"relationship": "principal"}]}, "members.0.relationship"),
        (
            {
                "members": [
                    {"relationship": "child", "person": person_data(given_name="A")},
                    {"relationship": "child", "person": person_data(given_name="B", sex="?")},
                ]
            },
            "members.1.sex",
        ),
        (
            {
                "members": [
                    {
                        "relationship": "spouse",
                        "person": person_data(),
                        "documents": [
                            {"doc_type": "passport", "number": "P1", "issuing_country": "ZZ"}
                        ],
                    }
                ]
            },
            "members.0.documents.0.issuing_country",
        ),
        ({"priority": 9}, "priority"),
        ({"referral_source": "friend"}, "referral_source"),
        ({"country_of_return": "XX"}, "country_of_return"),
        ({"principal": person_data(nationality="")}, "country_of_return"),
    ],
)
def test_validation_errors_name_the_row_and_field(caseworker, rabat, kwargs, field):
    from awda.audit.models import AuditEvent
    from awda.registry.models import IdentityDocument, Person

    args = {"principal": person_data(), **kwargs}
    with pytest.raises(ValidationFailed) as err:
        case_register(caseworker, office=rabat, **args)
    assert field in err.value.fields, err.value.fields
    assert Case.objects.count() == Person.objects.count() == IdentityDocument.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_registration_date_in_the_future_is_refused(caseworker, rabat):
    import datetime

    from django.utils import timezone

    with pytest.raises(ValidationFailed) as err:
        register_case(caseworker, rabat, registered_on=timezone.localdate() + datetime.timedelta(1))
    assert "registered_on" in err.value.fields


def test_assignee_must_belong_to_the_office(caseworker, rabat, other_office_user, colleague):
    with pytest.raises(ValidationFailed) as err:
        register_case(caseworker, rabat, assigned_to=other_office_user)
    assert "assigned_to" in err.value.fields
    assert register_case(caseworker, rabat, assigned_to=colleague).assigned_to == colleague


def test_failure_half_way_leaves_nothing_behind(caseworker, rabat):
    """Principal and first member are written, then the second member's document fails: the whole
    registration rolls back, audit events and the case number sequence included."""
    from awda.audit.models import AuditEvent
    from awda.cases.models import CaseMember, CaseSequence
    from awda.registry.models import IdentityDocument, Person

    with pytest.raises(ValidationFailed) as err:
        case_register(
            caseworker,
            office=rabat,
            principal=person_data(),
            principal_documents=[{"doc_type": "passport", "number": "OK-1"}],
            members=[
                {"relationship": "spouse", "person": person_data(given_name="Kadiatou")},
                {
                    "relationship": "child",
                    "person": person_data(given_name="Aminata"),
                    "documents": [
                        {
                            "doc_type": "passport",
                            "number": "P2",
                            "issue_date": "2024-05-01",
                            "expiry_date": "2020-01-01",
                        }
                    ],
                },
            ],
        )
    assert "members.1.documents.0.expiry_date" in err.value.fields
    for model in (Case, CaseMember, Person, IdentityDocument, AuditEvent, CaseSequence):
        assert model.objects.count() == 0, model.__name__
    assert register_case(caseworker, rabat).number.endswith("-00001")


def test_failure_after_the_number_was_taken_does_not_burn_it(caseworker, rabat):
    from awda.audit.models import AuditEvent

    first = register_case(caseworker, rabat)
    with pytest.raises(ValidationFailed):
        register_case(caseworker, rabat, principal=person_data(nationality=""))
    assert AuditEvent.objects.filter(action="cases.case.registered").count() == 1
    second = register_case(caseworker, rabat, principal=person_data(given_name="Sekou"))
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


@pytest.mark.parametrize("persona", ["auditor", "medical_officer", "origin_officer"])
def test_roles_that_cannot_register(persona, request, rabat):
    from awda.audit.models import AuditEvent

    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        register_case(user, rabat)
    assert Case.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_existing_principal_from_another_office_is_not_found(
    caseworker, rabat, other_office_user, oujda
):
    from awda.core.errors import NotFound

    stranger = register_case(other_office_user, oujda).principal
    with pytest.raises(NotFound):
        case_register(caseworker, office=rabat, principal_person=stranger)
    assert Case.objects.filter(office=rabat).count() == 0
