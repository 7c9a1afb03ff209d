"""The dashboard: my open tasks, cases by status in my scope, returns this year by nationality.
Users who see no cases (M&E officers, administrators) get aggregate figures only, never names."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from awda.accounts.selectors import offices_for
from awda.core import countries

from .. import selectors
from ..choices import OPEN_STATUSES, Status
from ..policies import can

TASKS_ON_DASHBOARD = 8

# Workflow order, grouped as a caseworker reads it.
STATUS_GROUPS = [
    ("intake", [Status.REGISTERED, Status.COUNSELLING, Status.SCREENING]),
    (
        "preparation",
        [Status.ELIGIBLE, Status.PRE_DEPARTURE, Status.READY_TO_TRAVEL, Status.BOOKED],
    ),
    ("return", [Status.DEPARTED, Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING]),
    ("other", [Status.ON_HOLD, Status.NO_SHOW, Status.NOT_ELIGIBLE, Status.WITHDRAWN]),
    ("closed", [Status.CLOSED]),
]


def _status_rows(by_status: dict) -> list[dict]:
    from django.utils.translation import gettext as _

    titles = {
        "intake": _("Intake"),
        "preparation": _("Preparation"),
        "return": _("Return and reintegration"),
        "other": _("On hold and exits"),
        "closed": _("Closed"),
    }
    return [
        {
            "key": key,
            "title": titles[key],
            "total": sum(by_status.get(s, 0) for s in statuses),
            "statuses": [{"value": s.value, "count": by_status.get(s, 0)} for s in statuses],
        }
        for key, statuses in STATUS_GROUPS
    ]


def _returns(rows: list[dict]) -> dict:
    table = [
        {
            "code": r["nationality"],
            "name": countries.name(r["nationality"]) or "?",
            "cases": r["n"],
            "people": r["people"] or 0,
        }
        for r in rows
    ]
    table.sort(key=lambda r: (-r["people"], -r["cases"], r["name"]))
    return {
        "rows": table,
        "total_cases": sum(r["cases"] for r in table),
        "total_people": sum(r["people"] for r in table),
        "chart": {
            "labels": [r["name"] for r in table],
            "people": [r["people"] for r in table],
            "cases": [r["cases"] for r in table],
        },
    }


@require_GET
@login_required
def dashboard(request):
    user = request.user
    sees_cases = can(user, "case.view")
    context = {
        "sees_cases": sees_cases,
        "today": timezone.localdate(),
        "open_statuses_query": urlencode([("status", s) for s in OPEN_STATUSES]),
    }
    if sees_cases:
        figures = selectors.dashboard_for(user)
        open_tasks = selectors.task_list_for(user, assignee=user).select_related("case__principal")
        today = context["today"]
        context.update(
            my_tasks=list(open_tasks[:TASKS_ON_DASHBOARD]),
            my_task_count=open_tasks.count(),
            my_overdue_count=open_tasks.filter(due_date__lt=today).count(),
            my_case_count=selectors.case_queryset_for(user)
            .filter(assigned_to=user)
            .exclude(status=Status.CLOSED)
            .count(),
        )
    elif can(user, "reports.aggregates"):
        figures = selectors.dashboard_aggregates_for(user)
    else:
        figures = None
    if figures is not None:
        context.update(
            figures=figures,
            status_groups=_status_rows(figures["by_status"]),
            returns=_returns(figures["returns_by_nationality"]),
        )
    context["offices"] = [o.name for o in offices_for(user)]  # whose figures these are
    return render(request, "cases/dashboard.html", context)
