"""Budget lines, overrides and per-person caps of a project (finance officers of its mission).

Rules:
- a line's code is unique in its project; a cost category is paid by at most one line of a
  project (a line without categories is the project's general line: at most one too), so
  `charges.resolve_line` always finds one answer;
- the allocation may be lowered below what the line already carries (a donor cuts a budget):
  the costs stay where they are, the line shows as over and takes no new cost until finance
  raises it again or grants an override; the service returns a warning saying so;
- changing a line's categories moves no existing charge (finance moves them one by one with
  `charge_reallocate`); new costs follow the new categories;
- an override adds an amount to the line's `overrun_allowed` (F(), so two officers granting at
  once both count) with a reason; it is kept and listed, never edited;
- a line with charges or overrides is never deleted (its history would go with it).

Every change is audited in its transaction (finance.budget_line.*, finance.budget_override.*,
finance.person_cap.*)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record, diff, snapshot
from awda.core.errors import ValidationFailed

from ..choices import NOT_PER_PERSON, CostCategory
from ..models import BudgetLine, BudgetOverride, Charge, PersonCap, Project
from ._common import check_amount, check_text, check_version, money, raise_if, require
from .charges import line_usage

LINE_CREATED = "finance.budget_line.created"
LINE_UPDATED = "finance.budget_line.updated"
LINE_DELETED = "finance.budget_line.deleted"
OVERRIDE_GRANTED = "finance.budget_override.granted"
CAP_SET = "finance.person_cap.set"
CAP_REMOVED = "finance.person_cap.removed"

LINE_FIELDS = ["code", "name", "amount", "categories", "warning_percent"]


def _lock_project(project: Project) -> Project:
    """Line edits of a project are serialised on the project row (the category rule spans the
    project's lines)."""
    return Project.objects.select_for_update(of=("self",)).get(pk=project.pk)


def _check_line_fields(errors, project, data, *, line=None) -> dict:
    out = {}
    if "code" in data:
        code = check_text(errors, "code", data["code"], max_length=20)
        if code and (
            BudgetLine.objects.filter(project=project, code__iexact=code)
            .exclude(pk=line.pk if line else None)
            .exists()
        ):
            errors["code"] = [_("Another line of this project has this code.")]
        out["code"] = code
    if "name" in data:
        out["name"] = check_text(errors, "name", data["name"], max_length=200)
    if "amount" in data:
        out["amount"] = check_amount(errors, "amount", data["amount"], allow_zero=True)
    if "warning_percent" in data:
        value = data["warning_percent"]
        try:
            percent = int(value)
        except (TypeError, ValueError):
            percent = None
        if percent is None or isinstance(value, bool) or not 1 <= percent <= 100:
            errors["warning_percent"] = [_("Enter a whole number from 1 to 100.")]
        out["warning_percent"] = percent
    if "categories" in data:
        out["categories"] = _check_categories(errors, project, data["categories"], line=line)
    return out


def _check_categories(errors, project, value, *, line=None) -> list[str]:
    if value is None:
        value = []
    if isinstance(value, str) or not all(isinstance(c, str) for c in value):
        errors["categories"] = [_("Choose cost categories from the list.")]
        return []
    categories = list(dict.fromkeys(value))  # unique, in the order given
    unknown = [c for c in categories if c not in CostCategory.values]
    if unknown:
        errors["categories"] = [
            _("Unknown cost category: %(codes)s.") % {"codes": ", ".join(unknown)}
        ]
        return categories
    others = BudgetLine.objects.filter(project=project).exclude(pk=line.pk if line else None)
    labels = dict(CostCategory.choices)
    taken = []
    for other in others:
        if not categories and not other.categories:
            errors["categories"] = [
                _(
                    "Line %(code)s is already the project's general line (no categories): "
                    "choose the categories this line pays for."
                )
                % {"code": other.code}
            ]
            return categories
        for c in categories:
            if c in (other.categories or []):
                taken.append(f"{labels[c]} ({other.code})")
    if taken:
        errors["categories"] = [
            _("Already paid by another line of the project: %(list)s.") % {"list": ", ".join(taken)}
        ]
    return categories


def _lowered_warning(line: BudgetLine) -> str:
    used = line_usage(line.pk)
    if used <= line.amount:
        return ""
    currency = line.project.currency
    return _(
        "Line %(code)s already carries %(used)s, more than its new allocation of %(amount)s: "
        "it takes no new cost until it is raised or overridden."
    ) % {"code": line.code, "used": money(used, currency), "amount": money(line.amount, currency)}


@transaction.atomic
def budget_line_create(
    user,
    *,
    project: Project,
    code: str,
    name: str,
    amount,
    categories=(),
    warning_percent: int = 90,
) -> BudgetLine:
    """Add a line to the project's budget. The returned line has `warning` ("" if none)."""
    require(user, "finance.manage", project)
    project = _lock_project(project)
    errors: dict = {}
    data = {
        "code": code,
        "name": name,
        "amount": amount,
        "categories": list(categories or []),
        "warning_percent": warning_percent,
    }
    clean = _check_line_fields(errors, project, data)
    raise_if(errors)
    line = BudgetLine.objects.create(project=project, **clean)
    audit_record(
        user,
        action=LINE_CREATED,
        obj=line,
        object_repr=f"{project.code} {line}",
        changes={"project": project.pk, **snapshot(line, LINE_FIELDS)},
    )
    line.warning = ""
    return line


@transaction.atomic
def budget_line_update(user, *, line: BudgetLine, expected_version, **data) -> BudgetLine:
    """Edit a line (code, name, amount, categories, warning_percent); send the version read
    (StaleEdit otherwise). Lowering the amount below what the line carries is accepted with a
    warning (`line.warning`)."""
    require(user, "finance.manage", line.project)
    unknown = set(data) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    project = _lock_project(line.project)
    line = BudgetLine.objects.select_for_update(of=("self",)).get(pk=line.pk)
    check_version(line, expected_version)
    errors: dict = {}
    clean = _check_line_fields(errors, project, data, line=line)
    raise_if(errors)
    before = snapshot(line, LINE_FIELDS)
    for name, value in clean.items():
        setattr(line, name, value)
    changes = diff(before, snapshot(line, LINE_FIELDS))
    line.project = project
    if changes:
        line.version += 1
        line.save(update_fields=[*clean, "version", "updated_at"])
        audit_record(
            user,
            action=LINE_UPDATED,
            obj=line,
            object_repr=f"{project.code} {line}",
            changes=changes,
        )
    line.warning = _lowered_warning(line) if "amount" in changes else ""
    return line


@transaction.atomic
def budget_line_delete(user, *, line: BudgetLine, expected_version) -> None:
    """Remove a line created by mistake: only while no charge nor override refers to it."""
    require(user, "finance.manage", line.project)
    _lock_project(line.project)
    line = (
        BudgetLine.objects.select_for_update(of=("self",)).select_related("project").get(pk=line.pk)
    )
    check_version(line, expected_version)
    if Charge.objects.filter(budget_line=line).exists() or line.overrides.exists():
        raise ValidationFailed(
            _(
                "Line %(code)s has costs or overrides: it cannot be deleted. Move its costs to "
                "another line first, or set its allocation to zero."
            )
            % {"code": line.code},
            code="line_in_use",
        )
    audit_record(
        user,
        action=LINE_DELETED,
        obj=line,
        object_repr=f"{line.project.code} {line}",
        changes={"project": line.project_id, **snapshot(line, LINE_FIELDS)},
    )
    line.delete()


@transaction.atomic
def budget_override_grant(user, *, line: BudgetLine, amount, reason: str) -> BudgetOverride:
    """Accept costs past 100 % of the line, up to `amount` more (added to what earlier overrides
    allow), for a stated reason."""
    require(user, "finance.manage", line.project)
    errors: dict = {}
    amount = check_amount(errors, "amount", amount)
    reason = check_text(errors, "reason", reason, max_length=2000)
    raise_if(errors)
    BudgetLine.objects.filter(pk=line.pk).update(
        overrun_allowed=F("overrun_allowed") + amount, updated_at=timezone.now()
    )
    line = BudgetLine.objects.select_related("project").get(pk=line.pk)
    override = BudgetOverride.objects.create(
        line=line, amount=amount, reason=reason, granted_by=user
    )
    audit_record(
        user,
        action=OVERRIDE_GRANTED,
        obj=override,
        object_repr=f"{line.project.code} {line}",
        changes={
            "line": line.pk,
            "amount": amount,
            "reason": reason,
            "overrun_allowed": line.overrun_allowed,
        },
    )
    override.line = line
    return override


@transaction.atomic
def person_cap_set(user, *, project: Project, category: str, amount) -> PersonCap:
    """Set (create or change) the most the project pays one person in `category`, in the
    project's currency. Costs already accepted stay; new ones are checked against it."""
    require(user, "finance.manage", project)
    errors: dict = {}
    if category not in CostCategory.values:
        errors["category"] = [_("Choose a cost category from the list.")]
    elif category in NOT_PER_PERSON:
        errors["category"] = [
            _(
                "Costs of the category %(category)s are charged to the case, never to a "
                "person: a per-person cap would never apply. The reintegration caps per "
                "returnee or per case limit them."
            )
            % {"category": CostCategory(category).label}
        ]
    amount = check_amount(errors, "amount", amount, allow_zero=True)
    raise_if(errors)
    cap = (
        PersonCap.objects.select_for_update(of=("self",))
        .filter(project=project, category=category)
        .first()
    )
    before = cap.amount if cap else None
    if cap is None:
        cap = PersonCap.objects.create(project=project, category=category, amount=amount)
    elif cap.amount != amount:
        cap.amount = amount
        cap.save(update_fields=["amount", "updated_at"])
    if before != amount:
        audit_record(
            user,
            action=CAP_SET,
            obj=cap,
            object_repr=f"{project.code} {cap.get_category_display()}",
            changes={
                "project": project.pk,
                "category": category,
                "amount": {"from": before, "to": amount},
            },
        )
    return cap


@transaction.atomic
def person_cap_remove(user, *, cap: PersonCap) -> None:
    require(user, "finance.manage", cap.project)
    audit_record(
        user,
        action=CAP_REMOVED,
        obj=cap,
        object_repr=f"{cap.project.code} {cap.get_category_display()}",
        changes={"project": cap.project_id, "category": cap.category, "amount": cap.amount},
    )
    cap.delete()
