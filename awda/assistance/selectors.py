"""Reads of the assistance ledger.

The callers have resolved the case through the scoped case selectors (404 otherwise) and checked
the policy (policies.may_view); distributions are scoped here by office. Totals count recorded
lines only (a cancelled line is kept for the history, not counted), per currency: amounts in
different currencies are never added up."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum

from awda.cases.models import Case, CaseMember
from awda.cases.selectors import case_queryset_for, case_search_q
from awda.core.errors import NotFound
from awda.finance.models import Project
from awda.registry.selectors import organisation_list

from . import policies
from .choices import RECORDING_STATUSES, LineStatus
from .models import AssistanceLine, Distribution

LINE_RELATED = (
    "person",
    "provider",
    "project",
    "recorded_by",
    "cancelled_by",
    "receipt",
    "distribution",
)


def case_lines(case, *, person_ids=None, include_cancelled: bool = True):
    """The lines of a case (of `person_ids` if given), newest first, with their persons,
    providers, projects, authors, signed receipts and distributions: one query."""
    qs = AssistanceLine.objects.filter(case=case).select_related(*LINE_RELATED)
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    if not include_cancelled:
        qs = qs.filter(status=LineStatus.RECORDED)
    return qs.order_by("-start_date", "-id")


def recorded(lines):
    return [line for line in lines if line.status == LineStatus.RECORDED]


def totals_of(lines) -> dict[str, Decimal]:
    """{currency: total} of the recorded lines among `lines` (already read), by currency code."""
    out: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for line in recorded(lines):
        out[line.currency] += line.total
    return dict(sorted(out.items()))


def case_totals(case) -> dict[str, Decimal]:
    """{currency: total} of the case's recorded lines (one query)."""
    rows = (
        AssistanceLine.objects.filter(case=case, status=LineStatus.RECORDED)
        .values("currency")
        .annotate(amount=Sum("total"))
        .order_by("currency")
    )
    return {r["currency"]: r["amount"] for r in rows}


def person_totals(case) -> dict[int, dict[str, Decimal]]:
    """{person id: {currency: total}} of the case's recorded lines (one query)."""
    rows = (
        AssistanceLine.objects.filter(case=case, status=LineStatus.RECORDED)
        .values("person_id", "currency")
        .annotate(amount=Sum("total"))
        .order_by("person_id", "currency")
    )
    out: dict[int, dict[str, Decimal]] = {}
    for r in rows:
        out.setdefault(r["person_id"], {})[r["currency"]] = r["amount"]
    return out


@dataclass(frozen=True)
class AssistanceSummary:
    """What other apps (reports, finance, the case summary) need to know of a case's assistance:
    recorded lines only."""

    line_count: int = 0
    cancelled_count: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)  # currency -> total
    kinds: dict[str, int] = field(default_factory=dict)  # kind -> number of persons assisted
    persons: int = 0  # persons who received some assistance

    @property
    def has_assistance(self) -> bool:
        return self.line_count > 0


def assistance_summary(case) -> AssistanceSummary:
    """The case's assistance at a glance (two queries): number of lines, totals per currency,
    persons assisted per kind (e.g. for "2,389 received medical assistance")."""
    rows = list(
        AssistanceLine.objects.filter(case=case)
        .values("status", "kind", "currency", "person_id")
        .annotate(n=Count("id"), amount=Sum("total"))
        .order_by()
    )
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    kinds: dict[str, set] = defaultdict(set)
    persons: set = set()
    line_count = cancelled = 0
    for r in rows:
        if r["status"] != LineStatus.RECORDED:
            cancelled += r["n"]
            continue
        line_count += r["n"]
        totals[r["currency"]] += r["amount"]
        kinds[r["kind"]].add(r["person_id"])
        persons.add(r["person_id"])
    return AssistanceSummary(
        line_count=line_count,
        cancelled_count=cancelled,
        totals=dict(sorted(totals.items())),
        kinds={k: len(v) for k, v in sorted(kinds.items())},
        persons=len(persons),
    )


def providers():
    """The active partner organisations that can provide assistance, by name."""
    return organisation_list()


def projects_for_case(case):
    """The projects a line of `case` can be charged to: the active ones of its mission (and the
    case's own project, even if no longer active)."""
    q = Q(mission_id=case.mission_id, is_active=True)
    if case.project_id:
        q |= Q(pk=case.project_id)
    return Project.objects.filter(q).order_by("-start_date", "code")


def projects_for_office(office):
    return Project.objects.filter(mission_id=office.mission_id, is_active=True).order_by(
        "-start_date", "code"
    )


# ---- distributions ------------------------------------------------------------------------------


def distribution_list_for(user, *, office=None):
    """The distributions of the offices where `user` may see assistance, newest first, with
    their number of recipients and totals (one query)."""
    office_ids = policies.offices_viewing(user)
    if office is not None:
        office_ids &= {getattr(office, "pk", office)}
    return (
        Distribution.objects.filter(office_id__in=office_ids)
        .select_related("office", "provider", "recorded_by")
        .annotate(
            recipient_count=Count("lines"),
            cancelled_count=Count("lines", filter=Q(lines__status=LineStatus.CANCELLED)),
        )
        .order_by("-distributed_on", "-id")
    )


def distribution_get_for(user, pk) -> Distribution:
    """A distribution of an office where `user` may see assistance (NotFound otherwise)."""
    try:
        return (
            Distribution.objects.filter(office_id__in=policies.offices_viewing(user))
            .select_related("office", "office__mission", "provider", "recorded_by")
            .get(pk=pk)
        )
    except (Distribution.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def distribution_lines(distribution):
    """The lines of a distribution with their cases and persons, by case number then person
    (one query)."""
    return (
        AssistanceLine.objects.filter(distribution=distribution)
        .select_related("case", "person", "project", "cancelled_by", "receipt")
        .order_by("case__number", "person__family_name", "person__given_name", "id")
    )


def recipient_candidates(user, *, office, query: str = "", limit: int = 100):
    """The open cases of `office` that accept assistance lines (see choices.RECORDING_STATUSES)
    and that `user` may record for, matching `query` (name, alias, phone, document or case
    number), most recently updated first, each with its members and their persons: two queries.
    Empty when the user may not record in that office."""
    if office is None or getattr(office, "pk", office) not in policies.offices_recording(user):
        return []
    qs = case_queryset_for(user).filter(
        office_id=getattr(office, "pk", office), status__in=RECORDING_STATUSES
    )
    query = (query or "").strip()
    if query:
        qs = qs.filter(case_search_q(query))
    members = Prefetch(
        "members",
        queryset=CaseMember.objects.select_related("person").order_by("-is_principal", "id"),
    )
    return list(
        qs.select_related("project")
        .prefetch_related(members)
        .order_by("-updated_at", "-id")[:limit]
    )


def cases_by_id(user, case_ids) -> dict[int, Case]:
    """{id: case} of the cases among `case_ids` that `user` may see (one query)."""
    qs = case_queryset_for(user).filter(pk__in=list(case_ids)).select_related("project")
    return {c.pk: c for c in qs}
