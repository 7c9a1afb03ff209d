"""Readiness to travel: per traveller, what is in place and what is still missing before travel.

This is the ONE place that answers "may this case travel?": the case page's checklist, the API and
the workflow gate `travel_safeguards` (mark_ready and book, workflow.py) all call `case_readiness`.
Cases does not import the apps that build on it, so each of them registers a provider from its
AppConfig.ready:

    readiness.register("child_protection", collect, order=20)

`collect(case, travellers, on_date)` gets the case, its travellers (CaseMember rows with their
persons, principal first) and the day travel is checked for; it returns {member id: [Check, ...]}
for the travellers its safeguards apply to (a traveller it does not concern gets no entry). It
must use a fixed number of queries whatever the number of travellers.

Lists (the movements operations board) need the checklist of many cases at once: a provider may
also define `collect_many(items, on_date)` beside `collect` in its module (or pass it to
register), where `items` is a list of (case, travellers) pairs; it returns {member id: [Check,
...]} for all of them with a fixed number of queries whatever the number of cases.
`readiness_for_cases` uses it, and falls back to `collect` per case for a provider without it.

A check may belong to a restricted category (`action`, e.g. "trafficking.view"): users without that
permission see a neutral label ("Restricted protection safeguard") and no detail, in the checklist
and in the gate's refusal, so the checklist never discloses what the restricted record is about.
"""

import datetime
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Check:
    code: str  # stable, e.g. "uasc.determination"
    label: str  # what the safeguard is ("Best-interests determination")
    ok: bool
    detail: str = ""  # what is missing or the state ("outcome: return not in best interests")
    action: str | None = None  # permission needed to see label and detail (restricted category)


@dataclass(frozen=True)
class Provider:
    code: str
    collect: Callable
    order: int = 100
    collect_many: Callable | None = None


_PROVIDERS: dict[str, Provider] = {}
_TRAVEL_DATE: list[Callable] = []


def register(
    code: str, collect: Callable, *, order: int = 100, collect_many: Callable | None = None
) -> None:
    """Register (or replace, keyed by `code`) a provider of readiness checks. Its batch form
    `collect_many` is, unless given, the `collect_many` function of the module of `collect`."""
    if collect_many is None:
        module = sys.modules.get(getattr(collect, "__module__", ""), None)
        collect_many = getattr(module, "collect_many", None)
    _PROVIDERS[code] = Provider(code, collect, order, collect_many)


def register_travel_date(resolver: Callable) -> None:
    """Register how to find the day a case travels (the movements app: the date of the first leg
    of its travellers' active bookings). `resolver(case)` returns a date or None."""
    _TRAVEL_DATE[:] = [resolver]


def travel_date(case) -> datetime.date:
    """The day travel is checked for: the planned travel date when the case has one and it is not
    past, otherwise today (documents, exit authorisation and fitness must hold on that day)."""
    today = timezone.localdate()
    planned = _TRAVEL_DATE[0](case) if _TRAVEL_DATE else None
    return planned if planned and planned > today else today


def providers() -> list[Provider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.code))


@dataclass
class TravellerReadiness:
    member: object
    checks: list[Check] = field(default_factory=list)

    @property
    def person(self):
        return self.member.person

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def ready(self) -> bool:
        return not self.missing


def travellers(case) -> list:
    """The members who travel (the principal always does), principal first."""
    members = case.members.select_related("person").order_by("-is_principal", "id")
    return [m for m in members if m.travels or m.is_principal]


def case_readiness(case, *, on_date: datetime.date | None = None) -> list[TravellerReadiness]:
    """Every traveller with every check the registered providers make for them, in provider
    order, for the case's travel date unless `on_date` is given. One query for the travellers
    plus each provider's own fixed number."""
    on_date = on_date or travel_date(case)
    rows = [TravellerReadiness(m) for m in travellers(case)]
    by_member = {r.member.pk: r for r in rows}
    members = [r.member for r in rows]
    if not members:
        return rows
    for provider in providers():
        for member_id, checks in (provider.collect(case, members, on_date) or {}).items():
            if member_id in by_member:
                by_member[member_id].checks.extend(checks)
    return rows


def cases_readiness(cases, *, on_date: datetime.date | None = None) -> dict:
    """{case id: [TravellerReadiness, ...]} for many cases, all checked for the same day
    (`on_date`, default today; a list has no single travel date). One query for the travellers
    of every case, then each provider's `collect_many` once (its own fixed number of queries);
    a provider without it is asked case by case."""
    on_date = on_date or timezone.localdate()
    cases = list(cases)
    if not cases:
        return {}
    from .models import CaseMember

    members = (
        CaseMember.objects.filter(case__in=cases)
        .filter(Q(travels=True) | Q(is_principal=True))
        .select_related("person")
        .order_by("case_id", "-is_principal", "id")
    )
    result: dict[int, list[TravellerReadiness]] = {c.pk: [] for c in cases}
    for m in members:
        result[m.case_id].append(TravellerReadiness(m))
    by_member = {r.member.pk: r for rows in result.values() for r in rows}
    items = [(c, [r.member for r in result[c.pk]]) for c in cases if result[c.pk]]
    if not items:
        return result
    for provider in providers():
        if provider.collect_many is not None:
            found = provider.collect_many(items, on_date) or {}
        else:
            found = {}
            for case, travellers_ in items:
                found.update(provider.collect(case, travellers_, on_date) or {})
        for member_id, checks in found.items():
            if member_id in by_member:
                by_member[member_id].checks.extend(checks)
    return result


def readiness_for_cases(user, cases, *, on_date: datetime.date | None = None) -> dict:
    """cases_readiness as `user` may see it (restricted checks made neutral, per case)."""
    from .policies import can

    cases = list(cases)
    result = cases_readiness(cases, on_date=on_date)
    cache: dict[tuple, bool] = {}
    for case in cases:

        def allowed(action, case=case):
            # roles on a case depend on its office (and receiving mission) only
            key = (action, case.office_id, case.receiving_mission_id, bool(case.handed_over_at))
            if key not in cache:
                cache[key] = can(user, action, case)
            return cache[key]

        for row in result.get(case.pk, []):
            row.checks = visible(row.checks, allowed)
    return result


def visible(checks: list[Check], allowed: Callable[[str], bool]) -> list[Check]:
    """The checks as a user sees them: the checks of a restricted category they may not see are
    folded into ONE neutral check (ok when all of them are), where the first of them was. How
    many there are, and which of them pass, would tell what the record says."""
    out: list[Check] = []
    hidden: dict[str, list[Check]] = {}
    for check in checks:
        if check.action is None or allowed(check.action):
            out.append(check)
            continue
        if check.action not in hidden:
            hidden[check.action] = []
            out.append(check)  # placeholder, replaced below
        hidden[check.action].append(check)
    for i, check in enumerate(out):
        group = hidden.get(check.action) if check.action is not None else None
        if group is not None and check is group[0]:
            ok = all(c.ok for c in group)
            out[i] = Check(
                code="restricted",
                label=_("Restricted protection safeguard"),
                ok=ok,
                detail="" if ok else _("Visible to protection officers only."),
                action=check.action,
            )
    return out


def permission_for(user, case) -> Callable[[str], bool]:
    """A memoised `can(user, action, case)` for presenting many checks."""
    from .policies import can

    cache: dict[str, bool] = {}

    def allowed(action: str) -> bool:
        if action not in cache:
            cache[action] = can(user, action, case)
        return cache[action]

    return allowed


def readiness_for(user, case, *, on_date=None) -> list[TravellerReadiness]:
    """case_readiness as `user` may see it (restricted checks made neutral)."""
    allowed = permission_for(user, case)
    rows = case_readiness(case, on_date=on_date)
    for row in rows:
        row.checks = visible(row.checks, allowed)
    return rows


def missing_messages(case, user=None, *, on_date=None) -> list[str]:
    """One message per missing check ("Name: label (detail)"), as `user` may see them; used by
    the workflow gate so a refusal says exactly what is missing."""
    rows = (
        readiness_for(user, case, on_date=on_date)
        if user
        else case_readiness(case, on_date=on_date)
    )
    out = []
    for row in rows:
        for check in row.missing:
            text = f"{row.person.full_name}: {check.label}"
            if check.detail:
                text += f" ({check.detail})"
            out.append(text)
    return out
