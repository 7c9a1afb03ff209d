import pytest

from awda.factories import OrganisationFactory, person_data
from awda.registry.models import Person
from awda.registry.selectors import organisation_list, search_q
from awda.registry.services import identity_document_add, person_create


@pytest.fixture
def people(caseworker, rabat):
    traore = person_create(
        caseworker,
        office=rabat,
        data=person_data(given_name="Awa", family_name="TRAORÉ", phone="+212 661 23 45 67"),
    )
    ndiaye = person_create(
        caseworker,
        office=rabat,
        data=person_data(given_name="Fatou", family_name="N’Diaye", other_names="Fatou Ndiaye-Sow"),
    )
    identity_document_add(
        caseworker, person=ndiaye, data={"doc_type": "passport", "number": "SN 0042-77"}
    )
    return {"traore": traore, "ndiaye": ndiaye}


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("traore", "traore"),
        ("TRAORÉ awa", "traore"),
        ("ndiaye", "ndiaye"),
        ("N'Diaye", "ndiaye"),
        ("sow", "ndiaye"),
        ("SN004277", "ndiaye"),
        ("sn-0042 77", "ndiaye"),
        ("0661234567"[1:], "traore"),
        ("212661234567", "traore"),
    ],
)
def test_search_q(people, query, who):
    assert list(Person.objects.filter(search_q(query))) == [people[who]]


def test_search_needs_every_word(people):
    assert not Person.objects.filter(search_q("awa ndiaye")).exists()


def test_organisation_list_filters(db):
    OrganisationFactory(name="Hôpital Avicenne", kind="hospital", country="MA")
    OrganisationFactory(name="Consulat de Guinée", kind="consulate", country="MA")
    OrganisationFactory(name="Old NGO", kind="ngo", country="MA", is_active=False)
    assert [o.name for o in organisation_list(kind="hospital")] == ["Hôpital Avicenne"]
    assert [o.name for o in organisation_list(query="consulat")] == ["Consulat de Guinée"]
    assert len(organisation_list()) == 2 and len(organisation_list(active_only=False)) == 3


@pytest.mark.parametrize("query", ["0661234567", "+212661234567", "661 23 45 67"])
def test_local_and_international_phone_formats_find_the_same_person(people, query):
    found = set(Person.objects.filter(search_q(query)).values_list("pk", flat=True))
    assert people["traore"].pk in found
