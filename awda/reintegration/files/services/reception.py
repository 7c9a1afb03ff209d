"""The reception of the returnees by the origin office (airport, onward transport, temporary
accommodation, first needs). Recording it starts the reintegration of an arrived case."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from awda.cases.choices import Status
from awda.cases.models import Case
from awda.cases.services import case_transition, lock_case, touch_case
from awda.core.concurrency import save_versioned
from awda.core.errors import ValidationFailed

from ... import policies
from ...common import audit, raise_errors, require
from ...models import Reception
from ._common import accepted_file, not_future, require_back, text, too_long

RECEPTION_RECORDED = "reintegration.reception.recorded"
RECEPTION_UPDATED = "reintegration.reception.updated"

FIELDS = (
    "received_on",
    "airport_reception",
    "met_by",
    "onward_transport",
    "onward_destination",
    "accommodation_nights",
    "accommodation_place",
    "first_needs",
    "notes",
)


def _clean(values: dict) -> dict:
    errors: dict = {}
    not_future(values["received_on"], errors, "received_on")
    for name in ("met_by", "onward_destination", "accommodation_place"):
        values[name] = text(values[name])
        too_long(values[name], 200, errors, name)
    for name in ("first_needs", "notes"):
        values[name] = text(values[name])
        too_long(values[name], 5000, errors, name)
    values["airport_reception"] = bool(values["airport_reception"])
    values["onward_transport"] = bool(values["onward_transport"])
    nights = values["accommodation_nights"]
    if nights in (None, ""):
        nights = 0
    try:
        nights = int(nights)
    except (TypeError, ValueError):
        errors["accommodation_nights"] = [_("Enter a whole number.")]
        nights = 0
    if not 0 <= nights <= 366:
        errors["accommodation_nights"] = [_("Between 0 and 366 nights.")]
    values["accommodation_nights"] = nights
    raise_errors(errors)
    return values


def reception_record(
    user,
    *,
    case: Case,
    received_on: datetime.date | None,
    airport_reception: bool = False,
    met_by: str = "",
    onward_transport: bool = False,
    onward_destination: str = "",
    accommodation_nights: int | None = 0,
    accommodation_place: str = "",
    first_needs: str = "",
    notes: str = "",
    expected_version: int | None = None,
) -> Reception:
    """Record (or, with the `expected_version` of the one read, correct) the case's reception.
    Needs the handover accepted and the arrival confirmed. An arrived case moves to
    "reintegration" (start_reintegration) in the same transaction."""
    require(policies.may_record(user, case))
    accepted_file(case)
    require_back(case)
    values = _clean(
        {
            "received_on": received_on,
            "airport_reception": airport_reception,
            "met_by": met_by,
            "onward_transport": onward_transport,
            "onward_destination": onward_destination,
            "accommodation_nights": accommodation_nights,
            "accommodation_place": accommodation_place,
            "first_needs": first_needs,
            "notes": notes,
        }
    )
    with transaction.atomic():
        locked = lock_case(case, None)
        require_back(locked)
        existing = Reception.objects.select_for_update().filter(case_id=case.pk).first()
        if existing is None:
            reception = Reception.objects.create(case=locked, recorded_by=user, **values)
            touch_case(case, locked)
            audit(user, RECEPTION_RECORDED, reception, case=case, changes=_changes(values))
            if locked.status == Status.ARRIVED:
                case_transition(user, case=case, name="start_reintegration")
            return reception
        if expected_version in (None, ""):
            raise ValidationFailed(
                _("The reception is already recorded: send the version you read to correct it."),
                code="already_recorded",
                fields={"version": [_("Send the version you read (optimistic locking).")]},
            )
        before = {f: getattr(existing, f) for f in FIELDS}
        for name, value in values.items():
            setattr(existing, name, value)
        save_versioned(existing, expected_version=expected_version, fields=[*FIELDS, "updated_at"])
        changed = {
            f: {"from": _plain(before[f]), "to": _plain(values[f])}
            for f in FIELDS
            if before[f] != values[f]
        }
        touch_case(case, locked)
        audit(user, RECEPTION_UPDATED, existing, case=case, changes=changed)
    return existing


def _plain(value):
    return str(value) if isinstance(value, datetime.date) else value


def _changes(values: dict) -> dict:
    return {k: _plain(v) for k, v in values.items() if v not in ("", None)}
