"""The rows written in bulk are those case_register writes for the same record (parity), on
SQLite (bulk_create) and PostgreSQL (COPY)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.models import Case, CaseMember
from awda.cases.services import case_numbers_reserve, case_register
from awda.imports.contract import CaseRecord
from awda.imports.models import ImportedRecord, ImportJob
from awda.imports.services import rows as rowbuild
from awda.registry.models import IdentityDocument, Person

pytestmark = pytest.mark.django_db

PRINCIPAL = {
    "given_name": "Aminata",
    "family_name": "Konaté",
    "other_names": "Ami\tK",
    "sex": "female",
    "date_of_birth": datetime.date(1990, 5, 1),
    "nationality": "GN",
    "languages": ["fr", "ff"],
    "phone": "+212 600 11 22 33",
    "address": "Rue 5\\n, Hay Nahda",
    "city": "Rabat",
}
DOCUMENT = {
    "doc_type": "passport",
    "number": "gn-123 456",
    "issuing_country": "GN",
    "issue_date": datetime.date(2020, 1, 2),
    "expiry_date": datetime.date(2030, 1, 1),
}
MEMBER = {
    "relationship": "child",
    "travels": True,
    "person": {"given_name": "Sekou", "family_name": "Konaté", "sex": "male", "birth_year": 2015},
}


def _job(user, office):
    return ImportJob.objects.create(
        mission=office.mission,
        office=office,
        file_name="x.csv",
        sha256="0" * 64,
        requested_by=user,
    )


PERSON_FIELDS = [
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "birth_year",
    "dob_estimated",
    "nationality",
    "nationality_alpha3",
    "languages",
    "phone",
    "phone_digits",
    "address",
    "city",
    "search_text",
    "registered_by_office_id",
    "created_by_id",
    "version",
]


def _person(p):
    return {f: getattr(p, f) for f in PERSON_FIELDS}


def test_bulk_rows_equal_what_case_register_writes(caseworker, rabat):
    today = timezone.localdate()
    registered = case_register(
        caseworker,
        office=rabat,
        principal=dict(PRINCIPAL),
        principal_documents=[dict(DOCUMENT)],
        members=[{**MEMBER, "person": dict(MEMBER["person"])}],
        registered_on=today,
    )
    job = _job(caseworker, rabat)
    record = CaseRecord(
        row=2,
        key="uuid-1",
        principal=dict(PRINCIPAL),
        documents=[dict(DOCUMENT)],
        members=[MEMBER],
        registered_on=today,
    )
    tables = rowbuild.Tables(job=job, user=caseworker, now=timezone.now())
    numbers = case_numbers_reserve(rabat, today.year, 1)
    chunk = rowbuild.build_chunk(tables, [record], numbers, job_id=job.pk, today=today)
    chunk.write()

    imported = Case.objects.get(number=numbers[0])
    assert imported.number.endswith("-00002")  # after the case registered by hand
    for field in (
        "status",
        "office_id",
        "mission_id",
        "registered_on",
        "country_of_return",
        "nationality",
        "member_count",
        "created_by_id",
        "version",
        "priority",
    ):
        assert getattr(imported, field) == getattr(registered, field), field
    assert _person(imported.principal) == _person(registered.principal)
    members = lambda case: sorted(  # noqa: E731
        (m.relationship, m.is_principal, m.travels, _person(m.person)["search_text"])
        for m in CaseMember.objects.filter(case=case).select_related("person")
    )
    assert members(imported) == members(registered)
    doc = IdentityDocument.objects.get(person=imported.principal)
    ref = IdentityDocument.objects.get(person=registered.principal)
    for field in (
        "doc_type",
        "number",
        "number_compact",
        "issuing_country",
        "issue_date",
        "expiry_date",
    ):
        assert getattr(doc, field) == getattr(ref, field)
    assert ImportedRecord.objects.get(case=imported).key == "uuid-1"
    event = AuditEvent.objects.get(case_id=imported.pk)
    assert event.action == "cases.case.registered"
    assert event.changes["import"] == job.pk
    assert event.object_id == str(imported.pk) and event.actor == caseworker
    # New rows after the bulk ones get fresh ids from the same sequences.
    again = case_register(caseworker, office=rabat, principal={**PRINCIPAL, "given_name": "B"})
    assert again.pk > imported.pk and again.principal_id > imported.principal_id
    assert again.number.endswith("-00003")


def test_ids_are_reserved_above_existing_rows(caseworker, rabat):
    first = case_register(caseworker, office=rabat, principal=dict(PRINCIPAL))
    from awda.imports.services import bulk

    ids = bulk.reserve_ids(Person, 3)
    assert len(set(ids)) == 3 and min(ids) > first.principal_id
    assert connection.vendor in ("sqlite", "postgresql")
