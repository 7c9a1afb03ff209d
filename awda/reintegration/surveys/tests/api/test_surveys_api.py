from awda.core.api.testing import api_client, error_of
from awda.reintegration.models import Instrument, Survey
from awda.reintegration.surveys.services import survey_record

from ..helpers import answers_with


def base(case):
    return f"/api/v1/cases/{case.pk}/surveys/"


def payload(person, kind="baseline", **extra):
    return {"person": person.pk, "kind": kind, "answers": answers_with(), **extra}


def test_recording_and_listing(returned_case, person, origin_officer):
    client = api_client(origin_officer)
    response = client.post(base(returned_case), payload(person), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["instrument"]["version"] == "placeholder-1"
    assert body["instrument"]["is_placeholder"] is True
    assert set(body) >= {"economic", "social", "psychosocial", "composite", "age"}
    listed = client.get(base(returned_case)).json()
    assert [s["id"] for s in listed] == [body["id"]]


def test_a_missing_answer_is_named(returned_case, person, origin_officer):
    data = payload(person)
    del data["answers"]["q_water"]
    response = api_client(origin_officer).post(base(returned_case), data, format="json")
    assert response.status_code == 400
    assert "answers.q_water" in error_of(response)["fields"]
    assert not Survey.objects.exists()


def test_host_caseworker_may_view_but_not_record(returned_case, person, caseworker):
    client = api_client(caseworker)
    assert client.get(base(returned_case)).status_code == 200
    response = client.post(base(returned_case), payload(person), format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert not Survey.objects.exists()


def test_other_mission_user_gets_404(returned_case, person, origin_officer):
    from awda.accounts.choices import MissionKind, Role
    from awda.factories import MissionFactory, OfficeFactory, member_of

    senegal = MissionFactory(
        code="SN", name="Senegal", country_alpha3="SEN", kind=MissionKind.ORIGIN
    )
    dakar = member_of(
        OfficeFactory(mission=senegal, code="DKR", name="Dakar"),
        Role.REINTEGRATION,
        "reintegration.dakar",
    )
    survey = survey_record(
        origin_officer, case=returned_case, person=person, kind="baseline", answers=answers_with()
    )
    client = api_client(dakar)
    assert client.get(base(returned_case)).status_code == 404
    assert client.post(base(returned_case), payload(person), format="json").status_code == 404
    void = client.post(f"/api/v1/reintegration/surveys/{survey.pk}/void/", {"reason": "x"})
    assert void.status_code == 404
    survey.refresh_from_db()
    assert survey.voided_at is None and Survey.objects.count() == 1


def test_series_and_void(returned_case, person, origin_officer, caseworker):
    first = survey_record(
        origin_officer, case=returned_case, person=person, kind="baseline", answers=answers_with()
    )
    survey_record(
        origin_officer,
        case=returned_case,
        person=person,
        kind="follow_up",
        answers=answers_with(index=2),
    )
    client = api_client(origin_officer)
    series = client.get(f"{base(returned_case)}series/", {"person": person.pk}).json()
    assert [p["kind"] for p in series] == ["baseline", "follow_up"]
    url = f"/api/v1/reintegration/surveys/{first.pk}/void/"
    denied = api_client(caseworker).post(url, {"reason": "no"}, format="json")
    assert denied.status_code == 403
    response = client.post(url, {"reason": "Wrong person"}, format="json")
    assert response.status_code == 200 and response.json()["voided_at"]
    series = client.get(f"{base(returned_case)}series/", {"person": person.pk}).json()
    assert [p["kind"] for p in series] == ["follow_up"]


def test_instruments(origin_officer, caseworker):
    client = api_client(origin_officer)
    listed = client.get("/api/v1/reintegration/instruments/").json()
    placeholder = Instrument.objects.get(version="placeholder-1")
    assert placeholder.pk in [i["id"] for i in listed]
    detail = client.get(f"/api/v1/reintegration/instruments/{placeholder.pk}/").json()
    assert len(detail["definition"]["questions"]) == 19
    assert client.get("/api/v1/reintegration/instruments/999999/").status_code == 404


def test_cohorts(returned_case, person, origin_officer, auditor):
    survey_record(
        origin_officer, case=returned_case, person=person, kind="baseline", answers=answers_with()
    )
    rows = (
        api_client(auditor)
        .get("/api/v1/reintegration/sustainability/cohorts/", {"group_by": "sex"})
        .json()
    )
    assert rows == [
        {
            "group": "male",
            "kind": "baseline",
            "n": 1,
            **{
                k: str(getattr(Survey.objects.get(), k))
                for k in ("economic", "social", "psychosocial", "composite")
            },
        }
    ]
    bad = api_client(auditor).get(
        "/api/v1/reintegration/sustainability/cohorts/", {"group_by": "shoe_size"}
    )
    assert bad.status_code == 400 and "group_by" in error_of(bad)["fields"]


def test_the_endpoints_are_in_the_schema(caseworker):
    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/cases/{case_pk}/surveys/",
        "/api/v1/cases/{case_pk}/surveys/series/",
        "/api/v1/reintegration/surveys/{survey_pk}/void/",
        "/api/v1/reintegration/instruments/",
        "/api/v1/reintegration/instruments/{instrument_pk}/",
        "/api/v1/reintegration/sustainability/cohorts/",
    ):
        assert path in paths, path
