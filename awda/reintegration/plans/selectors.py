"""Reads of reintegration plans and collective projects, scoped by user.

The callers resolve a case through cases.selectors.case_get_for (404 outside the user's scope)
and check `reintegration.view` before reading its plans."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from awda.accounts.selectors import user_scope
from awda.cases.policies import PERMISSIONS
from awda.cases.selectors import case_get_for, case_queryset_for
from awda.core.errors import NotFound

from ..choices import OPEN_PLAN_STATUSES, PlanStatus
from ..models import CollectiveProject, Plan, PlanAssistance, PlanItem, ReintegrationFile

PLAN_RELATED = (
    "project",
    "collective",
    "created_by",
    "submitted_by",
    "decided_by",
    "override_by",
    "previous",
)


def with_rows(qs):
    """Plans with their assistance types and items (suppliers): three queries in all."""
    return qs.select_related(*PLAN_RELATED).prefetch_related(
        Prefetch("assistances", queryset=PlanAssistance.objects.order_by("id")),
        Prefetch("items", queryset=PlanItem.objects.select_related("supplier").order_by("id")),
    )


def plan_history(case):
    """Every plan of the case, newest revision first, with their rows."""
    return with_rows(Plan.objects.filter(case_id=case.pk)).order_by("-revision")


def current_plan(case) -> Plan | None:
    """The approved plan (the one in force), if any."""
    return with_rows(Plan.objects.filter(case_id=case.pk, status=PlanStatus.APPROVED)).first()


def open_plan(case) -> Plan | None:
    """The plan being prepared (draft, submitted or returned), if any."""
    return with_rows(Plan.objects.filter(case_id=case.pk, status__in=OPEN_PLAN_STATUSES)).first()


def plan_get_for(user, pk) -> Plan:
    """A plan of a case the user may see (NotFound otherwise, like a missing one); its case is
    the scoped one."""
    plan = with_rows(Plan.objects.filter(pk=pk, case__in=case_queryset_for(user))).first()
    if plan is None:
        raise NotFound()
    plan.case = case_get_for(user, plan.case_id)
    return plan


@dataclass(frozen=True)
class PlanDeadline:
    due_on: datetime.date | None  # None until the arrival is known
    approved: bool
    overdue: bool
    days_left: int | None


def plan_deadline(case, *, today: datetime.date | None = None) -> PlanDeadline | None:
    """When the case's plan is due (ReintegrationFile.plan_due_on: AWDA_PLAN_DUE_DAYS after the
    arrival) and whether it is overdue (today after the due date and no plan approved yet).
    None when no office has accepted the handover."""
    file = ReintegrationFile.objects.filter(case_id=case.pk).only("plan_due_on").first()
    if file is None:
        return None
    today = today or timezone.localdate()
    approved = Plan.objects.filter(
        case_id=case.pk, status__in=(PlanStatus.APPROVED, PlanStatus.SUPERSEDED)
    ).exists()
    due = file.plan_due_on
    return PlanDeadline(
        due_on=due,
        approved=approved,
        overdue=bool(due and today > due and not approved),
        days_left=(due - today).days if due else None,
    )


def missions_approving(user) -> set[int]:
    return user_scope(user).missions_with(*PERMISSIONS["reintegration.approve"])


def plans_awaiting_approval(user):
    """Submitted plans of cases handed over to a mission where the user approves plans, oldest
    submission first."""
    missions = missions_approving(user)
    if not missions:
        return Plan.objects.none()
    return (
        Plan.objects.filter(
            status=PlanStatus.SUBMITTED,
            case__receiving_mission_id__in=missions,
            case__handed_over_at__isnull=False,
        )
        .select_related("case", "case__principal", "project", "submitted_by")
        .order_by("submitted_at", "id")
    )


# ---- collective projects ------------------------------------------------------------------------

LIVE = ~Q(plans__status=PlanStatus.SUPERSEDED)


def _user_missions(user) -> set[int]:
    from ..policies import missions_recording

    return missions_recording(user)


def collective_list_for(user):
    """The collective projects of the missions where the user works on reintegration, with the
    number of participants (plans in force or being prepared) and their total."""
    missions = _user_missions(user)
    if not missions:
        return CollectiveProject.objects.none()
    return (
        CollectiveProject.objects.filter(mission_id__in=missions)
        .select_related("office", "project", "mission")
        .annotate(
            participant_count=Count("plans", filter=LIVE),
            plans_total=Coalesce(
                Sum("plans__total", filter=LIVE),
                Value(Decimal("0.00")),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )
        .order_by("name", "id")
    )


def collective_get_for(user, pk) -> CollectiveProject:
    collective = collective_list_for(user).filter(pk=pk).first()
    if collective is None:
        raise NotFound()
    return collective


def collective_participants(collective):
    """The plans linked to a collective project (superseded revisions left out), with their
    cases and principal applicants."""
    return (
        Plan.objects.filter(collective=collective)
        .exclude(status=PlanStatus.SUPERSEDED)
        .select_related("case", "case__principal", "project")
        .order_by("case__number", "-revision")
    )


def collectives_for_case(case):
    """The collective projects a plan of `case` may link to: its receiving mission's."""
    if not case.receiving_mission_id:
        return CollectiveProject.objects.none()
    return CollectiveProject.objects.filter(mission_id=case.receiving_mission_id).order_by(
        "name", "id"
    )
