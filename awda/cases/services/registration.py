"""Registering cases (with their principal applicant and members) and editing cases and persons."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.models import Office
from awda.audit.services import audit_record, diff, snapshot
from awda.core import countries
from awda.core.concurrency import save_versioned
from awda.core.errors import (
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from awda.registry import services as registry
from awda.registry.models import Person

from ..choices import (
    Priority,
    ReferralSource,
    Relationship,
    Status,
)
from ..models import Case, CaseMember, CaseSequence
from ..policies import can, can_register_in
from ._common import CASE_EDIT_FIELDS, _require


def _reserve(office: Office, year: int, count: int) -> int:
    """Take `count` values of the office's sequence for the year; returns the last one. Must run
    inside a transaction: the sequence's row lock is held until it ends.

    The sequence row is created once (racing creators are resolved by the unique constraint) and
    incremented with F() under a row lock, so concurrent registrations never share a number."""
    try:
        with transaction.atomic():
            CaseSequence.objects.get_or_create(office=office, year=year)
    except IntegrityError:
        pass
    seq = CaseSequence.objects.select_for_update().get(office=office, year=year)
    CaseSequence.objects.filter(pk=seq.pk).update(last_value=F("last_value") + count)
    seq.refresh_from_db(fields=["last_value"])
    return seq.last_value


def _number(office: Office, year: int, value: int) -> str:
    return f"{office.mission.code}-{office.code}-{year}-{value:05d}"


def next_case_number(office: Office, year: int) -> tuple[str, int]:
    """Allocate the next number for the office and year: the number and its sequence value."""
    value = _reserve(office, year, 1)
    return _number(office, year, value), value


def case_numbers_reserve(office: Office, year: int, count: int) -> list[str]:
    """Allocate `count` consecutive numbers for the office and year (a bulk import), by the same
    sequence and lock as next_case_number."""
    last = _reserve(office, year, count)
    return [_number(office, year, v) for v in range(last - count + 1, last + 1)]


def _clean_case_fields(data: dict, *, office) -> dict:
    errors = {}
    out = {k: data[k] for k in CASE_EDIT_FIELDS if k in data}
    if "priority" in out:
        try:
            out["priority"] = int(out["priority"])
        except (TypeError, ValueError):
            out["priority"] = -1
        if out["priority"] not in Priority.values:
            errors["priority"] = [_("Choose a valid priority.")]
    if "referral_source" in out and out["referral_source"] not in ReferralSource.values:
        errors["referral_source"] = [_("Choose a valid referral source.")]
    if "country_of_return" in out:
        code = countries.resolve(out["country_of_return"] or "")
        if not code:
            errors["country_of_return"] = [_("Choose the country of return.")]
        out["country_of_return"] = code
    assignee = out.get("assigned_to")
    if (
        assignee is not None
        and not assignee.memberships.filter(office=office, is_active=True).exists()
    ):
        errors["assigned_to"] = [_("The caseworker must belong to the case's office.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return out


def case_register(
    user,
    *,
    office: Office,
    principal: dict | None = None,
    principal_person: Person | None = None,
    principal_documents: list[dict] | None = None,
    members: list[dict] | None = None,
    registered_on: datetime.date | None = None,
    **fields,
) -> Case:
    """Register a case with its principal applicant (new or existing person) and members.

    members: [{"relationship": ..., "person": {person fields} | None, "person_id": existing id,
               "documents": [...], "travels": bool}]
    """
    if not can_register_in(user, office.pk):
        raise PermissionDenied()
    if principal is None and principal_person is None:
        raise ValidationFailed(fields={"principal": [_("The principal applicant is required.")]})
    if principal_person is not None:
        from ..selectors import person_get_for

        # Services check again: the caller may only lead a case with a person the user can see.
        principal_person = person_get_for(user, principal_person.pk)
    registered_on = registered_on or timezone.localdate()
    if registered_on > timezone.localdate():
        raise ValidationFailed(
            fields={"registered_on": [_("The registration date is in the future.")]}
        )
    case_fields = _clean_case_fields(fields, office=office)
    members = members or []
    for i, m in enumerate(members):
        if (
            m.get("relationship") not in Relationship.values
            or m.get("relationship") == Relationship.PRINCIPAL
        ):
            raise ValidationFailed(
                fields={f"members.{i}.relationship": [_("Choose the relationship.")]}
            )
    with transaction.atomic():
        if principal_person is None:
            principal_person = registry.person_create(
                user,
                office=office,
                data=principal,
                documents=principal_documents,
                prefix="principal.",
            )
        persons = []
        for i, m in enumerate(members):
            if m.get("person_id"):
                from ..selectors import person_get_for

                person = person_get_for(user, m["person_id"])
            else:
                person = registry.person_create(
                    user,
                    office=office,
                    data=m.get("person") or {},
                    documents=m.get("documents"),
                    prefix=f"members.{i}.",
                )
            persons.append((person, m))
        ids = [principal_person.pk] + [p.pk for p, _m in persons]
        if len(set(ids)) != len(ids):
            raise ValidationFailed(fields={"members": [_("The same person is listed twice.")]})
        number, sequence = next_case_number(office, registered_on.year)
        case_fields.setdefault("country_of_return", principal_person.nationality)
        if not case_fields["country_of_return"]:
            raise ValidationFailed(
                fields={"country_of_return": [_("Choose the country of return.")]}
            )
        case = Case.objects.create(
            number=number,
            mission=office.mission,
            office=office,
            registered_on=registered_on,
            status=Status.REGISTERED,
            status_changed_at=timezone.now(),
            created_by=user,
            principal=principal_person,
            nationality=principal_person.nationality,
            member_count=1 + len(persons),
            **case_fields,
        )
        CaseMember.objects.create(
            case=case,
            person=principal_person,
            relationship=Relationship.PRINCIPAL,
            is_principal=True,
        )
        for person, m in persons:
            CaseMember.objects.create(
                case=case,
                person=person,
                relationship=m["relationship"],
                travels=m.get("travels", True),
            )
        audit_record(
            user,
            action="cases.case.registered",
            obj=case,
            case_id=case.pk,
            office_id=office.pk,
            changes={
                "number": number,
                "principal": principal_person.pk,
                "members": [p.pk for p, _m in persons],
                **snapshot(case, CASE_EDIT_FIELDS),
            },
        )
    return case


def case_update(user, *, case: Case, expected_version: int | None, data: dict) -> Case:
    _require(user, "case.edit", case)
    if case.status == Status.CLOSED:
        raise ValidationFailed(_("A closed case cannot be edited."), code="case_closed")
    if (
        "assigned_to" in data
        and data["assigned_to"] != case.assigned_to
        and not can(user, "case.assign", case)
    ) and not (
        data["assigned_to"] == user and case.assigned_to is None
    ):  # taking an unassigned case
        raise PermissionDenied(_("Only an office manager can reassign a case."))
    cleaned = _clean_case_fields(data, office=case.office)
    with transaction.atomic():
        before = snapshot(case, CASE_EDIT_FIELDS)
        for k, v in cleaned.items():
            setattr(case, k, v)
        changes = diff(before, snapshot(case, CASE_EDIT_FIELDS))
        save_versioned(
            case, expected_version=expected_version, fields=[*cleaned.keys(), "updated_at"]
        )
        if changes:
            audit_record(
                user,
                action="cases.case.updated",
                obj=case,
                case_id=case.pk,
                office_id=case.office_id,
                changes=changes,
            )
    return case


def case_person_update(
    user, *, case: Case, person: Person, expected_version: int | None, data: dict
) -> Person:
    _require(user, "person.edit", case)
    if not case.members.filter(person=person).exists():
        raise NotFound()
    with transaction.atomic():
        person = registry.person_update(
            user, person=person, expected_version=expected_version, data=data, case_id=case.pk
        )
        if "nationality" in data:
            _sync_case_nationality(user, person)
    return person


def _sync_case_nationality(user, person: Person) -> None:
    """Cases led by the person carry the principal's nationality for lists and reports. It follows
    a correction while the case is before departure; a departed or closed case keeps the
    nationality it travelled with (reports of past returns do not change silently)."""
    from ..choices import BEFORE_DEPARTURE

    cases = list(
        Case.objects.select_for_update()
        .filter(principal=person, status__in=[*BEFORE_DEPARTURE, Status.ON_HOLD])
        .exclude(nationality=person.nationality)
        .only("pk", "nationality", "office_id", "number", "version")
    )
    for case in cases:
        Case.objects.filter(pk=case.pk).update(
            nationality=person.nationality, version=F("version") + 1, updated_at=timezone.now()
        )
        audit_record(
            user,
            action="cases.case.updated",
            obj=case,
            case_id=case.pk,
            office_id=case.office_id,
            changes={"nationality": {"from": case.nationality, "to": person.nationality}},
        )


def person_update(user, *, person: Person, expected_version: int | None, data: dict) -> Person:
    """Edit a person outside a given case (API persons endpoint): the user must be allowed to edit
    the person (cases.selectors.person_can_edit); the principal's nationality stays in step on
    every case they lead."""
    from ..selectors import person_can_edit

    if not person_can_edit(user, person):
        raise PermissionDenied()
    with transaction.atomic():
        person = registry.person_update(
            user, person=person, expected_version=expected_version, data=data
        )
        if "nationality" in data:
            _sync_case_nationality(user, person)
    return person


def _require_person_edit(user, person: Person, case: Case | None) -> None:
    """Through a case: person.edit on that case and the person is a member; otherwise the user may
    edit the person through one of the cases they can see (selectors.person_can_edit)."""
    from ..selectors import person_can_edit

    if case is not None:
        _require(user, "person.edit", case)
        if not case.members.filter(person=person).exists():
            raise NotFound()
    elif not person_can_edit(user, person):
        raise PermissionDenied()


def person_document_add(
    user, *, person: Person, data: dict, expected_version: int | None, case: Case | None = None
):
    """Add an identity document to a person the user may edit (the person's version guards it)."""
    _require_person_edit(user, person, case)
    return registry.identity_document_add(
        user,
        person=person,
        data=data,
        expected_version=expected_version,
        case_id=getattr(case, "pk", None),
    )


def person_document_update(
    user, *, document, data: dict, expected_version: int | None, case: Case | None = None
):
    _require_person_edit(user, document.person, case)
    return registry.identity_document_update(
        user,
        document=document,
        data=data,
        expected_version=expected_version,
        case_id=getattr(case, "pk", None),
    )


def person_document_delete(
    user, *, document, expected_version: int | None, case: Case | None = None
) -> None:
    _require_person_edit(user, document.person, case)
    registry.identity_document_delete(
        user,
        document=document,
        expected_version=expected_version,
        case_id=getattr(case, "pk", None),
    )
