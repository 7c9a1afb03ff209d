import datetime
from decimal import Decimal

import pytest

from awda.assistance.models import AssistanceLine
from awda.assistance.services import LINE_RECORDED, assistance_record
from awda.audit.models import AuditEvent
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import OrganisationFactory, ProjectFactory, bring_case_to, person_data

from ..helpers import fresh, principal, record


def test_records_a_line_charged_to_the_case_project_with_an_exact_total(
    caseworker, funded_case, project, hotel
):
    before = fresh(funded_case).version
    line = record(
        caseworker,
        funded_case,
        kind="non_food",
        description="Hygiene kit",
        quantity=Decimal("3"),
        unit_cost=Decimal("33.33"),
        provider=hotel,
        currency="",
    )
    assert line.total == Decimal("99.99")
    assert line.project == project and line.currency == "EUR"  # the project's currency
    assert line.unit == "kit" and line.status == "recorded" and line.version == 1
    assert fresh(funded_case).version == before + 1
    event = AuditEvent.objects.get(action=LINE_RECORDED)
    assert event.case_id == funded_case.pk and event.person_id == principal(funded_case).pk
    assert event.changes["amount"] == "99.99 EUR" and event.changes["assistance_kind"] == "non_food"


def test_total_is_rounded_half_up_to_the_cent(caseworker, funded_case):
    line = record(caseworker, funded_case, quantity=Decimal("0.5"), unit_cost=Decimal("0.25"))
    assert line.total == Decimal("0.13")  # 0.125 -> 0.13
    line = record(caseworker, funded_case, quantity="1.15", unit_cost="3")
    assert line.total == Decimal("3.45")


def test_accommodation_counts_the_nights_of_the_period(caseworker, funded_case):
    today = datetime.date.today()
    line = record(
        caseworker,
        funded_case,
        kind="accommodation",
        description="",
        place="Hôtel Al Amal, Rabat",
        start_date=today - datetime.timedelta(days=5),
        end_date=today,
        quantity=None,
        unit_cost=Decimal("120.00"),
    )
    assert line.nights == 5 and line.quantity == Decimal("5.00") and line.unit == "night"
    assert line.total == Decimal("600.00")


def test_accommodation_needs_a_place_and_nights(caseworker, funded_case):
    with pytest.raises(ValidationFailed) as exc:
        record(caseworker, funded_case, kind="accommodation", description="", quantity=None)
    assert set(exc.value.fields) >= {"place", "nights"}
    assert not AssistanceLine.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "lottery"}, "kind"),
        ({"description": " "}, "description"),
        ({"quantity": Decimal("0")}, "quantity"),
        ({"quantity": "abc"}, "quantity"),
        ({"unit_cost": Decimal("-1")}, "unit_cost"),
        ({"unit_cost": "1.005"}, "unit_cost"),
        ({"currency": "BTC"}, "currency"),
        ({"start_date": datetime.date.today() + datetime.timedelta(days=1)}, "start_date"),
        (
            {
                "start_date": datetime.date.today(),
                "end_date": datetime.date.today() - datetime.timedelta(days=1),
            },
            "end_date",
        ),
    ],
)
def test_invalid_input_is_refused_field_by_field(caseworker, funded_case, changes, field):
    with pytest.raises(ValidationFailed) as exc:
        record(caseworker, funded_case, **changes)
    assert field in exc.value.fields
    assert not AssistanceLine.objects.exists()


def test_an_inactive_provider_is_refused(caseworker, funded_case):
    closed = OrganisationFactory(is_active=False)
    with pytest.raises(ValidationFailed) as exc:
        record(caseworker, funded_case, provider=closed)
    assert "provider" in exc.value.fields


def test_project_of_another_mission_is_refused(caseworker, funded_case, foreign_project):
    with pytest.raises(ValidationFailed) as exc:
        record(caseworker, funded_case, project=foreign_project)
    assert "mission" in str(exc.value.fields["project"][0])
    assert not AssistanceLine.objects.exists()


def test_a_case_without_project_needs_one_given(caseworker, case, project):
    with pytest.raises(ValidationFailed) as exc:
        record(caseworker, case)
    assert "project" in exc.value.fields
    line = record(caseworker, case, project=project)
    assert line.project == project


def test_the_date_must_fall_in_the_project_period(caseworker, case, morocco):
    old = ProjectFactory(
        mission=morocco,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 12, 31),
    )
    with pytest.raises(ValidationFailed) as exc:
        record(caseworker, case, project=old)
    assert "project" in exc.value.fields


def test_a_person_who_is_not_a_member_is_refused(caseworker, funded_case, rabat):
    from awda.factories import register_case

    other = register_case(caseworker, rabat, principal=person_data(given_name="Awa"))
    with pytest.raises(ValidationFailed) as exc:
        record(caseworker, funded_case, person=principal(other))
    assert "person" in exc.value.fields


ACCEPTING = [
    Status.REGISTERED,
    Status.COUNSELLING,
    Status.SCREENING,
    Status.ELIGIBLE,
    Status.PRE_DEPARTURE,
    Status.READY_TO_TRAVEL,
    Status.BOOKED,
    Status.NO_SHOW,
    Status.ON_HOLD,
]


@pytest.mark.parametrize("status", Status.values)
def test_lines_are_recorded_from_registration_up_to_departure(caseworker, funded_case, status):
    Case.objects.filter(pk=funded_case.pk).update(status=status)
    if status in ACCEPTING:
        assert record(caseworker, funded_case).pk
    else:
        with pytest.raises(ValidationFailed) as exc:
            record(caseworker, funded_case)
        assert exc.value.code in ("case_status", "case_closed")
        assert not AssistanceLine.objects.exists()


def test_a_case_in_pre_departure_accepts_lines(caseworker, manager, case, project):
    case = bring_case_to(
        case, "pre_departure", caseworker=caseworker, manager=manager, project=project
    )
    line = record(caseworker, case)
    assert line.project == project


@pytest.mark.parametrize(
    "persona", ["movement_officer", "finance_officer", "other_office_user", "auditor"]
)
def test_roles_without_record_permission_change_nothing(request, persona, funded_case):
    user = request.getfixturevalue(persona)
    version = fresh(funded_case).version
    with pytest.raises(PermissionDenied):
        record(user, funded_case)
    assert not AssistanceLine.objects.exists()
    assert not AuditEvent.objects.filter(action=LINE_RECORDED).exists()
    assert fresh(funded_case).version == version


@pytest.mark.parametrize("persona", ["caseworker", "manager", "medical_officer"])
def test_host_roles_may_record(request, persona, funded_case):
    assert record(request.getfixturevalue(persona), funded_case).pk


def test_origin_mission_staff_may_not_record_after_handover(origin_officer, funded_case, guinea):
    from django.utils import timezone

    Case.objects.filter(pk=funded_case.pk).update(
        receiving_mission=guinea, handed_over_at=timezone.now()
    )
    with pytest.raises(PermissionDenied):
        assistance_record(
            origin_officer,
            case=fresh(funded_case),
            person=principal(funded_case),
            kind="food",
            description="x",
            quantity=1,
            unit_cost=1,
        )


@pytest.mark.parametrize("field", ["quantity", "unit_cost"])
@pytest.mark.parametrize("value", ["1e30", "-1E+40"])
def test_a_number_too_large_to_round_is_a_field_error(caseworker, funded_case, field, value):
    with pytest.raises(ValidationFailed) as exc:
        record(caseworker, funded_case, **{field: value})
    assert field in exc.value.fields
    assert not AssistanceLine.objects.exists()
