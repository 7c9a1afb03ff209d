"""Builders shared by the IATI and donor report tests: cases whose travellers departed (bookings
written directly) and Charge rows written directly (the ledger's own tests cover charge_post)."""

import datetime
from decimal import Decimal

from awda.cases.models import Case
from awda.factories import person_data, register_case
from awda.finance.models import Charge

D = datetime.date


def departed(user, office, *, country, travellers=1, project=None, on=None, members=None):
    """A case of `travellers` persons (or the principal and `members`, dicts of case_register)
    whose seats went (departed bookings, written directly)."""
    from awda.movements.models import Booking

    members = (
        members
        if members is not None
        else [
            {
                "relationship": "child",
                "person": person_data(given_name=f"Enfant {i}", date_of_birth=D(2015, 1, 1)),
                "travels": True,
            }
            for i in range(travellers - 1)
        ]
    )
    case = register_case(user, office, members=members, country_of_return=country)
    on = on or D(2026, 3, 2)
    Case.objects.filter(pk=case.pk).update(project=project, departed_on=on, status="departed")
    for member in case.members.all():
        Booking.objects.create(
            case=case,
            person_id=member.person_id,
            status="departed",
            travel_date=on,
            created_by=user,
        )
    case.refresh_from_db()
    return case


def charge(
    case,
    project,
    user,
    *,
    n,
    category,
    amount,
    stage,
    committed_on=None,
    spent_on=None,
    project_amount="same",
    currency="EUR",
    line=None,
):
    return Charge.objects.create(
        source="assistance_line",
        source_id=n,
        category=category,
        case=case,
        office=case.office,
        project=project,
        budget_line=line,
        description="Ousmane Diallo",  # a name in free text must never reach the file
        amount=Decimal(amount),
        currency=currency,
        stage=stage,
        committed_on=committed_on,
        spent_on=spent_on,
        rate=Decimal(1) if project_amount == "same" else None,
        project_amount=Decimal(amount) if project_amount == "same" else project_amount,
        recorded_by=user,
    )
