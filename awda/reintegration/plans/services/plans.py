"""The reintegration plan: draft, edit, submit, cap override, approve, return, revise.

Workflow: draft -> submitted -> approved (or returned -> submitted again); an approved plan is
revised by a new draft (revision n+1) that supersedes it once approved. At most one open plan
(draft, submitted, returned) and one approved plan per case (database constraints). Every write
locks the case row (serialises the plan work of a case), checks the policy and writes its audit
event in the same transaction.

Approval of one's own plan: a manager may approve a plan they drafted or submitted (small
offices have one manager and one officer, or only a manager); the audit event then records
`own_plan: true` so that the four-eyes exception is visible (docs/reintegration-plans.md)."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases.models import Case
from awda.cases.services import lock_case, touch_case
from awda.core.concurrency import save_versioned
from awda.core.errors import StaleEdit, ValidationFailed
from awda.finance.models import Project
from awda.registry.models import Organisation

from ... import policies
from ...choices import CATEGORY_OF, OPEN_PLAN_STATUSES, AssistanceType, PlanStatus
from ...common import MAX_QUANTITY, MAX_TOTAL, audit, line_total, raise_errors, require, text
from ...models import CollectiveProject, Plan, PlanAssistance, PlanItem
from ..caps import cap_for
from ._common import (
    KEEP,
    MAX_ROWS,
    PLAN_APPROVED,
    PLAN_CAP_OVERRIDDEN,
    PLAN_CREATED,
    PLAN_DISCARDED,
    PLAN_RETURNED,
    PLAN_REVISED,
    PLAN_SUBMITTED,
    PLAN_UPDATED,
    amount,
    check_within_cap,
    clean_reason,
    currency_errors,
    decimal_value,
    project_errors,
    require_cap,
    require_plan_case,
    snapshot_cap,
)

EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


def _lock(plan: Plan, expected_version) -> Plan:
    """The plan row, locked, refused when stale (its case is locked first by the caller)."""
    locked = Plan.objects.select_for_update(of=("self",)).select_related("project").get(pk=plan.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleEdit()
    return locked


def _refuse_status(plan: Plan, allowed, message) -> None:
    if plan.status not in allowed:
        raise ValidationFailed(message, code="plan_status")


def _case(plan: Plan) -> Case:
    return plan.case if "case" in plan._state.fields_cache else Case.objects.get(pk=plan.case_id)


# ---- create -------------------------------------------------------------------------------------


def plan_create(user, *, case: Case, project: Project | None = None, currency: str = "") -> Plan:
    """The first draft of the case's plan (revision 1). `project` defaults to the case's project
    (it must be active), `currency` to the project's. Refused when the case already has a plan
    (an open one is edited, an approved one revised)."""
    require(policies.may_record(user, case))
    project = project if project is not None else case.project
    errors = {}
    if msgs := project_errors(case, project):
        errors["project"] = msgs
    currency = text(currency).upper() or (project.currency if project else "")
    if "project" not in errors and (msgs := currency_errors(currency)):
        errors["currency"] = msgs
    raise_errors(errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        require_plan_case(locked)
        existing = set(Plan.objects.filter(case_id=case.pk).values_list("status", flat=True))
        if existing & set(OPEN_PLAN_STATUSES):
            raise ValidationFailed(
                _("This case already has a plan being prepared: edit it."), code="open_plan"
            )
        if existing:
            raise ValidationFailed(
                _("This case already has an approved plan: revise it instead."),
                code="plan_exists",
            )
        plan = Plan.objects.create(
            case=locked, revision=1, project=project, currency=currency, created_by=user
        )
        touch_case(case, locked)
        audit(
            user,
            PLAN_CREATED,
            plan,
            case=case,
            changes={"revision": 1, "project": project.pk, "currency": currency},
        )
    plan.case = case
    return plan


# ---- update -------------------------------------------------------------------------------------


def _clean_assistances(rows, errors) -> list[dict]:
    if not isinstance(rows, list | tuple):
        errors["assistances"] = [_("Send a list of assistance types.")]
        return []
    if len(rows) > MAX_ROWS:
        errors["assistances"] = [_("At most %(n)s rows.") % {"n": MAX_ROWS}]
        return []
    cleaned, seen = [], set()
    for i, row in enumerate(rows):
        key = f"assistances[{i}]"
        row = row if isinstance(row, dict) else {}
        kind = row.get("kind")
        if kind not in AssistanceType.values:
            errors[f"{key}.kind"] = [_("Choose a valid assistance type.")]
            continue
        if kind in seen:
            errors[f"{key}.kind"] = [_("This assistance type is already in the plan.")]
            continue
        seen.add(kind)
        cleaned.append(
            {
                "kind": kind,
                "category": CATEGORY_OF[kind],
                "description": text(row.get("description")),
                "referral": bool(row.get("referral")),
            }
        )
    return cleaned


def _supplier(value, errors, key, country: str):
    """An active organisation of the case's country of return (the supplier delivers there)."""
    if value in (None, ""):
        return None
    if isinstance(value, Organisation):
        org = value
    else:
        from awda.core.text import as_id

        pk = as_id(value)
        org = Organisation.objects.filter(pk=pk).first() if pk else None
    if org is None or not org.is_active or (org.country or "").upper() != (country or "").upper():
        errors[f"{key}.supplier"] = [
            _("Choose an active organisation of the country of return (%(country)s).")
            % {"country": country}
        ]
        return None
    return org


def _clean_items(rows, kinds: set[str], errors, *, country: str) -> list[dict]:
    if not isinstance(rows, list | tuple):
        errors["items"] = [_("Send a list of items.")]
        return []
    if len(rows) > MAX_ROWS:
        errors["items"] = [_("At most %(n)s rows.") % {"n": MAX_ROWS}]
        return []
    cleaned = []
    for i, row in enumerate(rows):
        key = f"items[{i}]"
        row = row if isinstance(row, dict) else {}
        row_errors: dict = {}
        kind = row.get("kind")
        if kind not in AssistanceType.values:
            row_errors[f"{key}.kind"] = [_("Choose a valid assistance type.")]
        elif kind not in kinds:
            row_errors[f"{key}.kind"] = [
                _("Row %(row)s: add this assistance type to the plan first.") % {"row": i + 1}
            ]
        description = text(row.get("description"))
        if not description:
            row_errors[f"{key}.description"] = [_("Describe the item.")]
        elif len(description) > 300:
            row_errors[f"{key}.description"] = [_("Use at most 300 characters.")]
        unit = text(row.get("unit"))
        if not unit:
            row_errors[f"{key}.unit"] = [_("Give the unit (piece, month, kg, lot...).")]
        elif len(unit) > 30:
            row_errors[f"{key}.unit"] = [_("Use at most 30 characters.")]
        quantity = decimal_value(
            row_errors,
            f"{key}.quantity",
            row.get("quantity"),
            maximum=MAX_QUANTITY,
            allow_zero=False,
        )
        unit_cost = decimal_value(
            row_errors, f"{key}.unit_cost", row.get("unit_cost"), maximum=MAX_TOTAL, allow_zero=True
        )
        supplier = _supplier(row.get("supplier"), row_errors, key, country)
        total = None
        if quantity is not None and unit_cost is not None:
            total = line_total(quantity, unit_cost)
            if total > MAX_TOTAL:
                row_errors[f"{key}.unit_cost"] = [_("The total is too large.")]
        if row_errors:
            errors.update(row_errors)
            continue
        cleaned.append(
            {
                "kind": kind,
                "description": description,
                "quantity": quantity,
                "unit": unit,
                "unit_cost": unit_cost,
                "total": total,
                "supplier": supplier,
            }
        )
    return cleaned


def plan_update(
    user,
    *,
    plan: Plan,
    expected_version: int | None,
    economic_summary=KEEP,
    social_summary=KEEP,
    psychosocial_summary=KEEP,
    collective=KEEP,
    assistances=KEEP,
    items=KEEP,
    currency=KEEP,
    project=KEEP,
) -> Plan:
    """Edit a draft or returned plan. Arguments not given stay as they are; `assistances`
    ([{kind, description, referral}]) and `items` ([{kind, description, quantity, unit,
    unit_cost, supplier}]) replace the plan's rows, all at once. The category of an assistance
    type is derived (choices.CATEGORY_OF); an item's total is quantity x unit cost to the cent;
    the plan's total is their sum. Errors name the row and field ("items[2].unit_cost"); a
    supplier must be an active organisation of the case's country of return. A manager's cap
    override lapses when the total changes.

    `project` (one of the case's mission or receiving mission, active) changes the funding
    project: the currency becomes the project's unless `currency` is given too. Changing the
    project or the currency clears the cap kept on the plan and any cap override (the cap is
    checked again at submission)."""
    case = _case(plan)
    require(policies.may_record(user, case))
    errors: dict = {}
    values: dict = {}
    for name, value in (
        ("economic_summary", economic_summary),
        ("social_summary", social_summary),
        ("psychosocial_summary", psychosocial_summary),
    ):
        if value is not KEEP:
            values[name] = text(value)
    if project is not KEEP and (project is None or project.pk != plan.project_id):
        if project is not None and not isinstance(project, Project):
            errors["project"] = [_("Choose a project.")]
        elif msgs := project_errors(case, project):
            errors["project"] = msgs
        else:
            values["project"] = project
            if currency is KEEP:
                values["currency"] = project.currency
    if currency is not KEEP:
        currency = text(currency).upper()
        if msgs := currency_errors(currency):
            errors["currency"] = msgs
        values["currency"] = currency
    if collective is not KEEP:
        if collective is not None and not (
            isinstance(collective, CollectiveProject)
            and collective.mission_id == case.receiving_mission_id
        ):
            errors["collective"] = [_("Choose a collective project of the receiving mission.")]
        values["collective"] = collective
    new_assistances = None
    if assistances is not KEEP:
        new_assistances = _clean_assistances(assistances, errors)
    with transaction.atomic():
        locked_case = lock_case(case, None)
        locked = _lock(plan, expected_version)
        require_plan_case(locked_case)
        _refuse_status(
            locked, EDITABLE, _("Only a draft or a plan returned for changes can be edited.")
        )
        if new_assistances is not None:
            kinds = {a["kind"] for a in new_assistances}
        else:
            kinds = set(locked.assistances.values_list("kind", flat=True))
        new_items = None
        if items is not KEEP:
            new_items = _clean_items(items, kinds, errors, country=case.country_of_return)
        elif new_assistances is not None:
            orphan = set(locked.items.values_list("kind", flat=True)) - kinds
            if orphan:
                errors["assistances"] = [
                    _("Some items belong to an assistance type you removed: remove them too.")
                ]
        raise_errors(errors)
        if values.get("project", locked.project) == locked.project:
            values.pop("project", None)
        if values.get("currency", locked.currency) == locked.currency:
            values.pop("currency", None)
        fields = list(values)
        for name, value in values.items():
            setattr(locked, name, value)
        changes: dict = {
            k: (v.pk if isinstance(v, CollectiveProject | Project) else v)
            for k, v in values.items()
        }
        if "project" in values or "currency" in values:
            # the cap kept and any override were for the former project or currency
            locked.cap_amount, locked.cap_currency, locked.cap_rule = None, "", ""
            fields += ["cap_amount", "cap_currency", "cap_rule"]
            if locked.override_at:
                locked.override_at, locked.override_by, locked.override_reason = None, None, ""
                fields += ["override_at", "override_by", "override_reason"]
                changes["override_lapsed"] = True
        for name in ("economic_summary", "social_summary", "psychosocial_summary"):
            if name in changes:
                changes[name] = bool(changes[name])  # the timeline shows that it changed
        if new_assistances is not None:
            locked.assistances.all().delete()
            PlanAssistance.objects.bulk_create(
                PlanAssistance(plan=locked, **row) for row in new_assistances
            )
            changes["assistances"] = [a["kind"] for a in new_assistances]
        if new_items is not None:
            locked.items.all().delete()
            PlanItem.objects.bulk_create(PlanItem(plan=locked, **row) for row in new_items)
            total = sum((row["total"] for row in new_items), Decimal("0.00"))
            if total > MAX_TOTAL:
                raise ValidationFailed(fields={"items": [_("The total is too large.")]})
            if total != locked.total:
                changes["total"] = amount(total, locked.currency)
                if locked.override_at and "override_at" not in fields:
                    locked.override_at = None
                    locked.override_by = None
                    locked.override_reason = ""
                    fields += ["override_at", "override_by", "override_reason"]
                    changes["override_lapsed"] = True
            locked.total = total
            changes["items"] = len(new_items)
            fields.append("total")
        save_versioned(locked, expected_version=locked.version, fields=[*fields, "updated_at"])
        touch_case(case, locked_case)
        audit(user, PLAN_UPDATED, locked, case=case, changes=changes)
    locked.case = case
    return locked


# ---- discard ------------------------------------------------------------------------------------


def plan_discard(user, *, plan: Plan, expected_version: int | None) -> None:
    """Delete a plan being prepared that was never approved: a draft or a returned plan (a
    submitted one is returned first). Revision 1: the case has no plan again (a new one can be
    drafted, with another project). A later revision: the approved plan stays in force. Refused
    (plan_in_use) when a purchase, cash tranche, referral or visit already refers to it. The
    audit event (reintegration.plan.discarded) keeps what the plan held."""
    case = _case(plan)
    require(policies.may_record(user, case))
    if expected_version is None:
        raise ValidationFailed(fields={"version": [_("This field is required.")]})
    with transaction.atomic():
        locked_case = lock_case(case, None)
        locked = _lock(plan, expected_version)
        require_plan_case(locked_case)
        _refuse_status(
            locked, EDITABLE, _("Only a draft or a plan returned for changes can be discarded.")
        )
        if (
            locked.purchases.exists()
            or locked.tranches.exists()
            or locked.referrals.exists()
            or locked.visits.exists()
        ):
            raise ValidationFailed(
                _("Payments, referrals or visits refer to this plan: it cannot be discarded."),
                code="plan_in_use",
            )
        audit(
            user,
            PLAN_DISCARDED,
            locked,
            case=case,
            changes={
                "revision": locked.revision,
                "status": locked.status,
                "project": locked.project_id,
                "total": amount(locked.total, locked.currency),
                "items": locked.items.count(),
            },
        )
        locked.delete()  # its assistance types and items go with it (cascade)
        touch_case(case, locked_case)


# ---- submit, override, approve, return ----------------------------------------------------------


def plan_submit(user, *, plan: Plan, expected_version: int | None) -> Plan:
    """Send the plan for a manager's approval. Needs at least one assistance type, and at least
    one item unless every assistance type is a referral; a cap configured for the project, in
    the plan's currency; and a total within the entitled cap unless a manager overrode it
    (ValidationFailed over_cap). The cap that applied is kept on the plan."""
    case = _case(plan)
    require(policies.may_record(user, case))
    with transaction.atomic():
        locked_case = lock_case(case, None)
        locked = _lock(plan, expected_version)
        require_plan_case(locked_case)
        _refuse_status(
            locked, EDITABLE, _("Only a draft or a plan returned for changes can be submitted.")
        )
        assistances = list(locked.assistances.all())
        if not assistances:
            raise ValidationFailed(
                _("Choose at least one type of assistance before submitting the plan."),
                code="plan_incomplete",
                fields={"assistances": [_("Choose at least one type of assistance.")]},
            )
        only_referrals = all(a.referral for a in assistances)
        if not only_referrals and not locked.items.exists():
            raise ValidationFailed(
                _("List the goods and services of the plan, with their estimated cost."),
                code="plan_incomplete",
                fields={"items": [_("Add at least one item.")]},
            )
        cap = require_cap(locked, locked_case)
        check_within_cap(locked, cap)
        fields = snapshot_cap(locked, cap)
        locked.status = PlanStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        save_versioned(
            locked,
            expected_version=locked.version,
            fields=[*fields, "status", "submitted_at", "submitted_by", "updated_at"],
        )
        touch_case(case, locked_case)
        audit(
            user,
            PLAN_SUBMITTED,
            locked,
            case=case,
            changes={
                "total": amount(locked.total, locked.currency),
                "cap": amount(cap.entitled, cap.currency),
                "overridden": bool(locked.override_at),
            },
        )
    locked.case = case
    return locked


def plan_override_cap(user, *, plan: Plan, reason: str, expected_version: int | None) -> Plan:
    """A manager of the receiving mission accepts a total above the cap, with a reason. Only for
    a plan being prepared whose total is over the cap; lapses if the items change."""
    case = _case(plan)
    require(policies.may_approve(user, case))
    reason = clean_reason(reason)
    with transaction.atomic():
        locked_case = lock_case(case, None)
        locked = _lock(plan, expected_version)
        require_plan_case(locked_case)
        _refuse_status(
            locked, OPEN_PLAN_STATUSES, _("Only a plan being prepared can exceed its cap.")
        )
        cap = require_cap(locked, locked_case)
        if locked.total <= cap.entitled:
            raise ValidationFailed(
                _("The plan is within its cap (%(cap)s): there is nothing to override.")
                % {"cap": amount(cap.entitled, cap.currency)},
                code="within_cap",
            )
        fields = snapshot_cap(locked, cap)
        locked.override_reason = reason
        locked.override_by = user
        locked.override_at = timezone.now()
        save_versioned(
            locked,
            expected_version=locked.version,
            fields=[*fields, "override_reason", "override_by", "override_at", "updated_at"],
        )
        touch_case(case, locked_case)
        audit(
            user,
            PLAN_CAP_OVERRIDDEN,
            locked,
            case=case,
            changes={
                "total": amount(locked.total, locked.currency),
                "cap": amount(cap.entitled, cap.currency),
                "rule": cap.rule,
                "reason": reason,
            },
        )
    locked.case = case
    return locked


def plan_approve(user, *, plan: Plan, expected_version: int | None) -> Plan:
    """A manager of the receiving mission approves a submitted plan. The cap is checked again
    (configuration or travellers may have changed since the submission); the plan in force, if
    any, is superseded; the monitoring schedule is generated in the same transaction."""
    from ...files.services import monitoring_schedule_generate

    case = _case(plan)
    require(policies.may_approve(user, case))
    with transaction.atomic():
        locked_case = lock_case(case, None)
        locked = _lock(plan, expected_version)
        require_plan_case(locked_case)
        _refuse_status(locked, (PlanStatus.SUBMITTED,), _("Only a submitted plan can be approved."))
        cap = require_cap(locked, locked_case)
        check_within_cap(locked, cap)
        fields = snapshot_cap(locked, cap)
        superseded = list(
            Plan.objects.filter(case_id=case.pk, status=PlanStatus.APPROVED).values_list(
                "pk", flat=True
            )
        )
        if superseded:
            Plan.objects.filter(pk__in=superseded).update(
                status=PlanStatus.SUPERSEDED, updated_at=timezone.now()
            )
        locked.status = PlanStatus.APPROVED
        locked.decided_at = timezone.now()
        locked.decided_by = user
        save_versioned(
            locked,
            expected_version=locked.version,
            fields=[*fields, "status", "decided_at", "decided_by", "updated_at"],
        )
        touch_case(case, locked_case)
        own = user.pk in {locked.created_by_id, locked.submitted_by_id}
        audit(
            user,
            PLAN_APPROVED,
            locked,
            case=case,
            changes={
                "revision": locked.revision,
                "total": amount(locked.total, locked.currency),
                "cap": amount(cap.entitled, cap.currency),
                "overridden": bool(locked.override_at),
                "superseded": superseded,
                "own_plan": own,
            },
        )
        monitoring_schedule_generate(user, case=locked_case, plan=locked)
    locked.case = case
    return locked


def plan_return(user, *, plan: Plan, reason: str, expected_version: int | None) -> Plan:
    """A manager sends a submitted plan back for changes, with the reason."""
    case = _case(plan)
    require(policies.may_approve(user, case))
    reason = clean_reason(reason)
    with transaction.atomic():
        locked_case = lock_case(case, None)
        locked = _lock(plan, expected_version)
        require_plan_case(locked_case)
        _refuse_status(locked, (PlanStatus.SUBMITTED,), _("Only a submitted plan can be returned."))
        locked.status = PlanStatus.RETURNED
        locked.return_reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = user
        save_versioned(
            locked,
            expected_version=locked.version,
            fields=["status", "return_reason", "decided_at", "decided_by", "updated_at"],
        )
        touch_case(case, locked_case)
        audit(user, PLAN_RETURNED, locked, case=case, changes={"reason": reason})
    locked.case = case
    return locked


# ---- revise -------------------------------------------------------------------------------------


def plan_revise(user, *, plan: Plan) -> Plan:
    """A new draft (revision n+1) of the approved plan, copying its summaries, collective
    project, assistance types and items. The approved plan stays in force until the revision is
    approved (it is then superseded); earlier revisions are kept."""
    case = _case(plan)
    require(policies.may_record(user, case))
    with transaction.atomic():
        locked_case = lock_case(case, None)
        locked = _lock(plan, None)
        require_plan_case(locked_case)
        _refuse_status(locked, (PlanStatus.APPROVED,), _("Only the approved plan can be revised."))
        if Plan.objects.filter(case_id=case.pk, status__in=OPEN_PLAN_STATUSES).exists():
            raise ValidationFailed(
                _("This case already has a plan being prepared: edit it."), code="open_plan"
            )
        last = Plan.objects.filter(case_id=case.pk).aggregate(m=Max("revision"))["m"] or 0
        draft = Plan.objects.create(
            case=locked_case,
            revision=last + 1,
            previous=locked,
            project=locked.project,
            currency=locked.currency,
            economic_summary=locked.economic_summary,
            social_summary=locked.social_summary,
            psychosocial_summary=locked.psychosocial_summary,
            collective=locked.collective,
            total=locked.total,
            created_by=user,
        )
        PlanAssistance.objects.bulk_create(
            PlanAssistance(
                plan=draft,
                category=a.category,
                kind=a.kind,
                description=a.description,
                referral=a.referral,
            )
            for a in locked.assistances.all()
        )
        PlanItem.objects.bulk_create(
            PlanItem(
                plan=draft,
                kind=i.kind,
                description=i.description,
                quantity=i.quantity,
                unit=i.unit,
                unit_cost=i.unit_cost,
                total=i.total,
                supplier_id=i.supplier_id,
            )
            for i in locked.items.all()
        )
        touch_case(case, locked_case)
        audit(
            user,
            PLAN_REVISED,
            draft,
            case=case,
            changes={"revision": draft.revision, "previous": locked.pk},
        )
    draft.case = case
    return draft


def plan_cap(plan: Plan):
    """The cap that applies to `plan` now (None when none is configured): for display."""
    return cap_for(_case(plan), plan.project)
