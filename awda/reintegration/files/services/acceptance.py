"""The origin office's file on a case: accepting the handover, the officer following it, the
arrival date and the plan deadline."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.models import Office
from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import lock_case, require_open, touch_case
from awda.core.errors import StaleEdit, ValidationFailed

from ... import policies
from ...common import WORKING_STATUSES, arrival_date, audit, plan_due_on, require
from ...models import ReintegrationFile

HANDOVER_ACCEPTED = "reintegration.handover.accepted"
FILE_ASSIGNED = "reintegration.file.assigned"


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
    if officer is not None and officer.pk not in officers_of(office):
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


def officers_of(office) -> set[int]:
    """The users who hold a reintegration role (officer or manager) in `office`."""
    from awda.accounts.models import Membership
    from awda.cases.policies import PERMISSIONS

    return set(
        Membership.objects.filter(
            office=office, is_active=True, role__in=PERMISSIONS["reintegration.record"]
        ).values_list("user_id", flat=True)
    )


def file_assign(user, *, case: Case, officer, expected_version: int) -> ReintegrationFile:
    """Change the reintegration officer following the case (None: nobody yet). The officer
    must hold a reintegration role in the file's office; `expected_version` is the file's
    version read (409 otherwise)."""
    require(policies.may_record(user, case))
    require_open(case)
    file = ReintegrationFile.objects.filter(case_id=case.pk).first()
    if file is None:
        raise ValidationFailed(
            _("No office of the receiving mission has accepted the handover yet."),
            code="not_accepted",
        )
    if officer is not None and officer.pk not in officers_of(file.office):
        raise ValidationFailed(
            fields={"officer": [_("This person is not a reintegration officer of the office.")]}
        )
    with transaction.atomic():
        row = ReintegrationFile.objects.select_for_update().get(pk=file.pk)
        if expected_version is None or int(expected_version) != row.version:
            raise StaleEdit()
        before = row.officer.get_username() if row.officer_id else None
        row.officer = officer
        row.version += 1
        row.save(update_fields=["officer", "version", "updated_at"])
        audit(
            user,
            FILE_ASSIGNED,
            row,
            case=case,
            changes={
                "officer": {"from": before, "to": officer.get_username() if officer else None}
            },
        )
    return row


def on_case_moved(user, case, name, from_status, to_status) -> None:
    """Workflow effect (registered in ReintegrationConfig.ready): when the arrival is confirmed,
    the accepted file gets its arrival date and the plan deadline."""
    if to_status != Status.ARRIVED:
        return
    today = timezone.localdate()
    ReintegrationFile.objects.filter(case_id=case.pk).update(
        arrived_on=today, plan_due_on=plan_due_on(today), updated_at=timezone.now()
    )
