from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.api.testing import api_client, error_of
from awda.registry.models import Person

URL = "/api/v1/cases/"


def test_caseworker_registers_ousmane_with_documents_and_members(caseworker, rabat, ousmane):
    response = api_client(caseworker).post(URL, ousmane, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("MA-RBA-")
    assert body["status"] == "registered"
    assert body["nationality"] == "GN" and body["country_of_return"] == "GN"
    assert body["referral_source"] == "unhcr" and body["priority"] == 2
    principal, nephew = body["members"]
    assert principal["is_principal"] and principal["person"]["family_name"] == "Barry"
    assert principal["person"]["documents"][0]["number"] == "GN-CC 448 120"
    assert nephew["relationship"] == "other_relative" and nephew["person"]["dob_estimated"]
    assert "case.edit" in body["permissions"]
    case = Case.objects.get(pk=body["id"])
    assert case.member_count == 2 and case.office == rabat
    assert AuditEvent.objects.filter(action="cases.case.registered", case_id=case.pk).exists()


def test_register_with_a_known_person_as_principal(caseworker, rabat, ousmane):
    first = api_client(caseworker).post(URL, ousmane, format="json").json()
    person_id = first["principal"]["id"]
    body = {"office": rabat.pk, "principal_person_id": person_id}
    response = api_client(caseworker).post(URL, body, format="json")
    assert response.status_code == 201
    assert response.json()["principal"]["id"] == person_id


def test_register_needs_a_principal(caseworker, rabat):
    response = api_client(caseworker).post(URL, {"office": rabat.pk}, format="json")
    assert response.status_code == 400
    assert "principal" in error_of(response)["fields"]


def test_nested_errors_are_reported_with_dotted_paths(caseworker, ousmane):
    ousmane["principal"].pop("given_name")
    ousmane["members"][0]["relationship"] = "principal"
    response = api_client(caseworker).post(URL, ousmane, format="json")
    assert response.status_code == 400
    fields = error_of(response)["fields"]
    assert set(fields) == {"principal.given_name", "members.0.relationship"}
    assert Person.objects.count() == 0


def test_service_validation_errors_use_the_same_paths(caseworker, ousmane):
    ousmane["members"][0]["person"].pop("birth_year")
    response = api_client(caseworker).post(URL, ousmane, format="json")
    assert response.status_code == 400
    assert "members.0.birth_year" in error_of(response)["fields"]
    assert Case.objects.count() == 0 and Person.objects.count() == 0


def test_cannot_register_in_an_office_where_one_is_not_caseworker(other_office_user, ousmane):
    response = api_client(other_office_user).post(URL, ousmane, format="json")
    assert response.status_code == 400
    assert "office" in error_of(response)["fields"]
    assert Case.objects.count() == 0


def test_role_without_registration_right_is_refused(medical_officer, ousmane):
    response = api_client(medical_officer).post(URL, ousmane, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert Case.objects.count() == 0 and Person.objects.count() == 0
