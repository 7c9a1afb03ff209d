"""Indicators of reintegration: started (handover accepted, returnees received) and completed
(cases closed with the support completed), and the sustainability scores by dimension.
Definitions: docs/indicators.md."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from awda.cases.choices import ClosureReason, Status
from awda.cases.models import CaseTransition
from awda.reintegration.models import Instrument, Reception, ReintegrationFile, Survey

from .base import Column, Filters, IndicatorTable, countable_case_q, require_counter
from .dimensions import Facts, Part, filter_q
from .tables import build_table, check_by, count_values

CASE_DIMENSIONS = (
    "month",
    "total",
    "office",
    "nationality",
    "country_of_return",
    "project",
    "donor",
)

# Statuses of a case in the hands of the origin mission (closing from there ends reintegration).
REINTEGRATION_STATUSES = (Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING)

OUTCOME_COLUMNS = [
    Column("started", _("Reintegration started (handover accepted)"), "#indicator+num+started"),
    Column("received", _("Cases received (reception recorded)"), "#indicator+num+received"),
    Column("completed", _("Reintegration completed"), "#indicator+num+completed"),
    Column("closed_other", _("Closed for another reason"), "#indicator+num+closed_other"),
]


def _scoped(user, model, facts, filters, **conditions):
    q = countable_case_q(user, facts.case)
    if q is None:
        return model.objects.none()
    return model.objects.filter(q, **conditions).filter(filter_q(filters, facts))


def reintegration_outcomes(user, filters: Filters) -> IndicatorTable:
    """Cases whose reintegration started in the period (the origin office accepted the
    handover), whose returnees were received (reception date), whose reintegration was
    completed (closed with "support completed") or that were closed from reintegration for
    another reason (closure date). Counted in cases."""
    require_counter(user)
    filters = check_by(filters, CASE_DIMENSIONS, "month")
    period = (filters.date_from, filters.date_to)
    file_facts = Facts(case="case__", person=None, date="accepted_at", project="case__project")
    reception_facts = Facts(case="case__", person=None, date="received_on", project="case__project")
    closure_facts = Facts(case="case__", person=None, date="occurred_at", project="case__project")
    files = _scoped(user, ReintegrationFile, file_facts, filters, accepted_at__date__range=period)
    receptions = _scoped(user, Reception, reception_facts, filters, received_on__range=period)
    closures = _scoped(
        user,
        CaseTransition,
        closure_facts,
        filters,
        to_status=Status.CLOSED,
        occurred_at__date__range=period,
    )
    completed = Q(closure_reason=ClosureReason.SUPPORT_COMPLETED)
    other = ~completed & Q(from_status__in=REINTEGRATION_STATUSES)
    parts = [
        Part(files, file_facts, {"started": Count("case_id", distinct=True)}),
        Part(receptions, reception_facts, {"received": Count("case_id", distinct=True)}),
        Part(
            closures,
            closure_facts,
            {
                "completed": Count("case_id", distinct=True, filter=completed),
                "closed_other": Count("case_id", distinct=True, filter=other),
            },
        ),
    ]
    keys = [c.key for c in OUTCOME_COLUMNS]
    return build_table(
        code="reintegration",
        title=_("Reintegration started and completed"),
        filters=filters,
        parts=parts,
        measures=OUTCOME_COLUMNS,
        convert=lambda raw: count_values(raw, keys),
    )


# ---- sustainability -----------------------------------------------------------------------------

SCORES = ("economic", "social", "psychosocial", "composite")
PLACES = Decimal("0.0001")
SURVEY_FACTS = Facts(
    case="case__", person="person__", date="conducted_on", project="case__project", age=F("age")
)
SURVEY_DIMENSIONS = (
    "nationality",
    "total",
    "month",
    "office",
    "country_of_return",
    "sex",
    "age_group",
    "project",
    "donor",
)
SUSTAINABILITY_COLUMNS = [
    Column("respondents", _("Returnees surveyed"), "#reached+returnees+surveyed"),
    Column(
        "economic", _("Economic"), "#indicator+score+economic", kind="stat", basis="respondents"
    ),
    Column("social", _("Social"), "#indicator+score+social", kind="stat", basis="respondents"),
    Column(
        "psychosocial",
        _("Psychosocial"),
        "#indicator+score+psychosocial",
        kind="stat",
        basis="respondents",
    ),
    Column(
        "composite", _("Composite"), "#indicator+score+composite", kind="stat", basis="respondents"
    ),
]


def _score(value):
    if value is None:
        return None
    return Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_UP)


def instrument_for(filters: Filters) -> Instrument | None:
    """The instrument version whose scores are averaged: the one chosen, else the one in use
    (scores of different versions are never averaged together)."""
    from awda.reintegration.surveys.instrument import active_instrument

    if filters.instrument:
        return Instrument.objects.filter(pk=filters.instrument).first()
    return active_instrument()


def sustainability(user, filters: Filters) -> IndicatorTable:
    """Mean economic, social, psychosocial and composite scores of each returnee's latest
    survey (not voided, of one instrument version) conducted in the period. The age is the
    one recorded with the survey."""
    require_counter(user)
    filters = check_by(filters, SURVEY_DIMENSIONS, "nationality")
    instrument = instrument_for(filters)
    latest = (
        Survey.objects.filter(
            voided_at=None,
            instrument=instrument,
            conducted_on__gte=filters.date_from,
            conducted_on__lte=filters.date_to,
        )
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
    qs = _scoped(user, Survey, SURVEY_FACTS, filters, id__in=latest)
    if instrument is None:
        qs = qs.none()
    aggregates = {"respondents": Count("id"), **{s: Avg(s) for s in SCORES}}

    def convert(raw):
        return {"respondents": int(raw.get("respondents") or 0)} | {
            s: _score(raw.get(s)) for s in SCORES
        }

    note = ""
    if instrument is not None:
        note = _("Instrument %(code)s %(version)s.") % {
            "code": instrument.code,
            "version": instrument.version,
        }
    return build_table(
        code="sustainability",
        title=_("Reintegration sustainability scores"),
        filters=filters,
        parts=[Part(qs, SURVEY_FACTS, aggregates)],
        measures=SUSTAINABILITY_COLUMNS,
        convert=convert,
        note=note,
    )
