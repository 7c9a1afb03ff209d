import datetime

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import ValidationFailed
from awda.factories import person_data
from awda.registry.models import IdentityDocument, Organisation, Person
from awda.registry.services import (
    identity_document_add,
    identity_document_delete,
    identity_document_update,
    organisation_create,
    organisation_update,
    person_create,
)


@pytest.fixture
def person(caseworker, rabat):
    return person_create(caseworker, office=rabat, data=person_data())


def test_document_is_stored_compacted_and_searchable(caseworker, person):
    doc = identity_document_add(
        caseworker,
        person=person,
        data={
            "doc_type": "passport",
            "number": " r-0 12 345 ",
            "issuing_country": "gin",
            "issue_date": "2020-01-01",
            "expiry_date": "2030-01-01",
        },
    )
    assert (doc.number, doc.number_compact, doc.issuing_country) == ("r-0 12 345", "R012345", "GN")
    assert doc.expiry_date == datetime.date(2030, 1, 1)
    assert "r012345" in Person.objects.get(pk=person.pk).search_text
    assert (
        AuditEvent.objects.get(action="registry.identity_document.created").person_id == person.pk
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"doc_type": "visa", "number": "1"}, "doc_type"),
        ({"doc_type": "passport", "number": ""}, "number"),
        ({"doc_type": "passport", "number": "--"}, "number"),
        ({"doc_type": "passport", "number": "1", "issuing_country": "Narnia"}, "issuing_country"),
        ({"doc_type": "passport", "number": "1", "expiry_date": "31/12/2030"}, "expiry_date"),
        (
            {
                "doc_type": "passport",
                "number": "1",
                "issue_date": "2024-01-02",
                "expiry_date": "2024-01-01",
            },
            "expiry_date",
        ),
    ],
)
def test_invalid_document_is_refused(caseworker, person, data, field):
    with pytest.raises(ValidationFailed) as err:
        identity_document_add(caseworker, person=person, data=data, prefix="documents.0.")
    assert f"documents.0.{field}" in err.value.fields
    assert IdentityDocument.objects.count() == 0


def test_document_update_and_delete_keep_search_text_in_step(caseworker, person):
    doc = identity_document_add(
        caseworker, person=person, data={"doc_type": "passport", "number": "OLD-1"}
    )
    identity_document_update(caseworker, document=doc, data={"number": "NEW 2"})
    text = Person.objects.get(pk=person.pk).search_text
    assert "new2" in text and "old1" not in text
    assert AuditEvent.objects.get(action="registry.identity_document.updated").changes == {
        "number": {"from": "OLD-1", "to": "NEW 2"}
    }
    identity_document_delete(caseworker, document=IdentityDocument.objects.get(pk=doc.pk))
    assert "new2" not in Person.objects.get(pk=person.pk).search_text
    assert IdentityDocument.objects.count() == 0
    assert AuditEvent.objects.filter(action="registry.identity_document.deleted").count() == 1


def test_organisation_create_and_update(caseworker):
    org = organisation_create(
        caseworker, data={"name": "Caritas Rabat", "kind": "ngo", "country": "MAR", "city": "Rabat"}
    )
    assert org.country == "MA"
    organisation_update(caseworker, organisation=org, data={"phone": "+212 5 37 00 00 00"})
    assert AuditEvent.objects.get(action="registry.organisation.updated").changes == {
        "phone": {"from": "", "to": "+212 5 37 00 00 00"}
    }


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"name", "kind", "country"}),
        ({"name": "X", "kind": "pub", "country": "MA"}, {"kind"}),
        ({"name": " ", "kind": "ngo", "country": "MA"}, {"name"}),
        ({"name": "X", "kind": "ngo", "country": "ZZZ"}, {"country"}),
    ],
)
def test_invalid_organisation_is_refused(caseworker, data, fields):
    with pytest.raises(ValidationFailed) as err:
        organisation_create(caseworker, data=data)
    assert set(err.value.fields) == fields
    assert Organisation.objects.count() == 0
