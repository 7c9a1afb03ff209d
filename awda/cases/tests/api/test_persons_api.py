from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.api.testing import api_client, error_of
from awda.factories import person_data, register_case
from awda.registry.models import IdentityDocument, Person

URL = "/api/v1/persons/"


def principal_of(case):
    return case.members.get(is_principal=True).person


def _names(response):
    assert response.status_code == 200, response.json()
    return [p["family_name"] for p in response.json()["results"]]


def test_search_is_accent_blind_and_filters_nationality(caseworker, rabat):
    register_case(caseworker, rabat, principal=person_data(family_name="TRAORÉ"))
    register_case(caseworker, rabat, principal=person_data(family_name="Koné", nationality="CI"))
    client = api_client(caseworker)
    assert _names(client.get(URL, {"q": "traore"})) == ["TRAORÉ"]
    assert _names(client.get(URL, {"nationality": "CI"})) == ["Koné"]
    assert _names(client.get(URL)) == ["Koné", "TRAORÉ"]


def test_persons_of_another_office_are_not_listed_or_retrievable(
    caseworker, other_office_user, case
):
    assert _names(api_client(other_office_user).get(URL)) == []
    response = api_client(other_office_user).get(f"{URL}{principal_of(case).pk}/")
    assert response.status_code == 404


def test_me_officer_sees_no_person(auditor, case):
    assert _names(api_client(auditor).get(URL)) == []
    assert api_client(auditor).get(f"{URL}{principal_of(case).pk}/").status_code == 404


def test_retrieve_includes_documents_and_visible_cases(caseworker, case):
    person = principal_of(case)
    IdentityDocument.objects.create(
        person=person, doc_type="passport", number="R1234567", number_compact="R1234567"
    )
    body = api_client(caseworker).get(f"{URL}{person.pk}/").json()
    assert body["documents"][0]["number"] == "R1234567"
    assert [c["number"] for c in body["cases"]] == [case.number]
    assert body["version"] == person.version


def test_patch_with_version_updates_and_keeps_the_case_nationality(caseworker, case):
    person = principal_of(case)
    response = api_client(caseworker).patch(
        f"{URL}{person.pk}/",
        {"version": person.version, "nationality": "SEN", "phone": "+212 611 00 00 00"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["nationality"] == "SN"
    assert response.json()["version"] == person.version + 1
    assert Case.objects.get(pk=case.pk).nationality == "SN"
    assert AuditEvent.objects.filter(action="registry.person.updated", person_id=person.pk).exists()


def test_patch_with_stale_version_is_409_and_changes_nothing(caseworker, case):
    person = principal_of(case)
    response = api_client(caseworker).patch(
        f"{URL}{person.pk}/", {"version": person.version - 1 or 99, "city": "Salé"}, format="json"
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "stale_edit"
    assert Person.objects.get(pk=person.pk).city == ""


def test_patch_denied_by_policy_is_403_and_changes_nothing(medical_officer, case):
    person = principal_of(case)
    client = api_client(medical_officer)  # logging in is itself audited
    before = AuditEvent.objects.count()
    response = client.patch(
        f"{URL}{person.pk}/", {"version": person.version, "city": "Salé"}, format="json"
    )
    assert response.status_code == 403
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.city, fresh.version) == ("", person.version)
    assert AuditEvent.objects.count() == before


def test_documents_are_added_updated_and_deleted(caseworker, case):
    person = principal_of(case)
    client = api_client(caseworker)
    base = f"{URL}{person.pk}/documents/"
    created = client.post(
        base,
        {
            "doc_type": "passport",
            "number": "r 123-4567",
            "issuing_country": "GIN",
            "expiry_date": "2031-01-01",
            "version": person.version,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    doc = created.json()
    assert doc["issuing_country"] == "GN"
    assert doc["person_version"] == person.version + 1  # documents share the person's version
    # the new number is searchable straight away
    assert _names(client.get(URL, {"q": "R1234567"})) == [person.family_name]

    patched = client.patch(
        f"{base}{doc['id']}/",
        {"number": "R7654321", "version": doc["person_version"]},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["number"] == "R7654321"
    version = patched.json()["person_version"]
    assert [d["number"] for d in client.get(base).json()] == ["R7654321"]

    assert client.delete(f"{base}{doc['id']}/?version={version}").status_code == 204
    person.refresh_from_db()
    assert person.version == version + 1
    assert not IdentityDocument.objects.filter(pk=doc["id"]).exists()


def test_medical_officer_cannot_add_documents(medical_officer, case):
    person = principal_of(case)
    response = api_client(medical_officer).post(
        f"{URL}{person.pk}/documents/",
        {"doc_type": "passport", "number": "X1", "version": person.version},
        format="json",
    )
    assert response.status_code == 403
    assert not IdentityDocument.objects.exists()
