"""Reads of reintegration plans and collective projects, scoped by user.

The callers resolve a case through cases.selectors.case_get_for (404 outside the user's scope)
and check `reintegration.view` before reading its plans."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Prefetch, Q, When
from django.utils import timezone

from awda.accounts.selectors import user_scope
from awda.cases import models as cases_models
from awda.cases.policies import PERMISSIONS
from awda.cases.selectors import case_get_for, case_queryset_for
from awda.core.errors import NotFound
from awda.finance.models import Project

from ..choices import OPEN_PLAN_STATUSES, PlanStatus
from ..common import plan_overdue
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
    arrival) and whether it is overdue (common.plan_overdue: today after the due date and no
    plan approved yet). None when no office has accepted the handover."""
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
        overdue=plan_overdue(due, approved, today),
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


# ---- plan projects ------------------------------------------------------------------------------


def plan_projects(case, *, keep=None):
    """The projects a plan of `case` may be funded by: the active projects of the case's mission
    or of its receiving mission (`keep`, the plan's current project, is listed even if it is no
    longer active, so that an edit form keeps it)."""
    missions = {m for m in (case.mission_id, case.receiving_mission_id) if m}
    condition = Q(is_active=True, mission_id__in=missions)
    if keep is not None:
        condition |= Q(pk=keep)
    return Project.objects.filter(condition).order_by("code")


# ---- collective projects ------------------------------------------------------------------------

LIVE = ~Q(plans__status=PlanStatus.SUPERSEDED)


def _user_missions(user) -> set[int]:
    from ..policies import missions_recording

    return missions_recording(user)


def collective_projects(mission_id):
    """The projects a collective project of `mission_id` may be funded by: the active projects
    of that mission, and the active projects funding at least one case handed over to it (the
    host missions' projects of its returnees)."""
    funding = cases_models.Case.objects.filter(
        receiving_mission_id=mission_id, handed_over_at__isnull=False, project__isnull=False
    ).values("project_id")
    return Project.objects.filter(
        Q(mission_id=mission_id) | Q(pk__in=funding), is_active=True
    ).order_by("code")


def collective_list_for(user):
    """The collective projects of the missions where the user works on reintegration, with the
    number of participants (distinct cases with a plan in force or being prepared linked to
    it). Their totals per currency come from collective_totals (one more query)."""
    missions = _user_missions(user)
    if not missions:
        return CollectiveProject.objects.none()
    return (
        CollectiveProject.objects.filter(mission_id__in=missions)
        .select_related("office", "project", "mission")
        .annotate(participant_count=Count("plans__case", filter=LIVE, distinct=True))
        .order_by("name", "id")
    )


def collective_get_for(user, pk) -> CollectiveProject:
    collective = collective_list_for(user).filter(pk=pk).first()
    if collective is None:
        raise NotFound()
    return collective_totals([collective])[0]


def _counted(plans):
    """One plan per (collective, case): the approved one, else the one being prepared.
    `plans` are ordered by case then approved first."""
    seen, out = set(), []
    for plan in plans:
        key = (plan.collective_id, plan.case_id)
        if key not in seen:
            seen.add(key)
            out.append(plan)
    return out


def _live_plans(collective_ids):
    return (
        Plan.objects.filter(collective_id__in=collective_ids)
        .exclude(status=PlanStatus.SUPERSEDED)
        .annotate(
            rank=Case(
                When(status=PlanStatus.APPROVED, then=0), default=1, output_field=IntegerField()
            )
        )
        .order_by("collective_id", "case__number", "case_id", "rank", "-revision")
    )


def collective_totals(collectives):
    """Set `plans_totals` on each collective project: [(currency, amount)] sorted by currency,
    the sum of one plan per participating case (its approved plan, else the plan being
    prepared). Amounts in different currencies are never added. One query; returns the list."""
    collectives = list(collectives)
    totals: dict[int, dict[str, Decimal]] = {c.pk: {} for c in collectives}
    rows = _live_plans(totals).only("id", "collective_id", "case_id", "total", "currency")
    for plan in _counted(rows):
        by_currency = totals[plan.collective_id]
        by_currency[plan.currency] = by_currency.get(plan.currency, Decimal("0.00")) + plan.total
    for c in collectives:
        c.plans_totals = sorted(totals[c.pk].items())
    return collectives


def collective_participants(collective) -> list[Plan]:
    """One row per participating case: its plan linked to the collective project that counts
    (the approved one, else the one being prepared), with the case and principal applicant."""
    rows = _live_plans([collective.pk]).select_related("case", "case__principal", "project")
    return _counted(rows)


def collectives_for_case(case):
    """The collective projects a plan of `case` may link to: its receiving mission's."""
    if not case.receiving_mission_id:
        return CollectiveProject.objects.none()
    return CollectiveProject.objects.filter(mission_id=case.receiving_mission_id).order_by(
        "name", "id"
    )
