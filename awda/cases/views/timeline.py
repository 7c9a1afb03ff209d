"""Presentation of a case's history: audit events made human-readable (who, when, what changed),
beside the status history. Read-only formatting; the data comes from the audit and cases
selectors."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import User
from awda.core import countries
from awda.finance.models import Project
from awda.registry.choices import LANGUAGES, DocumentType, Sex
from awda.registry.models import Organisation, Person

from ..choices import (
    AttachmentKind,
    ClosureReason,
    Priority,
    ReferralSource,
    Relationship,
    Status,
    TaskStatus,
)

ACTIONS = {
    "cases.case.registered": (_("Case registered"), "bi-folder-plus", "success"),
    "cases.case.updated": (_("Case updated"), "bi-pencil", "primary"),
    "cases.case.viewed": (_("Case viewed"), "bi-eye", "secondary"),
    "registry.person.viewed": (_("Person record viewed"), "bi-eye", "secondary"),
    "cases.case.transitioned": (_("Status changed"), "bi-signpost-split", "primary"),
    "cases.declaration.printed": (
        _("Declaration of voluntary return printed"),
        "bi-printer",
        "secondary",
    ),
    "cases.case.declaration_recorded": (
        _("Declaration of voluntary return recorded"),
        "bi-pen",
        "success",
    ),
    "cases.member.added": (_("Member added"), "bi-person-plus", "success"),
    "cases.member.updated": (_("Member updated"), "bi-person-gear", "primary"),
    "cases.member.removed": (_("Member removed"), "bi-person-dash", "danger"),
    "cases.note.created": (_("Note added"), "bi-chat-left-text", "secondary"),
    "cases.task.created": (_("Task created"), "bi-check2-square", "secondary"),
    "cases.task.updated": (_("Task updated"), "bi-check2-square", "secondary"),
    "cases.task.status_changed": (_("Task status changed"), "bi-check2-square", "secondary"),
    "cases.attachment.created": (_("File attached"), "bi-paperclip", "secondary"),
    "cases.attachment.downloaded": (_("File downloaded"), "bi-download", "secondary"),
    "registry.person.created": (_("Person recorded"), "bi-person-vcard", "success"),
    "registry.person.updated": (_("Person updated"), "bi-person-vcard", "primary"),
    "registry.identity_document.created": (_("Identity document added"), "bi-card-text", "success"),
    "registry.identity_document.updated": (
        _("Identity document updated"),
        "bi-card-text",
        "primary",
    ),
    "registry.identity_document.deleted": (
        _("Identity document deleted"),
        "bi-card-text",
        "danger",
    ),
    "screening.vulnerability.recorded": (
        _("Vulnerability screening recorded"),
        "bi-shield-check",
        "primary",
    ),
}

CHOICES = {
    "status": Status,
    "priority": Priority,
    "case_priority": Priority,
    "referral_source": ReferralSource,
    "relationship": Relationship,
    "closure_reason": ClosureReason,
    "sex": Sex,
    "kind": AttachmentKind,
    "doc_type": DocumentType,
}
# The part of a case or person record that was read (audit of reads, services.reads).
PARTS = {
    "detail": _("case and members"),
    "summary": _("Summary"),
    "members": _("Members"),
    "documents": _("Documents"),
    "notes": _("Notes"),
    "tasks": _("Tasks"),
    "timeline": _("Timeline"),
    "transitions": _("Status history"),
    "attachments": _("Attachments"),
    "edit": _("edit form"),
    "person": _("person record"),
    "pick": _("person card"),
    "screening": _("Screening"),
    "readiness": _("Readiness"),
    "consent": _("Consent"),
    "transfers": _("Data transfers"),
    "child_protection": _("Child protection"),
    "protection": _("Protection (restricted)"),
    "trafficking": _("Protection record (restricted)"),
    "health": _("Health"),
    "fitness": _("Fitness to travel"),
    "medical": _("Medical records"),
    "assistance": _("Assistance"),
}
COUNTRY_FIELDS = {"nationality", "country_of_return", "issuing_country"}
USER_FIELDS = {"assigned_to", "assignee", "declaration_recorded_by"}
PERSON_FIELDS = {"principal", "person"}
HIDDEN_KEYS = {
    "transition_id",
    "nationality_alpha3",
    "phone_digits",
    "search_text",
    "number_compact",
}
EXTRA_LABELS = {
    "transition": _("move"),
    "members": _("members"),
    "principal": _("principal applicant"),
    "body": _("note"),
    "name": _("file name"),
    "number": _("number"),
    "comment": _("comment"),
    "reason": _("reason"),
    "project": _("project"),
    "part": _("part read"),
}
LANGUAGE_LABELS = dict(LANGUAGES)


class _Lookups:
    """Bulk-resolve the ids that appear in the changes (users, persons, organisations, projects)."""

    def __init__(self, events):
        ids = {"user": set(), "person": set(), "org": set(), "project": set()}
        for ev in events:
            for key, value in (ev.changes or {}).items():
                values = _values(value)
                kind = (
                    "user"
                    if key in USER_FIELDS
                    else "person"
                    if key in PERSON_FIELDS or key == "members"
                    else "org"
                    if key == "referral_organisation"
                    else "project"
                    if key == "project"
                    else None
                )
                if kind:
                    for v in values:
                        if isinstance(v, int):
                            ids[kind].add(v)
        self.users = {u.pk: str(u) for u in User.objects.filter(pk__in=ids["user"])}
        self.persons = {
            p.pk: p.full_name
            for p in Person.objects.filter(pk__in=ids["person"]).only("given_name", "family_name")
        }
        self.orgs = dict(Organisation.objects.filter(pk__in=ids["org"]).values_list("pk", "name"))
        self.projects = dict(
            Project.objects.filter(pk__in=ids["project"]).values_list("pk", "code")
        )


def _values(value):
    if isinstance(value, dict) and set(value) == {"from", "to"}:
        return [value["from"], value["to"]]
    if isinstance(value, list):
        return value
    return [value]


# Other apps describe the keys of their own audit events here (they register at startup, as they
# register case tabs: cases does not import them). key -> (label, value -> display text).
VALUE_LABELS: dict[str, tuple] = {}


def register_value_labels(key: str, label, display) -> None:
    VALUE_LABELS[key] = (label, display)


def register_actions(actions: dict) -> None:
    """Labels of another app's audit actions: {code: (label, bootstrap icon, tone)}."""
    ACTIONS.update(actions)


def _label(object_type: str, key: str) -> str:
    if key in VALUE_LABELS:
        return str(VALUE_LABELS[key][0])
    if key in EXTRA_LABELS:
        return str(EXTRA_LABELS[key])
    try:
        model = apps.get_model(object_type)
        # a reverse relation (e.g. "tasks") has no verbose_name
        label = getattr(model._meta.get_field(key), "verbose_name", None)
    except (LookupError, ValueError, FieldDoesNotExist):
        label = None
    return str(label) if label else key.replace("_", " ")


def _show(key: str, value, lookups: _Lookups) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_show(key, v, lookups) for v in value)
    if key in VALUE_LABELS:
        return str(VALUE_LABELS[key][1](value))
    if key in CHOICES:
        try:
            return str(CHOICES[key](value).label)
        except ValueError:
            return str(value)
    if key in COUNTRY_FIELDS:
        return countries.name(value)
    if key == "languages":
        return str(LANGUAGE_LABELS.get(value, value))
    if key in USER_FIELDS:
        return lookups.users.get(value, f"#{value}")
    if key in PERSON_FIELDS or key == "members":
        return lookups.persons.get(value, f"#{value}")
    if key == "referral_organisation":
        return lookups.orgs.get(value, f"#{value}")
    if key == "project":
        return lookups.projects.get(value, f"#{value}")
    if key == "part":
        return str(PARTS.get(value, value))
    if key == "transition":
        from ..workflow import BY_NAME

        t = BY_NAME.get(value)
        return str(t.label) if t else str(value)
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


def present_events(events, hide=None) -> list[dict]:
    """Turn AuditEvents into rows: when, who, what (label, icon), object and changed fields.
    `hide(event)` (cases.restricted.redactor) tells which events the user sees redacted."""
    events = list(events)
    lookups = _Lookups(events)
    rows = []
    for ev in events:
        if hide is not None and hide(ev):
            rows.append(
                {
                    "event": ev,
                    "label": _("Restricted record"),
                    "icon": "bi-lock",
                    "tone": "secondary",
                    "who": str(ev.actor) if ev.actor_id and ev.actor else ev.actor_username,
                    "changes": [],
                    "redacted": True,
                }
            )
            continue
        label, icon, tone = ACTIONS.get(ev.action, (ev.action, "bi-dot", "secondary"))
        changes = []
        for key, value in (ev.changes or {}).items():
            if key in HIDDEN_KEYS or value in (None, "", [], {}):
                continue
            if key == "status" and ev.object_type == "cases.task" and isinstance(value, dict):
                fmt = lambda v: str(TaskStatus(v).label) if v in TaskStatus.values else v  # noqa: E731
                changes.append(
                    {
                        "field": _label(ev.object_type, key),
                        "before": fmt(value.get("from")),
                        "after": fmt(value.get("to")),
                        "is_change": True,
                    }
                )
                continue
            if isinstance(value, dict) and set(value) == {"from", "to"}:
                changes.append(
                    {
                        "field": _label(ev.object_type, key),
                        "before": _show(key, value["from"], lookups),
                        "after": _show(key, value["to"], lookups),
                        "is_change": True,
                    }
                )
            else:
                changes.append(
                    {
                        "field": _label(ev.object_type, key),
                        "after": _show(key, value, lookups),
                        "is_change": False,
                    }
                )
        rows.append(
            {
                "event": ev,
                "label": label,
                "icon": icon,
                "tone": tone,
                "who": str(ev.actor) if ev.actor_id and ev.actor else ev.actor_username,
                "changes": changes,
            }
        )
    return rows
