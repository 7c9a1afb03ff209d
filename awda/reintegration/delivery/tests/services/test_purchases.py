import datetime
from decimal import Decimal

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import OrganisationFactory
from awda.reintegration.delivery import services
from awda.reintegration.models import Plan, PlanItem, Purchase, PurchaseLine

from ..helpers import actions, fresh, order

TODAY = datetime.date.today


def test_a_purchase_is_charged_to_the_plans_project_with_totals_to_the_cent(
    origin_officer, reint_case, plan, supplier, project
):
    purchase = order(
        origin_officer,
        reint_case,
        supplier,
        lines=[
            {"description": "Underwear", "quantity": "40", "unit": "piece", "unit_price": "1.35"},
            {"description": "Shelf", "quantity": "2.5", "unit": "m", "unit_price": "33.33"},
        ],
        invoice_number="F-001",
    )
    assert purchase.project == project and purchase.plan == plan
    assert purchase.currency == "EUR" and purchase.status == "ordered"
    assert purchase.ordered_on == TODAY()
    totals = list(PurchaseLine.objects.filter(purchase=purchase).values_list("total", flat=True))
    # 2.5 x 33.33 = 83.325 -> 83.33 (half up)
    assert totals == [Decimal("54.00"), Decimal("83.33")]
    assert purchase.total == Decimal("137.33")
    assert actions(reint_case) == [services.PURCHASE_CREATED]
    event = AuditEvent.objects.get(action=services.PURCHASE_CREATED)
    assert event.changes["amount"] == "137.33 EUR" and event.changes["project"] == project.pk


def test_a_line_error_names_the_line_and_field(origin_officer, reint_case, plan, supplier):
    with pytest.raises(ValidationFailed) as exc:
        order(
            origin_officer,
            reint_case,
            supplier,
            lines=[
                {"description": "Soap", "quantity": "1", "unit": "bar", "unit_price": "1"},
                {"description": "Rice", "quantity": "0", "unit": "kg", "unit_price": "1.234"},
                {"description": "", "quantity": "1", "unit": "kg", "unit_price": "1"},
            ],
        )
    fields = exc.value.fields
    assert set(fields) == {"lines[1].quantity", "lines[1].unit_price", "lines[2].description"}
    assert not Purchase.objects.exists()


def test_no_lines_and_a_foreign_plan_item_are_refused(
    origin_officer, reint_case, plan, supplier, project
):
    with pytest.raises(ValidationFailed) as exc:
        order(origin_officer, reint_case, supplier, lines=[])
    assert "lines" in exc.value.fields
    other = Plan.objects.create(
        case=reint_case,
        revision=2,
        status="draft",
        project=project,
        currency="EUR",
        created_by=origin_officer,
    )
    foreign = PlanItem.objects.create(
        plan=other,
        kind="micro_business",
        description="Stock",
        quantity=1,
        unit="lot",
        unit_cost=100,
        total=100,
    )
    own = PlanItem.objects.create(
        plan=plan,
        kind="micro_business",
        description="Stock",
        quantity=1,
        unit="lot",
        unit_cost=100,
        total=100,
    )
    line = {"description": "Stock", "quantity": "1", "unit": "lot", "unit_price": "100"}
    with pytest.raises(ValidationFailed) as exc:
        order(origin_officer, reint_case, supplier, lines=[line | {"plan_item": foreign.pk}])
    assert set(exc.value.fields) == {"lines[0].plan_item"}
    purchase = order(origin_officer, reint_case, supplier, lines=[line | {"plan_item": own}])
    assert purchase.lines.get().plan_item == own


def test_no_approved_plan_no_purchase(origin_officer, reint_case, supplier):
    with pytest.raises(ValidationFailed) as exc:
        order(origin_officer, reint_case, supplier)
    assert "plan" in exc.value.fields
    assert not Purchase.objects.exists()


def test_inactive_supplier_future_date_and_currency(origin_officer, reint_case, plan):
    closed = OrganisationFactory(is_active=False)
    with pytest.raises(ValidationFailed) as exc:
        order(
            origin_officer,
            reint_case,
            closed,
            ordered_on=TODAY() + datetime.timedelta(days=1),
            currency="XXX",
        )
    assert set(exc.value.fields) == {"supplier", "ordered_on", "currency"}
    purchase = order(origin_officer, reint_case, OrganisationFactory(country="GN"), currency="gnf")
    assert purchase.currency == "GNF"


def test_supplier_and_service_are_in_the_country_of_return(origin_officer, reint_case, plan):
    moroccan = OrganisationFactory(country="MA")
    with pytest.raises(ValidationFailed) as exc:
        order(origin_officer, reint_case, moroccan)
    assert set(exc.value.fields) == {"supplier"}
    assert not Purchase.objects.exists()


@pytest.mark.parametrize("persona", ["caseworker", "manager", "finance_officer", "senegal_officer"])
def test_only_the_origin_office_records(request, persona, reint_case, plan, supplier):
    user = request.getfixturevalue(persona)
    version = fresh(reint_case).version
    with pytest.raises(PermissionDenied):
        order(user, reint_case, supplier)
    assert not Purchase.objects.exists() and fresh(reint_case).version == version
    assert actions(reint_case) == []


def test_arrived_is_not_enough_for_a_purchase(
    case, caseworker, manager, origin_officer, project, supplier
):
    from awda.factories import accept_handover, bring_case_to, hand_over_case

    arrived = bring_case_to(
        case, "arrived", caseworker=caseworker, manager=manager, project=project
    )
    hand_over_case(arrived, origin_officer.memberships.first().office.mission)
    accept_handover(arrived, origin_officer)
    Plan.objects.create(
        case=arrived, status="approved", project=project, currency="EUR", created_by=origin_officer
    )
    with pytest.raises(ValidationFailed) as exc:
        order(origin_officer, arrived, supplier)
    assert exc.value.code == "case_status"


def test_deliver_acknowledge_and_the_versions(
    origin_officer, origin_manager, reint_case, plan, supplier
):
    purchase = order(origin_officer, reint_case, supplier)
    with pytest.raises(StaleEdit):
        services.purchase_deliver(
            origin_officer, purchase=purchase, delivered_on=TODAY(), expected_version=2
        )
    with pytest.raises(ValidationFailed) as exc:
        services.purchase_acknowledge(
            origin_officer, purchase=purchase, acknowledged_on=TODAY(), expected_version=1
        )
    assert exc.value.code == "purchase_status"
    with pytest.raises(ValidationFailed) as exc:
        services.purchase_deliver(
            origin_officer,
            purchase=purchase,
            delivered_on=TODAY() - datetime.timedelta(days=1),
            expected_version=1,
        )
    assert "delivered_on" in exc.value.fields
    services.purchase_deliver(
        origin_manager, purchase=purchase, delivered_on=TODAY(), expected_version=1
    )
    purchase.refresh_from_db()
    assert purchase.status == "delivered" and purchase.version == 2
    services.purchase_acknowledge(
        origin_officer, purchase=purchase, acknowledged_on=TODAY(), expected_version=2
    )
    purchase.refresh_from_db()
    assert purchase.acknowledged_on == TODAY() and purchase.version == 3
    with pytest.raises(ValidationFailed) as exc:
        services.purchase_acknowledge(
            origin_officer, purchase=purchase, acknowledged_on=TODAY(), expected_version=3
        )
    assert exc.value.code == "already_acknowledged"
    assert actions(reint_case) == [
        services.PURCHASE_CREATED,
        services.PURCHASE_DELIVERED,
        services.PURCHASE_ACKNOWLEDGED,
    ]


def test_cancel_keeps_the_purchase_and_a_delivered_one_cannot_be_cancelled(
    origin_officer, reint_case, plan, supplier
):
    purchase = order(origin_officer, reint_case, supplier)
    with pytest.raises(ValidationFailed) as exc:
        services.purchase_cancel(origin_officer, purchase=purchase, reason=" ", expected_version=1)
    assert "reason" in exc.value.fields
    services.purchase_cancel(
        origin_officer, purchase=purchase, reason="Supplier out of stock", expected_version=1
    )
    purchase.refresh_from_db()
    assert purchase.status == "cancelled" and purchase.cancelled_by == origin_officer
    assert purchase.lines.count() == 2  # kept
    delivered = order(origin_officer, reint_case, supplier)
    services.purchase_deliver(
        origin_officer, purchase=delivered, delivered_on=TODAY(), expected_version=1
    )
    with pytest.raises(ValidationFailed) as exc:
        services.purchase_cancel(
            origin_officer, purchase=delivered, reason="Too late", expected_version=2
        )
    assert exc.value.code == "purchase_status"
    delivered.refresh_from_db()
    assert delivered.status == "delivered" and delivered.version == 2


def test_host_manager_cannot_deliver(manager, origin_officer, reint_case, plan, supplier):
    purchase = order(origin_officer, reint_case, supplier)
    with pytest.raises(PermissionDenied):
        services.purchase_deliver(
            manager, purchase=purchase, delivered_on=TODAY(), expected_version=1
        )
    purchase.refresh_from_db()
    assert purchase.status == "ordered" and purchase.version == 1
