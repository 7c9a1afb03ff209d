"""The one write path for vulnerability screenings."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.models import Membership
from awda.accounts.selectors import user_scope
from awda.audit.services import audit_record
from awda.cases import services as case_services
from awda.cases.choices import TaskStatus
from awda.cases.models import Case, CaseMember
from awda.cases.policies import can
from awda.cases.services import lock_case, require_open, touch_case
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed

from .derivation import derive, present_codes
from .factors import FACTOR_CODES, REQUIREMENTS, RESTRICTED_FACTORS, STICKY_FACTORS
from .models import ScreeningTask, VulnerabilityScreening

RECORDED = "screening.vulnerability.recorded"


def _clean_factors(factors: dict) -> dict[str, bool]:
    factors = factors or {}
    unknown = sorted(set(factors) - set(FACTOR_CODES))
    if unknown:
        raise ValidationFailed(
            fields={"factors": [_("Unknown factor: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    return {code: bool(factors.get(code, False)) for code in FACTOR_CODES}


def _screening_office_id(user, case: Case) -> int:
    """The office the screener works from: the case's office, or after handover their office in
    the receiving mission."""
    scope = user_scope(user)
    if case.office_id in scope.office_roles:
        return case.office_id
    from awda.accounts.models import Office

    mine = Office.objects.filter(
        pk__in=scope.office_ids, mission_id=case.receiving_mission_id
    ).order_by("pk")
    return mine.values_list("pk", flat=True).first() or case.office_id


def _assignee_for(case: Case, role: str):
    """A member of the case's office holding `role` (the first by id), or None."""
    m = (
        Membership.objects.filter(
            office_id=case.office_id, role=role, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    return m.user if m else None


def _due_days(code: str) -> int:
    overrides = getattr(settings, "AWDA_SCREENING_DUE_DAYS", {}) or {}
    return int(overrides.get(code, REQUIREMENTS[code].due_days))


def _create_required_tasks(user, *, case, person, screening, today) -> list:
    """A task per required assessment, unless one for the same person and need is still open or
    done (a re-screening that keeps the need does not duplicate it; a cancelled one is
    replaced)."""
    existing = set(
        ScreeningTask.objects.filter(
            case=case,
            person=person,
            task__status__in=(TaskStatus.OPEN, TaskStatus.DONE),
        ).values_list("requirement", flat=True)
    )
    created = []
    for code in screening.requirements:
        if code in existing:
            continue
        req = REQUIREMENTS[code]
        task = case_services.task_create(
            user,
            case=case,
            title=f"{req.title}: {person.full_name}",
            description=_("Required by the vulnerability screening of %(date)s.")
            % {"date": screening.screened_on.isoformat()},
            due_date=today + datetime.timedelta(days=_due_days(code)),
            assignee=_assignee_for(case, req.role),
        )
        ScreeningTask.objects.create(
            case=case, person=person, requirement=code, screening=screening, task=task
        )
        created.append(task)
    return created


def sticky_for(user, *, case: Case, person_id: int) -> set[str]:
    """The factors a re-screening by `user` cannot clear: raised before and owned by a
    permission `user` lacks (factors.Factor.cleared_by). A restricted factor (trafficking) is
    taken from the person's newest screening in ANY case, so a new case does not start clean;
    the others from their newest screening in this case."""
    owned = [f for f in STICKY_FACTORS if not can(user, f.cleared_by, case)]
    if not owned:
        return set()
    newest = VulnerabilityScreening.objects.filter(person_id=person_id).order_by(
        "-created_at", "-id"
    )
    here = newest.filter(case=case).first()
    anywhere = newest.first() if any(f.restricted for f in owned) else None
    out = set()
    for f in owned:
        source = anywhere if f.restricted else here
        if source is not None and getattr(source, f.code):
            out.add(f.code)
    return out


def keep_sticky_factors(user, *, case: Case, person_id: int, cleaned: dict) -> set[str]:
    """Set the factors `user` may not clear back on in `cleaned`; returns their codes."""
    kept = sticky_for(user, case=case, person_id=person_id)
    for code in kept:
        cleaned[code] = True
    return kept


def screening_record(
    user,
    *,
    case: Case,
    member: CaseMember,
    factors: dict,
    notes: str = "",
    expected_version: int | None = None,
) -> VulnerabilityScreening:
    """Record a (re-)screening of a member of the case: derive flags, priority and required
    assessments, create the assessment tasks not already there, raise the case's priority if the
    result is higher (never lower it), bump the case version and audit it, in one transaction."""
    if not can(user, "screening.record", case):
        raise PermissionDenied()
    if member.case_id != case.pk:
        raise NotFound()
    require_open(case)
    cleaned = _clean_factors(factors)
    keep_sticky_factors(user, case=case, person_id=member.person_id, cleaned=cleaned)
    result = derive(present_codes(cleaned))
    today = timezone.localdate()
    with transaction.atomic():
        locked = lock_case(case, expected_version)
        require_open(locked)
        screening = VulnerabilityScreening.objects.create(
            case=locked,
            person_id=member.person_id,
            screened_on=today,
            screened_by=user,
            office_id=_screening_office_id(user, locked),
            notes=(notes or "").strip(),
            priority=result.priority,
            flags=sorted(result.flags),
            requirements=list(result.requirements),
            **cleaned,
        )
        person = member.person
        tasks = _create_required_tasks(
            user, case=locked, person=person, screening=screening, today=today
        )
        changes = {
            "person": member.person_id,
            # Restricted answers are not written in clear (the case timeline shows the audit
            # trail to every role): the event points to the screening row, which holds them.
            "factors": [c for c in FACTOR_CODES if cleaned[c] and c not in RESTRICTED_FACTORS],
            "restricted_factors": any(cleaned[c] for c in RESTRICTED_FACTORS),
            "priority": result.priority,
            "requirements": [r for r in result.requirements if not REQUIREMENTS[r].restricted],
            "created_tasks": [t.pk for t in tasks],
        }
        raise_to = {}
        if result.priority > locked.priority:
            raise_to["priority"] = result.priority
            changes["case_priority"] = {"from": locked.priority, "to": result.priority}
        touch_case(case, locked, **raise_to)
        audit_record(
            user,
            action=RECORDED,
            obj=screening,
            object_repr=str(person.full_name),
            case_id=case.pk,
            person_id=member.person_id,
            office_id=case.office_id,
            changes=changes,
        )
    return screening
