"""The case detail page: header with the transition buttons, and tabs (summary, members, documents,
notes, tasks, timeline) that load with htmx as fragments and also work as plain links.

A full page view is audited (services.case_viewed); tab fragments are not, they belong to a page
already audited."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from awda.accounts.choices import Role
from awda.accounts.selectors import user_scope
from awda.audit.selectors import timeline_for_case
from awda.core.errors import NotFound
from awda.core.htmx import render_page_or_fragment
from awda.registry.choices import LANGUAGES
from awda.registry.forms import IdentityDocumentForm

from .. import selectors, services, workflow
from ..choices import Status, TaskStatus
from ..forms import (
    AttachmentForm,
    DeclarationForm,
    MemberAddForm,
    MemberEditForm,
    NoteForm,
    TaskForm,
    TransitionForm,
)
from ..policies import can
from .timeline import present_events

TABS = [
    ("summary", _("Summary"), "bi-card-list"),
    ("members", _("Members"), "bi-people"),
    ("documents", _("Documents"), "bi-paperclip"),
    ("notes", _("Notes"), "bi-chat-left-text"),
    ("tasks", _("Tasks"), "bi-check2-square"),
    ("timeline", _("Timeline"), "bi-clock-history"),
]
TAB_KEYS = [t[0] for t in TABS]
LANGUAGE_LABELS = dict(LANGUAGES)
ACTIONS = [
    "case.edit",
    "case.assign",
    "case.declaration",
    "case.members",
    "person.edit",
    "note.add",
    "task.add",
    "task.update",
    "attachment.add",
    "attachment.view",
    "timeline.view",
]
DECLARATION_STATUSES = (Status.REGISTERED, Status.COUNSELLING, Status.ON_HOLD)
MEMBERS_LOCKED_STATUSES = (
    Status.DEPARTED,
    Status.ARRIVED,
    Status.REINTEGRATION,
    Status.MONITORING,
    Status.CLOSED,
)


def get_case(request, pk):
    """The case if the user may see it; 404 otherwise (missing and not yours look the same)."""
    try:
        return selectors.case_get_for(request.user, pk)
    except NotFound:
        raise Http404() from None


# Who may take an unassigned case ("Assign to me"): the assignee must belong to the case's office.
TAKERS = frozenset({Role.CASEWORKER, Role.MANAGER})


def can_take(user, case, *, ignore_assignee: bool = False) -> bool:
    """May `user` assign the case to themself: a caseworker or manager of the case's own office
    who may edit it, on a case not closed and (unless `ignore_assignee`) not assigned yet.
    services.case_update checks the rule again."""
    if case.status == Status.CLOSED or (case.assigned_to_id and not ignore_assignee):
        return False
    office_roles = user_scope(user).office_roles.get(case.office_id, frozenset())
    return bool(office_roles & TAKERS) and can(user, "case.edit", case)


def permissions(user, case) -> dict:
    perms = {action.replace(".", "_"): can(user, action, case) for action in ACTIONS}
    perms["case_take"] = can_take(user, case)
    return perms


def _members(case):
    """The members with their persons, documents and language labels (for display)."""
    members = list(selectors.case_members(case))
    for m in members:
        m.person.language_labels = [
            str(LANGUAGE_LABELS.get(code, code)) for code in m.person.languages or []
        ]
    return members


def _tab_summary(request, case, perms, bound):
    members = _members(case)
    ctx = {
        "members": members,
        "open_tasks": selectors.task_list_for(request.user, case=case).count(),
        "show_declaration_form": perms["case_declaration"] and case.status in DECLARATION_STATUSES,
    }
    ctx["declaration_form"] = bound.get("declaration_form") or DeclarationForm(
        initial={"version": case.version, "signed_on": case.declaration_signed_on}
    )
    return ctx


def _tab_members(request, case, perms, bound):
    members = _members(case)
    others = {}
    for m in members:
        others[m.person_id] = [
            c for c in selectors.person_cases_for(request.user, m.person) if c.pk != case.pk
        ]
    doc_forms = {}
    for m in members:
        key = f"doc-{m.person_id}"
        doc_forms[m.person_id] = bound.get(key) or IdentityDocumentForm(prefix=key)
    rows = [
        {
            "member": m,
            "other_cases": others[m.person_id],
            "doc_form": doc_forms[m.person_id],
            "edit_form": bound.get(f"member_edit_{m.pk}")
            or MemberEditForm(member=m, prefix=f"edit-{m.pk}"),
        }
        for m in members
    ]
    return {
        "rows": rows,
        "member_form": bound.get("member_form")
        or MemberAddForm(
            prefix="member",
            user=request.user,
            initial={"version": case.version, "travels": True},
        ),
        "members_locked": case.status in MEMBERS_LOCKED_STATUSES,
        "show_member_form": "member_form" in bound,
        "today": timezone.localdate(),
    }


def _tab_documents(request, case, perms, bound):
    return {
        "attachments": case.attachments.select_related("person", "uploaded_by"),
        "attachment_form": bound.get("attachment_form") or AttachmentForm(case=case),
        "max_upload_mb": settings.AWDA_MAX_UPLOAD_MB,
        "allowed_types": ", ".join(sorted(services.ALLOWED_UPLOADS)),
    }


def _tab_notes(request, case, perms, bound):
    return {
        "notes": case.notes.select_related("author"),
        "note_form": bound.get("note_form") or NoteForm(),
    }


def _tab_tasks(request, case, perms, bound):
    tasks = list(selectors.task_list_for(request.user, case=case, status=None))
    order = {TaskStatus.OPEN: 0, TaskStatus.DONE: 1, TaskStatus.CANCELLED: 2}
    tasks.sort(key=lambda t: (order.get(t.status, 3), t.due_date is None, t.due_date or 0, t.pk))
    return {
        "tasks": tasks,
        "task_form": bound.get("task_form") or TaskForm(case=case),
        "TaskStatus": TaskStatus,
    }


def _tab_timeline(request, case, perms, bound):
    person_ids = list(case.members.values_list("person_id", flat=True))
    events = list(timeline_for_case(case.pk, person_ids=person_ids))
    show_views = request.GET.get("views") == "1"
    view_count = sum(1 for e in events if e.action == "cases.case.viewed")
    if not show_views:
        events = [e for e in events if e.action != "cases.case.viewed"]
    transitions = list(selectors.case_transitions(case))
    for tr in transitions:
        move = workflow.BY_NAME.get(tr.name)
        tr.label = move.label if move else tr.name
    return {
        "transitions": transitions,
        "events": present_events(events),
        "show_views": show_views,
        "view_count": view_count,
    }


TAB_BUILDERS = {
    "summary": _tab_summary,
    "members": _tab_members,
    "documents": _tab_documents,
    "notes": _tab_notes,
    "tasks": _tab_tasks,
    "timeline": _tab_timeline,
}


def transition_context(user, case, bound=None) -> dict:
    """The moves the user may make (with a form for those that need inputs) and the blocked ones
    with their reasons."""
    bound = bound or {}
    options = []
    for opt in selectors.transition_options(user, case):
        t = opt["transition"]
        form = None
        if t.requires:
            form = bound.get(f"transition_{t.name}") or TransitionForm(
                transition=t, user=user, case=case, prefix=f"t-{t.name}"
            )
        options.append({**opt, "form": form, "needs_input": bool(t.requires)})
    return {
        "options": options,
        "allowed_options": [o for o in options if o["allowed"]],
        "blocked_options": [o for o in options if not o["allowed"]],
    }


def detail_context(request, case, *, tab: str, bound: dict | None = None) -> dict:
    bound = bound or {}
    perms = permissions(request.user, case)
    ctx = {
        "case": case,
        "tab": tab,
        "tabs": TABS,
        "may": perms,
        "member_count": case.member_count,
    }
    ctx.update(transition_context(request.user, case, bound))
    ctx.update(TAB_BUILDERS[tab](request, case, perms, bound))
    return ctx


def render_detail(request, case, *, tab="summary", bound=None, status=200):
    tab = tab if tab in TAB_KEYS else "summary"
    ctx = detail_context(request, case, tab=tab, bound=bound)
    return render_page_or_fragment(
        request, "cases/detail.html", "cases/_tabs.html", ctx, status=status
    )


@login_required
@require_GET
def case_detail(request, pk):
    case = get_case(request, pk)
    tab = request.GET.get("tab", "summary")
    is_fragment = getattr(request, "htmx", False) and not request.htmx.boosted
    if not is_fragment:
        services.case_viewed(request.user, case=case)
    return render_detail(request, case, tab=tab)
