"""Finance pages (one module per area) and the case page's "Costs" tab."""

from .budget import (
    cap_remove,
    cap_set,
    charge_reallocate,
    contribution_record,
    line_create,
    line_delete,
    line_edit,
    override_grant,
    project_budget,
    project_charges,
    project_list,
    render_budget,
)
from .case_tab import tab_costs
from .rates import rate_import, rate_list

__all__ = [
    "cap_remove",
    "cap_set",
    "charge_reallocate",
    "contribution_record",
    "line_create",
    "line_delete",
    "line_edit",
    "override_grant",
    "project_budget",
    "project_charges",
    "project_list",
    "rate_import",
    "rate_list",
    "render_budget",
    "tab_costs",
]
