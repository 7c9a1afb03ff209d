"""The case page's Travel tab and the expected-arrivals page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.movements import services
from awda.movements.choices import BookingStatus
from awda.movements.models import Booking

from ..conftest import handed_over

pytestmark = pytest.mark.django_db


def tab(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=travel"


def test_book_and_confirm_an_individual_booking_on_the_travel_tab(
    client, movement_officer, ready_case
):
    client.force_login(movement_officer)
    page = client.get(tab(ready_case))
    html = page.content.decode()
    assert 'data-testid="travel-tab"' in html and 'data-testid="booking-form"' in html
    departs = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        reverse("movements:booking_create", args=[ready_case.pk]),
        {
            "bk-person": ready_case.principal_id,
            "bk-from_airport": "CMN",
            "bk-to_airport": "CKY",
            "bk-flight_number": "AT517",
            "bk-departs_at": departs,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    b = Booking.objects.get()
    r = client.post(
        reverse("movements:booking_confirm", args=[ready_case.pk, b.pk]),
        {f"bc-{b.pk}-booking_reference": "QWE123", f"bc-{b.pk}-version": b.version},
    )
    assert r.status_code == 302
    assert Case.objects.get(pk=ready_case.pk).status == Status.BOOKED
    html = client.get(tab(ready_case)).content.decode()
    assert "QWE123" in html and f'data-testid="booking-no-show-button-{b.pk}"' in html
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", changes__part="travel", actor=movement_officer
    ).exists()


def test_booking_form_errors_come_back_on_the_tab(client, movement_officer, ready_case):
    client.force_login(movement_officer)
    r = client.post(
        reverse("movements:booking_create", args=[ready_case.pk]),
        {"bk-person": ready_case.principal_id, "bk-from_airport": "CM", "bk-to_airport": "CKY"},
    )
    assert r.status_code == 400
    assert 'data-testid="booking-form"' in r.content.decode()
    assert not Booking.objects.exists()


def test_caseworker_sees_the_tab_without_forms(client, caseworker, ready_case, movement_officer):
    b = services.booking_create(
        movement_officer,
        case=ready_case,
        person=ready_case.principal,
        legs=[
            {
                "from_airport": "CMN",
                "to_airport": "CKY",
                "departs_at": timezone.now() + datetime.timedelta(days=2),
            }
        ],
    )
    client.force_login(caseworker)
    html = client.get(tab(ready_case)).content.decode()
    assert 'data-testid="booking"' in html
    assert "booking-form" not in html and f"booking-confirm-button-{b.pk}" not in html
    r = client.post(
        reverse("movements:booking_confirm", args=[ready_case.pk, b.pk]),
        {f"bc-{b.pk}-booking_reference": "X", f"bc-{b.pk}-version": 1},
    )
    assert r.status_code == 403
    assert Booking.objects.get().status == BookingStatus.REQUESTED


def test_expected_arrivals_page_for_the_origin_mission(
    client, movement_officer, origin_officer, ready_case, departure, guinea
):
    services.departure_add_cases(movement_officer, departure=departure, cases=[ready_case])
    b = Booking.objects.select_related("case").get()
    services.booking_confirm_departure(movement_officer, bookings=[b])
    client.force_login(origin_officer)
    url = reverse("movements:arrivals")
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="no-arrivals"' in page.content.decode()
    assert (
        client.post(reverse("movements:confirm_arrivals"), {"bookings": [b.pk]}).status_code == 404
    )
    handed_over(ready_case, guinea)
    html = client.get(url).content.decode()
    assert departure.reference in html and f'data-testid="arrival-select-{b.pk}"' in html
    assert 'data-testid="nav-arrivals"' in html
    r = client.post(reverse("movements:confirm_arrivals"), {"bookings": [b.pk]})
    assert r.status_code == 302
    assert Case.objects.get(pk=ready_case.pk).status == Status.ARRIVED


def test_nav_shows_departures_to_movement_staff_only(client, movement_officer, caseworker):
    client.force_login(movement_officer)
    assert 'data-testid="nav-departures"' in client.get(reverse("cases:dashboard")).content.decode()
    client.force_login(caseworker)
    assert (
        'data-testid="nav-departures"'
        not in client.get(reverse("cases:dashboard")).content.decode()
    )


def test_travel_tab_queries_do_not_grow_with_the_travellers(
    client, movement_officer, make_ready, make_departure
):
    """A family of four on a departure costs the Travel tab what a single traveller costs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awda.factories import person_data

    single = make_ready(given_name="Seul")
    family = make_ready(
        given_name="Parent",
        members=[
            {"relationship": "spouse", "person": person_data(given_name="Awa", sex="female")},
            {"relationship": "child", "person": person_data(given_name="Ibrahima")},
            {"relationship": "child", "person": person_data(given_name="Fanta", sex="female")},
        ],
    )
    departure = make_departure(days=2)
    services.departure_add_cases(movement_officer, departure=departure, cases=[single, family])
    client.force_login(movement_officer)
    client.get(tab(single))  # warm the per-user caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(tab(single)).status_code == 200
    with CaptureQueriesContext(connection) as four:
        page = client.get(tab(family))
    assert page.content.decode().count('data-testid="booking"') == 4
    assert len(four) == len(one)
