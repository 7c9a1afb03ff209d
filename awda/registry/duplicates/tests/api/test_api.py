import pytest

from awda.cases.models import CaseMember
from awda.core.api.testing import api_client, error_of
from awda.registry.duplicates.models import DetectionRun, DuplicatePair, PersonMerge
from awda.registry.models import Person

pytestmark = pytest.mark.django_db

PAIRS = "/api/v1/duplicates/pairs/"


def versions(pair):
    return {
        str(p.pk): p.version
        for p in Person.objects.filter(pk__in=[pair.person_a_id, pair.person_b_id])
    }


def test_the_queue_lists_the_pairs_of_my_missions_with_reasons(
    the_pair, caseworker, tunisia_manager, auditor
):
    body = api_client(caseworker).get(PAIRS).json()
    (row,) = body["results"]
    assert row["id"] == the_pair.pk and row["status"] == "open"
    assert row["person_a"]["id"] < row["person_b"]["id"]
    assert {"code", "params", "text", "weight"} <= set(row["reasons"][0])
    assert api_client(caseworker).get(PAIRS, {"status": "rejected"}).json()["results"] == []
    assert api_client(tunisia_manager).get(PAIRS).json()["results"] == []
    response = api_client(auditor).get(PAIRS)
    assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"
    response = api_client(caseworker).get(PAIRS, {"band": "nope"})
    assert response.status_code == 400


def test_pair_detail_side_by_side(the_pair, caseworker, tunisia_manager, rabat_case):
    body = api_client(caseworker).get(f"{PAIRS}{the_pair.pk}/").json()
    a, b = body["persons"]
    assert a["id"] == the_pair.person_a_id and b["id"] == the_pair.person_b_id
    assert [d["number"] for d in a["documents"]] == ["R1234567"]
    assert a["cases"][0]["number"] == rabat_case.number and body["shared_cases"] == []
    assert body["merge"] is None
    response = api_client(tunisia_manager).get(f"{PAIRS}{the_pair.pk}/")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_merge_then_undo_through_the_api(the_pair, manager, caseworker, rabat_case, oujda_case):
    url = f"{PAIRS}{the_pair.pk}/merge/"
    data = {"survivor": rabat_case.principal_id, "versions": versions(the_pair)}
    response = api_client(caseworker).post(url, data, format="json")
    assert response.status_code == 403

    stale = {**data, "versions": {k: v - 1 for k, v in data["versions"].items()}}
    response = api_client(manager).post(url, stale, format="json")
    assert response.status_code == 409 and error_of(response)["code"] == "stale_edit"

    response = api_client(manager).post(url, data, format="json")
    assert response.status_code == 201, response.json()
    merge = response.json()
    assert merge["survivor"]["id"] == rabat_case.principal_id
    assert ["cases.CaseMember", "person"] in [[i["model"], i["field"]] for i in merge["items"]]
    assert response["Location"].endswith(f"/duplicates/merges/{merge['id']}/")
    assert CaseMember.objects.get(case=oujda_case).person_id == rabat_case.principal_id

    response = api_client(manager).post(url, data, format="json")
    assert response.status_code == 400 and error_of(response)["code"] == "pair_not_open"

    listed = api_client(caseworker).get("/api/v1/duplicates/merges/").json()["results"]
    assert [m["id"] for m in listed] == [merge["id"]]
    undo = f"/api/v1/duplicates/merges/{merge['id']}/undo/"
    assert api_client(caseworker).post(undo, {}, format="json").status_code == 403
    response = api_client(manager).post(undo, {"note": "wrong"}, format="json")
    assert response.status_code == 200 and response.json()["undone_at"]
    assert CaseMember.objects.get(case=oujda_case).person_id == oujda_case.principal_id
    response = api_client(manager).post(undo, {}, format="json")
    assert error_of(response)["code"] == "merge_undone"


def test_merging_twins_is_refused_with_a_clear_code(twins_case, manager, morocco):
    a, b = sorted(twins_case.members.values_list("person_id", flat=True))
    pair = DuplicatePair.objects.create(
        mission=morocco, person_a_id=a, person_b_id=b, score=0.99, source="registration"
    )
    response = api_client(manager).post(
        f"{PAIRS}{pair.pk}/merge/", {"survivor": a, "versions": versions(pair)}, format="json"
    )
    error = error_of(response)
    assert response.status_code == 400 and error["code"] == "same_case"
    assert error["details"]["cases"] == [twins_case.number]
    assert not PersonMerge.objects.exists()


def test_reject_through_the_api(the_pair, manager):
    response = api_client(manager).post(
        f"{PAIRS}{the_pair.pk}/reject/",
        {"note": "Cousins", "version": the_pair.version},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    response = api_client(manager).post(
        f"{PAIRS}{the_pair.pk}/reject/", {"version": 1}, format="json"
    )
    assert response.status_code == 400 and error_of(response)["code"] == "pair_not_open"


def test_start_a_run_and_follow_it(
    rabat_case, oujda_case, manager, caseworker, morocco, tunis, django_capture_on_commit_callbacks
):
    runs = "/api/v1/duplicates/runs/"
    assert api_client(caseworker).post(runs, {"mission": morocco.pk}).status_code == 403
    assert api_client(manager).post(runs, {"mission": tunis.mission_id}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(manager).post(runs, {"mission": morocco.pk}, format="json")
    assert response.status_code == 201
    run = DetectionRun.objects.get()
    body = api_client(caseworker).get(f"{runs}{run.pk}/").json()
    assert body["status"] == "done" and body["pairs_new"] == 1 and body["percent"] == 100
    assert [r["id"] for r in api_client(caseworker).get(runs).json()["results"]] == [run.pk]


def test_the_merge_returns_what_it_filled_on_the_survivor(sparse_pair, manager, caseworker):
    pair, keep, gone = sparse_pair
    # Before merging, the pair says what a merge would fill, for either choice of survivor.
    fills = api_client(manager).get(f"{PAIRS}{pair.pk}/").json()["merge_fill"]
    planned = next(f for f in fills if f["survivor"] == keep.pk)
    assert planned["merged"] == gone.pk
    assert planned["filled"]["date_of_birth"] == "1982-03-14" and "city" not in planned["filled"]
    data = {"survivor": keep.pk, "versions": versions(pair)}
    response = api_client(manager).post(f"{PAIRS}{pair.pk}/merge/", data, format="json")
    assert response.status_code == 201, response.json()
    filled = response.json()["survivor_filled"]
    assert filled["date_of_birth"] == "1982-03-14" and filled["phone"] == "+212 600 11 22 33"
    assert filled["languages"] == ["fr", "ff"] and "city" not in filled
    merge_id = response.json()["id"]
    body = api_client(caseworker).get(f"/api/v1/duplicates/merges/{merge_id}/").json()
    assert body["survivor_filled"] == filled
    assert {k: v for k, v in planned["filled"].items() if k != "dob_estimated"} == filled
    assert body["survivor"]["phone"] == "+212 600 11 22 33"
