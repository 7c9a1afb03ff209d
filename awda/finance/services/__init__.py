"""Finance services (the one write path for budgets, rates, contributions and charges).

charges: the cost ledger the recording apps post to (charge_post); budget: lines, overrides,
per-person caps; rates: conversion, rate entry and CSV import; contributions; reallocation."""

from .budget import (
    budget_line_create,
    budget_line_delete,
    budget_line_update,
    budget_override_grant,
    person_cap_remove,
    person_cap_set,
)
from .charges import CostSpec, charge_post, charges_convert_pending, charges_rebuild
from .contributions import contribution_record
from .rates import ImportResult, convert, rate_for, rate_record, rates_import_csv
from .reallocation import charge_reallocate

__all__ = [
    "CostSpec",
    "ImportResult",
    "budget_line_create",
    "budget_line_delete",
    "budget_line_update",
    "budget_override_grant",
    "charge_post",
    "charge_reallocate",
    "charges_convert_pending",
    "charges_rebuild",
    "contribution_record",
    "convert",
    "person_cap_remove",
    "person_cap_set",
    "rate_for",
    "rate_record",
    "rates_import_csv",
]
