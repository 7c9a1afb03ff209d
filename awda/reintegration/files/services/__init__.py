"""The origin office's file on a case (one write path per entity, acting user first):

- acceptance: handover_accept, file_assign, on_case_moved (arrival date, plan deadline);
- reception: reception_record (starts the reintegration of an arrived case);
- assessments: assessment_record, assessment_update;
- monitoring: monitoring_schedule_generate (called when a plan is approved), visit_add,
  visit_reschedule, visit_cancel, visit_record, on_case_closed (planned visits cancelled)."""

from .acceptance import (
    FILE_ASSIGNED,
    HANDOVER_ACCEPTED,
    file_assign,
    handover_accept,
    officers_of,
    on_case_moved,
)
from .assessments import (
    ASSESSMENT_RECORDED,
    ASSESSMENT_UPDATED,
    assessment_record,
    assessment_update,
)
from .monitoring import (
    DUE_SOON_DAYS,
    SCHEDULE_GENERATED,
    VISIT_ADDED,
    VISIT_CANCELLED,
    VISIT_RECORDED,
    VISIT_RESCHEDULED,
    monitoring_schedule_generate,
    on_case_closed,
    schedule_months,
    visit_add,
    visit_cancel,
    visit_record,
    visit_reschedule,
)
from .reception import RECEPTION_RECORDED, RECEPTION_UPDATED, reception_record

__all__ = [
    "ASSESSMENT_RECORDED",
    "ASSESSMENT_UPDATED",
    "DUE_SOON_DAYS",
    "FILE_ASSIGNED",
    "HANDOVER_ACCEPTED",
    "RECEPTION_RECORDED",
    "RECEPTION_UPDATED",
    "SCHEDULE_GENERATED",
    "VISIT_ADDED",
    "VISIT_CANCELLED",
    "VISIT_RECORDED",
    "VISIT_RESCHEDULED",
    "assessment_record",
    "assessment_update",
    "file_assign",
    "handover_accept",
    "monitoring_schedule_generate",
    "officers_of",
    "on_case_closed",
    "on_case_moved",
    "reception_record",
    "schedule_months",
    "visit_add",
    "visit_cancel",
    "visit_record",
    "visit_reschedule",
]
