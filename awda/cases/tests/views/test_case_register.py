"""Registering a case in one flow: principal, documents and members; field errors land on the
right fields and nothing is written when anything is invalid."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.models import Case, CaseMember
from awda.factories import OrganisationFactory
from awda.registry.models import IdentityDocument, Person

URL = reverse("cases:case_register")


def form_data(office, **overrides):
    data = {
        "case-office": office.pk,
        "case-registered_on": timezone.localdate().isoformat(),
        "case-priority": "2",
        "case-referral_source": "unhcr",
        "case-referral_organisation": "",
        "case-referral_details": "Referred after refugee status was refused.",
        "case-country_of_return": "",
        "case-destination_area": "Conakry, Ratoma",
        "case-destination_pcode": "GN001",
        "case-assigned_to": "",
        "principal-given_name": "Ousmane",
        "principal-family_name": "Diallo",
        "principal-other_names": "Ousmane Dialo",
        "principal-name_arabic": "عثمان ديالو",
        "principal-sex": "male",
        "principal-date_of_birth": "",
        "principal-birth_year": "",
        "principal-estimated_age": "44",
        "principal-nationality": "GN",
        "principal-languages": ["fr", "ff"],
        "principal-phone": "+212 600 11 22 33",
        "principal-address": "Hay Nahda",
        "principal-city": "Rabat",
        "principal-doc-TOTAL_FORMS": "1",
        "principal-doc-INITIAL_FORMS": "0",
        "principal-doc-0-doc_type": "passport",
        "principal-doc-0-number": "R0012345",
        "principal-doc-0-issuing_country": "GN",
        "principal-doc-0-expiry_date": "2030-01-31",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def member(i, **fields):
    base = {
        "relationship": "spouse",
        "travels": "on",
        "given_name": "Mariama",
        "family_name": "Bah",
        "sex": "female",
        "birth_year": "1990",
        "nationality": "GN",
    }
    base.update(fields)
    return {f"members-{i}-{k}": v for k, v in base.items()}


def counts():
    return (
        Case.objects.count(),
        Person.objects.count(),
        CaseMember.objects.count(),
        IdentityDocument.objects.count(),
        AuditEvent.objects.count(),
    )


def test_form_offers_only_offices_where_the_user_may_register(client, caseworker, rabat, oujda):
    client.force_login(caseworker)
    response = client.get(URL)
    assert response.status_code == 200
    offices = list(response.context["form"].fields["office"].queryset)
    assert offices == [rabat]
    assert response.context["form"].initial["office"] == rabat.pk


def test_caseworker_registers_a_single_applicant(client, caseworker, rabat):
    unhcr = OrganisationFactory(name="UNHCR Rabat", kind="un_agency")
    client.force_login(caseworker)
    response = client.post(
        URL,
        form_data(
            rabat, **{"case-referral_organisation": unhcr.pk, "case-assigned_to": caseworker.pk}
        ),
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert case.number.startswith("MA-RBA-")
    assert case.referral_source == "unhcr" and case.referral_organisation == unhcr
    assert case.country_of_return == "GN"  # defaults to the principal's nationality
    assert case.priority == 2
    assert case.assigned_to == caseworker
    person = case.principal
    assert person.birth_year == timezone.localdate().year - 44
    assert person.dob_estimated is True
    assert person.languages == ["fr", "ff"]
    assert person.name_arabic == "عثمان ديالو"
    assert person.documents.get().number == "R0012345"
    follow = client.get(response["Location"])
    assert case.number in follow.content.decode()


def test_registers_a_family_with_members_and_their_documents(client, caseworker, rabat):
    client.force_login(caseworker)
    data = form_data(rabat, **{"members-TOTAL_FORMS": "2"})
    data.update(member(0))
    data.update(
        member(
            1,
            relationship="child",
            given_name="Alpha",
            family_name="Diallo",
            sex="male",
            birth_year="",
            date_of_birth="2018-05-02",
            doc_type="birth_certificate",
            doc_number="BC-77",
        )
    )
    response = client.post(URL, data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.member_count == 3
    rels = sorted(case.members.values_list("relationship", flat=True))
    assert rels == ["child", "principal", "spouse"]
    child = case.members.get(relationship="child").person
    assert child.date_of_birth == datetime.date(2018, 5, 2)
    assert child.documents.get().number == "BC-77"


def test_removed_and_blank_member_rows_are_ignored(client, caseworker, rabat):
    client.force_login(caseworker)
    data = form_data(rabat, **{"members-TOTAL_FORMS": "3"})
    data.update(member(0, DELETE="on", given_name=""))  # removed in the browser, half filled
    data.update(member(1))
    # row 2: added, then left untouched (the travels box comes checked)
    data.update({"members-2-travels": "on"})
    response = client.post(URL, data)
    assert response.status_code == 302
    assert Case.objects.get().member_count == 2


def test_form_errors_are_shown_on_their_fields_and_nothing_is_written(client, caseworker, rabat):
    client.force_login(caseworker)
    before = counts()
    data = form_data(
        rabat,
        **{
            "principal-given_name": "",
            "principal-estimated_age": "",
            "members-TOTAL_FORMS": "1",
        },
    )
    data.update(member(0, sex="", relationship=""))
    response = client.post(URL, data)
    assert response.status_code == 400
    assert counts() == before
    principal = response.context["principal"]
    assert "given_name" in principal.errors
    assert "birth_year" in principal.errors
    row = response.context["members"].forms[0]
    assert "sex" in row.errors and "relationship" in row.errors
    body = response.content.decode()
    assert 'data-testid="register-errors"' in body
    assert "is-invalid" in body


def test_service_errors_map_back_to_the_member_field_and_nothing_is_written(
    client, caseworker, rabat
):
    """A member's document number made only of punctuation passes the form but not the service:
    the error comes back as members.0.documents.0.number and lands on that row's field."""
    client.force_login(caseworker)
    before = counts()
    data = form_data(rabat, **{"members-TOTAL_FORMS": "1"})
    data.update(member(0, doc_type="passport", doc_number="--"))
    response = client.post(URL, data)
    assert response.status_code == 400
    assert counts() == before
    row = response.context["members"].forms[0]
    assert "doc_number" in row.errors


def test_service_errors_map_back_to_the_principal_document(client, caseworker, rabat):
    client.force_login(caseworker)
    before = counts()
    response = client.post(URL, form_data(rabat, **{"principal-doc-0-number": "//"}))
    assert response.status_code == 400
    assert counts() == before
    assert "number" in response.context["documents"].forms[0].errors


def test_assignee_from_another_office_is_refused(client, caseworker, rabat, other_office_user):
    client.force_login(caseworker)
    response = client.post(URL, form_data(rabat, **{"case-assigned_to": other_office_user.pk}))
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_cannot_register_in_an_office_where_the_user_has_no_role(client, caseworker, rabat, oujda):
    client.force_login(caseworker)
    response = client.post(URL, form_data(oujda))
    assert response.status_code == 400
    assert "office" in response.context["form"].errors
    assert Case.objects.count() == 0


@pytest.mark.parametrize("persona", ["medical_officer", "auditor", "origin_officer"])
def test_roles_that_do_not_register_get_403(client, request, persona, rabat):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(rabat)).status_code == 403
    assert Case.objects.count() == 0


def test_future_registration_date_is_refused(client, caseworker, rabat):
    client.force_login(caseworker)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(URL, form_data(rabat, **{"case-registered_on": tomorrow.isoformat()}))
    assert response.status_code == 400
    assert "registered_on" in response.context["form"].errors
    assert Case.objects.count() == 0
