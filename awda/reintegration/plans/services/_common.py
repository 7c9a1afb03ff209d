"""Checks shared by the plan services: where a plan may be worked on, input cleaning (money
exact to the cent, errors named by row and field), the cap check."""

from decimal import Decimal

from django.utils.translation import gettext as _

from awda.cases.choices import Status
from awda.cases.services import require_open
from awda.core.errors import ValidationFailed
from awda.core.money import parse_amount
from awda.finance.models import Project

from ...common import CURRENCY_CODES, text
from ...models import ReintegrationFile
from ..caps import Cap, cap_for

PLAN_CREATED = "reintegration.plan.created"
PLAN_UPDATED = "reintegration.plan.updated"
PLAN_SUBMITTED = "reintegration.plan.submitted"
PLAN_APPROVED = "reintegration.plan.approved"
PLAN_RETURNED = "reintegration.plan.returned"
PLAN_REVISED = "reintegration.plan.revised"
PLAN_CAP_OVERRIDDEN = "reintegration.plan.cap_overridden"
PLAN_DISCARDED = "reintegration.plan.discarded"
COLLECTIVE_CREATED = "reintegration.collective.created"
COLLECTIVE_UPDATED = "reintegration.collective.updated"

# A plan is drafted once the returnee is home: arrived, in reintegration or in monitoring.
PLAN_STATUSES = (Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING)
MAX_ROWS = 100  # assistance types or items in one plan


class _Keep:
    """Marks an argument that was not given: the value stays as it is."""

    def __repr__(self):
        return "KEEP"


KEEP = _Keep()


def require_plan_case(case) -> None:
    """The (locked) case accepts plan work: open, handed over and accepted, home."""
    require_open(case)
    if case.status not in PLAN_STATUSES:
        raise ValidationFailed(
            _(
                "A reintegration plan is prepared once the returnee has arrived; this case is "
                "%(status)s."
            )
            % {"status": case.get_status_display().lower()},
            code="case_status",
        )
    if not ReintegrationFile.objects.filter(case_id=case.pk).exists():
        raise ValidationFailed(
            _("No office of the receiving mission has accepted the handover yet."),
            code="not_accepted",
        )


def project_errors(case, project: Project | None) -> list[str]:
    if project is None:
        return [_("Choose the project that funds the plan (the case has no project).")]
    if not project.is_active:
        return [_("Project %(code)s is not active.") % {"code": project.code}]
    if project.mission_id not in {case.mission_id, case.receiving_mission_id}:
        return [
            _("Project %(code)s is not a project of the case's missions.") % {"code": project.code}
        ]
    return []


def currency_errors(currency: str) -> list[str]:
    if currency not in CURRENCY_CODES:
        return [_("Choose a valid currency.")]
    return []


def decimal_value(errors, name, value, *, maximum: Decimal, allow_zero: bool) -> Decimal | None:
    """`value` as a Decimal exact to the cent, or None with a message under errors[name]."""
    return parse_amount(
        errors,
        name,
        value,
        maximum=maximum,
        allow_zero=allow_zero,
        positive_message=_("Enter a quantity greater than zero."),
    )


def amount(value: Decimal | None, currency: str) -> str:
    return f"{(value or Decimal(0)):.2f} {currency}"


def require_cap(plan, case) -> Cap:
    """The cap that applies to `plan` (its project), refused when none is configured or it is in
    another currency than the plan."""
    cap = cap_for(case, plan.project)
    if cap is None:
        raise ValidationFailed(
            _(
                "No reintegration cap is configured for project %(code)s (for this case): ask an "
                "administrator to add one under Reintegration caps."
            )
            % {"code": plan.project.code},
            code="no_cap",
        )
    if cap.currency != plan.currency:
        raise ValidationFailed(
            _(
                "The plan is in %(plan)s but the cap of project %(code)s is in %(cap)s: draft the "
                "plan in %(cap)s (exchange rates come with the budgets)."
            )
            % {"plan": plan.currency, "cap": cap.currency, "code": plan.project.code},
            code="currency_mismatch",
            fields={
                "currency": [_("Use the currency of the cap (%(cap)s).") % {"cap": cap.currency}]
            },
        )
    return cap


def check_within_cap(plan, cap: Cap) -> None:
    """Refuse (over_cap) a total above the entitled cap unless a manager overrode it."""
    if plan.total > cap.entitled and not plan.override_at:
        raise ValidationFailed(
            _(
                "The plan's total, %(total)s, is over the cap of %(cap)s (%(rule)s). Reduce the "
                "items, or ask a manager of the mission to approve exceeding the cap."
            )
            % {
                "total": amount(plan.total, plan.currency),
                "cap": amount(cap.entitled, cap.currency),
                "rule": cap.rule,
            },
            code="over_cap",
            details={
                "total": f"{plan.total:.2f}",
                "cap": f"{cap.entitled:.2f}",
                "currency": cap.currency,
                "rule": cap.rule,
            },
        )


def snapshot_cap(plan, cap: Cap) -> list[str]:
    plan.cap_amount = cap.entitled
    plan.cap_currency = cap.currency
    plan.cap_rule = cap.rule
    return ["cap_amount", "cap_currency", "cap_rule"]


def clean_reason(reason) -> str:
    reason = text(reason)
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Give the reason.")]})
    return reason
