"""`manage.py rebuild_charges`: the ledger rebuilt from the records equals the one the services
built as the costs were recorded."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from awda.accounts.choices import Role
from awda.assistance.services import assistance_cancel, assistance_record
from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.factories import (
    BudgetLineFactory,
    ExchangeRateFactory,
    OrganisationFactory,
    ProjectFactory,
    approve_plan_for,
    bring_case_to,
    member_of,
    register_case,
)
from awda.finance.choices import ChargeSource
from awda.finance.models import Charge
from awda.movements import services as mv
from awda.registry.choices import OrganisationKind
from awda.reintegration.delivery import services as delivery

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FIELDS = (
    "source", "source_id", "category", "case_id", "person_id", "office_id", "project_id",
    "budget_line_id", "description", "amount", "currency", "stage", "committed_on", "spent_on",
    "released_on", "rate", "rate_inverted", "rate_on", "project_amount", "over_budget",
    "over_cap", "recorded_by_id",
)  # fmt: skip


def ledger(**filters) -> list[tuple]:
    return list(
        Charge.objects.filter(**filters).order_by("source", "source_id").values_list(*FIELDS)
    )


def leg(days=3):
    departs = datetime.datetime.combine(
        TODAY + datetime.timedelta(days=days),
        datetime.time(23, 0),
        tzinfo=timezone.get_current_timezone(),
    )
    return {
        "from_airport": "CMN",
        "to_airport": "CKY",
        "flight_number": "AT517",
        "departs_at": departs,
    }


@pytest.fixture
def ledger_project(morocco):
    project = ProjectFactory(code="AVRR-MA-LEDGER", mission=morocco, currency="EUR")
    BudgetLineFactory(project=project, code="1", categories=["food", "medical"])
    BudgetLineFactory(project=project, code="2", categories=["ticket", "pocket_money"])
    BudgetLineFactory(project=project, code="3", categories=[])  # the general line
    ExchangeRateFactory(currency="EUR", to_currency="MAD", rate=Decimal("10.8"))
    return project


@pytest.fixture
def recorded(caseworker, manager, movement_officer, origin_officer, rabat, ledger_project):
    """Costs of every source recorded through the services: assistance lines (one cancelled), a
    ticket cancelled before it was issued, an issued ticket and its pocket money, a delivered
    purchase, a paid and a planned tranche, a completed and a pending paid referral."""
    travelling = bring_case_to(
        register_case(caseworker, rabat),
        "ready_to_travel",
        caseworker=caseworker,
        manager=manager,
        project=ledger_project,
    )
    person = travelling.principal
    assistance_record(
        caseworker, case=travelling, person=person, kind="food", quantity=2,
        unit_cost="150.00", currency="MAD", description="Food basket",
    )  # fmt: skip
    wrong = assistance_record(
        caseworker, case=Case.objects.get(pk=travelling.pk), person=person, kind="medical",
        quantity=1, unit_cost="80.00", description="Consultation",
    )  # fmt: skip
    assistance_cancel(caseworker, line=wrong, reason="Twice", expected_version=1)
    money = {"ticket_cost": "420.00", "currency": "EUR", "project": ledger_project}
    first = mv.booking_create(
        movement_officer, case=travelling, person=person, legs=[leg()], **money
    )
    mv.booking_cancel(movement_officer, booking=first, reason="Flight changed")
    seat = mv.booking_create(
        movement_officer, case=travelling, person=person, legs=[leg(4)], **money
    )
    seat = mv.booking_confirm(
        movement_officer, booking=seat, booking_reference="PNR9", expected_version=1
    )
    mv.pocket_money_pay(movement_officer, booking=seat, amount="300", currency="MAD")

    returned = bring_case_to(
        register_case(caseworker, rabat),
        "reintegration",
        caseworker=caseworker,
        manager=manager,
        project=ledger_project,
        origin=origin_officer,
    )
    plan = approve_plan_for(
        returned, origin_officer, member_of(origin_officer.memberships.get().office, Role.MANAGER)
    )
    supplier = OrganisationFactory(
        name="Boutique Kaloum", kind=OrganisationKind.SUPPLIER, country="GN"
    )
    purchase = delivery.purchase_create(
        origin_officer,
        case=Case.objects.get(pk=returned.pk),
        supplier=supplier,
        plan=plan,
        lines=[{"description": "Stock", "quantity": "1", "unit": "lot", "unit_price": "250"}],
    )
    delivery.purchase_deliver(
        origin_officer, purchase=purchase, delivered_on=TODAY, expected_version=1
    )
    for amount in ("100.00", "120.00"):
        tranche = delivery.tranche_plan(
            origin_officer,
            case=Case.objects.get(pk=returned.pk),
            person=returned.principal,
            amount=amount,
            channel="cash",
        )
    delivery.tranche_pay(origin_officer, tranche=tranche, paid_on=TODAY, expected_version=1)
    clinic = OrganisationFactory(name="Donka", kind=OrganisationKind.HOSPITAL, country="GN")
    for service in ("Consultation", "Follow-up"):
        referral = delivery.referral_create(
            origin_officer,
            case=Case.objects.get(pk=returned.pk),
            person=returned.principal,
            organisation=clinic,
            kind="medical",
            service=service,
            cost="35.00",
        )
    delivery.referral_update(
        origin_officer, referral=referral, status="completed", expected_version=1
    )
    return ledger()


def test_every_source_is_on_the_ledger(recorded):
    by_source = {}
    for row in recorded:
        by_source.setdefault(row[0], []).append(row[FIELDS.index("stage")])
    assert by_source == {
        ChargeSource.ASSISTANCE_LINE: ["spent", "released"],
        ChargeSource.TICKET: ["released", "spent"],
        ChargeSource.POCKET_MONEY: ["spent"],
        ChargeSource.PURCHASE: ["spent"],
        ChargeSource.CASH_TRANCHE: ["committed", "spent"],
        ChargeSource.REFERRAL: ["committed", "spent"],
    }


def test_rebuilding_gives_the_ledger_the_services_built(recorded):
    out = StringIO()
    call_command("rebuild_charges", stdout=out)
    assert ledger() == recorded
    # each record's stages are posted in turn: 10 records, 16 stages
    assert "Ledger rebuilt: 16 posting(s)." in out.getvalue()
    event = AuditEvent.objects.get(action="finance.charges.rebuilt")
    assert event.actor_username == "system" and event.changes["total"] == 16
    assert event.changes["postings"][ChargeSource.TICKET] == 4


def test_ticket_charges_name_the_booking_route_and_flight_not_the_pnr(recorded):
    descriptions = list(
        Charge.objects.filter(source="ticket")
        .order_by("source_id")
        .values_list("source_id", "description")
    )
    assert [d for _pk, d in descriptions] == [f"#{pk} · CMN-CKY · AT517" for pk, _d in descriptions]
    assert not Charge.objects.filter(description__contains="PNR").exists()


def test_a_ledger_rebuilt_from_scratch_equals_the_one_the_services_built(recorded):
    Charge.objects.all().delete()
    call_command("rebuild_charges", stdout=StringIO())
    assert ledger() == recorded


def test_one_source_may_be_rebuilt(recorded):
    Charge.objects.filter(source="ticket").delete()
    out = StringIO()
    call_command("rebuild_charges", "--source", "ticket", stdout=out)
    assert "ticket: 4 posting(s)" in out.getvalue()
    assert "purchase" not in out.getvalue()
    assert ledger() == recorded


def test_an_unknown_source_is_refused():
    with pytest.raises(CommandError, match="Unknown source"):
        call_command("rebuild_charges", "--source", "tickets", stdout=StringIO())


def test_rebuilding_flags_a_line_past_its_allocation_without_refusing(recorded, ledger_project):
    from awda.finance.models import BudgetLine

    BudgetLine.objects.filter(project=ledger_project, code="2").update(amount=Decimal("10"))
    Charge.objects.filter(source="ticket").delete()
    call_command("rebuild_charges", "--source", "ticket", stdout=StringIO())
    assert Charge.objects.get(source="ticket", stage="spent").over_budget
