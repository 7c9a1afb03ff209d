"""Reads of trafficking records. The most restricted category: callers have resolved the case
through the scoped selector and checked `trafficking.view` (access.protected_case, which audits a
refusal), and they audit the read itself.

Each function runs a fixed number of queries whatever the number of members or records."""

from dataclasses import dataclass, field

from awda.core.errors import NotFound
from awda.core.text import as_id

from .choices import Kind
from .models import (
    OriginAcceptance,
    ReturnRiskAssessment,
    TraffickingDetermination,
    TraffickingInterview,
)

MODELS = {
    Kind.INTERVIEW: TraffickingInterview,
    Kind.DETERMINATION: TraffickingDetermination,
    Kind.RISK_ASSESSMENT: ReturnRiskAssessment,
    Kind.ACCEPTANCE: OriginAcceptance,
}
KIND_OF = {model: kind for kind, model in MODELS.items()}


def kind_of(record) -> str:
    return KIND_OF[type(record)].value


@dataclass
class PersonRecords:
    """Every trafficking record of one person in a case, newest first in each list."""

    interviews: list = field(default_factory=list)
    determinations: list = field(default_factory=list)
    risk_assessments: list = field(default_factory=list)
    acceptances: list = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(
            self.interviews or self.determinations or self.risk_assessments or self.acceptances
        )

    @property
    def determination(self):
        """The current determination (the newest), or None."""
        return self.determinations[0] if self.determinations else None

    @property
    def acceptance(self):
        return self.acceptances[0] if self.acceptances else None

    @property
    def draft(self):
        """The risk assessment being prepared (a person has at most one draft), or None."""
        return next((a for a in self.risk_assessments if not a.is_completed), None)

    @property
    def completed_assessment(self):
        """The newest completed risk assessment, or None."""
        return next((a for a in self.risk_assessments if a.is_completed), None)

    def history(self) -> list[tuple[str, object]]:
        """(kind, record) for every record, newest first, for the history table."""
        rows = [
            *((Kind.INTERVIEW.value, r) for r in self.interviews),
            *((Kind.DETERMINATION.value, r) for r in self.determinations),
            *((Kind.RISK_ASSESSMENT.value, r) for r in self.risk_assessments),
            *((Kind.ACCEPTANCE.value, r) for r in self.acceptances),
        ]
        return sorted(rows, key=lambda kr: (kr[1].created_at, kr[1].pk), reverse=True)


def person_records(case) -> dict[int, PersonRecords]:
    """person id -> PersonRecords for every person of the case with a trafficking record (four
    queries)."""
    out: dict[int, PersonRecords] = {}
    lists = (
        ("interviews", TraffickingInterview.objects.select_related("recorded_by")),
        ("determinations", TraffickingDetermination.objects.select_related("recorded_by")),
        (
            "risk_assessments",
            ReturnRiskAssessment.objects.select_related(
                "recorded_by", "completed_by", "origin_mission"
            ),
        ),
        ("acceptances", OriginAcceptance.objects.select_related("recorded_by", "origin_mission")),
    )
    for attr, qs in lists:
        for record in qs.filter(case=case).order_by("-created_at", "-id"):
            getattr(out.setdefault(record.person_id, PersonRecords()), attr).append(record)
    return out


def record_get(case, kind: str, pk) -> object:
    """One trafficking record of the case, by kind and id; NotFound for an unknown kind, a
    missing record or one of another case."""
    try:
        model = MODELS[Kind(kind)]
    except ValueError:
        raise NotFound() from None
    qs = model.objects.filter(case=case).select_related("person", "recorded_by")
    if model in (ReturnRiskAssessment, OriginAcceptance):
        qs = qs.select_related("origin_mission")
    if model is ReturnRiskAssessment:
        qs = qs.select_related("completed_by")
    record = qs.filter(pk=as_id(pk)).first() if as_id(pk) else None
    if record is None:
        raise NotFound()
    return record


def risk_assessment_get(case, pk) -> ReturnRiskAssessment:
    return record_get(case, Kind.RISK_ASSESSMENT, pk)
