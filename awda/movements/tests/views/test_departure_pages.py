"""The departure pages in the browser's way (Django test client): list, create, manifest page,
add travellers, bulk departure confirmation, no-show, rebook, withdraw, manifest files."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from awda.audit.models import AuditEvent
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.factories import person_data, register_case
from awda.movements import services
from awda.movements.choices import BookingStatus, EscortKind
from awda.movements.models import Booking, Departure

pytestmark = pytest.mark.django_db


def test_caseworker_has_no_departure_pages(client, caseworker, departure):
    client.force_login(caseworker)
    assert client.get(reverse("movements:departure_list")).status_code == 403
    url = reverse("movements:departure_detail", args=[departure.pk])
    assert client.get(url).status_code == 404


def test_movement_officer_of_another_mission_gets_404(client, departure, conakry):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    other = member_of(conakry, Role.MOVEMENT, "movement.conakry")
    client.force_login(other)
    assert client.get(reverse("movements:departure_detail", args=[departure.pk])).status_code == 404


def test_plan_a_departure_in_the_browser(client, movement_officer, rabat):
    client.force_login(movement_officer)
    page = client.get(reverse("movements:departure_create"))
    assert page.status_code == 200
    day = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(
        reverse("movements:departure_create"),
        {
            "office": rabat.pk,
            "kind": "charter",
            "departure_date": day.isoformat(),
            "departure_time": "22:15",
            "from_airport": "cmn",
            "to_airport": "cky",
            "carrier": "Air Charter",
            "capacity": "20",
        },
    )
    departure = Departure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("movements:departure_detail", args=[departure.pk])
    assert (departure.from_airport, departure.to_airport, departure.capacity) == ("CMN", "CKY", 20)
    listing = client.get(reverse("movements:departure_list"))
    assert departure.reference in listing.content.decode()


def test_add_travellers_then_confirm_departure_and_no_show_rebook_withdraw(
    client, movement_officer, make_ready, make_departure
):
    cases = [make_ready(given_name=f"Voyageur{i}") for i in range(4)]
    departure = make_departure()
    client.force_login(movement_officer)
    add_url = reverse("movements:departure_add_cases", args=[departure.pk])
    page = client.get(add_url)
    assert page.status_code == 200
    for case in cases:
        assert case.number in page.content.decode()
    response = client.post(add_url, {"cases": [c.pk for c in cases]})
    assert response.status_code == 302
    assert Case.objects.filter(status=Status.BOOKED).count() == 4
    detail = client.get(reverse("movements:departure_detail", args=[departure.pk]))
    html = detail.content.decode()
    assert 'data-testid="seat-counter"' in html and "4 / 30" in html
    b = {bk.case_id: bk for bk in Booking.objects.filter(departure=departure)}

    # two no-shows
    for case, reason in ((cases[0], "ill"), (cases[1], "changed_mind")):
        r = client.post(
            reverse("movements:no_show", args=[departure.pk, b[case.pk].pk]),
            {f"ns-{b[case.pk].pk}-reason": reason, f"ns-{b[case.pk].pk}-version": 1},
        )
        assert r.status_code == 302
    assert Case.objects.filter(status=Status.NO_SHOW).count() == 2
    later = make_departure(days=4, flight_number="AT519")
    client.post(
        reverse("movements:rebook_on", args=[departure.pk, b[cases[0].pk].pk]),
        {"departure": later.pk},
    )
    assert Case.objects.get(pk=cases[0].pk).status == Status.BOOKED
    client.post(
        reverse("movements:withdraw", args=[departure.pk, b[cases[1].pk].pk]),
        {"reason": "Stays"},
    )
    assert Case.objects.get(pk=cases[1].pk).status == Status.WITHDRAWN

    # bulk departure of the others
    others = [b[c.pk].pk for c in cases[2:]]
    r = client.post(
        reverse("movements:confirm_departure", args=[departure.pk]), {"bookings": others}
    )
    assert r.status_code == 302
    assert (
        Case.objects.filter(pk__in=[c.pk for c in cases[2:]], status=Status.DEPARTED).count() == 2
    )


def test_adding_a_case_that_is_not_ready_is_refused_with_its_number(
    client, movement_officer, make_ready, departure, caseworker, rabat
):
    ready = make_ready()
    not_ready = register_case(caseworker, rabat)
    client.force_login(movement_officer)
    r = client.post(
        reverse("movements:departure_add_cases", args=[departure.pk]),
        {"cases": [ready.pk, not_ready.pk]},
        follow=True,
    )
    assert not_ready.number in r.content.decode()
    assert not Booking.objects.exists()
    assert Case.objects.get(pk=ready.pk).status == Status.READY_TO_TRAVEL


def test_manifest_pdf_and_xlsx_hold_the_travellers_and_are_audited(
    client, movement_officer, make_ready, departure
):
    case = make_ready(given_name="Ousmane", date_of_birth=datetime.date(1982, 3, 14))
    services.escort_add(
        movement_officer, departure=departure, kind=EscortKind.MEDICAL, name="Dr Alami"
    )
    services.departure_add_cases(movement_officer, departure=departure, cases=[case])
    client.force_login(movement_officer)
    pdf = client.get(reverse("movements:manifest_pdf", args=[departure.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = "".join(text.split())  # table cells wrap: compare without whitespace
    assert "OusmaneDIALLO" in flat and departure.reference in flat and case.number in flat
    assert "DrAlami" in flat
    xlsx = client.get(reverse("movements:manifest_xlsx", args=[departure.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    row = next(r for r in values if r[0] == "Ousmane DIALLO")
    assert row[2] == "GN" and row[7] == case.number
    assert row[1].date() == datetime.date(1982, 3, 14)
    events = AuditEvent.objects.filter(action=services.MANIFEST_PRINTED).order_by("id")
    assert [e.changes["format"] for e in events] == ["pdf", "xlsx"]
    assert all(e.actor == movement_officer and e.changes["travellers"] == 1 for e in events)


def _fill(departure, n_cases, caseworker, rabat, officer):
    """n_cases cases of two travellers each with seats on the departure (written directly:
    the page's query count is what is measured)."""
    leg_time = timezone.now()
    for i in range(n_cases):
        case = register_case(
            caseworker,
            rabat,
            principal=person_data(given_name=f"P{i}"),
            members=[{"relationship": "spouse", "person": person_data(given_name=f"S{i}")}],
        )
        for m in case.members.all():
            b = Booking.objects.create(
                case=case,
                person_id=m.person_id,
                departure=departure,
                status=BookingStatus.CONFIRMED,
                travel_date=departure.departure_date,
                created_by=officer,
            )
            b.legs.create(from_airport="CMN", to_airport="CKY", departs_at=leg_time)


def test_manifest_page_query_count_does_not_grow_with_travellers(
    client, movement_officer, departure, caseworker, rabat, django_assert_max_num_queries
):
    client.force_login(movement_officer)
    url = reverse("movements:departure_detail", args=[departure.pk])
    _fill(departure, 10, caseworker, rabat, movement_officer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as twenty:
        assert client.get(url).status_code == 200
    _fill(departure, 10, caseworker, rabat, movement_officer)
    with CaptureQueriesContext(connection) as forty:
        r = client.get(url)
    assert r.content.decode().count('data-testid="manifest-row"') == 40
    assert len(forty) == len(twenty)
    with django_assert_max_num_queries(len(twenty)):
        client.get(url)


def test_departure_list_query_count_is_fixed(
    client, movement_officer, make_departure, django_assert_max_num_queries
):
    client.force_login(movement_officer)
    url = reverse("movements:departure_list")
    for i in range(3):
        make_departure(days=i + 1, flight_number=f"AT{i}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        make_departure(days=i + 10, flight_number=f"AT{i + 10}")
    with django_assert_max_num_queries(len(few)):
        r = client.get(url)
    assert r.content.decode().count('data-testid="departure-row"') == 9


def test_viewing_the_manifest_page_is_audited(client, movement_officer, departure):
    client.force_login(movement_officer)
    assert client.get(reverse("movements:departure_detail", args=[departure.pk])).status_code == 200
    event = AuditEvent.objects.get(action="movements.manifest.printed")
    assert event.changes["format"] == "html" and event.actor_id == movement_officer.pk
