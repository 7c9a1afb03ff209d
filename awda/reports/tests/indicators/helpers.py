"""Hand-built facts for the indicator tests: cases, travellers' seats, screenings, assistance
lines, charges, reintegration records and surveys written straight to the database (the
indicators only read them), so that every expected figure can be worked out by hand."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from awda.accounts.choices import Role
from awda.cases.choices import Status
from awda.cases.models import Case, CaseMember, CaseTransition
from awda.factories import member_of
from awda.registry.models import Person

_numbers = itertools.count(1)

D = datetime.date
JAN_10, JAN_15, MAR_1 = D(2025, 1, 10), D(2025, 1, 15), D(2025, 3, 1)


def person(
    office,
    *,
    given="Aminata",
    family="Camara",
    sex="female",
    born=None,
    year=None,
    nationality="GN",
):
    return Person.objects.create(
        given_name=given,
        family_name=family,
        sex=sex,
        date_of_birth=born,
        birth_year=year if year is not None else (born.year if born else None),
        nationality=nationality,
        registered_by_office=office,
    )


def case(
    office,
    travellers,
    *,
    registered_on=JAN_10,
    country_of_return="GN",
    project=None,
    status=Status.REGISTERED,
    departed_on=None,
    receiving_mission=None,
    destination_pcode="",
):
    """A case of `office` whose members are `travellers` (the first is the principal)."""
    principal = travellers[0]
    c = Case.objects.create(
        number=f"T-{office.code}-{next(_numbers):05d}",
        mission=office.mission,
        office=office,
        status=status,
        registered_on=registered_on,
        country_of_return=country_of_return,
        destination_pcode=destination_pcode,
        project=project,
        departed_on=departed_on,
        principal=principal,
        nationality=principal.nationality,
        member_count=len(travellers),
        receiving_mission=receiving_mission,
        handed_over_at=timezone.now() if receiving_mission else None,
    )
    for i, p in enumerate(travellers):
        CaseMember.objects.create(
            case=c, person=p, relationship="principal" if i == 0 else "child", is_principal=i == 0
        )
    return c


def staff(office):
    return member_of(
        office, Role.MANAGER, f"staff.{office.mission.code.lower()}.{office.code.lower()}"
    )


def depart(c, p, travel_date, *, status="departed"):
    from awda.movements.models import Booking

    return Booking.objects.create(
        case=c, person=p, status=status, travel_date=travel_date, created_by=staff(c.office)
    )


def screen(c, p, on=JAN_15, **factors):
    from awda.screening.models import VulnerabilityScreening

    return VulnerabilityScreening.objects.create(
        case=c,
        person=p,
        screened_on=on,
        screened_by=staff(c.office),
        office=c.office,
        **factors,
    )


def assist(c, p, kind, on, *, project, status="recorded"):
    from awda.assistance.models import AssistanceLine

    return AssistanceLine.objects.create(
        case=c,
        person=p,
        kind=kind,
        start_date=on,
        quantity=Decimal("1"),
        unit="service",
        unit_cost=Decimal("10.00"),
        currency="MAD",
        total=Decimal("10.00"),
        project=project,
        status=status,
        recorded_by=staff(c.office),
    )


_sources = itertools.count(1)


def charge(
    c,
    *,
    project,
    amount,
    stage="spent",
    on=MAR_1,
    budget_line=None,
    project_amount="same",
    currency=None,
    category="medical",
    person=None,
):
    """A charge of `amount` on case `c`; project_amount defaults to the amount (same currency),
    None means awaiting a rate."""
    from awda.finance.models import Charge

    amount = Decimal(str(amount))
    return Charge.objects.create(
        source="assistance_line",
        source_id=next(_sources),
        category=category,
        case=c,
        person=person,
        office=c.office,
        project=project,
        budget_line=budget_line,
        amount=amount,
        currency=currency or project.currency,
        stage=stage,
        committed_on=on,
        spent_on=on if stage == "spent" else None,
        rate=Decimal("1") if project_amount == "same" else None,
        project_amount=amount if project_amount == "same" else project_amount,
        recorded_by=staff(c.office),
    )


def accept(c, origin_office, on):
    from awda.reintegration.models import ReintegrationFile

    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0)))
    return ReintegrationFile.objects.create(
        case=c,
        mission=origin_office.mission,
        office=origin_office,
        accepted_at=at,
        accepted_by=staff(origin_office),
    )


def receive(c, on, origin_office):
    from awda.reintegration.models import Reception

    return Reception.objects.create(case=c, received_on=on, recorded_by=staff(origin_office))


def close(c, on, reason, *, from_status=Status.MONITORING):
    t = CaseTransition.objects.create(
        case=c,
        name="close",
        from_status=from_status,
        to_status=Status.CLOSED,
        actor=staff(c.office),
        office=c.office,
        closure_reason=reason,
    )
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0)))
    CaseTransition.objects.filter(pk=t.pk).update(occurred_at=at)
    Case.objects.filter(pk=c.pk).update(status=Status.CLOSED, closure_reason=reason)
    return t


def survey(c, p, on, scores, *, kind="baseline", age=None, voided=False, instrument=None):
    from awda.reintegration.models import Survey
    from awda.reintegration.surveys.instrument import active_instrument

    economic, social, psychosocial, composite = (Decimal(str(s)) for s in scores)
    return Survey.objects.create(
        case=c,
        person=p,
        instrument=instrument or active_instrument(),
        kind=kind,
        conducted_on=on,
        age=age,
        economic=economic,
        social=social,
        psychosocial=psychosocial,
        composite=composite,
        conducted_by=staff(c.office),
        voided_at=timezone.now() if voided else None,
    )
