"""The origin office's file on a case: accepting the handover, the arrival date and the plan
deadline, and the monitoring schedule generated when a plan is approved."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.models import Office
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import lock_case, touch_case
from awda.core.errors import ValidationFailed

from .. import policies
from ..choices import VisitStatus
from ..common import WORKING_STATUSES, add_months, arrival_date, audit, plan_due_on, require
from ..models import MonitoringVisit, ReintegrationFile

HANDOVER_ACCEPTED = "reintegration.handover.accepted"
SCHEDULE_GENERATED = "reintegration.monitoring.scheduled"


def handover_accept(user, *, case: Case, office: Office, officer=None) -> ReintegrationFile:
    """An office of the receiving mission takes the case on: it follows the returnee from now
    on (queues, plan deadline). Refused unless the case was handed over to that mission, is
    between departure and closure, and was not accepted already."""
    require(policies.may_record(user, case))
    errors = {}
    if office.mission_id != case.receiving_mission_id:
        errors["office"] = [_("Choose an office of the receiving mission.")]
    elif office.pk not in policies.offices_recording(user):
        errors["office"] = [_("You do not work on reintegration in this office.")]
    if officer is not None and officer.pk not in _officers_of(office):
        errors["officer"] = [_("This person is not a reintegration officer of the office.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        locked = lock_case(case, None)
        if locked.status not in WORKING_STATUSES:
            raise ValidationFailed(
                _("Only a case that has left (departed or arrived) can be accepted."),
                code="not_returned",
            )
        if ReintegrationFile.objects.filter(case_id=case.pk).exists():
            raise ValidationFailed(
                _("The handover of this case was already accepted."), code="already_accepted"
            )
        arrived = arrival_date(locked) if locked.status != Status.DEPARTED else None
        file = ReintegrationFile.objects.create(
            case=locked,
            mission_id=locked.receiving_mission_id,
            office=office,
            officer=officer,
            accepted_at=timezone.now(),
            accepted_by=user,
            arrived_on=arrived,
            plan_due_on=plan_due_on(arrived),
        )
        touch_case(case, locked)
        audit(
            user,
            HANDOVER_ACCEPTED,
            file,
            case=case,
            changes={
                "office": office.pk,
                "officer": officer.pk if officer else None,
                "plan_due_on": str(file.plan_due_on or ""),
            },
        )
    return file


def _officers_of(office) -> set[int]:
    from awda.accounts.models import Membership
    from awda.cases.policies import PERMISSIONS

    return set(
        Membership.objects.filter(
            office=office, is_active=True, role__in=PERMISSIONS["reintegration.record"]
        ).values_list("user_id", flat=True)
    )


def on_case_moved(user, case, name, from_status, to_status) -> None:
    """Workflow effect (registered in ReintegrationConfig.ready): when the arrival is confirmed,
    the accepted file gets its arrival date and the plan deadline."""
    if to_status != Status.ARRIVED:
        return
    today = timezone.localdate()
    ReintegrationFile.objects.filter(case_id=case.pk).update(
        arrived_on=today, plan_due_on=plan_due_on(today), updated_at=timezone.now()
    )


def schedule_months(project) -> list[int]:
    months = (project.monitoring_months if project is not None else None) or []
    return sorted({int(m) for m in months}) or list(settings.AWDA_MONITORING_MONTHS)


def monitoring_schedule_generate(user, *, case: Case, plan) -> list[MonitoringVisit]:
    """Plan the monitoring visits of `case` at the plan's project's months after arrival
    (default AWDA_MONITORING_MONTHS, 3, 6 and 12). Called by the plan approval service inside
    its transaction. Visits already planned for the same month are kept (a revised plan does
    not duplicate the schedule); done visits are never touched."""
    file = ReintegrationFile.objects.filter(case_id=case.pk).first()
    start: datetime.date = (
        (file.arrived_on if file else None) or arrival_date(case) or timezone.localdate()
    )
    office_id = file.office_id if file else case.office_id
    existing = set(
        MonitoringVisit.objects.filter(case_id=case.pk, months__isnull=False)
        .exclude(status=VisitStatus.CANCELLED)
        .values_list("months", flat=True)
    )
    created = [
        MonitoringVisit(
            case_id=case.pk,
            office_id=office_id,
            plan=plan,
            months=m,
            due_on=add_months(start, m),
        )
        for m in schedule_months(plan.project)
        if m not in existing
    ]
    MonitoringVisit.objects.bulk_create(created)
    if created:
        audit(
            user,
            SCHEDULE_GENERATED,
            plan,
            case=case,
            changes={"months": [v.months for v in created], "from": str(start)},
        )
    return created
