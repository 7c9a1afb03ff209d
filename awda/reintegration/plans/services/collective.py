"""Collective and community projects of an origin mission: several returnees' plans link to
one (plan_update(collective=...)), each plan carrying its participant's share."""

from django.db import transaction
from django.utils.translation import gettext as _

from awda.accounts.models import Office
from awda.audit.services import audit_record
from awda.core.concurrency import save_versioned
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.finance.models import Project

from ... import policies
from ...choices import CollectiveKind
from ...common import raise_errors, text
from ...models import CollectiveProject
from ..selectors import collective_projects
from ._common import COLLECTIVE_CREATED, COLLECTIVE_UPDATED, KEEP

FIELDS = ("name", "kind", "activity", "location", "description", "project")


def _clean(values: dict, errors: dict, *, mission_id: int, current=None) -> dict:
    """Clean the given fields. A project must be active and one of collective_projects(mission):
    a project of the collective's mission, or one funding a case handed over to that mission
    (`current`, the project the collective already has, is not checked again)."""
    out = {}
    for name in ("name", "activity", "location", "description"):
        if name in values:
            out[name] = text(values[name])
    if "name" in out and not out["name"]:
        errors["name"] = [_("Give the project a name.")]
    for name in ("name", "activity", "location"):
        if len(out.get(name, "")) > 200:
            errors[name] = [_("Use at most 200 characters.")]
    if "kind" in values:
        if values["kind"] not in CollectiveKind.values:
            errors["kind"] = [_("Choose a valid option.")]
        out["kind"] = values["kind"]
    if "project" in values:
        project = values["project"]
        if not isinstance(project, Project):
            errors["project"] = [_("Choose a project.")]
        elif project.pk == current:
            pass
        elif not project.is_active:
            errors["project"] = [_("Project %(code)s is not active.") % {"code": project.code}]
        elif not collective_projects(mission_id).filter(pk=project.pk).exists():
            errors["project"] = [
                _(
                    "Project %(code)s is neither a project of the mission nor a project funding "
                    "a case handed over to it."
                )
                % {"code": project.code}
            ]
        out["project"] = project
    return out


def _audit(user, action, collective, changes):
    audit_record(
        user,
        action=action,
        obj=collective,
        object_repr=str(collective),
        office_id=collective.office_id,
        changes=changes,
    )


def _changes(values: dict) -> dict:
    changes = {}
    for name, value in values.items():
        if name == "project":
            changes[name] = value.pk
        elif name == "description":
            changes[name] = bool(value)
        else:
            changes[name] = value
    return changes


def collective_create(
    user,
    *,
    office: Office,
    name: str,
    kind: str,
    project: Project,
    activity: str = "",
    location: str = "",
    description: str = "",
) -> CollectiveProject:
    """A collective or community project of `office`'s mission; the user works on reintegration
    in that office (policies.offices_recording). Its project: see _clean."""
    if office.pk not in policies.offices_recording(user):
        raise PermissionDenied()
    errors: dict = {}
    values = _clean(
        {
            "name": name,
            "kind": kind,
            "project": project,
            "activity": activity,
            "location": location,
            "description": description,
        },
        errors,
        mission_id=office.mission_id,
    )
    raise_errors(errors)
    with transaction.atomic():
        collective = CollectiveProject.objects.create(
            mission_id=office.mission_id, office=office, created_by=user, **values
        )
        _audit(user, COLLECTIVE_CREATED, collective, {"office": office.pk, **_changes(values)})
    return collective


def collective_update(
    user,
    *,
    collective: CollectiveProject,
    expected_version: int | None,
    name=KEEP,
    kind=KEEP,
    project=KEEP,
    activity=KEEP,
    location=KEEP,
    description=KEEP,
) -> CollectiveProject:
    """Edit a collective project (arguments not given stay) with the version read: a missing
    version is refused (ValidationFailed on "version"), a stale one raises StaleEdit."""
    if collective.mission_id not in policies.missions_recording(user):
        raise PermissionDenied()
    if expected_version is None:
        raise ValidationFailed(
            _("Reload the page: the version of the project you edited is missing."),
            fields={"version": [_("This field is required.")]},
        )
    given = {
        k: v
        for k, v in {
            "name": name,
            "kind": kind,
            "project": project,
            "activity": activity,
            "location": location,
            "description": description,
        }.items()
        if v is not KEEP
    }
    errors: dict = {}
    values = _clean(given, errors, mission_id=collective.mission_id, current=collective.project_id)
    raise_errors(errors)
    with transaction.atomic():
        for key, value in values.items():
            setattr(collective, key, value)
        save_versioned(
            collective, expected_version=expected_version, fields=[*values, "updated_at"]
        )
        _audit(user, COLLECTIVE_UPDATED, collective, _changes(values))
    return collective
