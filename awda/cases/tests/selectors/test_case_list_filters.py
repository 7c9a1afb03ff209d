"""case_list_for: filters, sorts and search (accent- and case-blind names, document numbers with
spaces or dashes, phones, case numbers)."""

import datetime

import pytest
from django.utils import timezone

from awda.cases.models import Case
from awda.cases.selectors import case_list_for, person_list_for
from awda.factories import ProjectFactory, person_data, register_case


@pytest.fixture
def cases(caseworker, manager, rabat, morocco):
    today = timezone.localdate()
    traore = register_case(
        caseworker,
        rabat,
        principal=person_data(
            given_name="Awa",
            family_name="TRAORÉ",
            sex="female",
            nationality="ML",
            phone="+212 661-23 45 67",
        ),
        registered_on=today - datetime.timedelta(days=30),
        priority=2,
    )
    ndiaye = register_case(
        caseworker,
        rabat,
        principal=person_data(
            given_name="Fatou", family_name="N'Diaye", sex="female", nationality="SN", phone=""
        ),
        registered_on=today - datetime.timedelta(days=10),
        assigned_to=caseworker,
    )
    diallo = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Ousmane", family_name="Diallo", phone="0612000000"),
        principal_documents=[
            {"doc_type": "passport", "number": "AB 123-456", "issuing_country": "GN"}
        ],
        members=[
            {
                "relationship": "child",
                "person": person_data(
                    given_name="Mariama", family_name="Bah", date_of_birth=None, birth_year=2016
                ),
            }
        ],
        registered_on=today,
        priority=3,
    )
    project = ProjectFactory(mission=morocco)
    Case.objects.filter(pk=diallo.pk).update(project=project, status="departed", departed_on=today)
    return {"traore": traore, "ndiaye": ndiaye, "diallo": diallo, "project": project}


def names(qs):
    return [c.principal.family_name for c in qs]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("traore", ["TRAORÉ"]),
        ("TRAORE", ["TRAORÉ"]),
        ("Traoré", ["TRAORÉ"]),
        ("awa traore", ["TRAORÉ"]),
        ("ndiaye", ["N'Diaye"]),
        ("N’DIAYE", ["N'Diaye"]),
        ("n'diaye fatou", ["N'Diaye"]),
        ("mariama", ["Diallo"]),  # any member, not only the principal
        ("AB123456", ["Diallo"]),
        ("ab 123 456", ["Diallo"]),
        ("AB-123-456", ["Diallo"]),
        ("+212 661 23 45 67", ["TRAORÉ"]),
        ("661234567", ["TRAORÉ"]),
        ("0612000000", ["Diallo"]),
        ("nobody-like-this", []),
    ],
)
def test_search(cases, caseworker, query, expected):
    assert sorted(names(case_list_for(caseworker, query=query))) == sorted(expected)


def test_search_by_case_number(cases, caseworker):
    number = cases["ndiaye"].number
    assert names(case_list_for(caseworker, query=number)) == ["N'Diaye"]
    assert names(case_list_for(caseworker, query=number.lower())) == ["N'Diaye"]
    assert names(case_list_for(caseworker, query=number[-5:])) == ["N'Diaye"]


def test_search_never_leaks_other_offices(cases, other_office_user):
    assert list(case_list_for(other_office_user, query="traore")) == []
    assert list(person_list_for(other_office_user, query="traore")) == []


def test_person_search(cases, caseworker):
    found = person_list_for(caseworker, query="traore")
    assert [p.family_name for p in found] == ["TRAORÉ"]
    assert [p.given_name for p in person_list_for(caseworker, query="ab-123 456")] == ["Ousmane"]
    assert {p.nationality for p in person_list_for(caseworker, nationality="SN")} == {"SN"}


def test_filters(cases, caseworker):
    c = cases
    assert names(case_list_for(caseworker, status="departed")) == ["Diallo"]
    assert sorted(names(case_list_for(caseworker, status=["registered", "departed"]))) == sorted(
        ["TRAORÉ", "N'Diaye", "Diallo"]
    )
    assert names(case_list_for(caseworker, nationality="ML")) == ["TRAORÉ"]
    assert names(case_list_for(caseworker, assigned_to=caseworker.pk)) == ["N'Diaye"]
    assert sorted(names(case_list_for(caseworker, assigned_to="none"))) == ["Diallo", "TRAORÉ"]
    assert names(case_list_for(caseworker, project=c["project"].pk)) == ["Diallo"]
    assert names(case_list_for(caseworker, priority=3)) == ["Diallo"]
    assert names(case_list_for(caseworker, office=c["traore"].office_id)) != []
    today = timezone.localdate()
    assert sorted(
        names(case_list_for(caseworker, registered_from=today - datetime.timedelta(days=15)))
    ) == ["Diallo", "N'Diaye"]
    assert names(case_list_for(caseworker, registered_to=today - datetime.timedelta(days=15))) == [
        "TRAORÉ"
    ]
    assert names(case_list_for(caseworker, departed_from=today, departed_to=today)) == ["Diallo"]
    assert names(case_list_for(caseworker, departed_to=today - datetime.timedelta(days=1))) == []


def test_filter_by_another_office_returns_nothing(cases, caseworker, oujda):
    assert list(case_list_for(caseworker, office=oujda.pk)) == []


def test_sorts(cases, caseworker):
    assert names(case_list_for(caseworker)) == ["Diallo", "N'Diaye", "TRAORÉ"]  # newest first
    assert names(case_list_for(caseworker, sort="registered")) == ["TRAORÉ", "N'Diaye", "Diallo"]
    assert names(case_list_for(caseworker, sort="-priority"))[0] == "Diallo"
    assert names(case_list_for(caseworker, sort="priority"))[-1] == "Diallo"
    assert names(case_list_for(caseworker, sort="name")) == ["Diallo", "N'Diaye", "TRAORÉ"]
    assert names(case_list_for(caseworker, sort="-name")) == ["TRAORÉ", "N'Diaye", "Diallo"]
    numbers = [c.number for c in case_list_for(caseworker, sort="number")]
    assert numbers == sorted(numbers)
    # An unknown sort falls back to the default instead of failing.
    assert names(case_list_for(caseworker, sort="password")) == names(case_list_for(caseworker))


def test_list_query_count_does_not_grow_with_rows(
    cases, caseworker, rabat, django_assert_num_queries
):
    from awda.accounts.models import User

    def render():
        user = User.objects.get(pk=caseworker.pk)  # fresh object: the scope is not cached yet
        with django_assert_num_queries(2):  # the user's scope, then the page
            return [
                (c.number, c.principal.full_name, c.office.name, c.assigned_to, c.project)
                for c in case_list_for(user)
            ]

    assert len(render()) == 3
    for i in range(5):
        register_case(caseworker, rabat, principal=person_data(given_name=f"Extra{i}"))
    assert len(render()) == 8
