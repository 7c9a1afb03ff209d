"""The duplicate check while registering (cases.duplicate_check.likely_duplicates): spelling and
phone variants of a person already registered are found, only among the persons the user may see,
without merged records, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awda.cases.duplicate_check import likely_duplicates
from awda.factories import person_data, register_case
from awda.registry.duplicate_check import record_from_data
from awda.registry.match_keys import person_record
from awda.registry.matching import LIKELY_THRESHOLD, REVIEW_THRESHOLD, compare
from awda.registry.models import Person

USMAN = {"given_name": "Usman", "family_name": "Jalloh", "phone": "+212 661 23 45 67"}


@pytest.fixture
def ousmane(caseworker, rabat):
    """Ousmane DIALLO, registered in Rabat with his phone number."""
    case = register_case(caseworker, rabat, principal=person_data(phone="0661234567"))
    return case.principal


def ids(candidates):
    return [c.person.pk for c in candidates]


def test_a_spelling_variant_with_the_same_phone_is_a_likely_duplicate(caseworker, ousmane):
    ousmane.documents.create(doc_type="passport", number="R0412345", number_compact="R0412345")
    found = likely_duplicates(caseworker, USMAN)
    assert ids(found) == [ousmane.pk]
    best = found[0]
    # the engine's own score of the two full records (documents read only when typed)
    assert best.match == compare(record_from_data(USMAN), person_record(best.person))
    assert best.match.score >= REVIEW_THRESHOLD
    assert best.likely == (best.match.score >= LIKELY_THRESHOLD)
    assert "same_phone" in {r.code for r in best.match.reasons}
    # ready for the person card: documents and the case history the user may see
    assert [m.case_id for m in best.person.visible_memberships] == [
        ousmane.case_memberships.get().case_id
    ]


def test_a_document_number_alone_finds_the_person(caseworker, rabat):
    case = register_case(
        caseworker,
        rabat,
        principal=person_data(),
        principal_documents=[{"doc_type": "passport", "number": "R0412345"}],
    )
    found = likely_duplicates(
        caseworker,
        {"given_name": "Ousman", "family_name": "Diallo"},
        documents=[{"number": "r 041 2345"}],
    )
    assert ids(found) == [case.principal.pk]
    assert "same_document" in {r.code for r in found[0].match.reasons}


def test_persons_outside_the_users_scope_are_never_proposed(
    caseworker, other_office_user, oujda, ousmane
):
    assert likely_duplicates(other_office_user, USMAN) == []
    theirs = register_case(other_office_user, oujda, principal=person_data(phone="0661234567"))
    assert ids(likely_duplicates(other_office_user, USMAN)) == [theirs.principal.pk]
    assert ids(likely_duplicates(caseworker, USMAN)) == [ousmane.pk]


def test_users_without_a_case_role_see_nothing(auditor, ousmane):
    assert likely_duplicates(auditor, USMAN) == []


def test_merged_and_excluded_persons_are_not_proposed(caseworker, rabat, ousmane):
    assert ids(likely_duplicates(caseworker, USMAN, exclude_ids=[ousmane.pk])) == []
    survivor = register_case(caseworker, rabat, principal=person_data(phone="0600000001"))
    Person.objects.filter(pk=ousmane.pk).update(merged_into=survivor.principal)
    assert ousmane.match_keys.exists()  # even with keys still stored
    assert ousmane.pk not in ids(likely_duplicates(caseworker, USMAN))


def test_members_of_the_same_case_are_different_people(caseworker, ousmane):
    case_id = ousmane.case_memberships.get().case_id
    assert ids(likely_duplicates(caseworker, USMAN, households=[case_id])) == []


def test_too_little_typed_looks_nothing_up(caseworker, ousmane, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert likely_duplicates(caseworker, {"given_name": "Usman", "family_name": "J"}) == []
        assert likely_duplicates(caseworker, {"phone": "0661"}) == []


VARIANTS = [("Ousmane", "Jallow"), ("Usmane", "Diallo"), ("Ousman", "Djalo"), ("Usman", "Jalloh")]


def test_best_first_and_at_most_limit(caseworker, rabat, ousmane):
    for given, family in VARIANTS:
        register_case(
            caseworker,
            rabat,
            principal=person_data(given_name=given, family_name=family, phone="0661234567"),
        )
    found = likely_duplicates(caseworker, USMAN, limit=3)
    assert len(found) == 3
    scores = [c.match.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert found[0].person.given_name == "Usman"  # the exact spelling first


def queries(user, data) -> tuple[int, int]:
    user.refresh_from_db()  # no cached scope
    with CaptureQueriesContext(connection) as ctx:
        found = likely_duplicates(user, data)
    return len(ctx.captured_queries), len(found)


def test_a_fixed_number_of_queries_whatever_the_candidates(caseworker, rabat, ousmane):
    ousmane.documents.create(doc_type="passport", number="R0412345", number_compact="R0412345")
    one, found = queries(caseworker, USMAN)
    assert found == 1
    for i, (given, family) in enumerate(VARIANTS):
        case = register_case(
            caseworker,
            rabat,
            principal=person_data(given_name=given, family_name=family, phone="0661234567"),
            principal_documents=[{"doc_type": "passport", "number": f"R04{i}"}],
        )
        other = register_case(caseworker, rabat, principal=person_data(given_name=f"Awa {i}"))
        other.members.create(person=case.principal, relationship="other_relative")
    many, found = queries(caseworker, USMAN)
    assert found == 5 and many == one
