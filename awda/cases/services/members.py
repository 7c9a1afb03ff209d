"""Case members and the signed declaration of voluntary return."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record, diff, snapshot
from awda.core.errors import (
    NotFound,
    ValidationFailed,
)
from awda.registry import services as registry

from ..choices import (
    Relationship,
    Status,
)
from ..models import Case, CaseMember
from ._common import AFTER_DEPARTURE, _require, lock_case, touch_case


def case_member_add(
    user,
    *,
    case: Case,
    relationship: str,
    person: dict | None = None,
    person_id=None,
    documents: list[dict] | None = None,
    travels: bool = True,
    expected_version: int | None = None,
) -> CaseMember:
    _require(user, "case.members", case)
    if relationship not in Relationship.values or relationship == Relationship.PRINCIPAL:
        raise ValidationFailed(fields={"relationship": [_("Choose the relationship.")]})
    with transaction.atomic():
        locked = lock_case(case, expected_version)
        if locked.status in AFTER_DEPARTURE:
            raise ValidationFailed(_("Members cannot be added after departure."))
        if person_id:
            from ..selectors import person_get_for

            p = person_get_for(user, person_id)
            if locked.members.filter(person=p).exists():
                raise ValidationFailed(
                    fields={"person_id": [_("This person is already a member of the case.")]}
                )
        else:
            p = registry.person_create(
                user, office=locked.office, data=person or {}, documents=documents, prefix="person."
            )
        member = CaseMember.objects.create(
            case=locked, person=p, relationship=relationship, travels=travels
        )
        touch_case(case, locked, member_count=locked.member_count + 1)
        audit_record(
            user,
            action="cases.member.added",
            obj=member,
            case_id=case.pk,
            person_id=p.pk,
            office_id=case.office_id,
            changes={"person": p.pk, "relationship": relationship, "travels": travels},
        )
    return member


def case_member_update(
    user,
    *,
    case: Case,
    member: CaseMember,
    relationship=None,
    travels=None,
    expected_version: int | None = None,
) -> CaseMember:
    """Change a member's relationship or whether they travel (not after departure). Bumps the
    case version, so a stale form elsewhere is refused."""
    _require(user, "case.members", case)
    if member.case_id != case.pk:
        raise NotFound()
    before = snapshot(member, ["relationship", "travels"])
    if relationship is not None:
        if (
            member.is_principal
            or relationship not in Relationship.values
            or relationship == Relationship.PRINCIPAL
        ):
            raise ValidationFailed(fields={"relationship": [_("Choose the relationship.")]})
        member.relationship = relationship
    if travels is not None:
        member.travels = bool(travels)
    changes = diff(before, snapshot(member, ["relationship", "travels"]))
    with transaction.atomic():
        locked = lock_case(case, expected_version)
        if locked.status in AFTER_DEPARTURE:
            raise ValidationFailed(_("Members cannot be changed after departure."))
        if not changes:
            return member
        member.save(update_fields=["relationship", "travels", "updated_at"])
        touch_case(case, locked)
        audit_record(
            user,
            action="cases.member.updated",
            obj=member,
            case_id=case.pk,
            person_id=member.person_id,
            office_id=case.office_id,
            changes=changes,
        )
    return member


def case_member_remove(
    user, *, case: Case, member: CaseMember, expected_version: int | None = None
) -> None:
    _require(user, "case.members", case)
    if member.case_id != case.pk:
        raise NotFound()
    if member.is_principal:
        raise ValidationFailed(_("The principal applicant cannot be removed from the case."))
    with transaction.atomic():
        locked = lock_case(case, expected_version)
        if locked.status in AFTER_DEPARTURE:
            raise ValidationFailed(_("Members cannot be removed after departure."))
        audit_record(
            user,
            action="cases.member.removed",
            obj=member,
            case_id=case.pk,
            person_id=member.person_id,
            office_id=case.office_id,
            changes={"person": member.person_id, "relationship": member.relationship},
        )
        member.delete()
        touch_case(case, locked, member_count=locked.member_count - 1)


def case_declaration_record(
    user, *, case: Case, signed_on: datetime.date, expected_version: int | None = None
) -> Case:
    """Record the signed declaration of voluntary return (the signed copy is an attachment)."""
    _require(user, "case.declaration", case)
    if not signed_on:
        raise ValidationFailed(
            fields={"signed_on": [_("Give the date the declaration was signed.")]}
        )
    if signed_on > timezone.localdate():
        raise ValidationFailed(fields={"signed_on": [_("The date is in the future.")]})
    if signed_on < case.registered_on:
        raise ValidationFailed(
            fields={"signed_on": [_("The declaration cannot predate the registration.")]}
        )
    with transaction.atomic():
        locked = lock_case(case, expected_version)
        if locked.status not in (Status.REGISTERED, Status.COUNSELLING, Status.ON_HOLD):
            raise ValidationFailed(_("The declaration is recorded during counselling."))
        before = locked.declaration_signed_on
        touch_case(case, locked, declaration_signed_on=signed_on, declaration_recorded_by=user)
        audit_record(
            user,
            action="cases.case.declaration_recorded",
            obj=case,
            case_id=case.pk,
            office_id=case.office_id,
            changes={"declaration_signed_on": {"from": before, "to": signed_on}},
        )
    return case
