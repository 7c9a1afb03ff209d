from decimal import Decimal

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.finance.models import BudgetOverride, PersonCap
from awda.finance.services import budget_override_grant, person_cap_remove, person_cap_set

from ..helpers import post


def test_an_override_adds_to_what_the_line_may_take(
    finance_officer, caseworker, case, project, lines
):
    line = lines["PD"]
    post(caseworker, case, project, "1000", category="food")
    first = budget_override_grant(
        finance_officer, line=line, amount="100", reason="Winter: more emergency shelter"
    )
    budget_override_grant(finance_officer, line=line, amount="50.50", reason="Second wave")
    line.refresh_from_db()
    assert line.overrun_allowed == Decimal("150.50")
    assert first.line.overrun_allowed == Decimal("100.00")
    assert post(caseworker, case, project, "150.50", category="food").over_budget is True
    event = AuditEvent.objects.filter(action="finance.budget_override.granted").first()
    assert event.changes["reason"] in ("Winter: more emergency shelter", "Second wave")
    assert BudgetOverride.objects.count() == 2


@pytest.mark.parametrize("amount,reason,field", [("0", "r", "amount"), ("10", "  ", "reason")])
def test_an_override_needs_an_amount_and_a_reason(finance_officer, lines, amount, reason, field):
    with pytest.raises(ValidationFailed) as exc:
        budget_override_grant(finance_officer, line=lines["PD"], amount=amount, reason=reason)
    assert field in exc.value.fields
    assert not BudgetOverride.objects.exists()


def test_a_manager_may_not_override(manager, lines):
    with pytest.raises(PermissionDenied):
        budget_override_grant(manager, line=lines["PD"], amount="10", reason="Please")
    lines["PD"].refresh_from_db()
    assert lines["PD"].overrun_allowed == 0


def test_a_cap_is_set_changed_and_removed_with_audit(finance_officer, project):
    cap = person_cap_set(finance_officer, project=project, category="pocket_money", amount="150")
    same = person_cap_set(finance_officer, project=project, category="pocket_money", amount="150")
    changed = person_cap_set(
        finance_officer, project=project, category="pocket_money", amount="200"
    )
    assert cap.pk == same.pk == changed.pk and changed.amount == Decimal("200.00")
    events = AuditEvent.objects.filter(action="finance.person_cap.set").order_by("id")
    assert [e.changes["amount"] for e in events] == [
        {"from": None, "to": "150.00"},
        {"from": "150.00", "to": "200.00"},
    ]
    person_cap_remove(finance_officer, cap=changed)
    assert not PersonCap.objects.exists()
    assert AuditEvent.objects.filter(action="finance.person_cap.removed").exists()


def test_a_cap_needs_a_known_category(finance_officer, project):
    with pytest.raises(ValidationFailed) as exc:
        person_cap_set(finance_officer, project=project, category="gold", amount="1")
    assert "category" in exc.value.fields


def test_caps_of_another_mission_are_refused(tunisia_finance, project):
    with pytest.raises(PermissionDenied):
        person_cap_set(tunisia_finance, project=project, category="food", amount="1")


def test_a_cap_on_a_category_never_charged_to_a_person_is_refused(finance_officer, project):
    with pytest.raises(ValidationFailed) as exc:
        person_cap_set(
            finance_officer, project=project, category="reintegration_in_kind", amount="485"
        )
    assert "never to a person" in exc.value.fields["category"][0]
    assert not PersonCap.objects.exists()


def test_the_cap_form_offers_only_categories_charged_to_a_person():
    from awda.finance.forms import CapForm

    values = [v for v, _label in CapForm().fields["category"].choices]
    assert "reintegration_cash" in values and "pocket_money" in values
    assert "reintegration_in_kind" not in values
