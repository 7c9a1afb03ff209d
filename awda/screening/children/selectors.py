"""Reads of the UASC procedure: every record of the children of a case, gathered in a fixed
number of queries whatever the number of children (one per kind of record), and the rules
(rules.py) applied to them.

The callers have resolved the case through the scoped case selector and checked "child.view"
(the readiness provider is the exception: it gives only neutral states to the gate)."""

from dataclasses import dataclass, field

from django.utils import timezone

from awda.screening.consent.choices import Purpose
from awda.screening.consent.selectors import valid_consents
from awda.screening.models import VulnerabilityScreening

from . import rules
from .models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
    CaregiverAssessment,
    ChildIdentification,
    EscortPlan,
    FamilyTracing,
    ReceptionArrangement,
)

# The records of a child, by the name of the ChildFile attribute that holds them.
RECORD_MODELS = {
    "assessments": BestInterestsAssessment,
    "tracings": FamilyTracing,
    "caregivers": CaregiverAssessment,
    "determinations": BestInterestsDetermination,
    "escorts": EscortPlan,
    "receptions": ReceptionArrangement,
}
RELATED = {
    "tracings": ("recorded_by", "updated_by", "origin_mission"),
    "determinations": ("recorded_by", "reopened_by"),
}


@dataclass
class ChildFile:
    """One child's procedure in one case: every record, newest first."""

    member: object
    age: int | None = None
    flagged: bool = False  # the current rapid screening says "unaccompanied child"
    applies: bool = False
    identifications: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    tracings: list = field(default_factory=list)
    caregivers: list = field(default_factory=list)
    determinations: list = field(default_factory=list)
    guardian_consents: list = field(default_factory=list)
    escorts: list = field(default_factory=list)
    receptions: list = field(default_factory=list)

    @property
    def person(self):
        return self.member.person

    @property
    def identification(self):
        return self.identifications[0] if self.identifications else None

    @property
    def current_determination(self):
        return rules.current_determination(self.determinations)

    @property
    def steps(self) -> list[rules.StepState]:
        return rules.step_states(
            identifications=self.identifications,
            assessments=self.assessments,
            tracings=self.tracings,
            caregivers=self.caregivers,
            determinations=self.determinations,
            guardian_consents=self.guardian_consents,
            escorts=self.escorts,
            receptions=self.receptions,
        )

    @property
    def is_child_candidate(self) -> bool:
        """Shown on the child-protection tab: under 18 or of unknown age, identified, or
        flagged by the screening."""
        return (
            self.applies
            or bool(self.identifications)
            or self.flagged
            or not rules.is_adult(self.age)
        )


def travellers_of(members) -> list:
    return [m for m in members if m.travels or m.is_principal]


def child_files(case, members, *, on_date=None, only_applicable=False) -> dict[int, ChildFile]:
    """person id -> ChildFile for `members` (CaseMember rows with their persons). Applicability
    is decided against the travellers among `members` (pass every member of the case, or its
    travellers as the readiness checklist does).

    Two queries (identifications and the current screenings), then, unless `only_applicable`
    finds no child the procedure applies to, one per kind of record and one for the consents."""
    files = child_files_many([(case, members)], on_date=on_date, only_applicable=only_applicable)
    return {pid: f for (_case_id, pid), f in files.items()}


def child_files_many(pairs, *, on_date=None, only_applicable=False) -> dict:
    """(case id, person id) -> ChildFile for many (case, members) pairs at once, with the same
    fixed number of queries as child_files whatever the number of cases."""
    on_date = on_date or timezone.localdate()
    pairs = [(case, list(members)) for case, members in pairs]
    pairs = [(case, members) for case, members in pairs if members]
    if not pairs:
        return {}
    cases = [case for case, _members in pairs]
    person_ids = {m.person_id for _case, members in pairs for m in members}
    idents: dict = {}
    for row in (
        ChildIdentification.objects.filter(case__in=cases, person_id__in=person_ids)
        .select_related("recorded_by")
        .order_by("-created_at", "-id")
    ):
        idents.setdefault((row.case_id, row.person_id), []).append(row)
    screenings: dict = {}
    for row in VulnerabilityScreening.objects.filter(case__in=cases).order_by("-created_at", "-id"):
        screenings.setdefault((row.case_id, row.person_id), row)
    files = {}
    for case, members in pairs:
        adult_travelling = any(
            rules.is_adult(m.person.age_on(on_date)) for m in travellers_of(members)
        )
        for m in members:
            key = (case.pk, m.person_id)
            age = m.person.age_on(on_date)
            screening = screenings.get(key)
            flagged = bool(screening and screening.unaccompanied_child)
            mine = idents.get(key, [])
            files[key] = ChildFile(
                member=m,
                age=age,
                flagged=flagged,
                identifications=mine,
                applies=rules.uasc_applies(
                    identification=mine[0] if mine else None,
                    flagged_unaccompanied=flagged,
                    age=age,
                    adult_travelling=adult_travelling,
                ),
            )
    if only_applicable:
        files = {key: f for key, f in files.items() if f.applies}
        if not files:
            return {}
    file_cases = {case_id for case_id, _pid in files}
    ids = {pid for _case_id, pid in files}
    for attr, model in RECORD_MODELS.items():
        qs = (
            model.objects.filter(case_id__in=file_cases, person_id__in=ids)
            .select_related(*RELATED.get(attr, ("recorded_by",)))
            .order_by("-created_at", "-id")
        )
        for row in qs:
            f = files.get((row.case_id, row.person_id))
            if f is not None:
                getattr(f, attr).append(row)
    for consent in guardian_consents(ids, on_date=on_date):
        for (_case_id, pid), f in files.items():
            if pid == consent.person_id:
                f.guardian_consents.append(consent)
    return files


def guardian_consents(person_ids, *, on_date=None) -> list:
    """The valid consents to the return (Purpose.AVRR) given by a guardian (one query)."""
    return [
        c
        for c in valid_consents(person_ids, on_date=on_date)
        if c.purpose == Purpose.AVRR and (c.guardian_name or "").strip()
    ]


def case_children(case, *, on_date=None) -> list[ChildFile]:
    """The members shown on the child-protection tab and in the API, principal first: under 18
    or of unknown age, identified, or flagged by the screening."""
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    files = child_files(case, members, on_date=on_date)
    return [files[m.person_id] for m in members if files[m.person_id].is_child_candidate]


def tracing_queryset(case):
    return FamilyTracing.objects.filter(case=case).select_related(
        "person", "recorded_by", "updated_by", "origin_mission"
    )


def determination_queryset(case):
    return BestInterestsDetermination.objects.filter(case=case).select_related(
        "person", "recorded_by", "reopened_by"
    )
