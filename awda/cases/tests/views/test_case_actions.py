"""Every action on a case from the HTML UI: edit case and person, declaration, members, identity
documents, notes and tasks. Each works for the right role, is refused (403) for the wrong one,
and a refusal or a stale version changes nothing."""

import pytest
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.cases import services
from awda.cases.models import Case, CaseMember, Note, Task
from awda.factories import person_data, register_case
from awda.registry.models import IdentityDocument, Person


def detail(case, tab):
    return f"{reverse('cases:case_detail', args=[case.pk])}?tab={tab}"


def person_post(person, version=None, **overrides):
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "other_names": person.other_names,
        "name_arabic": person.name_arabic,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "birth_year": "" if person.date_of_birth else person.birth_year or "",
        "nationality": person.nationality,
        "languages": person.languages,
        "phone": person.phone,
        "address": person.address,
        "city": person.city,
        "version": person.version if version is None else version,
    }
    data.update(overrides)
    return data


def case_post(case, version=None, **overrides):
    data = {
        "version": case.version if version is None else version,
        "priority": case.priority,
        "referral_source": case.referral_source,
        "referral_organisation": case.referral_organisation_id or "",
        "referral_details": case.referral_details,
        "country_of_return": case.country_of_return,
        "destination_area": case.destination_area,
        "destination_pcode": case.destination_pcode,
        "assigned_to": case.assigned_to_id or "",
    }
    data.update(overrides)
    return data


# ---- case edit ----------------------------------------------------------------------------------


def test_caseworker_edits_the_case(client, caseworker, case):
    client.force_login(caseworker)
    url = reverse("cases:case_edit", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, case_post(case, priority=3, destination_area="Labé"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.priority == 3 and case.destination_area == "Labé"
    assert AuditEvent.objects.filter(action="cases.case.updated", case_id=case.pk).exists()


def test_stale_case_edit_is_refused_and_changes_nothing(client, caseworker, colleague, case):
    seen = case.version
    services.case_update(colleague, case=case, expected_version=seen, data={"priority": 2})
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:case_edit", args=[case.pk]),
        case_post(case, version=seen, destination_area="Kindia"),
    )
    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    case.refresh_from_db()
    assert case.destination_area == "" and case.priority == 2


def test_only_a_manager_may_reassign(client, caseworker, colleague, manager, case):
    url = reverse("cases:case_edit", args=[case.pk])
    services.case_update(
        manager, case=case, expected_version=case.version, data={"assigned_to": caseworker}
    )
    case.refresh_from_db()
    client.force_login(caseworker)
    form = client.get(url).context["form"]
    assert form.fields["assigned_to"].disabled
    # a forged post does not reassign: the disabled field keeps the current value
    client.post(url, case_post(case, assigned_to=colleague.pk))
    case.refresh_from_db()
    assert case.assigned_to == caseworker
    client.force_login(manager)
    response = client.post(url, case_post(case, assigned_to=colleague.pk))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == colleague


# ---- declaration --------------------------------------------------------------------------------


def test_caseworker_records_the_signed_declaration(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:case_declaration", args=[case.pk]),
        {"signed_on": case.registered_on.isoformat(), "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.declaration_signed_on == case.registered_on
    assert case.declaration_recorded_by == caseworker


def test_declaration_before_registration_is_refused_on_the_field(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:case_declaration", args=[case.pk]),
        {"signed_on": "2000-01-01", "version": case.version},
    )
    assert response.status_code == 400
    assert "signed_on" in response.context["declaration_form"].errors
    case.refresh_from_db()
    assert case.declaration_signed_on is None


def test_stale_declaration_is_refused(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:case_declaration", args=[case.pk]),
        {"signed_on": case.registered_on.isoformat(), "version": case.version + 4},
    )
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.declaration_signed_on is None


# ---- members and persons ------------------------------------------------------------------------


def member_post(case, **overrides):
    data = {
        "member-version": case.version,
        "member-relationship": "child",
        "member-travels": "on",
        "member-given_name": "Aïssatou",
        "member-family_name": "Diallo",
        "member-sex": "female",
        "member-birth_year": "2015",
        "member-nationality": "GN",
        "member-doc_type": "birth_certificate",
        "member-doc_number": "GN-BC-9",
    }
    data.update(overrides)
    return data


def test_caseworker_adds_a_member_with_a_document(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(reverse("cases:member_add", args=[case.pk]), member_post(case))
    assert response.status_code == 302
    assert response["Location"] == detail(case, "members")
    case.refresh_from_db()
    assert case.member_count == 2
    child = case.members.get(relationship="child").person
    assert child.documents.get().number == "GN-BC-9"


def test_invalid_member_is_shown_with_errors_and_nothing_is_written(client, caseworker, case):
    client.force_login(caseworker)
    persons = Person.objects.count()
    response = client.post(
        reverse("cases:member_add", args=[case.pk]),
        member_post(case, **{"member-given_name": "", "member-doc_number": "**"}),
    )
    assert response.status_code == 400
    assert "given_name" in response.context["member_form"].errors
    assert Person.objects.count() == persons
    response = client.post(
        reverse("cases:member_add", args=[case.pk]),
        member_post(case, **{"member-doc_number": "**"}),
    )
    assert response.status_code == 400
    assert "doc_number" in response.context["member_form"].errors  # from the service
    assert Person.objects.count() == persons


def test_stale_member_add_is_refused(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:member_add", args=[case.pk]),
        member_post(case, **{"member-version": case.version + 3}),
    )
    assert response.status_code == 409
    assert CaseMember.objects.filter(case=case).count() == 1


def test_caseworker_removes_a_member_but_not_the_principal(client, caseworker, rabat):
    case = register_case(
        caseworker,
        rabat,
        members=[
            {"relationship": "spouse", "person": person_data(given_name="Mariama", sex="female")}
        ],
    )
    client.force_login(caseworker)
    principal = case.members.get(is_principal=True)
    spouse = case.members.get(is_principal=False)
    response = client.post(
        reverse("cases:member_remove", args=[case.pk, principal.pk]), {"version": case.version}
    )
    assert response.status_code == 302
    assert CaseMember.objects.filter(case=case).count() == 2
    response = client.post(
        reverse("cases:member_remove", args=[case.pk, spouse.pk]), {"version": case.version}
    )
    assert response.status_code == 302
    assert list(CaseMember.objects.filter(case=case)) == [principal]
    assert Person.objects.filter(pk=spouse.person_id).exists()  # the person record stays


def test_caseworker_edits_a_person(client, caseworker, case):
    person = case.principal
    url = reverse("cases:person_edit", args=[case.pk, person.pk])
    client.force_login(caseworker)
    assert client.get(url).status_code == 200
    response = client.post(url, person_post(person, phone="+212 611 00 00 00", city="Salé"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.city == "Salé" and person.phone_digits == "212611000000"


def test_stale_person_edit_is_refused(client, caseworker, case):
    person = case.principal
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:person_edit", args=[case.pk, person.pk]),
        person_post(person, version=person.version + 1, city="Fès"),
    )
    assert response.status_code == 409
    person.refresh_from_db()
    assert person.city == ""


def test_person_of_another_case_cannot_be_edited_through_this_case(client, caseworker, rabat, case):
    other = register_case(caseworker, rabat, principal=person_data(given_name="Idrissa"))
    client.force_login(caseworker)
    url = reverse("cases:person_edit", args=[case.pk, other.principal_id])
    assert client.get(url).status_code == 404


def test_identity_documents_are_added_and_deleted(client, caseworker, case):
    person = case.principal
    client.force_login(caseworker)
    prefix = f"doc-{person.pk}"
    response = client.post(
        reverse("cases:document_add", args=[case.pk, person.pk]),
        {
            f"{prefix}-doc_type": "passport",
            f"{prefix}-number": "P 778 899",
            f"{prefix}-issuing_country": "GN",
            f"{prefix}-version": person.version,
        },
    )
    assert response.status_code == 302
    doc = IdentityDocument.objects.get(person=person)
    assert doc.issuing_country == "GN"
    person.refresh_from_db()
    response = client.post(
        reverse("cases:document_delete", args=[case.pk, doc.pk]), {"version": person.version}
    )
    assert response.status_code == 302
    assert not IdentityDocument.objects.filter(pk=doc.pk).exists()
    assert AuditEvent.objects.filter(
        action="registry.identity_document.deleted", case_id=case.pk
    ).exists()


def test_document_of_another_case_cannot_be_deleted_through_this_case(
    client, caseworker, rabat, case
):
    other = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Idrissa"),
    )
    doc = IdentityDocument.objects.create(person=other.principal, doc_type="passport", number="X1")
    client.force_login(caseworker)
    response = client.post(reverse("cases:document_delete", args=[case.pk, doc.pk]))
    assert response.status_code == 404
    assert IdentityDocument.objects.filter(pk=doc.pk).exists()


# ---- notes and tasks ----------------------------------------------------------------------------


def test_any_case_viewer_adds_a_note(client, medical_officer, case):
    client.force_login(medical_officer)
    response = client.post(reverse("cases:note_add", args=[case.pk]), {"body": "Needs insulin."})
    assert response.status_code == 302
    assert Note.objects.get(case=case).author == medical_officer


def test_empty_note_is_refused(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(reverse("cases:note_add", args=[case.pk]), {"body": "  "})
    assert response.status_code == 400
    assert not Note.objects.exists()


def test_task_is_created_done_and_reopened(client, caseworker, colleague, case):
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:task_add", args=[case.pk]),
        {"title": "Request the laissez-passer", "due_date": "2030-01-10", "assignee": colleague.pk},
    )
    assert response.status_code == 302
    task = Task.objects.get(case=case)
    assert task.assignee == colleague
    url = reverse("cases:task_status", args=[case.pk, task.pk])
    client.post(url, {"status": "done", "version": 1})
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by == caseworker
    client.post(url, {"status": "open", "version": 2})
    task.refresh_from_db()
    assert task.status == "open" and task.completed_at is None
    client.post(url, {"status": "cancelled", "version": 3})
    task.refresh_from_db()
    assert task.status == "cancelled"


def test_task_assignee_must_see_the_case(client, caseworker, other_office_user, case):
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:task_add", args=[case.pk]),
        {"title": "Call", "assignee": other_office_user.pk},
    )
    assert response.status_code == 400
    assert "assignee" in response.context["task_form"].errors
    assert not Task.objects.exists()


# ---- the permission matrix ----------------------------------------------------------------------


def _snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return (
        case.version,
        case.priority,
        case.declaration_signed_on,
        case.member_count,
        Note.objects.count(),
        Task.objects.count(),
        IdentityDocument.objects.count(),
        Person.objects.get(pk=case.principal_id).version,
    )


ACTIONS = {
    "case_edit": lambda case: (
        reverse("cases:case_edit", args=[case.pk]),
        case_post(case, priority=3),
    ),
    "case_declaration": lambda case: (
        reverse("cases:case_declaration", args=[case.pk]),
        {"signed_on": case.registered_on.isoformat(), "version": case.version},
    ),
    "member_add": lambda case: (reverse("cases:member_add", args=[case.pk]), member_post(case)),
    "person_edit": lambda case: (
        reverse("cases:person_edit", args=[case.pk, case.principal_id]),
        person_post(case.principal, city="Tanger"),
    ),
    "document_add": lambda case: (
        reverse("cases:document_add", args=[case.pk, case.principal_id]),
        {
            f"doc-{case.principal_id}-doc_type": "passport",
            f"doc-{case.principal_id}-number": "Z9",
            f"doc-{case.principal_id}-version": case.principal.version,
        },
    ),
    "task_add": lambda case: (reverse("cases:task_add", args=[case.pk]), {"title": "Call"}),
}
# Who may not: medical officers only read and take notes/tasks; finance officers add no tasks.
REFUSED = [
    ("medical_officer", "case_edit"),
    ("medical_officer", "case_declaration"),
    ("medical_officer", "member_add"),
    ("medical_officer", "person_edit"),
    ("medical_officer", "document_add"),
    ("movement_officer", "case_declaration"),
    ("movement_officer", "person_edit"),
    ("finance_officer", "task_add"),
]


@pytest.fixture
def finance_officer(rabat):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.mark.parametrize("persona,action", REFUSED)
def test_wrong_role_gets_403_and_nothing_changes(client, request, persona, action, case):
    user = request.getfixturevalue(persona)
    url, data = ACTIONS[action](case)
    before = _snapshot(case)
    client.force_login(user)
    assert client.post(url, data).status_code == 403
    assert _snapshot(case) == before


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_other_office_gets_404_and_nothing_changes(client, other_office_user, case, action):
    url, data = ACTIONS[action](case)
    before = _snapshot(case)
    client.force_login(other_office_user)
    assert client.post(url, data).status_code == 404
    assert _snapshot(case) == before


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_manager_may_do_every_action(client, manager, case, action):
    url, data = ACTIONS[action](case)
    client.force_login(manager)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
