import datetime
from decimal import Decimal

import pytest

from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import person_data, register_case
from awda.reintegration.delivery import services
from awda.reintegration.models import CashTranche, Referral

from ..helpers import actions, fresh, principal, tranche

TODAY = datetime.date.today


def test_plan_pay_a_tranche(origin_officer, reint_case, plan, project):
    due = TODAY() + datetime.timedelta(days=180)
    row = tranche(origin_officer, reint_case, amount="242.50", due_on=due)
    assert row.project == project and row.currency == "EUR" and row.amount == Decimal("242.50")
    assert row.status == "planned" and row.due_on == due
    with pytest.raises(StaleEdit):
        services.tranche_pay(origin_officer, tranche=row, paid_on=TODAY(), expected_version=5)
    services.tranche_pay(
        origin_officer, tranche=row, paid_on=TODAY(), reference="OM-123", expected_version=1
    )
    row.refresh_from_db()
    assert row.status == "paid" and row.reference == "OM-123" and row.version == 2
    with pytest.raises(ValidationFailed) as exc:
        services.tranche_cancel(origin_officer, tranche=row, reason="x", expected_version=2)
    assert exc.value.code == "tranche_status"
    assert actions(reint_case) == [services.TRANCHE_PLANNED, services.TRANCHE_PAID]


def test_tranche_errors(origin_officer, caseworker, rabat, reint_case, plan):
    stranger = principal(register_case(caseworker, rabat, principal=person_data(given_name="Awa")))
    with pytest.raises(ValidationFailed) as exc:
        services.tranche_plan(
            origin_officer,
            case=fresh(reint_case),
            person=stranger,
            amount="-5",
            channel="pigeon",
        )
    assert set(exc.value.fields) == {"person", "amount", "channel"}
    row = tranche(origin_officer, reint_case)
    with pytest.raises(ValidationFailed) as exc:
        services.tranche_pay(
            origin_officer,
            tranche=row,
            paid_on=TODAY() + datetime.timedelta(days=2),
            expected_version=1,
        )
    assert "paid_on" in exc.value.fields
    services.tranche_cancel(origin_officer, tranche=row, reason="Duplicate", expected_version=1)
    row.refresh_from_db()
    assert row.status == "cancelled" and row.cancel_reason == "Duplicate"


def test_host_caseworker_cannot_plan_a_tranche(caseworker, reint_case, plan):
    with pytest.raises(PermissionDenied):
        tranche(caseworker, reint_case)
    assert not CashTranche.objects.exists()


def test_referral_without_cost_needs_no_plan(origin_officer, reint_case, clinic):
    ref = services.referral_create(
        origin_officer,
        case=fresh(reint_case),
        person=principal(reint_case),
        organisation=clinic,
        kind="medical",
        service="Prosthesis follow-up",
        notes="Appointment on Monday",
    )
    assert ref.plan is None and ref.cost is None and ref.project is None and ref.currency == ""
    assert ref.status == "referred" and ref.outcome == "Appointment on Monday"
    services.referral_update(
        origin_officer, referral=ref, status="accepted", outcome="", expected_version=1
    )
    ref.refresh_from_db()
    assert ref.status == "accepted" and ref.outcome == "Appointment on Monday"
    services.referral_update(
        origin_officer, referral=ref, status="completed", outcome="Fitted", expected_version=2
    )
    with pytest.raises(ValidationFailed) as exc:
        services.referral_update(
            origin_officer, referral=ref, status="referred", expected_version=3
        )
    assert "status" in exc.value.fields
    with pytest.raises(StaleEdit):
        services.referral_update(
            origin_officer, referral=ref, status="completed", expected_version=1
        )
    ref.refresh_from_db()
    assert ref.status == "completed" and ref.outcome == "Fitted" and ref.version == 3
    assert actions(reint_case) == [
        services.REFERRAL_CREATED,
        services.REFERRAL_UPDATED,
        services.REFERRAL_UPDATED,
    ]


def test_a_referral_with_a_cost_is_charged_to_the_plans_project(
    origin_officer, reint_case, plan, project, clinic
):
    ref = services.referral_create(
        origin_officer,
        case=fresh(reint_case),
        person=principal(reint_case),
        organisation=clinic,
        kind="medical",
        service="Consultation",
        cost="35.5",
    )
    assert ref.plan == plan and ref.project == project
    assert ref.cost == Decimal("35.50") and ref.currency == "EUR"


def test_referral_errors(origin_officer, reint_case, clinic):
    with pytest.raises(ValidationFailed) as exc:
        services.referral_create(
            origin_officer,
            case=fresh(reint_case),
            person=principal(reint_case),
            organisation=clinic,
            kind="spa",
            service="",
            cost="0",
            referred_on=TODAY() + datetime.timedelta(days=1),
        )
    assert set(exc.value.fields) == {"kind", "service", "cost", "referred_on"}
    assert not Referral.objects.exists()
