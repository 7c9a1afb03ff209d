from decimal import Decimal

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import ProjectFactory
from awda.finance.services import budget_override_grant, charge_reallocate

from ..helpers import line, post


def test_a_charge_is_moved_to_another_line_with_a_reason(
    finance_officer, caseworker, case, project, lines
):
    charge = post(caseworker, case, project, "100", category="food")
    moved = charge_reallocate(
        finance_officer, charge=charge, budget_line=lines["GEN"], reason="Paid by the general line"
    )
    assert moved.budget_line == lines["GEN"] and moved.over_budget is False
    event = AuditEvent.objects.get(action="finance.charge.reallocated")
    assert event.case_id == case.pk
    assert event.changes["budget_line"] == {"from": lines["PD"].pk, "to": lines["GEN"].pk}
    # the source posted again keeps the line finance chose
    again = post(caseworker, case, project, "100", category="food", source_id=charge.source_id)
    assert again.budget_line == lines["GEN"]


def test_a_cost_on_no_line_is_given_one(finance_officer, caseworker, case, project):
    tickets = line(project, "TK", "100", ["ticket"])
    charge = post(caseworker, case, project, "10", category="food")
    assert charge.budget_line is None
    moved = charge_reallocate(finance_officer, charge=charge, budget_line=tickets, reason="Ok")
    assert moved.budget_line == tickets


def test_the_target_line_must_take_the_cost(finance_officer, caseworker, case, project, lines):
    post(caseworker, case, project, "450", category="psychosocial")  # GEN: 450 of 500
    charge = post(caseworker, case, project, "100", category="food")
    with pytest.raises(ValidationFailed) as exc:
        charge_reallocate(finance_officer, charge=charge, budget_line=lines["GEN"], reason="r")
    assert exc.value.code == "budget_exceeded"
    charge.refresh_from_db()
    assert charge.budget_line == lines["PD"]
    budget_override_grant(finance_officer, line=lines["GEN"], amount="50", reason="ok")
    moved = charge_reallocate(finance_officer, charge=charge, budget_line=lines["GEN"], reason="r")
    assert moved.over_budget is True and "GEN" in moved.warning


def test_a_line_of_another_project_or_the_same_line_is_refused(
    finance_officer, caseworker, case, project, lines, morocco
):
    other = line(ProjectFactory(code="P2", mission=morocco), "X", "100", [])
    charge = post(caseworker, case, project, "10", category="food")
    for target in (other, lines["PD"]):
        with pytest.raises(ValidationFailed) as exc:
            charge_reallocate(finance_officer, charge=charge, budget_line=target, reason="r")
        assert "budget_line" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        charge_reallocate(finance_officer, charge=charge, budget_line=lines["GEN"], reason="")
    assert "reason" in exc.value.fields


def test_a_released_charge_moves_without_a_budget_check(
    finance_officer, caseworker, case, project, lines
):
    post(caseworker, case, project, "500", category="psychosocial")
    charge = post(caseworker, case, project, "100", category="food", source_id=77)
    charge = post(caseworker, case, project, "100", category="food", source_id=77, stage="released")
    moved = charge_reallocate(finance_officer, charge=charge, budget_line=lines["GEN"], reason="r")
    assert moved.project_amount == Decimal("100.00") and moved.budget_line == lines["GEN"]


def test_a_manager_may_not_move_charges(manager, caseworker, case, project, lines):
    charge = post(caseworker, case, project, "10", category="food")
    with pytest.raises(PermissionDenied):
        charge_reallocate(manager, charge=charge, budget_line=lines["GEN"], reason="r")
