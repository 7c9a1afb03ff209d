"""Reads of the sustainability surveys: a case's surveys, a returnee's score series (the chart),
the instruments, and cohort averages (computed in the database, scoped to the cases the user may
see or count)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, CharField, Count, F, Q, Subquery, Value, When, Window
from django.db.models import Case as CaseWhen
from django.db.models.functions import Coalesce, ExtractYear, RowNumber

from awda.accounts.selectors import user_scope
from awda.cases.models import Case
from awda.cases.policies import PERMISSIONS
from awda.cases.selectors import aggregate_case_queryset_for, case_queryset_for
from awda.core.errors import NotFound, PermissionDenied

from ..choices import SurveyKind
from ..models import Instrument, Survey
from .instrument import DEFAULT_CODE
from .scoring import PLACES

SCORES = ("economic", "social", "psychosocial", "composite")
GROUP_BY = ("nationality", "sex", "age_group", "project", "return_year", "kind")
# (label, lowest age, highest age or None)
AGE_GROUPS = (
    ("0-17", 0, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-49", 35, 49),
    ("50+", 50, None),
)
UNKNOWN = "unknown"


def case_surveys(case, *, include_voided: bool = True):
    """The surveys of `case`, oldest first (one query, everything the tab shows)."""
    qs = Survey.objects.filter(case_id=case.pk).select_related(
        "person", "instrument", "visit", "conducted_by", "voided_by"
    )
    if not include_voided:
        qs = qs.filter(voided_at=None)
    return qs.order_by("person_id", "conducted_on", "id")


def survey_get(case, pk) -> Survey:
    survey = case_surveys(case).filter(pk=pk).first()
    if survey is None:
        raise NotFound()
    survey.case = case
    return survey


def survey_get_for(user, pk) -> Survey:
    """A survey of a case `user` may see (NotFound otherwise, missing or not yours alike)."""
    survey = (
        Survey.objects.filter(pk=pk, case__in=case_queryset_for(user))
        .select_related("case", "person", "instrument", "visit", "conducted_by", "voided_by")
        .first()
    )
    if survey is None:
        raise NotFound()
    return survey


def person_series(case, person_id) -> list[dict]:
    """The person's scores over time on this case (surveys not voided, oldest first): what the
    chart draws."""
    rows = (
        Survey.objects.filter(case_id=case.pk, person_id=person_id, voided_at=None)
        .order_by("conducted_on", "id")
        .values("id", "conducted_on", "kind", "instrument__version", *SCORES)
    )
    return [
        {
            "survey": r["id"],
            "conducted_on": r["conducted_on"],
            "kind": r["kind"],
            "instrument_version": r["instrument__version"],
            **{s: r[s] for s in SCORES},
        }
        for r in rows
    ]


def chart_data(series: list[dict]) -> dict:
    """The series in the shape the chart script reads (json_script): labels and one list per
    score, as floats."""
    return {
        "labels": [r["conducted_on"].isoformat() for r in series],
        "kinds": [r["kind"] for r in series],
        **{s: [float(r[s]) for r in series] for s in SCORES},
    }


def instruments():
    return Instrument.objects.order_by("code", "-created_at", "-id")


def instrument_get(pk) -> Instrument:
    instrument = Instrument.objects.filter(pk=pk).first()
    if instrument is None:
        raise NotFound()
    return instrument


# ---- cohort averages ----------------------------------------------------------------------------


def may_see_cohorts(user) -> bool:
    roles = PERMISSIONS["reintegration.view"] | PERMISSIONS["reports.aggregates"]
    return user_scope(user).has_role(*roles)


def cohort_case_q(user) -> Q:
    """The cases whose surveys `user` may count: those they may see (their offices, and cases
    handed over to their origin missions), and those of the offices and origin missions where
    they hold the aggregates right (M&E: figures, never names)."""
    scope = user_scope(user)
    aggregates = PERMISSIONS["reports.aggregates"]
    q = Q(case__in=case_queryset_for(user)) | Q(case__in=aggregate_case_queryset_for(user))
    missions = scope.missions_with(*aggregates) & scope.origin_mission_ids
    if missions:
        q |= Q(
            case__in=Case.objects.filter(receiving_mission_id__in=missions).exclude(
                handed_over_at=None
            )
        )
    return q


def _age_group():
    whens = []
    for label, low, high in AGE_GROUPS:
        cond = Q(age__gte=low) if high is None else Q(age__gte=low, age__lte=high)
        whens.append(When(cond, then=Value(label)))
    return CaseWhen(*whens, default=Value(UNKNOWN), output_field=CharField())


GROUP_EXPRESSIONS = {
    "nationality": lambda: Coalesce("person__nationality", Value(""), output_field=CharField()),
    "sex": lambda: Coalesce("person__sex", Value(""), output_field=CharField()),
    "age_group": _age_group,
    "project": lambda: Coalesce("case__project__code", Value(""), output_field=CharField()),
    "return_year": lambda: ExtractYear("case__departed_on"),
    "kind": lambda: Coalesce("kind", Value(""), output_field=CharField()),
}


def _latest_follow_up_ids():
    """The ids of the latest valid follow-up (by date, then id) of each person on each case, in
    one pass with a window function (ROW_NUMBER, on SQLite and PostgreSQL) rather than a
    correlated subquery per survey. Not scoped: the partition is per case, and the caller keeps
    only the surveys of its cases (PostgreSQL hashes the ids once)."""
    return (
        Survey.objects.filter(kind=SurveyKind.FOLLOW_UP, voided_at=None)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("case_id"), F("person_id")],
                order_by=[F("conducted_on").desc(), F("id").desc()],
            )
        )
        .filter(rank=1)
        .values("id")
    )


def _avg(value):
    if value is None:
        return None
    return Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_UP)


def cohort_averages(user, *, group_by: str, filters: dict | None = None) -> list[dict]:
    """Average scores and counts per group, for each kind of survey: the baseline, and each
    returnee's latest follow-up (on a case). Rows: {group, kind, n, economic, social,
    psychosocial, composite}, sorted by group then kind. One query.

    `group_by` is one of GROUP_BY; `filters` may hold nationality, sex, age_group, project (id),
    return_year, kind (baseline or follow_up) and instrument (id; by default the instrument in
    use: scores of different versions are not comparable, so they are never averaged together).
    Voided surveys never count.
    Open to those with reintegration.view or reports.aggregates somewhere (PermissionDenied
    otherwise); scoped by cohort_case_q."""
    if not may_see_cohorts(user):
        raise PermissionDenied()
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")
    filters = filters or {}
    qs = Survey.objects.filter(cohort_case_q(user), voided_at=None).filter(
        Q(kind=SurveyKind.BASELINE) | Q(id__in=_latest_follow_up_ids())
    )
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("nationality"):
        qs = qs.filter(person__nationality=filters["nationality"])
    if filters.get("sex"):
        qs = qs.filter(person__sex=filters["sex"])
    if filters.get("project"):
        qs = qs.filter(case__project_id=filters["project"])
    if filters.get("return_year"):
        qs = qs.filter(case__departed_on__year=filters["return_year"])
    if filters.get("instrument"):
        qs = qs.filter(instrument_id=filters["instrument"])
    else:  # the version in use for new surveys (instrument.active_instrument), in the query
        in_use = Instrument.objects.filter(code=DEFAULT_CODE, is_active=True).order_by(
            "-created_at", "-id"
        )
        qs = qs.filter(instrument_id=Subquery(in_use.values("pk")[:1]))
    if filters.get("age_group"):
        qs = qs.annotate(age_group=_age_group()).filter(age_group=filters["age_group"])
    rows = (
        qs.annotate(group=GROUP_EXPRESSIONS[group_by]())
        .values("group", "kind")
        .annotate(n=Count("id"), **{s: Avg(s) for s in SCORES})
        .order_by("group", "kind")
    )
    return [
        {
            "group": "" if r["group"] is None else str(r["group"]),
            "kind": r["kind"],
            "n": r["n"],
            **{s: _avg(r[s]) for s in SCORES},
        }
        for r in rows
    ]
