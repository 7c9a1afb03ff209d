import datetime

from awda.core.api.testing import api_client
from awda.factories import ProjectFactory

URL = "/api/v1/projects/"


def test_lists_the_projects_of_the_users_missions(caseworker, morocco, guinea, rabat):
    sem = ProjectFactory(mission=morocco, code="AVRR-MA-SEM", eligible_nationalities=["GN"])
    sem.eligible_offices.add(rabat)
    ProjectFactory(mission=guinea, code="REINT-GN")
    body = api_client(caseworker).get(URL).json()
    assert [p["code"] for p in body["results"]] == ["AVRR-MA-SEM"]
    project = body["results"][0]
    assert project["eligible_office_ids"] == [rabat.pk]
    assert project["eligible_nationalities"] == ["GN"]
    assert project["donors"][0]["short_name"] == "SEM"


def test_active_filter_hides_ended_projects(caseworker, morocco):
    ProjectFactory(mission=morocco, code="CURRENT")
    ProjectFactory(
        mission=morocco,
        code="ENDED",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    client = api_client(caseworker)
    assert {p["code"] for p in client.get(URL).json()["results"]} == {"CURRENT", "ENDED"}
    active = client.get(URL, {"active": "true"}).json()["results"]
    assert [p["code"] for p in active] == ["CURRENT"]


def test_project_of_another_mission_is_404(caseworker, morocco, guinea):
    mine = ProjectFactory(mission=morocco, code="MINE")
    other = ProjectFactory(mission=guinea, code="OTHER")
    client = api_client(caseworker)
    assert client.get(f"{URL}{mine.pk}/").json()["code"] == "MINE"
    assert client.get(f"{URL}{other.pk}/").status_code == 404
