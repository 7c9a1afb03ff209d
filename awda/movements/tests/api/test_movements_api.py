"""The departure journey through the API, and the API's scoping and refusals."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from awda.audit.models import AuditEvent
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.core.api.testing import api_client, error_of
from awda.movements.models import Booking
from awda.movements.traveldocs.models import TravelDocument
from awda.screening.consent.choices import Purpose
from awda.screening.consent.services import consent_record

from ..conftest import handed_over

pytestmark = pytest.mark.django_db
DEP = "/api/v1/movements/departures/"


def test_departure_journey_through_the_api(
    make_ready, caseworker, movement_officer, medical_officer, origin_officer, guinea, rabat
):
    from awda.screening.health.services import fitness_record

    cases = [make_ready(given_name=f"Api{i}") for i in range(5)]
    fitness_record(
        medical_officer,
        case=cases[0],
        person=cases[0].principal,
        outcome="fit",
        special_needs=["wheelchair_ramp"],
    )
    api = api_client(movement_officer)
    today = timezone.localdate()
    created = api.post(
        DEP,
        {
            "office": rabat.pk,
            "kind": "charter",
            "departure_date": today.isoformat(),
            "from_airport": "CMN",
            "to_airport": "CKY",
            "capacity": 10,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    dep = created.json()
    assert dep["seats_taken"] == 0 and dep["seats_free"] == 10
    escort = api.post(
        f"{DEP}{dep['id']}/escorts/", {"kind": "medical", "name": "Dr Idrissi"}, format="json"
    )
    assert escort.status_code == 201
    added = api.post(
        f"{DEP}{dep['id']}/cases/",
        {
            "cases": [c.pk for c in cases],
            "travellers": [{"person": cases[1].principal_id, "escort": escort.json()["id"]}],
        },
        format="json",
    )
    assert added.status_code == 201, added.json()
    seats = {b["case"]: b for b in added.json()}
    assert seats[cases[0].pk]["special_needs"] == ["wheelchair_ramp"]
    assert seats[cases[1].pk]["escort"] == escort.json()["id"]
    assert Case.objects.filter(status=Status.BOOKED).count() == 5

    manifest = api.get(f"{DEP}{dep['id']}/manifest/")
    assert manifest.status_code == 200 and len(manifest.json()) == 5
    row = manifest.json()[0]
    assert {"name", "date_of_birth", "nationality", "document_number", "escort"} <= set(row)
    assert row["document_number"].startswith("P")
    pdf = api.get(f"{DEP}{dep['id']}/manifest.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = api.get(f"{DEP}{dep['id']}/manifest.xlsx")
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row >= 6
    formats = AuditEvent.objects.filter(action="movements.manifest.printed").values_list(
        "changes__format", flat=True
    )
    assert sorted(formats) == ["json", "pdf", "xlsx"]

    # no-shows: one rebooked on a later departure, one withdrawn
    no_show_a, no_show_b = seats[cases[2].pk], seats[cases[3].pk]
    r = api.post(
        f"/api/v1/cases/{cases[2].pk}/bookings/{no_show_a['id']}/no-show/",
        {"reason": "ill"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "no_show"
    api.post(
        f"/api/v1/cases/{cases[3].pk}/bookings/{no_show_b['id']}/no-show/",
        {"reason": "changed_mind"},
        format="json",
    )
    later = api.post(
        DEP,
        {
            "office": rabat.pk,
            "departure_date": (today + datetime.timedelta(days=3)).isoformat(),
            "from_airport": "CMN",
            "to_airport": "CKY",
            "flight_number": "AT517",
        },
        format="json",
    ).json()
    rebooked = api.post(
        f"/api/v1/cases/{cases[2].pk}/rebook/", {"departure": later["id"]}, format="json"
    )
    assert rebooked.status_code == 201, rebooked.json()
    assert rebooked.json()[0]["rebooked_from"] == no_show_a["id"]
    withdraw = api.post(
        f"/api/v1/cases/{cases[3].pk}/transitions/",
        {
            "transition": "withdraw",
            "reason": "Stays",
            "version": Case.objects.get(pk=cases[3].pk).version,
        },
        format="json",
    )
    assert withdraw.status_code in (200, 201), withdraw.json()

    # bulk departure
    ids = [seats[c.pk]["id"] for c in (cases[0], cases[1], cases[4])]
    departed = api.post(f"{DEP}{dep['id']}/confirm-departure/", {"bookings": ids}, format="json")
    assert departed.status_code == 200, departed.json()
    assert {b["status"] for b in departed.json()} == {"departed"}
    assert api.get(f"{DEP}{dep['id']}/").json()["status"] == "departed"

    # the origin mission: nothing before the handover, then bulk arrival
    origin = api_client(origin_officer)
    assert origin.get("/api/v1/movements/arrivals/").json()["results"] == []
    refused = origin.post("/api/v1/movements/arrivals/confirm/", {"bookings": ids}, format="json")
    assert refused.status_code == 404
    for c in (cases[0], cases[1], cases[4]):  # consent given at registration, then handover
        consent_record(
            caseworker,
            case=Case.objects.get(pk=c.pk),
            person=c.principal,
            purpose=Purpose.ORIGIN_MISSION,
            language="fr",
        )
        handover = api.post(f"/api/v1/cases/{c.pk}/handover/", {}, format="json")
        assert handover.status_code == 201, handover.json()
    assert Case.objects.filter(receiving_mission=guinea).count() == 3
    listed = origin.get("/api/v1/movements/arrivals/").json()["results"]
    assert sorted(b["id"] for b in listed) == sorted(ids)
    arrived = origin.post("/api/v1/movements/arrivals/confirm/", {"bookings": ids}, format="json")
    assert arrived.status_code == 200, arrived.json()
    assert Case.objects.filter(status=Status.ARRIVED).count() == 3


def test_individual_booking_through_the_api(ready_case, movement_officer):
    api = api_client(movement_officer)
    url = f"/api/v1/cases/{ready_case.pk}/bookings/"
    departs = timezone.now() + datetime.timedelta(days=2)
    created = api.post(
        url,
        {
            "person": ready_case.principal_id,
            "legs": [
                {
                    "from_airport": "CMN",
                    "to_airport": "CKY",
                    "flight_number": "AT517",
                    "departs_at": departs.isoformat(),
                }
            ],
            "ticket_cost": "350.00",
            "currency": "EUR",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    b = created.json()
    assert b["status"] == "requested" and b["legs"][0]["from_airport"] == "CMN"
    stale = api.post(f"{url}{b['id']}/confirm/", {"booking_reference": "X", "version": 9})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_edit"
    ok = api.post(f"{url}{b['id']}/confirm/", {"booking_reference": "XY12", "version": 1})
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    assert Case.objects.get(pk=ready_case.pk).status == Status.BOOKED
    listed = api.get(url).json()["results"]
    assert [x["id"] for x in listed] == [b["id"]]
    pm = api.post(f"{url}{b['id']}/pocket-money/", {}, format="json")
    assert pm.status_code == 201 and pm.json()["amount"] == "30.00"
    receipt = api.get(f"{url}{b['id']}/pocket-money/receipt/")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")


def test_expired_laissez_passer_is_refused_through_the_api(ready_case, movement_officer, rabat):
    api = api_client(movement_officer)
    day = timezone.localdate() + datetime.timedelta(days=10)
    dep = api.post(
        DEP,
        {
            "office": rabat.pk,
            "departure_date": day.isoformat(),
            "from_airport": "CMN",
            "to_airport": "CKY",
            "flight_number": "AT1",
        },
        format="json",
    ).json()
    TravelDocument.objects.filter(case=ready_case).update(
        kind="laissez_passer", expires_on=day - datetime.timedelta(days=1)
    )
    r = api.post(f"{DEP}{dep['id']}/cases/", {"cases": [ready_case.pk]}, format="json")
    assert r.status_code == 409
    err = error_of(r)
    assert err["code"] == "gate_failed" and ready_case.number in err["message"]
    assert not Booking.objects.exists()


def test_caseworker_sees_no_departures_and_cannot_book(caseworker, ready_case, departure):
    api = api_client(caseworker)
    assert api.get(DEP).json()["results"] == []
    assert api.get(f"{DEP}{departure.pk}/").status_code == 404
    r = api.post(
        f"/api/v1/cases/{ready_case.pk}/bookings/",
        {
            "person": ready_case.principal_id,
            "legs": [
                {
                    "from_airport": "CMN",
                    "to_airport": "CKY",
                    "departs_at": (timezone.now() + datetime.timedelta(days=1)).isoformat(),
                }
            ],
        },
        format="json",
    )
    assert r.status_code == 403
    assert api.get(f"/api/v1/cases/{ready_case.pk}/bookings/").status_code == 200
    assert not Booking.objects.exists()


def test_other_office_user_gets_404_on_case_bookings(other_office_user, ready_case):
    r = api_client(other_office_user).get(f"/api/v1/cases/{ready_case.pk}/bookings/")
    assert r.status_code == 404


def test_expected_arrivals_list_has_a_fixed_number_of_queries(
    make_ready, make_departure, movement_officer, origin_officer, guinea
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awda.movements import services

    api = api_client(origin_officer)
    counts = []
    for n in (1, 4):
        departure = make_departure()
        cases = [make_ready(given_name=f"Arr{n}{i}") for i in range(n)]
        seats = services.departure_add_cases(movement_officer, departure=departure, cases=cases)
        for seat in seats:
            seat.case = Case.objects.get(pk=seat.case_id)
            services.pocket_money_pay(movement_officer, booking=seat)
        services.booking_confirm_departure(movement_officer, bookings=seats)
        for case in cases:
            handed_over(case, guinea)
        with CaptureQueriesContext(connection) as ctx:
            r = api.get("/api/v1/movements/arrivals/")
        assert r.status_code == 200
        assert all(b["pocket_money"] for b in r.json()["results"])
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
