"""The case detail page: header with the transition buttons, and tabs (summary, members, documents,
notes, tasks, timeline) that load with htmx as fragments and also work as plain links.

Every render is audited (services.case_viewed, with the tab as the part read): a full page, an htmx
tab fragment (anyone can send `HX-Request`, so a fragment is a read like any other) and a tab shown
again with a form's errors."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from awda.accounts.choices import Role
from awda.accounts.selectors import user_scope
from awda.audit.selectors import count_case_events, timeline_for_case
from awda.core.errors import NotFound
from awda.core.htmx import render_page_or_fragment
from awda.registry.choices import LANGUAGES

from .. import readiness, restricted, selectors, services, workflow
from ..choices import Status, TaskStatus
from ..forms import (
    AttachmentForm,
    DeclarationForm,
    MemberAddForm,
    MemberEditForm,
    NoteForm,
    PersonDocumentForm,
    TaskForm,
    TransitionForm,
)
from ..policies import can
from .timeline import present_events

TABS = [
    ("summary", _("Summary"), "bi-card-list"),
    ("readiness", _("Readiness"), "bi-list-check"),
    ("members", _("Members"), "bi-people"),
    ("documents", _("Documents"), "bi-paperclip"),
    ("notes", _("Notes"), "bi-chat-left-text"),
    ("tasks", _("Tasks"), "bi-check2-square"),
    ("timeline", _("Timeline"), "bi-clock-history"),
]
TAB_KEYS = [t[0] for t in TABS]
# Tabs contributed by other apps (register_tab): key -> template, and key -> policy action a user
# needs to see the tab.
TAB_TEMPLATES: dict[str, str] = {"readiness": "cases/tabs/readiness.html"}
TAB_ACTIONS: dict[str, str] = {"readiness": "readiness.view"}
TAB_REFUSED: dict = {}
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


def _with_language_labels(members):
    for m in members:
        m.person.language_labels = [
            str(LANGUAGE_LABELS.get(code, code)) for code in m.person.languages or []
        ]
    return members


def _members(case):
    """The members with their persons, documents and language labels (for display)."""
    return _with_language_labels(list(selectors.case_members(case)))


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
    """Members with their documents and their other cases this user may see: a fixed number of
    queries whatever the number of members (selectors.case_members_with_history)."""
    members = _with_language_labels(list(selectors.case_members_with_history(request.user, case)))
    others = {
        m.person_id: [ms.case for ms in m.person.visible_memberships if ms.case_id != case.pk]
        for m in members
    }
    doc_forms = {}
    for m in members:
        key = f"doc-{m.person_id}"
        doc_forms[m.person_id] = bound.get(key) or PersonDocumentForm(
            prefix=key, initial={"version": m.person.version}
        )
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


# Statuses where the checklist matters: before the case is ready, and until it has left.
READINESS_STATUSES = (
    Status.REGISTERED,
    Status.COUNSELLING,
    Status.SCREENING,
    Status.ELIGIBLE,
    Status.PRE_DEPARTURE,
    Status.READY_TO_TRAVEL,
    Status.BOOKED,
    Status.NO_SHOW,
    Status.ON_HOLD,
)


def _tab_readiness(request, case, perms, bound):
    """Per traveller, every safeguard the registered providers check (readiness.py), as this
    user may see them: the same checks the mark_ready and book gates make."""
    rows = readiness.readiness_for(request.user, case)
    return {
        "readiness_rows": rows,
        "readiness_missing": sum(len(r.missing) for r in rows),
        "readiness_relevant": case.status in READINESS_STATUSES,
    }


def _tab_timeline(request, case, perms, bound):
    """The status history and the audit trail. Reads (views of the case and of its members'
    records) are many, one per page or tab: hidden unless asked for ("show N views"), and left
    out in the database, so the newest changes are always there."""
    person_ids = list(case.members.values_list("person_id", flat=True))
    show_views = request.GET.get("views") == "1"
    events = timeline_for_case(
        case.pk,
        person_ids=person_ids,
        exclude_actions=() if show_views else services.VIEW_ACTIONS,
    )
    view_count = count_case_events(case.pk, person_ids=person_ids, actions=services.VIEW_ACTIONS)
    transitions = list(selectors.case_transitions(case))
    for tr in transitions:
        move = workflow.BY_NAME.get(tr.name)
        tr.label = move.label if move else tr.name
    return {
        "transitions": transitions,
        "events": present_events(events, hide=restricted.redactor(request.user, case)),
        "show_views": show_views,
        "view_count": view_count,
    }


TAB_BUILDERS = {
    "summary": _tab_summary,
    "readiness": _tab_readiness,
    "members": _tab_members,
    "documents": _tab_documents,
    "notes": _tab_notes,
    "tasks": _tab_tasks,
    "timeline": _tab_timeline,
}


def register_tab(key, label, icon, *, builder, template, action=None, before=None, on_refused=None):
    """Add a tab to the case page from another app (called from its AppConfig.ready, as cases
    does not import the apps that build on it). `builder(request, case, perms, bound)` returns
    the tab's context; `action` is the policy a user needs to see the tab; `on_refused(user,
    case)` is called when someone without it asks for the tab (a restricted category audits the
    attempt); they get the summary."""
    if key in TAB_KEYS:
        return
    index = TAB_KEYS.index(before) if before in TAB_KEYS else len(TABS)
    TABS.insert(index, (key, label, icon))
    TAB_KEYS.insert(index, key)
    TAB_BUILDERS[key] = builder
    TAB_TEMPLATES[key] = template
    if action:
        TAB_ACTIONS[key] = action
    if on_refused:
        TAB_REFUSED[key] = on_refused


def visible_tabs(user, case) -> list:
    return [t for t in TABS if t[0] not in TAB_ACTIONS or can(user, TAB_ACTIONS[t[0]], case)]


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
        "tabs": visible_tabs(request.user, case),
        "tab_template": TAB_TEMPLATES.get(tab),
        "may": perms,
        "member_count": case.member_count,
    }
    ctx.update(transition_context(request.user, case, bound))
    ctx.update(TAB_BUILDERS[tab](request, case, perms, bound))
    return ctx


def render_detail(request, case, *, tab="summary", bound=None, status=200):
    """The case page (or, for htmx, the tab fragment). Every render shows case data, so every
    render is audited, with the tab as the part read."""
    tab = tab if tab in TAB_KEYS else "summary"
    if tab in TAB_ACTIONS and not can(request.user, TAB_ACTIONS[tab], case):
        if tab in TAB_REFUSED:
            TAB_REFUSED[tab](request.user, case)
        tab = "summary"
    ctx = detail_context(request, case, tab=tab, bound=bound)
    services.case_viewed(request.user, case=case, part=tab)
    return render_page_or_fragment(
        request, "cases/detail.html", "cases/_tabs.html", ctx, status=status
    )


@login_required
@require_GET
def case_detail(request, pk):
    case = get_case(request, pk)
    return render_detail(request, case, tab=request.GET.get("tab", "summary"))
