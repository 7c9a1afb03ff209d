import datetime

import pytest
from django.utils import timezone

from awda.cases.models import Case
from awda.factories import ProjectFactory, bring_case_to, person_data, register_case
from awda.movements import services


@pytest.fixture
def project(morocco):
    return ProjectFactory(mission=morocco)


@pytest.fixture
def make_ready(caseworker, manager, rabat, project):
    """make_ready(**principal fields, members=[...]) -> a case ready to travel."""

    def make(members=None, **principal):
        case = register_case(
            caseworker, rabat, principal=person_data(**principal), members=members or []
        )
        return bring_case_to(
            case, "ready_to_travel", caseworker=caseworker, manager=manager, project=project
        )

    return make


@pytest.fixture
def ready_case(make_ready):
    return make_ready()


@pytest.fixture
def family_case(make_ready):
    return make_ready(
        members=[
            {
                "relationship": "spouse",
                "person": person_data(given_name="Mariama", sex="female"),
            }
        ]
    )


@pytest.fixture
def make_departure(movement_officer, rabat):
    def make(days=0, **kwargs):
        values = {
            "office": rabat,
            "departure_date": timezone.localdate() + datetime.timedelta(days=days),
            "departure_time": datetime.time(23, 30),
            "from_airport": "CMN",
            "to_airport": "CKY",
            "carrier": "Royal Air Maroc",
            "flight_number": "AT517",
            "capacity": 30,
        }
        values.update(kwargs)
        return services.departure_create(movement_officer, **values)

    return make


@pytest.fixture
def departure(make_departure):
    return make_departure()


def handed_over(case, mission):
    """Stand-in for the handover service (helper D): set the fields it sets."""
    Case.objects.filter(pk=case.pk).update(receiving_mission=mission, handed_over_at=timezone.now())
    case.refresh_from_db()
    return case


def leg(days=3, hour=10, minute=0, **kw):
    tz = timezone.get_current_timezone()
    day = timezone.localdate() + datetime.timedelta(days=days)
    values = {
        "carrier": "Royal Air Maroc",
        "flight_number": "AT517",
        "from_airport": "CMN",
        "to_airport": "CKY",
        "departs_at": datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz),
        "arrives_at": None,
    }
    values.update(kw)
    return values
