"""Checks and helpers shared by the delivery services."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases.choices import Status
from awda.cases.models import Case, CaseMember
from awda.cases.services import require_open
from awda.core.errors import ValidationFailed
from awda.core.money import parse_amount
from awda.registry.models import Organisation

from ...choices import PlanStatus
from ...common import CURRENCY_CODES, MAX_TOTAL
from ...models import Plan, ReintegrationFile
from ..selectors import approved_plan

PURCHASE_CREATED = "reintegration.purchase.created"
PURCHASE_DELIVERED = "reintegration.purchase.delivered"
PURCHASE_ACKNOWLEDGED = "reintegration.purchase.acknowledged"
PURCHASE_CANCELLED = "reintegration.purchase.cancelled"
DOCUMENT_ATTACHED = "reintegration.delivery_document.attached"
DOCUMENT_DOWNLOADED = "reintegration.delivery_document.downloaded"
ACKNOWLEDGEMENT_PRINTED = "reintegration.acknowledgement.printed"
TRANCHE_PLANNED = "reintegration.tranche.planned"
TRANCHE_PAID = "reintegration.tranche.paid"
TRANCHE_CANCELLED = "reintegration.tranche.cancelled"
REFERRAL_CREATED = "reintegration.referral.created"
REFERRAL_UPDATED = "reintegration.referral.updated"

# Purchases and cash tranches are paid under an approved plan: once reintegration has started.
MONEY_STATUSES = (Status.REINTEGRATION, Status.MONITORING)
# A referral needs no plan: it may be made as soon as the returnee has arrived (e.g. to a
# hospital the day after the arrival), once the origin office has accepted the handover.
REFERRAL_STATUSES = (Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING)

MAX_LINES = 100


def status_refusal(case: Case, statuses=MONEY_STATUSES) -> str | None:
    """Why delivery cannot be recorded on `case` now (None when it can)."""
    if case.status == Status.CLOSED:
        return _("The case is closed.")
    if case.status not in statuses:
        if statuses == REFERRAL_STATUSES:
            return _(
                "Referrals are recorded once the returnee has arrived; this case is %(status)s."
            ) % {"status": case.get_status_display().lower()}
        return _(
            "Purchases and cash are recorded once reintegration has started (reintegration or "
            "monitoring); this case is %(status)s."
        ) % {"status": case.get_status_display().lower()}
    return None


def require_status(case: Case, statuses=MONEY_STATUSES) -> None:
    require_open(case)
    reason = status_refusal(case, statuses)
    if reason:
        raise ValidationFailed(reason, code="case_status")
    if not ReintegrationFile.objects.filter(case_id=case.pk).exists():
        raise ValidationFailed(
            _("No office of the receiving mission has accepted the handover yet."),
            code="handover_not_accepted",
        )


def resolve_plan(case: Case, plan: Plan | None, *, required: bool = True) -> Plan | None:
    """The plan a cost hangs on: `plan` if given (it must be the case's approved plan), else the
    case's approved plan; a ValidationFailed on "plan" when there is none and one is required."""
    if plan is None:
        plan = approved_plan(case)
        if plan is None and required:
            raise ValidationFailed(
                fields={"plan": [_("The case has no approved reintegration plan yet.")]}
            )
        return plan
    if plan.case_id != case.pk or plan.status != PlanStatus.APPROVED:
        raise ValidationFailed(
            fields={"plan": [_("Choose the approved reintegration plan of this case.")]}
        )
    return plan


def today() -> datetime.date:
    return timezone.localdate()


def check_date(errors, name, value, *, required=True, not_before=None, before_label=""):
    """A date that is not in the future (nor before `not_before`)."""
    if value is None:
        if required:
            errors[name] = [_("This field is required.")]
        return value
    if not isinstance(value, datetime.date):
        errors[name] = [_("Enter a valid date.")]
        return None
    if value > today():
        errors[name] = [_("The date cannot be in the future.")]
    elif not_before is not None and value < not_before:
        errors[name] = [
            _("The date cannot be before %(what)s (%(date)s).")
            % {"what": before_label, "date": not_before.isoformat()}
        ]
    return value


def check_decimal(errors, name, value, *, maximum=MAX_TOTAL, allow_zero=False) -> Decimal | None:
    """A positive amount (or zero with `allow_zero`) with at most two decimals."""
    return parse_amount(errors, name, value, maximum=maximum, allow_zero=allow_zero)


def check_currency(errors, name, value, default: str) -> str:
    value = (value or "").strip().upper()
    if not value:
        return default
    if value not in CURRENCY_CODES:
        errors[name] = [_("Choose a valid currency.")]
    return value


def check_organisation(errors, name, organisation, *, country: str = "") -> None:
    """An active partner organisation, in `country` when given (suppliers and services of the
    returnee's country of return)."""
    if not (isinstance(organisation, Organisation) and organisation.is_active):
        errors[name] = [_("Choose an active partner organisation.")]
    elif country and organisation.country != country:
        errors[name] = [_("Choose an organisation in the country of return.")]


def check_project_period(errors, name, project, on_date) -> None:
    """A cost is charged to the project only within its period."""
    if project is None or on_date is None or not isinstance(on_date, datetime.date):
        return
    if not project.start_date <= on_date <= project.end_date:
        errors[name] = [
            _("Project %(code)s runs from %(start)s to %(end)s: the date is outside.")
            % {
                "code": project.code,
                "start": project.start_date.isoformat(),
                "end": project.end_date.isoformat(),
            }
        ]


def is_member(case: Case, person) -> bool:
    return person is not None and (
        CaseMember.objects.filter(case_id=case.pk, person_id=person.pk).exists()
    )


def check_version(row, expected_version) -> None:
    from awda.core.errors import StaleEdit

    try:
        ok = expected_version is not None and int(expected_version) == row.version
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise StaleEdit()


def amount_text(amount, currency) -> str:
    return f"{Decimal(amount):.2f} {currency}"
