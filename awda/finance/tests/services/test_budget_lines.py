from decimal import Decimal

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.finance.models import BudgetLine
from awda.finance.services import budget_line_create, budget_line_delete, budget_line_update

from ..helpers import post


def create(user, project, code="PD", categories=("medical",), amount="1000.00", **kw):
    return budget_line_create(
        user,
        project=project,
        code=code,
        name=kw.pop("name", "Pre-departure"),
        amount=amount,
        categories=list(categories),
        **kw,
    )


def test_a_finance_officer_adds_a_line_and_it_is_audited(finance_officer, project):
    line = create(finance_officer, project, categories=["medical", "food", "medical"])
    assert (line.amount, line.categories, line.warning_percent) == (
        Decimal("1000.00"),
        ["medical", "food"],
        90,
    )
    event = AuditEvent.objects.get(action="finance.budget_line.created")
    assert event.actor == finance_officer and event.object_id == str(line.pk)
    assert event.changes["code"] == "PD" and event.changes["project"] == project.pk


def test_a_finance_officer_of_another_office_of_the_mission_may_too(oujda_finance, project):
    assert create(oujda_finance, project).pk


@pytest.mark.parametrize("persona", ["manager", "auditor", "caseworker", "tunisia_finance"])
def test_others_may_not_add_lines(request, persona, project):
    with pytest.raises(PermissionDenied):
        create(request.getfixturevalue(persona), project)
    assert not BudgetLine.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="finance.").exists()


def test_codes_are_unique_in_a_project(finance_officer, project):
    create(finance_officer, project, code="PD")
    with pytest.raises(ValidationFailed) as exc:
        create(finance_officer, project, code="pd", categories=["ticket"])
    assert "code" in exc.value.fields


def test_a_category_is_paid_by_one_line_only(finance_officer, project):
    create(finance_officer, project, code="PD", categories=["medical", "food"])
    with pytest.raises(ValidationFailed) as exc:
        create(finance_officer, project, code="MED", categories=["medical"])
    assert "PD" in exc.value.fields["categories"][0]


def test_a_project_has_one_general_line(finance_officer, project):
    create(finance_officer, project, code="GEN", categories=[])
    with pytest.raises(ValidationFailed) as exc:
        create(finance_officer, project, code="GEN2", categories=[])
    assert "GEN" in exc.value.fields["categories"][0]


@pytest.mark.parametrize(
    "field,value",
    [
        ("amount", "-1"),
        ("amount", "10.001"),
        ("amount", "abc"),
        ("warning_percent", 0),
        ("warning_percent", 101),
        ("categories", ["unknown"]),
        ("code", " "),
    ],
)
def test_invalid_values_are_refused_by_field(finance_officer, project, field, value):
    kwargs = {"code": "PD", "categories": ["medical"], "amount": "10", field: value}
    with pytest.raises(ValidationFailed) as exc:
        budget_line_create(finance_officer, project=project, name="x", **kwargs)
    assert field in exc.value.fields


def test_an_update_needs_the_current_version(finance_officer, project):
    line = create(finance_officer, project)
    updated = budget_line_update(
        finance_officer, line=line, expected_version=1, name="Pre-departure costs"
    )
    assert (updated.version, updated.name) == (2, "Pre-departure costs")
    with pytest.raises(StaleEdit):
        budget_line_update(finance_officer, line=line, expected_version=1, name="Stale")
    event = AuditEvent.objects.get(action="finance.budget_line.updated")
    assert event.changes == {"name": {"from": "Pre-departure", "to": "Pre-departure costs"}}


def test_lowering_the_allocation_below_the_costs_is_accepted_with_a_warning(
    finance_officer, caseworker, case, project
):
    line = create(finance_officer, project, categories=["food"])
    post(caseworker, case, project, "600", category="food")
    updated = budget_line_update(finance_officer, line=line, expected_version=1, amount="500")
    assert updated.amount == Decimal("500.00")
    assert "PD" in updated.warning and "600.00" in updated.warning
    assert (
        budget_line_update(finance_officer, line=updated, expected_version=2, amount="700").warning
        == ""
    )


def test_a_line_keeps_its_own_categories_when_edited(finance_officer, project):
    line = create(finance_officer, project, categories=["medical"])
    updated = budget_line_update(
        finance_officer, line=line, expected_version=1, categories=["medical", "food"]
    )
    assert updated.categories == ["medical", "food"]


def test_a_line_without_costs_can_be_deleted(finance_officer, project):
    line = create(finance_officer, project)
    budget_line_delete(finance_officer, line=line, expected_version=1)
    assert not BudgetLine.objects.exists()
    assert AuditEvent.objects.filter(action="finance.budget_line.deleted").exists()


def test_a_line_with_costs_cannot_be_deleted(finance_officer, caseworker, case, project):
    line = create(finance_officer, project)
    post(caseworker, case, project, "10", category="medical", stage="released")
    post(caseworker, case, project, "10", category="medical")
    with pytest.raises(ValidationFailed) as exc:
        budget_line_delete(finance_officer, line=line, expected_version=1)
    assert exc.value.code == "line_in_use"
    assert BudgetLine.objects.filter(pk=line.pk).exists()
