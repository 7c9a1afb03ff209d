"""The one write path for cases: registration, edits, members, declaration, transitions, notes,
tasks and attachments. Every function: acting user first, keyword arguments, checks the policy,
runs in one transaction and writes its audit event in it.

The package is split by area; import from `awda.cases.services` (names are re-exported)."""

from ._common import AFTER_DEPARTURE, CASE_EDIT_FIELDS, lock_case, require_open, touch_case
from .attachments import ALLOWED_UPLOADS, attachment_add, attachment_viewed, validate_upload
from .documents import DECLARATION_PRINTED, case_declaration_printed
from .members import (
    case_declaration_record,
    case_member_add,
    case_member_remove,
    case_member_update,
)
from .reads import VIEW_ACTIONS, case_viewed, person_viewed
from .receiving import case_set_receiving_mission
from .registration import (
    case_numbers_reserve,
    case_person_update,
    case_register,
    case_update,
    next_case_number,
    person_document_add,
    person_document_delete,
    person_document_update,
    person_update,
)
from .tasks import note_add, task_create, task_set_status, task_update
from .transitions import TERMINAL_STATUSES, case_transition

__all__ = [
    "AFTER_DEPARTURE",
    "ALLOWED_UPLOADS",
    "CASE_EDIT_FIELDS",
    "TERMINAL_STATUSES",
    "VIEW_ACTIONS",
    "attachment_add",
    "attachment_viewed",
    "validate_upload",
    "case_declaration_record",
    "case_declaration_printed",
    "DECLARATION_PRINTED",
    "lock_case",
    "require_open",
    "touch_case",
    "case_member_add",
    "case_member_remove",
    "case_member_update",
    "case_person_update",
    "case_numbers_reserve",
    "case_register",
    "case_set_receiving_mission",
    "case_transition",
    "case_update",
    "case_viewed",
    "next_case_number",
    "note_add",
    "person_document_add",
    "person_document_delete",
    "person_document_update",
    "person_update",
    "person_viewed",
    "task_create",
    "task_set_status",
    "task_update",
]
