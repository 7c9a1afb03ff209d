"""The operations board: scope, filters, sections, waiting reasons, calendar, query count, API."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awda.core.api.testing import api_client
from awda.factories import screen_travellers
from awda.movements import board
from awda.movements.models import Escort

from .conftest import booking, case_in, departure

URL = "/movements/board/"


def page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_only_users_recording_movements_see_the_board(
    client, caseworker, movement_officer, manager
):
    assert page(client, caseworker).status_code == 403
    assert page(client, movement_officer).status_code == 200
    assert page(client, manager).status_code == 200
    assert api_client(caseworker).get("/api/v1/movements/board/").status_code == 403


def test_board_is_scoped_to_the_offices_and_missions_of_the_officer(
    client,
    movement_officer,
    caseworker,
    oujda,
    oujda_caseworker,
    morocco,
    rabat,
    tunisia,
    tunis,
    tunis_movement,
):
    mine = case_in(caseworker, rabat, "ready_to_travel")
    theirs = case_in(oujda_caseworker, oujda, "ready_to_travel", given_name="Other")
    ours = departure(morocco, rabat, movement_officer, reference="DEP-MA-1")
    foreign = departure(tunisia, tunis, tunis_movement, reference="DEP-TN-1")
    html = page(client, movement_officer).content.decode()
    assert mine.number in html and theirs.number not in html
    assert ours.reference in html and foreign.reference not in html
    # an office outside the scope: the page ignores the invalid filter, the selector shows nothing
    html = page(client, movement_officer, office=oujda.pk).content.decode()
    assert mine.number in html and theirs.number not in html
    data = board.operations_board(movement_officer, filters=board.BoardFilters(office=oujda.pk))
    assert not data.ready.object_list and not data.departures


def test_filters_apply_to_every_section(client, movement_officer, caseworker, rabat, morocco):
    guinean = case_in(caseworker, rabat, "ready_to_travel", nationality="GN")
    malian = case_in(caseworker, rabat, "ready_to_travel", nationality="ML", given_name="Amadou")
    waiting_ml = case_in(caseworker, rabat, "pre_departure", nationality="ML", given_name="Fanta")
    to_conakry = departure(morocco, rabat, movement_officer, reference="DEP-GN")
    to_bamako = departure(morocco, rabat, movement_officer, reference="DEP-ML")
    booking(guinean, movement_officer, departure=to_conakry)
    booking(malian, movement_officer, departure=to_bamako)
    data = board.operations_board(movement_officer, filters=board.BoardFilters(nationality="ML"))
    assert [c.number for c in data.ready.object_list] == [malian.number]
    assert [w.case.number for w in data.waiting.object_list] == [waiting_ml.number]
    assert [d.reference for d in data.departures] == ["DEP-ML"]
    data = board.operations_board(movement_officer, filters=board.BoardFilters(destination="GN"))
    assert [c.number for c in data.ready.object_list] == [guinean.number]
    assert [d.reference for d in data.departures] == ["DEP-GN"]
    html = page(client, movement_officer, destination="GN").content.decode()
    assert guinean.number in html and malian.number not in html


def test_waiting_reasons_are_grouped(movement_officer, caseworker, rabat):
    case = case_in(caseworker, rabat, "pre_departure")
    data = board.operations_board(movement_officer, filters=board.BoardFilters())
    row = data.waiting.object_list[0]
    # not screened yet: "other"; no travel document or exit authorisation: "documents"
    assert any("Vulnerability screening" in t for t in row.groups["other"])
    assert any("Travel document" in t for t in row.groups["documents"])
    assert any("Exit authorisation" in t for t in row.groups["documents"])
    assert "fitness" not in row.groups
    screen_travellers(case, caseworker, health_needs=True)
    row = board.operations_board(movement_officer, filters=board.BoardFilters()).waiting[0]
    assert "other" not in row.groups
    assert row.groups["fitness"] == ["Moussa DIALLO: Fitness to travel (no decision)"]


def test_restricted_safeguards_stay_neutral_for_the_movement_officer(
    client, movement_officer, caseworker, rabat
):
    from awda.factories import member_of

    case = case_in(caseworker, rabat, "pre_departure")
    protection = member_of(rabat, "protection", "protection.rabat")
    screen_travellers(case, protection, trafficking_indicators=True)
    row = board.operations_board(movement_officer, filters=board.BoardFilters()).waiting[0]
    assert row.groups["protection"] == [
        "Moussa DIALLO: Restricted protection safeguard (Visible to protection officers only.)"
    ]
    html = page(client, movement_officer).content.decode()
    assert "Restricted protection safeguard" in html and "rafficking" not in html


def test_upcoming_departures_count_seats_escorts_needs_and_no_shows(
    movement_officer, caseworker, rabat, morocco
):
    dep = departure(morocco, rabat, movement_officer, capacity=10, reference="DEP-1")
    for i, needs in enumerate([["wheelchair_ramp"], ["wheelchair_ramp", "oxygen"], []]):
        booking(
            case_in(caseworker, rabat, "booked", given_name=f"T{i}"),
            movement_officer,
            departure=dep,
            needs=needs,
        )
    booking(
        case_in(caseworker, rabat, "no_show", given_name="Gone"),
        movement_officer,
        departure=dep,
        status="no_show",
    )
    Escort.objects.create(departure=dep, kind="medical", name="Dr A", seats=2)
    departure(morocco, rabat, movement_officer, days=-1, reference="DEP-PAST")
    departure(morocco, rabat, movement_officer, reference="DEP-CANCELLED", status="cancelled")
    [d] = board.operations_board(movement_officer, filters=board.BoardFilters()).departures
    assert d.reference == "DEP-1"
    assert (d.booked, d.seats_used, d.capacity, d.escort_count, d.no_shows) == (3, 5, 10, 1, 1)
    assert d.needs_text == "2 WCHR, 1 oxygen"


def test_calendar_places_departures_and_bookings_on_their_days(
    client, movement_officer, caseworker, rabat, morocco
):
    day = datetime.date(2031, 3, 14)
    dep = departure(morocco, rabat, movement_officer, departure_date=day, reference="DEP-PI")
    alone = case_in(caseworker, rabat, "booked", given_name="Solo")
    booking(alone, movement_officer, travel_date=datetime.date(2031, 3, 2), status="confirmed")
    later = case_in(caseworker, rabat, "booked", given_name="Later")
    booking(later, movement_officer, travel_date=datetime.date(2031, 4, 2))  # next month
    cal = board.operations_board(
        movement_officer, filters=board.BoardFilters(), month="2031-03"
    ).calendar
    placed = {(i.day, i.kind, i.label) for i in cal.items}
    assert placed == {
        (day, "departure", "DEP-PI CMN–CKY"),
        (datetime.date(2031, 3, 2), "booking", alone.number),
    }
    cells = {c.day: c for week in cal.weeks for c in week}
    assert [i.label for i in cells[day].items] == ["DEP-PI CMN–CKY"]
    assert (
        cal.weeks[0][0].day.weekday() == 0 and cal.previous == "2031-02" and cal.next == "2031-04"
    )
    html = page(client, movement_officer, month="2031-03").content.decode()
    assert 'data-day="2031-03-14"' in html and "DEP-PI" in html
    assert f'href="/cases/{alone.pk}/"' in html
    assert f'href="{reverse("movements:departure_detail", args=[dep.pk])}"' in html
    assert "month=2031-02" in html and "month=2031-04" in html


def test_invalid_month_falls_back_to_the_current_one(movement_officer):
    today = timezone.localdate()
    cal = board.operations_board(
        movement_officer, filters=board.BoardFilters(), month="2031-13"
    ).calendar
    assert (cal.year, cal.month) == (today.year, today.month)


@pytest.mark.parametrize("persona", ["movement_officer"])
def test_queries_do_not_grow_with_the_number_of_cases(
    client, request, persona, caseworker, rabat, morocco
):
    user = request.getfixturevalue(persona)
    counts = []
    made = 0
    for n in (5, 25):
        while made < n:
            case = case_in(
                caseworker,
                rabat,
                "pre_departure",
                given_name=f"W{made}",
                members=[
                    {
                        "relationship": "child",
                        "person": {
                            "given_name": f"K{made}",
                            "family_name": "X",
                            "sex": "female",
                            "date_of_birth": datetime.date(2015, 1, 1),
                            "nationality": "GN",
                        },
                    }
                ],
            )
            if made % 2:
                screen_travellers(case, caseworker, health_needs=True)
            ready = case_in(caseworker, rabat, "ready_to_travel", given_name=f"R{made}")
            dep = departure(morocco, rabat, user, reference=f"D{made}")
            booking(ready, user, departure=dep, needs=["oxygen"])
            made += 1
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL)
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="waiting-case"') == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 45, counts


def test_api_returns_the_sections(movement_officer, caseworker, rabat, morocco):
    ready = case_in(caseworker, rabat, "ready_to_travel")
    waiting = case_in(caseworker, rabat, "pre_departure", given_name="Wait")
    dep = departure(morocco, rabat, movement_officer, reference="DEP-API", capacity=3)
    booking(ready, movement_officer, departure=dep, needs=["oxygen"])
    response = api_client(movement_officer).get("/api/v1/movements/board/", {"nationality": "GN"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert [c["number"] for c in data["ready"]["results"]] == [ready.number]
    assert data["ready"]["results"][0]["has_booking"] is True
    assert data["waiting"]["results"][0]["case"]["number"] == waiting.number
    assert data["waiting"]["results"][0]["missing"]["documents"]
    [d] = data["departures"]
    assert (
        d["reference"] == "DEP-API" and d["seats_used"] == 1 and d["special_needs"] == {"oxygen": 1}
    )
    assert data["calendar"]["month"] == timezone.localdate().strftime("%Y-%m")
    bad = api_client(movement_officer).get("/api/v1/movements/board/", {"nationality": "ZZ"})
    assert bad.status_code == 400


def test_board_endpoint_is_in_the_schema(caseworker):
    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    assert schema["paths"]["/api/v1/movements/board/"]["get"]["operationId"] == "movements_board"


def test_nav_links_to_the_board_for_movement_officers_only(client, movement_officer, caseworker):
    client.force_login(movement_officer)
    assert 'data-testid="nav-board"' in client.get("/cases/").content.decode()
    client.force_login(caseworker)
    assert 'data-testid="nav-board"' not in client.get("/cases/").content.decode()
