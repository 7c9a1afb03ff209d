"""Reads of the origin office's file: the file of a case, its reception, assessments and
visits, and the workspace queues of a reintegration officer (scoped to the user's origin
missions and offices; a fixed number of queries whatever the number of rows)."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Office
from awda.accounts.selectors import user_scope
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.policies import PERMISSIONS
from awda.cases.selectors import case_queryset_for
from awda.core.errors import NotFound

from .. import policies
from ..choices import AssessmentKind, PlanStatus, PurchaseStatus, SurveyKind, VisitStatus
from ..common import WORKING_STATUSES, plan_overdue
from ..models import (
    Assessment,
    MonitoringVisit,
    Plan,
    Purchase,
    Reception,
    ReintegrationFile,
    Survey,
)
from .services import DUE_SOON_DAYS
from .services._common import BACK_STATUSES


def file_of(case) -> ReintegrationFile | None:
    return (
        ReintegrationFile.objects.filter(case_id=case.pk)
        .select_related("office", "officer", "accepted_by", "mission")
        .first()
    )


def reception_of(case) -> Reception | None:
    return Reception.objects.filter(case_id=case.pk).select_related("recorded_by").first()


def case_assessments(case) -> QuerySet:
    return Assessment.objects.filter(case_id=case.pk).select_related("person", "assessed_by")


def case_visits(case) -> QuerySet:
    return (
        MonitoringVisit.objects.filter(case_id=case.pk)
        .select_related("office", "conducted_by")
        .order_by("due_on", "id")
    )


def is_overdue(file: ReintegrationFile | None, *, has_approved_plan: bool = False, today=None):
    """The plan is overdue (common.plan_overdue: the one rule, due approved by its date)."""
    today = today or timezone.localdate()
    return bool(file) and plan_overdue(file.plan_due_on, has_approved_plan, today)


def has_approved_plan(case) -> bool:
    return Plan.objects.filter(
        case_id=case.pk, status__in=(PlanStatus.APPROVED, PlanStatus.SUPERSEDED)
    ).exists()


def _visible(user, qs, case_field="case"):
    """Only rows of cases the user may see (the case scope, as a subquery)."""
    return qs.filter(**{f"{case_field}__in": case_queryset_for(user).values("pk")})


def assessment_get_for(user, pk) -> Assessment:
    row = (
        _visible(user, Assessment.objects.filter(pk=pk))
        .select_related("case", "person", "assessed_by")
        .first()
    )
    if row is None:
        raise NotFound()
    return row


def visit_get_for(user, pk) -> MonitoringVisit:
    row = (
        _visible(user, MonitoringVisit.objects.filter(pk=pk))
        .select_related("case", "office", "conducted_by")
        .first()
    )
    if row is None:
        raise NotFound()
    return row


def officer_choices(office_ids) -> list[tuple[int, str]]:
    """(user id, "name (office)") of the reintegration officers and managers of `office_ids`."""
    from awda.accounts.models import Membership

    rows = (
        Membership.objects.filter(
            office_id__in=list(office_ids),
            is_active=True,
            user__is_active=True,
            role__in=PERMISSIONS["reintegration.record"],
        )
        .select_related("user", "office")
        .order_by("office__name", "user__first_name", "user__last_name", "user__username")
    )
    seen, out = set(), []
    for m in rows:
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        name = m.user.get_full_name() or m.user.get_username()
        out.append((m.user_id, f"{name} ({m.office.name})"))
    return out


def accepting_offices(user, case) -> list[Office]:
    """The offices of the case's receiving mission where `user` works on reintegration."""
    if not case.receiving_mission_id:
        return []
    return list(
        Office.objects.filter(
            mission_id=case.receiving_mission_id, pk__in=policies.offices_recording(user)
        ).order_by("name")
    )


# ---- workspace ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkspaceScope:
    missions: frozenset[int]
    offices: frozenset[int]
    approving_offices: frozenset[int]

    @property
    def empty(self) -> bool:
        return not self.missions


def workspace_scope(user, *, office: int | None = None) -> WorkspaceScope:
    """The origin missions where `user` records reintegration, their offices there (optionally
    narrowed to `office`), and those where they approve plans (managers). One query."""
    scope = user_scope(user)
    missions = policies.missions_recording(user) & scope.origin_mission_ids
    if not missions:
        return WorkspaceScope(frozenset(), frozenset(), frozenset())
    mine = set(
        Office.objects.filter(
            pk__in=list(scope.office_ids), mission_id__in=list(missions)
        ).values_list("pk", flat=True)
    )
    offices = policies.offices_recording(user) & mine
    approving = scope.offices_with(*PERMISSIONS["reintegration.approve"]) & mine
    if office is not None:
        offices &= {office}
        approving &= {office}
    return WorkspaceScope(frozenset(missions), frozenset(offices), frozenset(approving))


def workspace_offices(s: WorkspaceScope) -> list[Office]:
    return list(Office.objects.filter(pk__in=s.offices).order_by("name"))


QUEUES = ("acceptance", "reception", "assessments", "plans", "approval", "purchases", "visits")
QUEUE_LABELS = {
    "acceptance": _("Awaiting acceptance"),
    "reception": _("To receive"),
    "assessments": _("Assessments due"),
    "plans": _("Plans to draft"),
    "approval": _("Plans to approve"),
    "purchases": _("Purchases to deliver"),
    "visits": _("Monitoring visits due"),
}

_CASE_ROW = ("principal", "office")

# The assessments queue: the statuses before the plan is approved, and the assessments due by
# then (the family assessment for families only; the risk assessment is never due).
ASSESSMENT_STATUSES = (Status.ARRIVED, Status.REINTEGRATION)
DUE_ASSESSMENTS = (AssessmentKind.VULNERABILITY, AssessmentKind.FAMILY, AssessmentKind.SKILLS)


def _assessment_flags() -> dict:
    """has_<kind> (the due assessment kinds) and has_baseline of a file's principal."""
    principal = OuterRef("case__principal_id")
    flags = {
        f"has_{kind}": Exists(
            Assessment.objects.filter(case_id=OuterRef("case_id"), person_id=principal, kind=kind)
        )
        for kind in DUE_ASSESSMENTS
    }
    flags["has_baseline"] = Exists(
        Survey.objects.filter(
            case_id=OuterRef("case_id"),
            person_id=principal,
            kind=SurveyKind.BASELINE,
            voided_at__isnull=True,
        )
    )
    return flags


def _files(s: WorkspaceScope, statuses=WORKING_STATUSES):
    """The files of the scope's offices whose case is in one of `statuses`. The case's receiving
    mission (that of every file of the case) lets the database start from the cases of the
    user's missions in those statuses (case_receiving_idx) rather than every case in them."""
    return ReintegrationFile.objects.filter(
        office_id__in=s.offices,
        case__receiving_mission_id__in=s.missions,
        case__status__in=statuses,
    ).select_related("case", "case__principal", "office", "officer")


def queue(s: WorkspaceScope, name: str, *, today: datetime.date | None = None):
    """The rows of one workspace queue in scope `s` (workspace_scope), a queryset ordered
    most urgent first."""
    today = today or timezone.localdate()
    if s.empty:
        return Case.objects.none()
    if name == "acceptance":
        # Cases handed over to the user's missions that no office has accepted yet.
        return (
            Case.objects.filter(
                receiving_mission_id__in=s.missions,
                handed_over_at__isnull=False,
                status__in=(Status.DEPARTED, Status.ARRIVED),
            )
            .filter(~Exists(ReintegrationFile.objects.filter(case_id=OuterRef("pk"))))
            .select_related(*_CASE_ROW)
            .order_by("handed_over_at", "id")
        )
    if name == "reception":
        return (
            _files(s)
            .filter(~Exists(Reception.objects.filter(case_id=OuterRef("case_id"))))
            .order_by("accepted_at", "id")
        )
    if name == "assessments":
        # Received cases still before their approved plan (arrived, reintegration) whose
        # principal lacks a record due before the plan: the vulnerability re-assessment, the
        # skills profile, the baseline survey, and for a family the family assessment (the risk
        # assessment is recorded when relevant, never due). Each probe is an index lookup per
        # file (reint_assessment_case_idx, reint_survey_case_idx).
        flags = _assessment_flags()
        due = (
            ~flags["has_vulnerability"]
            | ~flags["has_skills"]
            | ~flags["has_baseline"]
            | (Q(case__member_count__gt=1) & ~flags["has_family"])
        )
        return (
            _files(s, ASSESSMENT_STATUSES)
            .filter(Exists(Reception.objects.filter(case_id=OuterRef("case_id"))))
            .filter(due)
            .annotate(**flags)
            .order_by("accepted_at", "id")
        )
    if name == "plans":
        return (
            _files(s, BACK_STATUSES)
            .filter(arrived_on__isnull=False)
            .filter(
                ~Exists(
                    Plan.objects.filter(
                        case_id=OuterRef("case_id"),
                        status__in=(PlanStatus.SUBMITTED, PlanStatus.APPROVED),
                    )
                )
            )
            .order_by("plan_due_on", "id")
        )
    if name == "approval":
        return (
            Plan.objects.filter(
                status=PlanStatus.SUBMITTED,
                case__reintegration__office_id__in=s.approving_offices,
            )
            .exclude(case__status=Status.CLOSED)
            .select_related("case", "case__principal", "case__reintegration__office", "project")
            .order_by("submitted_at", "id")
        )
    if name == "purchases":
        return (
            Purchase.objects.filter(
                status=PurchaseStatus.ORDERED, case__reintegration__office_id__in=s.offices
            )
            .exclude(case__status=Status.CLOSED)
            .select_related("case", "case__principal", "supplier", "case__reintegration__office")
            .order_by("ordered_on", "id")
        )
    if name == "visits":
        return (
            MonitoringVisit.objects.filter(
                office_id__in=s.offices,
                status=VisitStatus.PLANNED,
                due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
            )
            .exclude(case__status=Status.CLOSED)
            .select_related("case", "case__principal", "office")
            .order_by("due_on", "id")
        )
    raise NotFound()


def row_case(name: str, obj) -> Case:
    """The case of a queue row."""
    return obj if name == "acceptance" else obj.case


def row_summary(name: str, obj, *, today: datetime.date | None = None) -> dict:
    """The fields every queue row shows (web and API): the case, its principal, the office,
    the relevant date, whether it is late, and what is missing (assessments)."""
    today = today or timezone.localdate()
    case = row_case(name, obj)
    principal = case.principal
    out = {
        "queue": name,
        "object_id": obj.pk,
        "case_id": case.pk,
        "case_number": case.number,
        "case_status": case.status,
        "principal_name": principal.full_name if principal else "",
        "office": None,
        "due_on": None,
        "overdue": False,
        "missing": [],
        "detail": "",
    }
    if name == "acceptance":
        out["office"] = case.office.name
        out["due_on"] = None
        out["detail"] = str(Status(case.status).label)
    elif name in ("reception", "assessments", "plans"):
        out["office"] = obj.office.name
        if name == "plans":
            out["due_on"] = obj.plan_due_on
            # the queue holds cases with no approved (nor submitted) plan
            out["overdue"] = plan_overdue(obj.plan_due_on, False, today)
        if name == "reception":
            out["detail"] = str(Status(case.status).label)
        if name == "assessments":
            out["missing"] = [
                str(kind)
                for kind in DUE_ASSESSMENTS
                if not getattr(obj, f"has_{kind}")
                and (kind != AssessmentKind.FAMILY or case.member_count > 1)
            ]
            if not obj.has_baseline:
                out["missing"].append("baseline_survey")
    elif name == "approval":
        out["office"] = case.reintegration.office.name
        out["detail"] = f"{obj.total} {obj.currency}"
    elif name == "purchases":
        out["office"] = case.reintegration.office.name
        out["due_on"] = obj.ordered_on
        out["detail"] = f"{obj.supplier.name} · {obj.total} {obj.currency}"
    elif name == "visits":
        out["office"] = obj.office.name
        out["due_on"] = obj.due_on
        out["overdue"] = obj.due_on < today
        out["detail"] = str(obj.get_mode_display())
    return out


def may_use_workspace(user) -> bool:
    """Reintegration officers and managers of an origin mission."""
    scope = user_scope(user)
    return bool(policies.missions_recording(user) & scope.origin_mission_ids)
