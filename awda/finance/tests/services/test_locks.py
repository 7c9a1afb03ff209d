"""Row locks of the ledger (PostgreSQL; SQLite has no row locks and ignores them).

Every lock names its own table only (select_for_update(of=("self",))): a line locked with its
project joined would also lock the project, which budget_line_update locks before the line, so
two transactions could wait for each other. The person's cap is locked too, so two postings for
the same person (even on a project without budget lines) cannot both pass it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awda.finance.models import PersonCap
from awda.finance.services import (
    budget_line_update,
    charge_reallocate,
    charges_convert_pending,
    person_cap_set,
)

from ..helpers import post, principal, rate

pytestmark = pytest.mark.skipif(
    not connection.features.has_select_for_update_of,
    reason="row locks are PostgreSQL's (SQLite ignores select_for_update)",
)


def locks(ctx) -> list[str]:
    """The tables each FOR UPDATE of the captured queries names ("" for a bare FOR UPDATE)."""
    found = []
    for q in ctx.captured_queries:
        for m in re.finditer(r'FOR UPDATE( OF ("[a-z_]+"(?:, "[a-z_]+")*))?', q["sql"]):
            found.append(m.group(2) or "")
    return found


def test_every_ledger_lock_names_its_own_table_in_order(
    finance_officer, caseworker, case, project, lines
):
    PersonCap.objects.create(project=project, category="food", amount=Decimal("500"))
    person = principal(case)
    with CaptureQueriesContext(connection) as ctx:
        charge = post(caseworker, case, project, "100", person=person)
    assert locks(ctx) == ['"finance_charge"', '"finance_budgetline"', '"finance_personcap"']

    post(caseworker, case, project, "100", currency="MAD", person=person)
    rate("MAD", "EUR", "0.1", datetime.date(2026, 1, 1))
    with CaptureQueriesContext(connection) as ctx:
        assert charges_convert_pending(currency="MAD") == 1
    assert locks(ctx) == ['"finance_charge"', '"finance_budgetline"', '"finance_personcap"']

    with CaptureQueriesContext(connection) as ctx:
        charge_reallocate(finance_officer, charge=charge, budget_line=lines["GEN"], reason="r")
    assert locks(ctx) == ['"finance_charge"', '"finance_budgetline"']

    with CaptureQueriesContext(connection) as ctx:
        budget_line_update(
            finance_officer, line=lines["PD"], expected_version=lines["PD"].version, name="x"
        )
        person_cap_set(finance_officer, project=project, category="food", amount="600")
    assert locks(ctx) == ['"finance_project"', '"finance_budgetline"', '"finance_personcap"']


def test_the_person_cap_is_locked_without_a_budget_line(caseworker, case, project):
    PersonCap.objects.create(project=project, category="cash", amount=Decimal("500"))
    with CaptureQueriesContext(connection) as ctx:
        post(caseworker, case, project, "100", category="cash", person=principal(case))
    assert locks(ctx) == ['"finance_charge"', '"finance_personcap"']
