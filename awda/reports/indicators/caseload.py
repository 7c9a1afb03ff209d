"""The caseload: the applications taken on and decided before departure. Cases and persons
registered in the period, counselled (entered counselling), found eligible, found not eligible and
withdrawn. Definitions: docs/indicators.md ("caseload").

Counted over the members of the cases (`cases.CaseMember`, those who travel and the principal
applicant), like the returns: the persons are the members, the cases the distinct cases they
belong to. Two queries whatever the data (one more each for the totals): the registrations
(`Case.registered_on`) and the moves of the workflow (`cases.CaseTransition`) into counselling,
eligible, not eligible and withdrawn, each fact dated on its own day."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from awda.cases.choices import Status
from awda.cases.models import CaseMember, CaseTransition

from .base import Column, Filters, IndicatorTable, countable_case_q, require_counter
from .dimensions import Facts, Part, age_at, filter_q
from .tables import build_table, check_by, count_values

# The members counted as the case's persons: the applicants for return (readiness.travellers).
APPLICANTS = Q(travels=True) | Q(is_principal=True)

# measure prefix -> the status a case enters (a workflow move into it, other than a resume)
EVENTS = {
    "counselled": Status.COUNSELLING,
    "eligible": Status.ELIGIBLE,
    "not_eligible": Status.NOT_ELIGIBLE,
    "withdrawn": Status.WITHDRAWN,
}

REGISTRATION_FACTS = Facts(
    case="case__",
    person="person__",
    date="case__registered_on",
    project="case__project",
    age=age_at("person__", "case__registered_on"),
)
EVENT_FACTS = Facts(
    case="case__",
    person="person__",
    date="case__transitions__occurred_at",
    project="case__project",
    age=age_at("person__", "case__transitions__occurred_at"),
)
CASELOAD_DIMENSIONS = (
    "month",
    "total",
    "office",
    "nationality",
    "country_of_return",
    "destination",
    "sex",
    "age_group",
    "project",
    "donor",
)

CASELOAD_COLUMNS = [
    Column("registered_cases", _("Cases registered"), "#targeted+hh+registered"),
    Column("registered_persons", _("Persons registered"), "#targeted+ind+registered"),
    Column("counselled_cases", _("Cases counselled"), "#reached+hh+counselled"),
    Column("counselled_persons", _("Persons counselled"), "#reached+ind+counselled"),
    Column("eligible_cases", _("Cases found eligible"), "#targeted+hh+eligible"),
    Column("eligible_persons", _("Persons found eligible"), "#targeted+ind+eligible"),
    Column("not_eligible_cases", _("Cases found not eligible"), "#indicator+num+hh+not_eligible"),
    Column(
        "not_eligible_persons",
        _("Persons found not eligible"),
        "#indicator+num+ind+not_eligible",
    ),
    Column("withdrawn_cases", _("Cases withdrawn"), "#indicator+num+hh+withdrawn"),
    Column("withdrawn_persons", _("Persons withdrawn"), "#indicator+num+ind+withdrawn"),
]


def entries_into(statuses, date_from, date_to):
    """The workflow moves into `statuses` on a day of the period (the site's time zone), except
    the resumes from hold (from on hold back to the status held: not a new entry; a withdrawal
    from hold is one)."""
    resume = Q(from_status=Status.ON_HOLD) & ~Q(to_status=Status.WITHDRAWN)
    return CaseTransition.objects.filter(
        to_status__in=list(statuses),
        occurred_at__date__gte=date_from,
        occurred_at__date__lte=date_to,
    ).exclude(resume)


def _members(user, filters: Filters, facts: Facts):
    q = countable_case_q(user, "case__")
    if q is None:
        return CaseMember.objects.none()
    return CaseMember.objects.filter(q).filter(APPLICANTS).filter(filter_q(filters, facts))


def caseload(user, filters: Filters) -> IndicatorTable:
    """Cases and persons registered in the period (registration date), counselled, found
    eligible, found not eligible and withdrawn in the period (the day of the workflow move).
    Persons: the members who travel and the principal applicant, with their nationality, sex
    and age on the day of the fact; cases: the distinct cases of those members."""
    require_counter(user)
    filters = check_by(filters, CASELOAD_DIMENSIONS, "month")
    registered = _members(user, filters, REGISTRATION_FACTS).filter(
        case__registered_on__gte=filters.date_from,
        case__registered_on__lte=filters.date_to,
    )
    # One join to the case's transitions, restricted to the entries of the period: the grouping
    # (month, age on the day) and the counts below reuse that join, so each row is one member
    # with one entry (a case enters each of those statuses once: the workflow never goes back).
    entries = entries_into(EVENTS.values(), filters.date_from, filters.date_to)
    moved = _members(user, filters, EVENT_FACTS).filter(case__transitions__in=entries.values("pk"))
    event_aggregates = {}
    for key, status in EVENTS.items():
        entered = Q(case__transitions__to_status=status)
        event_aggregates[f"{key}_cases"] = Count("case_id", distinct=True, filter=entered)
        event_aggregates[f"{key}_persons"] = Count("id", distinct=True, filter=entered)
    parts = [
        Part(
            registered,
            REGISTRATION_FACTS,
            {
                "registered_cases": Count("case_id", distinct=True),
                "registered_persons": Count("id"),
            },
        ),
        Part(moved, EVENT_FACTS, event_aggregates),
    ]
    keys = [c.key for c in CASELOAD_COLUMNS]
    return build_table(
        code="caseload",
        title=_("Caseload: registered, counselled, eligibility, withdrawals"),
        filters=filters,
        parts=parts,
        measures=CASELOAD_COLUMNS,
        convert=lambda raw: count_values(raw, keys),
        note=_(
            "Persons: the members of the cases who travel and the principal applicant. A case "
            "is counted under each group one of its persons falls in."
        ),
    )
