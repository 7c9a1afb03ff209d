"""Helpers shared by the case services: policy checks, row locks, version bumps."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed

from ..choices import (
    Status,
)
from ..models import Case
from ..policies import can

AFTER_DEPARTURE = (
    Status.DEPARTED,
    Status.ARRIVED,
    Status.REINTEGRATION,
    Status.MONITORING,
    Status.CLOSED,
)


CASE_EDIT_FIELDS = [
    "priority",
    "referral_source",
    "referral_organisation",
    "referral_details",
    "country_of_return",
    "destination_area",
    "destination_pcode",
    "assigned_to",
]


def _require(user, action, case=None):
    if not can(user, action, case):
        raise PermissionDenied()


def lock_case(case: Case, expected_version: int | None) -> Case:
    """Lock the case row for this transaction; refuse a stale expected version. Public: apps that
    build on cases (screening, movements, ...) use it for their own case-level writes."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleEdit()
    return locked


def touch_case(case: Case, locked: Case, **changes) -> None:
    """Bump the version of a locked case (and apply `changes`); keep the caller's copy in step."""
    now = timezone.now()
    Case.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=now, **changes)
    case.version = locked.version + 1
    case.updated_at = now
    for key, value in changes.items():
        setattr(case, key, value)


def require_open(case: Case) -> None:
    """A closed case is a record: its tasks and attachments no longer change (notes may still be
    added, e.g. news of the returnee after closure)."""
    if case.status == Status.CLOSED:
        raise ValidationFailed(_("The case is closed."), code="case_closed")
