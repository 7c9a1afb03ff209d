"""Seeds the demo: reference data, demo users, then N cases replayed through the services.

Every case is registered and moved along the workflow by `awda.cases.services` with the right demo
user for each step (caseworker, manager, movement officer, ...), so its transitions, notes, tasks
and audit trail are the real ones. A simulated clock (clock.py) dates each step on the day the
story says it happened.
"""

import datetime
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from awda.accounts.choices import Role
from awda.accounts.models import Mission
from awda.cases import services as case_services
from awda.cases.choices import TaskStatus
from awda.cases.models import Case
from awda.cases.workflow import project_rule_facts
from awda.core.errors import ApplicationError
from awda.finance.models import Project
from awda.finance.selectors import project_rule_failures

from . import finance, movements, protection, reference, reintegration
from .clock import SimulatedClock
from .story import DAY, CasePlan, Step, plan_cases

BATCH = 2000  # steps per transaction


@dataclass
class SeedResult:
    created_cases: int = 0
    by_status: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    on_departures: int = 0  # cases put on the upcoming group departures
    seconds: float = 0.0


def demo_data_exists() -> bool:
    return Mission.objects.exists()


def seed_reference_data(*, password: str, year: int, reference_date: datetime.date | None = None):
    """Missions, offices, users, projects (with their reintegration and per-person caps, and
    budget lines with room for the story's costs: finance.py), exchange rates up to
    `reference_date` (default: the end of `year`) and partner organisations."""
    reference_date = reference_date or datetime.date(year, 12, 31)
    with transaction.atomic():
        offices = reference.ensure_missions()
        users = reference.ensure_users(offices, password)
        projects = reference.ensure_projects(offices, year)
        reference.ensure_reintegration_caps(projects)
        finance.ensure_person_caps(projects)
        finance.ensure_budget_lines(projects)
        finance.ensure_exchange_rates(finance_officer(users), reference_date=reference_date)
        organisations = reference.ensure_organisations()
    return offices, users, projects, organisations


def finance_officer(users):
    """The Rabat finance officer: records the demo's rates and contributions."""
    return users[(reference.HOST_OFFICES[0][0], Role.FINANCE)]


def seed_demo(
    *,
    cases: int,
    seed: int,
    password: str,
    reference_date: datetime.date | None = None,
    log: Callable[[str], None] = lambda _m: None,
) -> SeedResult:
    started = time.monotonic()
    reference_date = reference_date or timezone.localdate()
    if reference_date > timezone.localdate():
        raise ValueError("The reference date cannot be in the future.")
    offices, users, _projects, organisations = seed_reference_data(
        password=password, year=reference_date.year, reference_date=reference_date
    )
    projects = list(
        Project.objects.filter(mission__code=reference.HOST[0])
        .prefetch_related("eligible_offices")
        .order_by("code")
    )
    plans = plan_cases(cases, seed, reference_date)
    result = _Replay(offices, users, projects, organisations, reference_date, log).run(plans)
    with transaction.atomic():  # the budgets sized on the story's costs (finance.py)
        finance.finish(projects, finance_officer(users), reference_date=reference_date)
    result.seconds = time.monotonic() - started
    return result


class _Replay:
    def __init__(self, offices, users, projects, organisations, reference_date, log):
        self.offices = offices
        self.users = users
        self.projects = projects
        self.organisations = organisations
        self.reference_date = reference_date
        self.tz = timezone.get_default_timezone()
        self.log = log
        self.cases: dict[int, Case] = {}
        self.tasks: dict[tuple[int, str], object] = {}
        self.broken: set[int] = set()
        self.result = SeedResult()
        self.movements = movements.Context(organisations, users)

    def run(self, plans: list[CasePlan]) -> SeedResult:
        events = []
        for plan in plans:
            start = datetime.datetime.combine(
                self.reference_date - datetime.timedelta(days=plan.days_ago),
                datetime.time(0),
                tzinfo=self.tz,
            )
            for number, step in enumerate(plan.steps):
                if step.minute // DAY < plan.days_ago:  # before the reference date
                    when = start + datetime.timedelta(minutes=step.minute)
                    events.append((when, plan.index, number, plan, step))
        events.sort(key=lambda e: e[:3])
        clock = SimulatedClock()
        with clock.installed():
            for offset in range(0, len(events), BATCH):
                with transaction.atomic():
                    for when, index, _n, plan, step in events[offset : offset + BATCH]:
                        if index in self.broken:
                            continue
                        clock.at = when
                        try:
                            self._apply(plan, step, when)
                        except ApplicationError as exc:
                            self.broken.add(index)
                            fields = "; ".join(
                                f"{k}: {' '.join(map(str, v))}" for k, v in exc.fields.items()
                            )
                            self.result.problems.append(
                                f"case #{index} ({step.kind} {step.name}): {exc}"
                                + (f" ({fields})" if fields else "")
                            )
                done = min(offset + BATCH, len(events))
                if done * 5 // len(events) > offset * 5 // len(events) or done == len(events):
                    self.log(f"  {done * 100 // len(events)}% ({done}/{len(events)} steps)")
            # Upcoming group departures, planned on the reference date.
            clock.at = datetime.datetime.combine(
                self.reference_date, datetime.time(10), tzinfo=self.tz
            )
            with transaction.atomic():
                self.result.on_departures = movements.plan_departures(
                    self.users,
                    self.offices,
                    reference_date=self.reference_date,
                    log=self.log,
                )
        self.result.created_cases = len(self.cases)
        self.result.by_status = Counter(case.status for case in self.cases.values())
        return self.result

    def _user(self, plan: CasePlan, role: str):
        return self.users[(plan.office, role)]

    def _apply(self, plan: CasePlan, step: Step, when: datetime.datetime) -> None:
        if step.kind in reintegration.KINDS:
            # Done by the origin mission's staff (the host manager closes a case that was not
            # handed over).
            self.cases[plan.index] = reintegration.apply(
                step.kind,
                self._user(plan, Role.MANAGER),
                self.cases[plan.index],
                day=when.date(),
                index=plan.index,
                step=step,
                ctx=self.movements,
            )
            return
        user = self._user(plan, step.role)
        if step.kind == "register":
            self._register(plan, user, when.date())
            return
        case = self.cases[plan.index]
        if step.kind == "note":
            case_services.note_add(user, case=case, body=step.text)
        elif step.kind == "declaration":
            self.cases[plan.index] = case_services.case_declaration_record(
                user, case=case, signed_on=when.date()
            )
        elif step.kind == "task":
            # Created by the caseworker, assigned to the user of the step's role.
            self.tasks[(plan.index, step.key)] = case_services.task_create(
                self._user(plan, Role.CASEWORKER),
                case=case,
                title=step.text,
                due_date=when.date() + datetime.timedelta(days=step.due_days),
                assignee=user,
            )
        elif step.kind in ("task_done", "task_cancel"):
            task = self.tasks.pop((plan.index, step.key), None)
            if task is not None:
                status = TaskStatus.DONE if step.kind == "task_done" else TaskStatus.CANCELLED
                case_services.task_set_status(user, task=task, status=status)
        elif step.kind in protection.KINDS:
            self.cases[plan.index] = protection.apply(
                step.kind,
                user,
                case,
                day=when.date(),
                index=plan.index,
                factors=step.factors,
                tasks=self.tasks,
            )
        elif step.kind in movements.KINDS:
            self.cases[plan.index] = movements.apply(
                step.kind,
                user,
                case,
                day=when.date(),
                index=plan.index,
                days=step.days,
                text=step.reason,
                ctx=self.movements,
            )
        elif step.kind == "transition":
            project = (
                self._project(plan, case, when.date())
                if step.name == "approve_eligibility"
                else None
            )
            self.cases[plan.index] = case_services.case_transition(
                user,
                case=case,
                name=step.name,
                reason=step.reason,
                comment=step.comment,
                closure_reason=step.closure_reason,
                project=project,
            )
        else:  # pragma: no cover - a planning error
            raise ValueError(step.kind)

    def _register(self, plan: CasePlan, caseworker, day: datetime.date) -> None:
        organisation = None
        if plan.referral_kind:
            candidates = self.organisations.get(plan.referral_kind, [])
            local = [o for o in candidates if o.city == self.offices[plan.office].city]
            candidates = local or candidates
            if candidates:
                organisation = candidates[int(plan.pick * len(candidates))]
        case = case_services.case_register(
            caseworker,
            office=self.offices[plan.office],
            principal=plan.principal,
            principal_documents=plan.documents,
            members=[
                {
                    "relationship": m["relationship"],
                    "person": m["person"],
                    "documents": m["documents"],
                }
                for m in plan.members
            ],
            registered_on=day,
            priority=plan.priority,
            referral_source=plan.referral_source,
            referral_organisation=organisation,
            referral_details=plan.referral_details,
            country_of_return=plan.nationality,
            destination_area=plan.destination_area,
            assigned_to=caseworker if plan.assigned else None,
        )
        self.cases[plan.index] = case

    def _project(self, plan: CasePlan, case: Case, day: datetime.date):
        """A project whose rules the case meets on that day (its vulnerabilities and the
        principal's age read from the case as the workflow's gate reads them): a specific
        project (EU, Norway, Belgium) for some cases when one fits, the yearly SEM project
        otherwise."""
        nationalities = sorted(
            {plan.principal["nationality"]} | {m["person"]["nationality"] for m in plan.members}
        )
        office_id = self.offices[plan.office].pk
        fitting = [
            p
            for p in self.projects
            if not project_rule_failures(
                p,
                office_id=office_id,
                nationalities=nationalities,
                on_date=day,
                **project_rule_facts(case, p),
            )
        ]
        general = [p for p in fitting if "-SEM-" in p.code]
        specific = [p for p in fitting if p not in general]
        if specific and (plan.pick < 0.45 or not general):
            return specific[int(plan.pick * 1000) % len(specific)]
        return general[0] if general else None
