import datetime

import pytest
from django.utils import timezone

from awda.accounts.choices import MissionKind
from awda.cases.models import Case
from awda.factories import MissionFactory, OfficeFactory, member_of, person_data, register_case
from awda.movements.models import Booking, Departure


def case_in(user, office, status, *, nationality="GN", given_name="Moussa", members=()):
    """A case moved straight to `status` (the board only reads it)."""
    case = register_case(
        user,
        office,
        principal=person_data(given_name=given_name, nationality=nationality),
        members=list(members),
        country_of_return=nationality,
    )
    Case.objects.filter(pk=case.pk).update(status=status)
    return Case.objects.get(pk=case.pk)


def departure(mission, office, user, *, days=10, reference=None, **kwargs):
    day = kwargs.pop("departure_date", None) or timezone.localdate() + datetime.timedelta(days=days)
    return Departure.objects.create(
        mission=mission,
        office=office,
        reference=reference or f"DEP-{mission.code}-{day:%Y%m%d}-{Departure.objects.count()}",
        departure_date=day,
        from_airport="CMN",
        to_airport="CKY",
        created_by=user,
        **kwargs,
    )


def booking(case, user, *, departure=None, travel_date=None, status="requested", needs=()):
    member = case.members.select_related("person").first()
    return Booking.objects.create(
        case=case,
        person=member.person,
        departure=departure,
        travel_date=travel_date
        or (departure.departure_date if departure else timezone.localdate()),
        status=status,
        special_needs=list(needs),
        created_by=user,
    )


@pytest.fixture
def tunisia(db):
    return MissionFactory(code="TN", name="Tunisia", country_alpha3="TUN", kind=MissionKind.HOST)


@pytest.fixture
def tunis(tunisia):
    return OfficeFactory(mission=tunisia, code="TUN", name="Tunis", city="Tunis")


@pytest.fixture
def tunis_movement(tunis):
    return member_of(tunis, "movement", "movement.tunis")


@pytest.fixture
def oujda_caseworker(oujda):
    return member_of(oujda, "caseworker", "caseworker.oujda")
