"""Cost summaries from the ledger: per case (per person, per project and per cost category,
committed and spent in the original currencies and in the project's currency, with the charges)
and per person across the cases a user may see.

The callers have resolved the case through the scoped case selectors and checked the case policy
(`assistance.view`); these functions read what the case's charges say. A case's costs may be
charged to several projects (pre-departure costs to the host mission's project, reintegration to
the origin mission's), each in its own currency: project amounts are never added across
projects. The sums of the project amounts per project are the same numbers the project's budget
view adds up, to the cent."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from .choices import ChargeStage, CostCategory
from .models import Charge

ZERO = Decimal("0.00")
ACTIVE = (ChargeStage.COMMITTED, ChargeStage.SPENT)


@dataclass
class CostRow:
    """Committed and spent of one (person, project, category): per original currency and, for
    the converted charges, in the project's currency; `awaiting` charges have no rate yet."""

    category: str
    committed_by_currency: dict[str, Decimal] = field(default_factory=dict)
    spent_by_currency: dict[str, Decimal] = field(default_factory=dict)
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    awaiting: int = 0

    @property
    def category_label(self) -> str:
        return str(dict(CostCategory.choices).get(self.category, self.category))

    @property
    def total(self) -> Decimal:
        return self.committed + self.spent

    def add(self, charge: Charge) -> None:
        by = self.committed_by_currency if charge.stage == ChargeStage.COMMITTED else None
        by = self.spent_by_currency if by is None else by
        by[charge.currency] = by.get(charge.currency, ZERO) + charge.amount
        if charge.project_amount is None:
            self.awaiting += 1
        elif charge.stage == ChargeStage.COMMITTED:
            self.committed += charge.project_amount
        else:
            self.spent += charge.project_amount


@dataclass
class ProjectCosts:
    project: object
    rows: list[CostRow] = field(default_factory=list)

    @property
    def committed(self) -> Decimal:
        return sum((r.committed for r in self.rows), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((r.spent for r in self.rows), ZERO)

    @property
    def total(self) -> Decimal:
        return self.committed + self.spent

    @property
    def awaiting(self) -> int:
        return sum(r.awaiting for r in self.rows)


@dataclass
class PersonCosts:
    person: object | None  # None: costs of the case as a whole
    is_principal: bool = False
    is_member: bool = True
    projects: list[ProjectCosts] = field(default_factory=list)
    # across every case the user may see (person_costs_across), per project
    all_cases: list[dict] = field(default_factory=list)


@dataclass
class CaseCosts:
    persons: list[PersonCosts]
    projects: list[ProjectCosts]  # the case's totals per project (rows per category)
    by_currency: dict[str, dict[str, Decimal]]  # currency -> {"committed", "spent"}
    charges: list[Charge]

    @property
    def awaiting(self) -> int:
        return sum(p.awaiting for p in self.projects)

    @property
    def is_empty(self) -> bool:
        return not self.charges


def _group(charges, key_person: bool):
    """{(person_id?, project_id): {category: CostRow}} of the active charges."""
    out: dict = {}
    for c in charges:
        if c.stage not in ACTIVE:
            continue
        key = (c.person_id, c.project_id) if key_person else c.project_id
        rows = out.setdefault(key, {})
        rows.setdefault(c.category, CostRow(category=c.category)).add(c)
    return out


def _ordered(rows: dict) -> list[CostRow]:
    order = {v: i for i, v in enumerate(CostCategory.values)}
    return sorted(rows.values(), key=lambda r: order.get(r.category, 99))


def case_costs(case, *, members=None) -> CaseCosts:
    """The costs of `case` (two queries: the charges with their persons, projects and lines, and
    the members unless given)."""
    charges = list(
        Charge.objects.filter(case=case)
        .select_related("person", "project", "budget_line")
        .order_by("-created_at", "-id")
    )
    if members is None:
        members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    projects = {c.project_id: c.project for c in charges}
    project_order = sorted(projects, key=lambda pk: projects[pk].code)

    by_person = _group(charges, key_person=True)
    persons = []
    seen = set()
    candidates = [(m.person, m.is_principal, True) for m in members]
    extra = {c.person_id: c.person for c in charges if c.person_id is not None}
    member_ids = {m.person_id for m in members}
    candidates += [(p, False, False) for pid, p in extra.items() if pid not in member_ids]
    candidates.append((None, False, False))
    for person, is_principal, is_member in candidates:
        pid = person.pk if person is not None else None
        if pid in seen:
            continue
        seen.add(pid)
        entry = PersonCosts(person=person, is_principal=is_principal, is_member=is_member)
        for project_id in project_order:
            rows = by_person.get((pid, project_id))
            if rows:
                entry.projects.append(ProjectCosts(projects[project_id], _ordered(rows)))
        if entry.projects or (person is not None and is_member):
            persons.append(entry)

    by_project = _group(charges, key_person=False)
    totals = [
        ProjectCosts(projects[pk], _ordered(by_project[pk]))
        for pk in project_order
        if pk in by_project
    ]
    by_currency: dict[str, dict[str, Decimal]] = {}
    for c in charges:
        if c.stage in ACTIVE:
            cell = by_currency.setdefault(c.currency, {"committed": ZERO, "spent": ZERO})
            cell[c.stage] += c.amount
    return CaseCosts(
        persons=persons,
        projects=totals,
        by_currency=dict(sorted(by_currency.items())),
        charges=charges,
    )


def person_costs_across(user, person_ids) -> dict[int, dict]:
    """Per person, their costs in every case `user` may see: {"cases": n, "projects": [{
    "project_code", "currency", "committed", "spent", "awaiting"}]}. Two queries."""
    from awda.cases.selectors import case_queryset_for

    person_ids = [p for p in person_ids if p is not None]
    if not person_ids:
        return {}
    base = Charge.objects.filter(
        person_id__in=person_ids,
        stage__in=ACTIVE,
        case__in=case_queryset_for(user).values("pk"),
    ).order_by()
    out: dict[int, dict] = {}
    rows = base.values(
        "person_id", "project_id", "project__code", "project__currency", "stage"
    ).annotate(total=Sum("project_amount"), n=Count("id"), converted=Count("project_amount"))
    for r in rows.order_by("person_id", "project__code", "stage"):
        entry = out.setdefault(r["person_id"], {"cases": 0, "projects": {}})
        project = entry["projects"].setdefault(
            r["project_id"],
            {
                "project_code": r["project__code"],
                "currency": r["project__currency"],
                "committed": ZERO,
                "spent": ZERO,
                "awaiting": 0,
            },
        )
        project[r["stage"]] += r["total"] or ZERO
        project["awaiting"] += r["n"] - r["converted"]
    cases = base.values("person_id").annotate(n=Count("case_id", distinct=True))
    for r in cases:
        if r["person_id"] in out:
            out[r["person_id"]]["cases"] = r["n"]
    for entry in out.values():
        entry["projects"] = list(entry["projects"].values())
    return out
