"""Finance reference data of the demo: budget lines per project, monthly exchange rates, the
donors' contributions and per-person caps.

Like the rest of the reference data (reference.py), these are what finance officers and
administrators configure; the demo writes them directly, idempotently, with an audit event for
each creation, as the admin does.

The budgets are sized on what the demo's story actually costs: before the story is replayed
(`ensure_budget_lines`) each line gets room for anything (so no cost of the story is refused
on a budget a random story cannot predict); afterwards (`size_budgets`) each line's allocation
is set so that its committed and spent costs use 40 to 90 % of it, and one line (the tickets
of the current SEM project, or else the busiest line) about 93 %, past its warning threshold. A
line the story never used is removed. The per-person caps are set before the story and hold
during it (the demo's pocket money stays under them)."""

import datetime
import math
from decimal import ROUND_CEILING, Decimal

from django.db.models import F, Sum

from awda.audit.services import audit_record, snapshot
from awda.finance.choices import ChargeStage, CostCategory
from awda.finance.models import BudgetLine, Charge, Contribution, ExchangeRate, PersonCap, Project

C = CostCategory
PRE_DEPARTURE = [
    C.MEDICAL,
    C.ACCOMMODATION,
    C.FOOD,
    C.NON_FOOD,
    C.PSYCHOSOCIAL,
    C.ADMINISTRATIVE,
    C.CASH,
    C.TRANSPORT,
]
# code, name (in French, as the budgets are written), categories
LINES = (
    ("1.1", "Assistance avant le départ", [str(c) for c in PRE_DEPARTURE]),
    ("1.2", "Billets d'avion et argent de poche", [C.TICKET.value, C.POCKET_MONEY.value]),
    (
        "2.1",
        "Réintégration (en nature, en espèces, référencements)",
        [C.REINTEGRATION_IN_KIND.value, C.REINTEGRATION_CASH.value, C.REINTEGRATION_REFERRAL.value],
    ),
)
# Room for anything while the story is replayed (see the module's docstring).
PROVISIONAL = Decimal("999999999.00")
# Shares of the allocation the costs use once sized (cycled over the lines), and the one line
# shown past its warning threshold (90 %).
SHARES = (0.62, 0.78, 0.47, 0.84, 0.55, 0.71, 0.88, 0.43, 0.66, 0.75, 0.51, 0.81)
WARNED_SHARE = 0.93

# Per-person caps in each project's currency: pocket money (the demo pays 300 MAD) and the
# pre-departure cash allowance.
PERSON_CAPS = {
    "CHF": {C.POCKET_MONEY: "60.00", C.CASH: "150.00"},
    "EUR": {C.POCKET_MONEY: "60.00", C.CASH: "150.00"},
    "NOK": {C.POCKET_MONEY: "650.00", C.CASH: "1600.00"},
}

# Monthly rates: 1 `currency` = `rate` `to_currency`, around `base` by up to `swing`; XOF is
# pegged to the euro.
RATES = (
    ("EUR", "MAD", "10.90", "0.10"),
    ("CHF", "MAD", "11.45", "0.25"),
    ("USD", "MAD", "10.00", "0.15"),
    ("NOK", "MAD", "0.930", "0.030"),
    ("EUR", "XOF", "655.957", "0"),
    ("EUR", "GNF", "9400", "100"),
    ("EUR", "CHF", "0.950", "0.020"),
    ("EUR", "USD", "1.085", "0.035"),
)
RATE_SOURCE = "Bank Al-Maghrib (cours de référence, démo)"
ACTIVE = (ChargeStage.COMMITTED, ChargeStage.SPENT)


def _created(obj, fields):
    audit_record(
        None, action=f"{obj._meta.label_lower}.created", obj=obj, changes=snapshot(obj, fields)
    )


def _months(first: datetime.date, last: datetime.date):
    day = first.replace(day=1)
    while day <= last:
        yield day
        day = (day + datetime.timedelta(days=32)).replace(day=1)


def rate_on(base: Decimal, swing: Decimal, index: int) -> Decimal:
    """A smooth, deterministic monthly wander around `base` (two waves, within +- swing)."""
    wave = 0.7 * math.sin(index * 2 * math.pi / 17) + 0.3 * math.sin(index * 2 * math.pi / 5)
    places = Decimal(1).scaleb(min(base.as_tuple().exponent, -4))
    return (base + swing * Decimal(str(round(wave, 6)))).quantize(places)


def ensure_exchange_rates(recorder, *, reference_date: datetime.date) -> int:
    """Monthly rates from four years before the reference year to the reference month."""
    first = datetime.date(reference_date.year - 4, 1, 1)
    existing = set(
        ExchangeRate.objects.filter(valid_from__gte=first).values_list(
            "currency", "to_currency", "valid_from"
        )
    )
    rows = []
    for index, month in enumerate(_months(first, reference_date)):
        for currency, to_currency, base, swing in RATES:
            if (currency, to_currency, month) in existing:
                continue
            rows.append(
                ExchangeRate(
                    currency=currency,
                    to_currency=to_currency,
                    rate=rate_on(Decimal(base), Decimal(swing), index),
                    valid_from=month,
                    source=RATE_SOURCE,
                    recorded_by=recorder,
                )
            )
    ExchangeRate.objects.bulk_create(rows)
    if rows:
        audit_record(
            recorder,
            action="finance.exchange_rate.imported",
            object_type="finance.exchangerate",
            changes={"rates": len(rows), "source": RATE_SOURCE},
        )
    return len(rows)


def ensure_person_caps(projects) -> None:
    for project in projects:
        for category, amount in PERSON_CAPS.get(project.currency, {}).items():
            cap, created = PersonCap.objects.get_or_create(
                project=project, category=category, defaults={"amount": Decimal(amount)}
            )
            if created:
                _created(cap, ["project", "category", "amount"])


def ensure_budget_lines(projects) -> None:
    """The demo's lines of every project, with room for anything until `size_budgets`."""
    for project in projects:
        for code, name, categories in LINES:
            line = BudgetLine.objects.filter(project=project, code=code).first()
            if line is None:
                line = BudgetLine.objects.create(
                    project=project,
                    code=code,
                    name=name,
                    amount=PROVISIONAL,
                    categories=list(categories),
                )
                _created(line, ["project", "code", "name", "amount", "categories"])
            elif line.amount != PROVISIONAL:  # seeded again: room for the new cases' costs
                BudgetLine.objects.filter(pk=line.pk).update(
                    amount=PROVISIONAL, version=F("version") + 1
                )


def _ceil(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def size_budgets(projects, *, year: int) -> None:
    """Size each demo line on its costs (see the module's docstring); remove unused lines."""
    codes = [code for code, _name, _categories in LINES]
    lines = list(
        BudgetLine.objects.filter(project__in=projects, code__in=codes)
        .select_related("project")
        .order_by("project__code", "code")
    )
    used = dict(
        Charge.objects.filter(budget_line__in=lines, stage__in=ACTIVE)
        .values("budget_line")
        .annotate(total=Sum("project_amount"))
        .values_list("budget_line", "total")
    )
    referenced = set(
        Charge.objects.filter(budget_line__in=lines).values_list("budget_line", flat=True)
    )
    busy = [line for line in lines if (used.get(line.pk) or 0) > 0]
    warned = next(
        (
            line
            for line in busy
            if line.project.code == f"MA-SEM-{year}" and C.TICKET.value in line.categories
        ),
        max(busy, key=lambda line: used[line.pk], default=None),
    )
    shares = iter(SHARES * (len(lines) // len(SHARES) + 1))
    for line in lines:
        usage = used.get(line.pk) or Decimal(0)
        if usage <= 0:
            if line.pk in referenced:  # only released costs: a small line, unused
                amount = Decimal("1000.00")
            else:
                audit_record(
                    None,
                    action="finance.budgetline.deleted",
                    obj=line,
                    changes=snapshot(line, ["project", "code", "name"]),
                )
                line.delete()
                continue
        elif line == warned:
            amount = _ceil(usage / Decimal(str(WARNED_SHARE)), Decimal(1))
        else:
            amount = _ceil(usage / Decimal(str(next(shares))), Decimal(10))
        before = line.amount
        BudgetLine.objects.filter(pk=line.pk).update(amount=amount, version=F("version") + 1)
        if before != PROVISIONAL:
            audit_record(
                None,
                action="finance.budgetline.updated",
                obj=line,
                changes={"amount": {"from": str(before), "to": str(amount)}},
            )


def ensure_contributions(projects, donors_of: dict, recorder, *, reference_date) -> None:
    """The donor's contributions to each project with a budget: half of it at the start, 30 %
    six months later and the rest a year after the start (those received by the reference
    date)."""
    totals = dict(
        BudgetLine.objects.filter(project__in=projects)
        .values("project")
        .annotate(total=Sum("amount"))
        .values_list("project", "total")
    )
    for project in projects:
        total = totals.get(project.pk)
        donor = donors_of.get(project.pk)
        if not total or donor is None:
            continue
        for n, (months, share) in enumerate(((0, "0.5"), (6, "0.3"), (12, "0.2")), start=1):
            received = _add_months(project.start_date, months)
            if received > reference_date or received > project.end_date:
                break
            reference = f"{project.code}-T{n}"
            if Contribution.objects.filter(project=project, reference=reference).exists():
                continue
            contribution = Contribution.objects.create(
                project=project,
                donor=donor,
                amount=(total * Decimal(share)).quantize(Decimal("0.01")),
                currency=project.currency,
                received_on=received,
                reference=reference,
                recorded_by=recorder,
            )
            _created(contribution, ["project", "donor", "amount", "currency", "received_on"])


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def finish(projects: list[Project], recorder, *, reference_date: datetime.date) -> None:
    """After the story: size the budgets, then record the contributions."""
    size_budgets(projects, year=reference_date.year)
    donors_of = {p.pk: p.donors.order_by("pk").first() for p in projects}
    ensure_contributions(projects, donors_of, recorder, reference_date=reference_date)
