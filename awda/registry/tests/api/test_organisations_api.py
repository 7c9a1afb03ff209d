from awda.accounts.choices import Role
from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.factories import OrganisationFactory, member_of
from awda.registry.models import Organisation

URL = "/api/v1/organisations/"


def test_list_filters_by_kind_country_and_name(caseworker):
    OrganisationFactory(name="Hôpital Avicenne", kind="hospital", country="MA")
    OrganisationFactory(name="UNHCR Rabat", kind="un_agency", country="MA")
    OrganisationFactory(name="Ambassade de Guinée", kind="consulate", country="GN")
    OrganisationFactory(name="Old partner", is_active=False)
    client = api_client(caseworker)

    def names(**params):
        return [o["name"] for o in client.get(URL, params).json()["results"]]

    assert names() == ["Ambassade de Guinée", "Hôpital Avicenne", "UNHCR Rabat"]
    assert names(kind="hospital") == ["Hôpital Avicenne"]
    assert names(country="GN") == ["Ambassade de Guinée"]
    assert names(q="unhcr") == ["UNHCR Rabat"]
    assert "Old partner" in names(include_inactive="true")


def test_retrieve(caseworker):
    org = OrganisationFactory(name="Hôpital Avicenne", kind="hospital")
    body = api_client(caseworker).get(f"{URL}{org.pk}/").json()
    assert body["name"] == "Hôpital Avicenne" and body["kind_label"]
    assert api_client(caseworker).get(f"{URL}999999/").status_code == 404


def test_manager_creates_and_updates_an_organisation(manager):
    client = api_client(manager)
    created = client.post(
        URL, {"name": "Caritas Rabat", "kind": "ngo", "country": "MAR"}, format="json"
    )
    assert created.status_code == 201, created.json()
    org = created.json()
    assert org["country"] == "MA"
    patched = client.patch(f"{URL}{org['id']}/", {"phone": "+212 537 00 00 00"}, format="json")
    assert patched.status_code == 200 and patched.json()["phone"] == "+212 537 00 00 00"
    assert AuditEvent.objects.filter(action="registry.organisation.updated").exists()


def test_admin_may_create_an_organisation(rabat):
    admin = member_of(rabat, Role.ADMIN, "admin.rabat")
    response = api_client(admin).post(
        URL, {"name": "OIM Conakry", "kind": "un_agency", "country": "GN"}, format="json"
    )
    assert response.status_code == 201


def test_caseworker_cannot_create_or_change_organisations(caseworker):
    org = OrganisationFactory(name="Caritas")
    client = api_client(caseworker)
    created = client.post(URL, {"name": "X", "kind": "ngo", "country": "MA"}, format="json")
    assert created.status_code == 403
    assert error_of(created)["code"] == "permission_denied"
    patched = client.patch(f"{URL}{org.pk}/", {"name": "Renamed"}, format="json")
    assert patched.status_code == 403
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Caritas"]


def test_invalid_country_is_reported_on_the_field(manager):
    response = api_client(manager).post(
        URL, {"name": "X", "kind": "ngo", "country": "ZZZ"}, format="json"
    )
    assert response.status_code == 400
    assert "country" in error_of(response)["fields"]
