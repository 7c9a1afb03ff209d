"""The Kobo API client against recorded responses (tests/parsing/data/*.json, shaped like Kobo's
API v2: count, next, previous, results)."""

import json
import urllib.parse
from pathlib import Path

import pytest

from awda.imports.kobo import KoboClient, KoboError

DATA = Path(__file__).parent / "data"
SERVER = "https://kf.kobotoolbox.org"
UID = "aXyZ123FormAvrr"


class Recorded:
    """A transport that replays recorded responses by URL path (+ "start" for pages)."""

    def __init__(self, routes: dict):
        self.routes = routes
        self.calls = []

    def __call__(self, url, headers, timeout):
        self.calls.append((url, headers, timeout))
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qs(parts.query)
        key = parts.path + ("?start=" + query["start"][0] if "start" in query else "")
        status, name = self.routes[key]
        return status, (DATA / name).read_bytes()


def _data_routes():
    return {
        f"/api/v2/assets/{UID}/": (200, "kobo_asset.json"),
        f"/api/v2/assets/{UID}/data/": (200, "kobo_data_page1.json"),
        f"/api/v2/assets/{UID}/data/?start=2": (200, "kobo_data_page2.json"),
    }


def test_submissions_follow_next_pages_with_the_token():
    transport = Recorded(_data_routes())
    client = KoboClient(SERVER, "s3cr3t", transport=transport, page_size=2)
    subs = client.submissions(UID)
    assert [s["_id"] for s in subs] == [4711, 4712, 4715]
    assert len(transport.calls) == 2
    for _url, headers, timeout in transport.calls:
        assert headers["Authorization"] == "Token s3cr3t"
        assert timeout == 30.0
    first = urllib.parse.urlsplit(transport.calls[0][0])
    query = urllib.parse.parse_qs(first.query)
    assert query["format"] == ["json"] and query["limit"] == ["2"]
    assert json.loads(query["sort"][0]) == {"_id": 1}


def test_since_filters_on_submission_time():
    client = KoboClient(SERVER, "t", transport=Recorded({}))
    url = client.data_url(UID, since="2025-03-01T10:00:00")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert json.loads(query["query"][0]) == {"_submission_time": {"$gt": "2025-03-01T10:00:00"}}


def test_fetch_table_reads_groups_repeats_and_uuids():
    client = KoboClient(SERVER, "t", transport=Recorded(_data_routes()), page_size=2)
    table = client.fetch_table(UID)
    assert table.source_name == "Enregistrement AVRR"
    assert table.kind == "kobo"
    assert [r.number for r in table.rows] == [4711, 4712, 4715]
    assert [r.key for r in table.rows] == [
        "5f1c2b3a-0d4e-4f6a-8b9c-0a1b2c3d4e5f",
        "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
        "9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
    ]
    assert "group_person/given_name" in table.columns
    assert "_attachments" not in table.columns and "_validation_status" not in table.columns
    assert table.rows[1].values["_geolocation"] == "34.02 -6.84"
    assert table.child_columns["group_members"][0] == "group_members/member_given_name"
    assert len(table.rows[2].children["group_members"]) == 2
    assert table.rows[1].children == {}


def test_assets_lists_survey_forms_by_name():
    transport = Recorded({"/api/v2/assets/": (200, "kobo_assets.json")})
    assets = KoboClient(SERVER + "/", "t", transport=transport).assets()
    assert [a["uid"] for a in assets] == ["aXyZ123FormAvrr", "cSuiviRetour24"]
    assert assets[0]["submissions"] == 3 and assets[0]["name"] == "Enregistrement AVRR"


def test_bad_token_is_a_kobo_auth_error():
    transport = Recorded({f"/api/v2/assets/{UID}/data/": (401, "kobo_401.json")})
    with pytest.raises(KoboError) as e:
        KoboClient(SERVER, "wrong", transport=transport).submissions(UID)
    assert e.value.code == "kobo_auth" and e.value.status == 400
    assert "token" in str(e.value.message)


def test_unknown_form_is_kobo_not_found():
    transport = Recorded({"/api/v2/assets/nope123/data/": (404, "kobo_404.json")})
    with pytest.raises(KoboError) as e:
        KoboClient(SERVER, "t", transport=transport).submissions("nope123")
    assert e.value.code == "kobo_not_found"
    assert "nope123" in str(e.value.message)


def test_network_error_and_server_error_are_unreachable():
    def down(url, headers, timeout):
        raise OSError("Connection refused")

    with pytest.raises(KoboError) as e:
        KoboClient(SERVER, "t", transport=down).assets()
    assert e.value.code == "kobo_unreachable" and e.value.status == 502
    assert "Connection refused" in str(e.value.message)

    with pytest.raises(KoboError) as e:
        KoboClient(SERVER, "t", transport=lambda u, h, t: (503, b"busy")).assets()
    assert e.value.code == "kobo_unreachable"


def test_not_json_is_a_bad_response():
    with pytest.raises(KoboError) as e:
        KoboClient(SERVER, "t", transport=lambda u, h, t: (200, b"<html>login</html>")).assets()
    assert e.value.code == "kobo_bad_response"


def test_next_link_to_another_server_is_not_followed_with_the_token():
    page = {"count": 2, "next": "https://evil.example/steal?start=1", "results": [{"_id": 1}]}
    calls = []

    def transport(url, headers, timeout):
        calls.append(url)
        return 200, json.dumps(page).encode()

    with pytest.raises(KoboError) as e:
        KoboClient(SERVER, "t", transport=transport).submissions(UID)
    assert e.value.code == "kobo_bad_response"
    assert len(calls) == 1


def test_server_address_and_form_id_are_checked():
    with pytest.raises(KoboError):
        KoboClient("ftp://kobo.example", "t")
    assert KoboClient("kobo.example.org", "t").server == "https://kobo.example.org"
    with pytest.raises(KoboError):
        KoboClient(SERVER, "t", transport=Recorded({})).data_url("../../etc")
