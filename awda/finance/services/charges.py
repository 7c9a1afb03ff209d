"""The cost ledger: every cost recorded anywhere (assistance lines, tickets, pocket money,
reintegration purchases, cash tranches, paid referrals) is charged to a project's budget line.

The services that record those costs call `charge_post` in their own transaction with the
source record's current state (a CostSpec); the charge follows it: committed, spent, or released
when the source is cancelled. A charge keeps its budget line when it is posted again (a finance
officer may have moved it), unless its project changes.

Budget rules, in the project's currency:
- committed + spent on a line may not pass its allocation plus the overrides finance granted
  (`budget_exceeded`); a cost accepted past the allocation is flagged `over_budget`;
- a person may not receive more than the project's per-person cap of the category
  (`over_person_cap`); a cost accepted past it is flagged `over_cap`.
They refuse a posting only when the cost grows in its own terms: a new cost, a released one
brought back, a larger amount in the same currency, another currency, project or line (and, for
the cap, another person or category). A cost that has not grown is never refused, whatever the
conversion gives (a later day's rate when a commitment is spent, a rate recorded after the
cost): the event has happened, so it is flagged instead. A cost with no exchange rate yet is
accepted unconverted ("awaiting a rate") and converted, and flagged if need be, when finance
enters the rate (`charges_convert_pending`). A cost the rules do not look at again (its amount
in the project's currency did not rise) keeps its flags; a released cost loses them.

Locks, always in this order: the charge, then its budget line, then the per-person cap
(select_for_update(of=("self",)), so no joined row is locked); budget.py locks the project,
then a line."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.core.errors import ValidationFailed

from ..choices import ChargeStage
from ..models import BudgetLine, Charge, PersonCap, Project
from .rates import FoundRate, rate_for

ACTIVE = (ChargeStage.COMMITTED, ChargeStage.SPENT)


@dataclass(frozen=True)
class CostSpec:
    """A source record's cost as it stands now."""

    source: str  # ChargeSource
    source_id: int
    category: str  # CostCategory
    case: object  # cases.Case
    person: object | None  # registry.Person
    project: Project
    amount: Decimal
    currency: str
    stage: str  # ChargeStage
    on_date: datetime.date  # the day of this stage (ordered, paid, given, cancelled)
    description: str = ""


def resolve_line(project: Project, category: str) -> BudgetLine | None:
    """The line of the project paying for this category: the first (by code) listing it, else
    the first line without categories (the general line); None when the project has neither."""
    lines = list(BudgetLine.objects.filter(project=project).order_by("code", "id"))
    for line in lines:
        if category in (line.categories or []):
            return line
    for line in lines:
        if not line.categories:
            return line
    return None


def line_usage(line_id: int, *, exclude_charge_id=None) -> Decimal:
    """Committed + spent on a line, in the project's currency (converted charges only)."""
    qs = Charge.objects.filter(budget_line_id=line_id, stage__in=ACTIVE)
    if exclude_charge_id:
        qs = qs.exclude(pk=exclude_charge_id)
    return qs.aggregate(s=Sum("project_amount"))["s"] or Decimal(0)


def _money(value, currency) -> str:
    return f"{value:,.2f} {currency}"


def check_line(line, amount: Decimal, *, exclude_charge_id=None, refuse: bool = True) -> bool:
    """Lock the line (a BudgetLine or its id); with `refuse`, refuse `amount` more past its
    allocation and overrides (budget_exceeded). True when the cost takes the line past its
    allocation (accepted under an override, or not refused: flagged over_budget)."""
    line = (
        BudgetLine.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=getattr(line, "pk", line))
    )
    used = line_usage(line.pk, exclude_charge_id=exclude_charge_id)
    currency = line.project.currency
    ceiling = line.amount + line.overrun_allowed
    if refuse and used + amount > ceiling:
        raise ValidationFailed(
            _(
                "Budget line %(line)s of project %(project)s cannot take this cost: %(amount)s "
                "would bring it to %(total)s for %(ceiling)s allocated. A finance officer may "
                "override the line with a reason."
            )
            % {
                "line": f"{line.code} {line.name}",
                "project": line.project.code,
                "amount": _money(amount, currency),
                "total": _money(used + amount, currency),
                "ceiling": _money(ceiling, currency),
            },
            code="budget_exceeded",
            details={
                "budget_line": line.pk,
                "allocated": str(line.amount),
                "overrun_allowed": str(line.overrun_allowed),
                "used": str(used),
                "amount": str(amount),
                "currency": currency,
            },
        )
    return used + amount > line.amount


def check_person_cap(
    *,
    project: Project,
    person_id,
    category: str,
    amount: Decimal,
    exclude_charge_id=None,
    refuse: bool = True,
) -> bool:
    """Lock the project's cap of `category` (concurrent postings for a person wait for each
    other); with `refuse`, refuse a cost taking the person's committed + spent of the category
    past it (over_person_cap). True when it does (the cost, not refused, is flagged over_cap);
    False without a person or a cap."""
    if person_id is None:
        return False
    cap = (
        PersonCap.objects.select_for_update(of=("self",))
        .filter(project=project, category=category)
        .first()
    )
    if cap is None:
        return False
    qs = Charge.objects.filter(
        person_id=person_id, project=project, category=category, stage__in=ACTIVE
    )
    if exclude_charge_id:
        qs = qs.exclude(pk=exclude_charge_id)
    used = qs.aggregate(s=Sum("project_amount"))["s"] or Decimal(0)
    if used + amount <= cap.amount:
        return False
    if not refuse:
        return True
    currency = project.currency
    raise ValidationFailed(
        _(
            "This person would receive %(total)s of %(category)s under project %(project)s; "
            "the project pays at most %(cap)s per person."
        )
        % {
            "total": _money(used + amount, currency),
            "category": cap.get_category_display(),
            "project": project.code,
            "cap": _money(cap.amount, currency),
        },
        code="over_person_cap",
        details={
            "category": category,
            "cap": str(cap.amount),
            "used": str(used),
            "amount": str(amount),
            "currency": currency,
        },
    )


def warning_for(line: BudgetLine | None, *, used: Decimal | None = None) -> str:
    """A message when the line has passed its warning threshold ("" otherwise); `used`: the
    line's committed + spent when the caller knows it."""
    if line is None or not line.amount:
        return ""
    if used is None:
        used = line_usage(line.pk)
    percent = used * 100 / line.amount
    if percent < line.warning_percent:
        return ""
    return _("Budget line %(line)s of project %(project)s is %(percent)s%% used.") % {
        "line": f"{line.code} {line.name}",
        "project": line.project.code,
        "percent": f"{percent:.0f}",
    }


def _grows(charge: Charge | None, spec: CostSpec, line_id) -> bool:
    """Does the cost grow in its own terms (what the budget rules may refuse)? A new cost, a
    released one brought back, another currency, project or line, a larger amount. A cost
    re-converted at another day's rate, or moving from committed to spent, does not."""
    if charge is None or charge.stage not in ACTIVE:
        return True
    if (
        charge.currency != spec.currency
        or charge.project_id != spec.project.pk
        or charge.budget_line_id != line_id
    ):
        return True
    return spec.amount > charge.amount


@transaction.atomic
def charge_post(user, *, spec: CostSpec, budget_line=None, enforce: bool = True) -> Charge | None:
    """Create or update the charge of a source record to match `spec` (in the caller's
    transaction). Released with no charge yet: nothing to do (None). The budget rules refuse
    only a cost that grows in its own terms (see the module); otherwise, and always with
    enforce=False (the rebuild of the ledger from the records), they only flag."""
    charge = (
        Charge.objects.select_for_update(of=("self",))
        .filter(source=spec.source, source_id=spec.source_id)
        .first()
    )
    if spec.stage == ChargeStage.RELEASED:
        if charge is None or charge.stage == ChargeStage.RELEASED:
            if charge is not None:
                charge.warning = ""
            return charge
        charge.stage = ChargeStage.RELEASED
        charge.released_on = spec.on_date
        # a released cost no longer weighs on its line nor on the person's cap
        charge.over_budget = charge.over_cap = False
        charge.save(update_fields=["stage", "released_on", "over_budget", "over_cap", "updated_at"])
        charge.warning = ""
        return charge

    project = spec.project
    if budget_line is not None:
        if budget_line.project_id != project.pk:
            raise ValidationFailed(
                _("This budget line belongs to another project."),
                fields={
                    "budget_line": [
                        _("Choose a line of project %(code)s.") % {"code": project.code}
                    ]
                },
            )
        line = budget_line
    elif charge is not None and charge.project_id == project.pk and charge.budget_line_id:
        line = charge.budget_line
    else:
        line = resolve_line(project, spec.category)
    line_id = line.pk if line is not None else None

    found = rate_for(spec.currency, project.currency, spec.on_date)
    project_amount = found.convert(spec.amount) if found else None

    before = Decimal(0)
    if (
        charge is not None
        and charge.stage in ACTIVE
        and charge.budget_line_id == line_id
        and charge.project_amount is not None
    ):
        before = charge.project_amount
    grows = _grows(charge, spec, line_id)
    person_id = spec.person.pk if spec.person is not None else None
    grows_for_person = grows or (charge.person_id != person_id or charge.category != spec.category)
    # in the project's currency: more than the line (and the person) carried of it before, e.g.
    # re-converted at a later day's rate, or converted for the first time
    rises = project_amount is not None and project_amount > before
    # A cost the rules do not look at again keeps its flags (they say how it was accepted).
    over_budget = charge.over_budget if not grows else False
    over_cap = charge.over_cap if not grows_for_person else False
    exclude = charge.pk if charge is not None else None
    if project_amount is not None:
        if line is not None and (grows or rises):
            over_budget = check_line(
                line, project_amount, exclude_charge_id=exclude, refuse=enforce and grows
            )
        if grows_for_person or rises:
            over_cap = check_person_cap(
                project=project,
                person_id=person_id,
                category=spec.category,
                amount=project_amount,
                exclude_charge_id=exclude,
                refuse=enforce and grows_for_person,
            )

    if charge is None:
        charge = Charge(source=spec.source, source_id=spec.source_id, recorded_by=user)
    charge.category = spec.category
    charge.case = spec.case
    charge.person = spec.person
    charge.office_id = spec.case.office_id
    charge.project = project
    charge.budget_line = line
    charge.description = (spec.description or "")[:300]
    charge.amount = spec.amount
    charge.currency = spec.currency
    if spec.stage == ChargeStage.COMMITTED:
        charge.committed_on = charge.committed_on or spec.on_date
        charge.spent_on = None
    else:
        charge.spent_on = spec.on_date
    charge.stage = spec.stage
    charge.released_on = None
    _set_rate(charge, found, spec.on_date)
    charge.project_amount = project_amount
    charge.over_budget = bool(over_budget) and line is not None and project_amount is not None
    charge.over_cap = bool(over_cap) and person_id is not None and project_amount is not None
    charge.save()
    charge.warning = warning_for(line) if rises and line is not None else ""
    return charge


def _set_rate(charge: Charge, found: FoundRate | None, on_date) -> None:
    """Keep the rate as recorded, which way it was applied and its first day (the cost's day
    for the same currency); all empty while awaiting a rate."""
    if found is None:
        charge.rate, charge.rate_inverted, charge.rate_on = None, False, None
        return
    charge.rate = found.rate
    charge.rate_inverted = found.inverted
    charge.rate_on = found.valid_from if found.valid_from is not None else on_date


def charge_post_history(user, history: list[CostSpec]) -> Charge | None:
    """Post a record's cost at its latest stage (`history`: its stages, oldest first). A record
    not on the ledger yet (recorded before the ledger existed, or given a cost late) gets its
    earlier stages first, as the rebuild does, so its charge keeps the day it was committed;
    released with no charge yet: nothing to do."""
    last = history[-1]
    if len(history) > 1:
        known = Charge.objects.filter(source=last.source, source_id=last.source_id).exists()
        if not known:
            if last.stage == ChargeStage.RELEASED:
                return None
            for spec in history[:-1]:
                charge_post(user, spec=spec)
    return charge_post(user, spec=last)


@transaction.atomic
def charges_convert_pending(*, currency: str | None = None) -> int:
    """Convert the charges still awaiting a rate (now that one may exist); returns how many were
    converted. The costs have happened: one that takes its line past the allocation is flagged
    over_budget, one that takes its person past the project's cap over_cap, never refused."""
    qs = Charge.objects.filter(project_amount__isnull=True, stage__in=ACTIVE)
    if currency:
        qs = qs.filter(currency=currency)
    rates: dict[tuple, FoundRate | None] = {}
    converted = 0
    for pk in list(qs.order_by("pk").values_list("pk", flat=True)):
        charge = (
            Charge.objects.select_for_update(of=("self",))
            .select_related("project")
            .filter(pk=pk, project_amount__isnull=True, stage__in=ACTIVE)
            .first()
        )
        if charge is None:  # converted or released meanwhile
            continue
        on_date = charge.spent_on or charge.committed_on
        key = (charge.currency, charge.project.currency, on_date)
        if key not in rates:
            rates[key] = rate_for(*key)
        found = rates[key]
        if found is None:
            continue
        _set_rate(charge, found, on_date)
        charge.project_amount = found.convert(charge.amount)
        if charge.budget_line_id:
            charge.over_budget = check_line(
                charge.budget_line_id,
                charge.project_amount,
                exclude_charge_id=charge.pk,
                refuse=False,
            )
        charge.over_cap = check_person_cap(
            project=charge.project,
            person_id=charge.person_id,
            category=charge.category,
            amount=charge.project_amount,
            exclude_charge_id=charge.pk,
            refuse=False,
        )
        charge.save(
            update_fields=[
                "rate",
                "rate_inverted",
                "rate_on",
                "project_amount",
                "over_budget",
                "over_cap",
                "updated_at",
            ]
        )
        converted += 1
    return converted


# The ledger can be rebuilt from the records: each app recording costs registers a function
# yielding (recorded_by, CostSpec) for all its records (see `charges_rebuild`).
SOURCES: dict[str, Callable[[], Iterable[tuple[object, CostSpec]]]] = {}


def register_source(source: str, specs: Callable[[], Iterable[tuple[object, CostSpec]]]) -> None:
    SOURCES[source] = specs


CHARGES_REBUILT = "finance.charges.rebuilt"


@transaction.atomic
def charges_rebuild(*, sources: Iterable[str] | None = None, user=None) -> dict[str, int]:
    """Post every registered source's records again (budget rules flag, never refuse): fills
    the ledger after an upgrade and repairs it; idempotent. Returns the postings per source,
    also written to one audit event (finance.charges.rebuilt), by `user` or the system (the
    management command)."""
    counts = {}
    for source in sources or sorted(SOURCES):
        n = 0
        for recorder, spec in SOURCES[source]():
            charge_post(recorder, spec=spec, enforce=False)
            n += 1
        counts[source] = n
    audit_record(
        user,
        action=CHARGES_REBUILT,
        object_type="finance.charge",
        object_repr="ledger",
        changes={"postings": counts, "total": sum(counts.values())},
    )
    return counts
