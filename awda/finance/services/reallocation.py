"""Moving a charge to another line of its project (finance officers).

A cost goes to the line of its category by default (charges.resolve_line); finance may decide
it belongs to another line (a medical cost paid by the protection line, a cost "not on a budget
line" given one). The target line must take it: the same budget rule as a new cost applies
(`budget_exceeded`, unless an override allows it). The charge keeps the line when its source
is posted again (charges.charge_post), unless the source moves to another project. Audited on
the charge and on the case's timeline."""

from django.db import transaction
from django.utils.translation import gettext as _

from awda.audit.services import audit_record

from ..choices import ChargeStage
from ..models import BudgetLine, Charge
from ._common import check_text, raise_if, require
from .charges import ACTIVE, check_line, warning_for

CHARGE_REALLOCATED = "finance.charge.reallocated"


@transaction.atomic
def charge_reallocate(user, *, charge: Charge, budget_line: BudgetLine, reason: str) -> Charge:
    """Move `charge` to `budget_line` (a line of the same project) for a stated reason. The
    returned charge has `warning` (the target line passed its threshold; "" otherwise)."""
    require(user, "finance.manage", charge.project)
    charge = (
        Charge.objects.select_for_update(of=("self",)).select_related("project").get(pk=charge.pk)
    )
    errors: dict = {}
    reason = check_text(errors, "reason", reason, max_length=2000)
    if not isinstance(budget_line, BudgetLine) or budget_line.project_id != charge.project_id:
        errors["budget_line"] = [
            _("Choose a line of project %(code)s.") % {"code": charge.project.code}
        ]
    elif budget_line.pk == charge.budget_line_id:
        errors["budget_line"] = [_("The charge is already on this line.")]
    raise_if(errors)
    counts = charge.stage in ACTIVE and charge.project_amount is not None
    over_budget = False
    if counts:
        over_budget = check_line(budget_line, charge.project_amount, exclude_charge_id=charge.pk)
    previous = charge.budget_line_id
    charge.budget_line = budget_line
    if charge.stage != ChargeStage.RELEASED:
        charge.over_budget = over_budget
    charge.save(update_fields=["budget_line", "over_budget", "updated_at"])
    audit_record(
        user,
        action=CHARGE_REALLOCATED,
        obj=charge,
        object_repr=f"{charge.project.code} {charge.get_source_display()} #{charge.source_id}",
        case_id=charge.case_id,
        person_id=charge.person_id,
        office_id=charge.office_id,
        changes={
            "budget_line": {"from": previous, "to": budget_line.pk},
            "reason": reason,
            "project_amount": charge.project_amount,
        },
    )
    charge.warning = warning_for(budget_line) if counts else ""
    return charge
