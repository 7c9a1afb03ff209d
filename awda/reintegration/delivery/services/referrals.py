"""Referrals to services outside the project (health, education, legal, ...): create, follow."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from awda.cases.models import Case
from awda.cases.services import lock_case, touch_case
from awda.core.errors import ValidationFailed
from awda.registry.models import Organisation, Person

from ... import policies
from ...choices import AssistanceType, ReferralStatus
from ...common import audit, raise_errors, require, text
from ...models import Plan, Referral
from ..charges import referral_charge
from ._common import (
    REFERRAL_CREATED,
    REFERRAL_STATUSES,
    REFERRAL_UPDATED,
    amount_text,
    check_currency,
    check_date,
    check_decimal,
    check_organisation,
    check_project_period,
    check_version,
    is_member,
    require_status,
    resolve_plan,
    today,
)

S = ReferralStatus
# Where a referral may go from each status (staying put edits the outcome only). A completed,
# declined or dropped referral is closed: a new need is a new referral.
REFERRAL_MOVES = {
    S.REFERRED: {S.REFERRED, S.ACCEPTED, S.COMPLETED, S.DECLINED, S.DROPPED},
    S.ACCEPTED: {S.ACCEPTED, S.COMPLETED, S.DECLINED, S.DROPPED},
    S.COMPLETED: {S.COMPLETED},
    S.DECLINED: {S.DECLINED},
    S.DROPPED: {S.DROPPED},
}
# The cost of a referral counts while the service may still be (or was) provided.
COSTED_STATUSES = (S.REFERRED, S.ACCEPTED, S.COMPLETED)


def referral_create(
    user,
    *,
    case: Case,
    person: Person,
    organisation: Organisation,
    kind: str,
    service: str,
    referred_on: datetime.date | None = None,
    plan: Plan | None = None,
    cost=None,
    currency: str = "",
    notes: str = "",
) -> Referral:
    """Refer a member of the case to a service of `organisation` (possible from the arrival,
    with no plan). `plan` defaults to the case's approved plan if there is one. With a `cost`
    (paid by the project), the referral is charged to the plan's project (or the case's when
    there is no plan), in `currency` (default: the plan's or project's). `notes` are kept as
    the referral's first outcome note. A cost is committed on the project's budget
    (charges.py): a refusal of the budget (budget_exceeded, over_person_cap) records
    nothing."""
    require(policies.may_record(user, case))
    require_status(case, REFERRAL_STATUSES)
    plan = resolve_plan(case, plan, required=False)
    errors: dict = {}
    if not is_member(case, person):
        errors["person"] = [_("This person is not a member of the case.")]
    check_organisation(errors, "organisation", organisation, country=case.country_of_return)
    if kind not in AssistanceType.values:
        errors["kind"] = [_("Choose a valid option.")]
    service = text(service)
    if not service:
        errors["service"] = [_("Say which service the person is referred to.")]
    elif len(service) > 200:
        errors["service"] = [_("Use at most 200 characters.")]
    referred_on = check_date(errors, "referred_on", referred_on or today())
    project = None
    if cost not in (None, ""):
        cost = check_decimal(errors, "cost", cost)
        project = plan.project if plan else case.project
        if project is None:
            errors["cost"] = [_("The case has no project to charge this cost to.")]
        else:
            currency = check_currency(
                errors, "currency", currency, plan.currency if plan else project.currency
            )
            if "referred_on" not in errors:
                check_project_period(errors, "referred_on", project, referred_on)
    else:
        cost, currency = None, ""
    raise_errors(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_status(locked, REFERRAL_STATUSES)
        referral = Referral.objects.create(
            case=locked,
            plan=plan,
            person=person,
            organisation=organisation,
            kind=kind,
            service=service,
            referred_on=referred_on,
            outcome=text(notes),
            cost=cost,
            currency=currency if cost is not None else "",
            project=project,
            recorded_by=user,
        )
        charge = referral_charge(user, referral)
        touch_case(case, locked)
        audit(
            user,
            REFERRAL_CREATED,
            referral,
            case=case,
            person_id=person.pk,
            changes={
                "referral": referral.pk,
                "person": person.pk,
                "organisation": organisation.pk,
                "assistance_type": kind,
                "amount": amount_text(cost, currency) if cost is not None else None,
                "project": project.pk if project else None,
            },
        )
    referral.charge_warning = getattr(charge, "warning", "")
    return referral


def referral_update(
    user, *, referral: Referral, status: str, outcome: str = "", expected_version: int
) -> Referral:
    """Follow a referral: the service accepted it, provided it, declined it, or the person did
    not attend (REFERRAL_MOVES); `outcome` replaces the outcome note when given. A cost
    follows the status (charges.py): spent once the service is provided (on that day),
    released when declined or not attended."""
    case = referral.case
    require(policies.may_record(user, case))
    require_status(case, REFERRAL_STATUSES)
    if status not in ReferralStatus.values:
        raise ValidationFailed(fields={"status": [_("Choose a valid option.")]})
    outcome = text(outcome)
    with transaction.atomic():
        locked = lock_case(case, None)
        row = Referral.objects.select_for_update().get(pk=referral.pk, case_id=case.pk)
        check_version(row, expected_version)
        require_status(locked, REFERRAL_STATUSES)
        if status not in REFERRAL_MOVES[row.status]:
            raise ValidationFailed(
                fields={
                    "status": [
                        _("A referral that is %(status)s cannot change its status.")
                        % {"status": row.get_status_display().lower()}
                    ]
                }
            )
        before = row.status
        row.status = status
        if outcome:
            row.outcome = outcome
        row.version += 1
        fields = ["status", "outcome", "version", "updated_at"]
        row.save(update_fields=fields)
        for name in fields:
            setattr(referral, name, getattr(row, name))
        referral.charge_warning = ""
        if status != before:
            row.case = locked
            charge = referral_charge(user, row)
            referral.charge_warning = getattr(charge, "warning", "")
        touch_case(case, locked)
        audit(
            user,
            REFERRAL_UPDATED,
            row,
            case=case,
            person_id=row.person_id,
            changes={
                "referral": row.pk,
                "referral_status": {"from": before, "to": status},
                **({"outcome": outcome} if outcome else {}),
            },
        )
    return referral
