"""Audited reads. Every read of a case's data (a page or tab of the UI, an API resource) and of a
person's record is written to the audit trail, UI and API alike, through these two functions; the
part that was read is in the event's `changes` ({"part": "members"}).

The callers have already resolved the case or person through the scoped selectors (a refused read
is a 404 and writes nothing)."""

from awda.audit.models import AuditEvent
from awda.audit.services import audit_record
from awda.registry.models import Person

from ..models import Case

CASE_VIEWED = "cases.case.viewed"
PERSON_VIEWED = "registry.person.viewed"
# The audit actions that record reads (the case timeline hides them behind "show views").
VIEW_ACTIONS = (CASE_VIEWED, PERSON_VIEWED)

# What can be read of a case: the UI's tabs and pages, and the API's resources.
CASE_PARTS = frozenset(
    {
        "detail",  # API: the case with its members
        "summary",
        "members",
        "documents",
        "notes",
        "tasks",
        "timeline",
        "transitions",
        "attachments",
        "edit",  # the case edit form
        "person",  # a member's person record (edit form)
        "screening",  # vulnerability screenings (awda.screening)
        "readiness",  # the readiness checklist (cases.readiness)
        "consent",  # consent records (awda.screening.consent)
        "transfers",  # the data-transfer log
        "child_protection",  # UASC procedure (restricted: child protection)
        "protection",  # the restricted protection tab (trafficking)
        "trafficking",  # trafficking records, API and detail pages (restricted)
        "health",  # the health tab: fitness and, where allowed, medical records
        "fitness",  # fitness-to-travel decisions
        "medical",  # medical needs, referrals and documents (restricted: health)
        "travel_documents",  # travel documents and exit authorisations
        "handover",  # the handover to the origin mission (awda.movements.handover)
        "assistance",  # the pre-departure assistance ledger (awda.assistance)
        "travel",  # bookings, legs, no-shows and confirmations (awda.movements)
        "reintegration",  # acceptance, reception, assessments (awda.reintegration.files)
        "monitoring",  # monitoring visits (awda.reintegration.files)
        "plan",  # reintegration plans (awda.reintegration.plans)
        "surveys",  # sustainability surveys (awda.reintegration.surveys)
        "delivery",  # purchases, cash tranches, referrals (awda.reintegration.delivery)
        "costs",  # the case's charges to projects' budget lines (awda.finance)
    }
)
PERSON_PARTS = frozenset({"detail", "documents", "pick"})


def case_viewed(user, *, case: Case, part: str = "detail", person_id=None) -> AuditEvent:
    """Record that `user` read `part` of the case (every read, UI and API)."""
    if part not in CASE_PARTS:
        raise ValueError(f"unknown part of a case: {part!r}")
    return audit_record(
        user,
        action=CASE_VIEWED,
        obj=case,
        case_id=case.pk,
        person_id=person_id,
        office_id=case.office_id,
        changes={"part": part},
    )


def person_viewed(user, *, person: Person, part: str = "detail") -> AuditEvent:
    """Record that `user` read `part` of a person's record outside a case (persons API, the card
    of a person chosen in the registry)."""
    if part not in PERSON_PARTS:
        raise ValueError(f"unknown part of a person record: {part!r}")
    return audit_record(
        user,
        action=PERSON_VIEWED,
        obj=person,
        person_id=person.pk,
        office_id=person.registered_by_office_id,
        changes={"part": part},
    )
