"""Checks shared by the services of the origin office's file."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases.choices import Status
from awda.cases.models import Case, CaseMember
from awda.core.errors import ValidationFailed

from ...models import ReintegrationFile

# After the arrival is confirmed, until closure.
BACK_STATUSES = (Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING)


def accepted_file(case: Case) -> ReintegrationFile:
    """The case's file, or a refusal when no office of the receiving mission accepted it."""
    file = ReintegrationFile.objects.filter(case_id=case.pk).select_related("office").first()
    if file is None:
        raise ValidationFailed(
            _("No office of the receiving mission has accepted the handover yet."),
            code="not_accepted",
        )
    return file


def require_back(case: Case) -> None:
    """Work with the returnee needs the arrival confirmed and the case open."""
    if case.status == Status.CLOSED:
        raise ValidationFailed(_("The case is closed."), code="case_closed")
    if case.status == Status.DEPARTED:
        raise ValidationFailed(
            _(
                "The arrival is not confirmed yet: confirm the arrival first "
                "(Movements > Arrivals)."
            ),
            code="not_arrived",
        )
    if case.status not in BACK_STATUSES:
        raise ValidationFailed(_("The case is not in reintegration."), code="case_status")


def require_working(case: Case) -> None:
    """Planning visits: from acceptance until closure."""
    if case.status == Status.CLOSED:
        raise ValidationFailed(_("The case is closed."), code="case_closed")
    if case.status not in (Status.DEPARTED, *BACK_STATUSES):
        raise ValidationFailed(_("The case is not in reintegration."), code="case_status")


def is_member(case: Case, person) -> bool:
    return person is not None and CaseMember.objects.filter(case=case, person=person).exists()


def not_future(day: datetime.date | None, errors: dict, name: str, *, required=True) -> None:
    if day is None:
        if required:
            errors[name] = [_("This field is required.")]
        return
    if day > timezone.localdate():
        errors[name] = [_("The date cannot be in the future.")]


def not_past(day: datetime.date | None, errors: dict, name: str) -> None:
    if day is None:
        errors[name] = [_("This field is required.")]
    elif day < timezone.localdate():
        errors[name] = [_("Choose today or a later date.")]


def text(value, limit: int | None = None) -> str:
    value = (value or "").strip()
    return value[:limit] if limit else value


def too_long(value: str, limit: int, errors: dict, name: str) -> None:
    if len(value or "") > limit:
        errors[name] = [_("At most %(n)s characters.") % {"n": limit}]
