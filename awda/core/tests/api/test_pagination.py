"""Keyset cursor pagination (awda.core.api.pagination): every row seen exactly once, forward and
back, also across more than 1,000 rows that share the first ordering value; NULLs in a fixed place;
opaque cursors; page_size bounded."""

import base64
import datetime
import json

import pytest

from awda.cases.choices import Status
from awda.cases.models import Case, Task
from awda.core.api.pagination import normalise_ordering
from awda.core.api.testing import api_client, error_of
from awda.registry.models import Person

PERSONS = "/api/v1/persons/"
CASES = "/api/v1/cases/"


def walk(client, url, params, *, key="id", limit=50):
    """Follow `next` from the first page; then `previous` back from the last page. Returns
    (ids forward, ids backward in list order, number of pages)."""
    forward, pages, last = [], [], None
    while url:
        assert len(pages) < limit, "the pagination does not end"
        body = client.get(url, params).json()
        assert "results" in body, body
        pages.append([r[key] for r in body["results"]])
        forward += pages[-1]
        last, url, params = body, body["next"], None
    backward, url, count = [], last["previous"], 0
    while url:
        count += 1
        assert count < limit, "the pagination does not end backwards"
        body = client.get(url).json()
        backward = [r[key] for r in body["results"]] + backward
        url = body["previous"]
    return forward, backward + pages[-1], len(pages)


@pytest.fixture
def dialloes(caseworker, rabat):
    """1,500 persons named Diallo (and a few others), more ties than DRF's offset cap of 1,000."""
    rows = [
        Person(
            given_name=["Ousmane", "Aminata", "Mamadou"][i % 3],
            family_name="Diallo",
            sex="male",
            birth_year=1990,
            registered_by_office=rabat,
        )
        for i in range(1500)
    ]
    rows += [
        Person(given_name="Awa", family_name=name, sex="female", registered_by_office=rabat)
        for name in ["Bah", "Camara", "Sow"]
    ]
    Person.objects.bulk_create(rows, batch_size=500)
    return rows


def test_persons_with_1500_equal_names_are_each_listed_once_both_ways(caseworker, dialloes):
    client = api_client(caseworker)
    forward, backward, pages = walk(client, PERSONS, {"page_size": 200})
    expected = list(
        Person.objects.order_by("family_name", "given_name", "id").values_list("id", flat=True)
    )
    assert len(expected) == 1503
    assert forward == expected  # every row once, in order
    assert pages == 8
    assert backward == expected  # and back to the first page, whose `previous` is null


def test_cases_sorted_by_status_with_1100_ties_are_each_listed_once(caseworker, rabat):
    cases = [
        Case(
            number=f"MA-RBA-2026-{i:05d}",
            mission=rabat.mission,
            office=rabat,
            status=Status.REGISTERED if i % 10 else Status.COUNSELLING,
            registered_on=datetime.date(2026, 1, 1),
            country_of_return="GN",
        )
        for i in range(1, 1201)
    ]
    Case.objects.bulk_create(cases, batch_size=500)
    client = api_client(caseworker)
    for sort in ["status", "-status", "priority", "-registered", "updated", "-number"]:
        forward, backward, _pages = walk(
            client, CASES, {"page_size": 150, "sort": sort}, key="number"
        )
        assert len(forward) == len(set(forward)) == 1200, sort
        assert backward == forward, sort
    forward, _b, _p = walk(client, CASES, {"page_size": 200, "sort": "status"}, key="status")
    assert forward == sorted(forward)


def test_nulls_have_a_fixed_place_forward_and_back(caseworker, case):
    days = [None, datetime.date(2026, 3, 1), None, datetime.date(2026, 1, 1), None]
    days += [datetime.date(2026, 3, 1)]
    for i, day in enumerate(days):
        Task.objects.create(case=case, title=f"t{i}", due_date=day, created_by=caseworker)
    client = api_client(caseworker)
    forward, backward, pages = walk(client, f"{CASES}{case.pk}/tasks/", {"page_size": 2})
    tasks = {t.pk: t for t in Task.objects.all()}
    order = [(tasks[i].due_date is None, tasks[i].due_date, i) for i in forward]
    assert order == sorted(order, key=lambda o: (o[0], o[1] or datetime.date.min, o[2]))
    assert len(forward) == 6 and pages == 3
    assert backward == forward


def test_first_page_has_no_previous_and_last_page_no_next(caseworker, case):
    body = api_client(caseworker).get(PERSONS).json()
    assert body["previous"] is None and body["next"] is None
    assert len(body["results"]) == 1


def test_cursor_is_opaque_and_refused_when_tampered_or_of_another_sort(caseworker, dialloes):
    client = api_client(caseworker)
    body = client.get(PERSONS, {"page_size": 5}).json()
    token = body["next"].split("cursor=")[1].split("&")[0]
    assert "Diallo" not in token  # base64, not readable in passing
    bad = client.get(PERSONS, {"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and error_of(bad)["fields"] == {"cursor": ["Invalid cursor."]}
    data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    data["o"] = ["-id"]
    other = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
    assert client.get(PERSONS, {"cursor": other}).status_code == 400
    data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    data["v"][-1] = "x"
    broken = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
    assert client.get(PERSONS, {"cursor": broken}).status_code == 400


def test_page_size_is_bounded(caseworker, dialloes):
    client = api_client(caseworker)
    assert len(client.get(PERSONS).json()["results"]) == 50
    assert len(client.get(PERSONS, {"page_size": 1000}).json()["results"]) == 200
    for bad in ["0", "-3", "many"]:
        response = client.get(PERSONS, {"page_size": bad})
        assert response.status_code == 400 and "page_size" in error_of(response)["fields"]


def test_the_unique_id_always_ends_the_ordering():
    assert normalise_ordering(("family_name", "given_name")) == ("family_name", "given_name", "id")
    assert normalise_ordering(("-registered_on",)) == ("-registered_on", "-id")
    assert normalise_ordering(("status", "-id")) == ("status", "-id")
    assert normalise_ordering(("-pk",)) == ("-id",)
