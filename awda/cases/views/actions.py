"""Every action on a case from the HTML UI. Each view checks the policy (403 before anything is
done), parses its form, calls one service and redirects to the right tab with a message; errors
from the service come back on the form (400), a stale version or a refused transition with 409
(the shared flow is in submit.py). Services check the policy again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awda.core.errors import ApplicationError, PermissionDenied, StaleEdit, TransitionRefused
from awda.core.htmx import apply_error

from .. import selectors, services, workflow
from ..choices import Status, TaskStatus
from ..forms import (
    AttachmentForm,
    CaseEditForm,
    DeclarationForm,
    NoteForm,
    TaskForm,
    TransitionForm,
    VersionForm,
)
from ..policies import can, roles_on_case
from .detail import can_take, get_case
from .submit import (
    call_service,
    flash_form_errors,
    one_or_404,
    require,
    submit,
    submit_on_tab,
    tab_url,
)

# ---- case ---------------------------------------------------------------------------------------


@login_required
def case_edit(request, pk):
    case = get_case(request, pk)
    require(request.user, "case.edit", case)
    can_assign = can(request.user, "case.assign", case)
    status = 200
    if request.method == "POST":
        form = CaseEditForm(request.POST, case=case, can_assign=can_assign)
        done, status = submit(
            request,
            form,
            lambda: services.case_update(
                request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                data=form.case_data(),
            ),
            case=case,
            tab="summary",
            success=_("The case was updated."),
        )
        if done:
            return done
    else:
        form = CaseEditForm(case=case, can_assign=can_assign)
    services.case_viewed(request.user, case=case, part="edit")
    return render(request, "cases/case_edit.html", {"case": case, "form": form}, status=status)


@login_required
@require_POST
def case_take(request, pk):
    """ "Assign to me": a caseworker (or manager) of the case's office takes an unassigned case.
    Only an unassigned case is taken here; managers reassign through the edit form. The version
    read now is the compare-and-set guard, so of two people taking the case at once one wins and
    the other is told."""
    case = get_case(request, pk)
    if not can_take(request.user, case, ignore_assignee=True):
        raise DjangoPermissionDenied()
    back = redirect(tab_url(case, "summary"))
    if case.assigned_to_id == request.user.pk:
        messages.info(request, _("This case is already assigned to you."))
        return back
    if case.assigned_to_id is not None:
        messages.error(
            request,
            _(
                "This case is already assigned to %(name)s. An office manager reassigns a case "
                "from “Edit case”."
            )
            % {"name": case.assigned_to},
        )
        return back
    try:
        services.case_update(
            request.user,
            case=case,
            expected_version=case.version,
            data={"assigned_to": request.user},
        )
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from None
    except ApplicationError as exc:  # taken meanwhile (stale), or not a member of the office
        messages.error(request, str(exc.message))
        return back
    messages.success(request, _("The case %(number)s is now assigned to you.") % {"number": case})
    return back


@login_required
@require_POST
def case_declaration(request, pk):
    case = get_case(request, pk)
    require(request.user, "case.declaration", case)
    form = DeclarationForm(request.POST)
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.case_declaration_record(
            request.user,
            case=case,
            signed_on=form.cleaned_data["signed_on"],
            expected_version=form.cleaned_data["version"],
        ),
        tab="summary",
        bound_key="declaration_form",
        reload=True,
        success=_("The signed declaration of voluntary return is recorded."),
    )


@login_required
def case_transition(request, pk, name):
    case = get_case(request, pk)
    transition = workflow.BY_NAME.get(name)
    if transition is None:
        raise Http404()
    options = {o["transition"].name: o for o in selectors.transition_options(request.user, case)}
    possible = name in options
    if not possible and not (roles_on_case(request.user, case) & transition.roles):
        raise DjangoPermissionDenied()
    failed_gates = []
    if request.method == "POST":
        form = TransitionForm(
            request.POST, transition=transition, user=request.user, case=case, prefix=f"t-{name}"
        )
        status = 400
        if form.is_valid():
            try:
                services.case_transition(
                    request.user, case=case, name=name, **form.transition_kwargs()
                )
            except TransitionRefused as exc:
                failed_gates = (exc.details or {}).get("failed_gates") or []
                if not failed_gates:
                    form.add_error(None, str(exc.message))
                status = 409
            except StaleEdit as exc:
                form.add_error(None, str(exc.message))
                status = 409
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from None
            except ApplicationError as exc:
                apply_error(form, exc)
                status = 400
            else:
                case.refresh_from_db(fields=["status"])
                messages.success(
                    request,
                    _("“%(label)s” done: the case is now “%(status)s”.")
                    % {"label": transition.label, "status": Status(case.status).label},
                )
                return redirect(tab_url(case, "summary"))
        case = get_case(request, pk)
    else:
        form = TransitionForm(
            transition=transition, user=request.user, case=case, prefix=f"t-{name}"
        )
        status = 200
    option = options.get(name)
    services.case_viewed(request.user, case=case, part="transitions")
    return render(
        request,
        "cases/transition.html",
        {
            "case": case,
            "transition": transition,
            "target": transition.target_for(case) if possible else transition.target,
            "form": form,
            "possible": possible,
            "blockers": option["blockers"] if option else [],
            "failed_gates": failed_gates,
        },
        status=status,
    )


# ---- notes, tasks, attachments (members and persons: member_actions.py) ----------------------


@login_required
@require_POST
def note_add(request, pk):
    case = get_case(request, pk)
    require(request.user, "note.add", case)
    form = NoteForm(request.POST)
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.note_add(request.user, case=case, body=form.cleaned_data["body"]),
        tab="notes",
        bound_key="note_form",
        success=_("Note added."),
    )


@login_required
@require_POST
def task_add(request, pk):
    case = get_case(request, pk)
    require(request.user, "task.add", case)
    form = TaskForm(request.POST, case=case)
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.task_create(request.user, case=case, **form.task_kwargs()),
        tab="tasks",
        bound_key="task_form",
        success=_("Task created."),
    )


@login_required
@require_POST
def task_status(request, pk, task_pk):
    case = get_case(request, pk)
    require(request.user, "task.update", case)
    task = one_or_404(case.tasks.filter(pk=task_pk))
    new_status = request.POST.get("status", "")
    form = VersionForm(request.POST)  # the task version the user saw
    status = 400
    if form.is_valid():
        _result, status = call_service(
            form,
            lambda: services.task_set_status(
                request.user,
                task=task,
                status=new_status,
                expected_version=form.cleaned_data["version"],
            ),
        )
    if status is None:
        labels = {
            TaskStatus.DONE: _("Task marked as done."),
            TaskStatus.CANCELLED: _("Task cancelled."),
            TaskStatus.OPEN: _("Task reopened."),
        }
        messages.success(request, labels.get(new_status, _("Task updated.")))
    else:
        flash_form_errors(request, form)
    return redirect(tab_url(case, "tasks"))


@login_required
@require_POST
def attachment_add(request, pk):
    case = get_case(request, pk)
    require(request.user, "attachment.add", case)
    form = AttachmentForm(request.POST, request.FILES, case=case)

    def add():
        d = form.cleaned_data
        return services.attachment_add(
            request.user,
            case=case,
            file=d["file"],
            kind=d["kind"],
            description=d.get("description") or "",
            person=d.get("person"),
        )

    return submit_on_tab(
        request,
        case,
        form,
        add,
        tab="documents",
        bound_key="attachment_form",
        success=lambda attachment: (
            _("%(name)s attached to the case.") % {"name": form.cleaned_data["file"].name}
        ),
    )


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    case = get_case(request, pk)
    attachment = one_or_404(case.attachments.filter(pk=attachment_pk))
    try:
        services.attachment_viewed(request.user, attachment=attachment)
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404() from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
