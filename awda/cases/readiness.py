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

A check may belong to a restricted category (`action`, e.g. "trafficking.view"): users without that
permission see a neutral label ("Restricted protection safeguard") and no detail, in the checklist
and in the gate's refusal, so the checklist never discloses what the restricted record is about.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

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


_PROVIDERS: dict[str, Provider] = {}
_TRAVEL_DATE: list[Callable] = []


def register(code: str, collect: Callable, *, order: int = 100) -> None:
    """Register (or replace, keyed by `code`) a provider of readiness checks."""
    _PROVIDERS[code] = Provider(code, collect, order)


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
