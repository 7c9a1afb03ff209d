"""The merge page and the API name a restricted category of the records a merge moved only to a
reviewer holding its permission; the pair page and the API show only the cases the reviewer may
see; the API reject needs the version read."""

import pytest
from django.urls import reverse

from awda.core.api.testing import api_client, error_of
from awda.registry.duplicates import services
from awda.registry.duplicates.choices import PairStatus
from awda.registry.models import Person

from ..services.test_merge import versions

pytestmark = pytest.mark.django_db

NAMES = ("trafficking", "child_protection", "best-interests", "best interests", "medical need")


@pytest.fixture
def merge(the_pair, restricted_history, rabat_case, oujda_case, manager):
    keep, gone = rabat_case.principal, oujda_case.principal
    return services.persons_merge(
        manager, pair=the_pair, survivor=keep, expected_versions=versions(keep, gone)
    )


def assert_unnamed(text: str):
    text = text.lower()
    for name in NAMES:
        assert name not in text, name


def test_the_merge_page_counts_restricted_records_without_naming_them(
    client, merge, manager, protection_officer
):
    url = reverse("duplicates:merge_detail", args=[merge.pk])
    client.force_login(manager)
    body = client.get(url).content.decode()
    assert 'data-testid="merge-items-restricted"' in body and "Restricted records" in body
    items = body[body.index('data-testid="merge-items"') :]
    items = items[: items.index("</ul>")]
    assert ">3<" in items.split('data-testid="merge-items-restricted"')[1]
    assert_unnamed(body)
    assert 'data-label="cases.CaseMember"' in body  # the other records are listed as before

    # protection sees the trafficking and child-protection records, not the medical one
    client.force_login(protection_officer)
    body = client.get(url).content.decode()
    assert 'data-label="trafficking.TraffickingDetermination"' in body
    assert 'data-label="child_protection.BestInterestsAssessment"' in body
    assert "health.MedicalNeed" not in body and "medical need" not in body.lower()
    restricted = body.split('data-testid="merge-items-restricted"')[1]
    assert ">1<" in restricted[: restricted.index("</li>")]


def test_the_api_lists_only_the_records_the_reviewer_may_see_as_what_they_are(
    merge, manager, protection_officer
):
    url = f"/api/v1/duplicates/merges/{merge.pk}/"
    body = api_client(manager).get(url).json()
    assert body["restricted_items"] == 3
    assert_unnamed(str(body))
    assert any(i["model"] == "cases.CaseMember" for i in body["items"])
    listed = api_client(manager).get("/api/v1/duplicates/merges/").json()["results"]
    assert listed[0]["restricted_items"] == 3
    assert_unnamed(str(listed))

    body = api_client(protection_officer).get(url).json()
    assert body["restricted_items"] == 1
    models = {i["model"] for i in body["items"]}
    assert "trafficking.TraffickingDetermination" in models and "health.MedicalNeed" not in models


def test_the_merge_response_counts_restricted_records_without_naming_them(
    the_pair, restricted_history, rabat_case, manager
):
    data = {
        "survivor": rabat_case.principal_id,
        "versions": {
            str(p.pk): p.version
            for p in Person.objects.filter(pk__in=[the_pair.person_a_id, the_pair.person_b_id])
        },
    }
    response = api_client(manager).post(
        f"/api/v1/duplicates/pairs/{the_pair.pk}/merge/", data, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["restricted_items"] == 3
    assert_unnamed(str(response.json()))


# ---- cases of another mission -------------------------------------------------------------------


def test_the_pair_shows_only_the_cases_the_reviewer_may_see(
    client, the_pair, tunis_case, caseworker, manager, oujda_case
):
    client.force_login(caseworker)
    body = client.get(reverse("duplicates:pair_detail", args=[the_pair.pk])).content.decode()
    assert tunis_case.number not in body and "Tunis" not in body
    assert oujda_case.number in body  # another office of the mission: part of the review
    assert 'data-testid="person-hidden-cases"' in body and "1 case you may not see" in body

    client.force_login(manager)
    body = client.get(reverse("duplicates:pair_detail", args=[the_pair.pk])).content.decode()
    assert 'data-testid="pair-hidden-cases"' in body
    assert 'data-testid="merge-submit" disabled' in body

    detail = api_client(caseworker).get(f"/api/v1/duplicates/pairs/{the_pair.pk}/").json()
    assert tunis_case.number not in str(detail)
    cases = {p["id"]: [c["number"] for c in p["cases"]] for p in detail["persons"]}
    assert cases[oujda_case.principal_id] == [oujda_case.number]
    hidden = {p["id"]: p["hidden_cases"] for p in detail["persons"]}
    assert hidden[oujda_case.principal_id] == 1


def test_the_api_merge_is_refused_when_a_case_is_out_of_scope(
    the_pair, tunis_case, manager, rabat_case
):
    data = {
        "survivor": rabat_case.principal_id,
        "versions": {
            str(p.pk): p.version
            for p in Person.objects.filter(pk__in=[the_pair.person_a_id, the_pair.person_b_id])
        },
    }
    response = api_client(manager).post(
        f"/api/v1/duplicates/pairs/{the_pair.pk}/merge/", data, format="json"
    )
    error = error_of(response)
    assert response.status_code == 400 and error["code"] == "cases_out_of_scope"
    assert tunis_case.number not in str(response.json())
    the_pair.refresh_from_db()
    assert the_pair.status == PairStatus.OPEN


# ---- reject -------------------------------------------------------------------------------------


def test_the_api_reject_needs_the_version_read(the_pair, manager):
    url = f"/api/v1/duplicates/pairs/{the_pair.pk}/reject/"
    response = api_client(manager).post(url, {"note": "Cousins"}, format="json")
    assert response.status_code == 400 and "version" in str(response.json())
    the_pair.refresh_from_db()
    assert the_pair.status == PairStatus.OPEN
    response = api_client(manager).post(url, {"version": the_pair.version - 1}, format="json")
    assert response.status_code == 409
