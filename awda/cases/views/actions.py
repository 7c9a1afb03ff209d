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
from awda.registry import services as registry_services
from awda.registry.forms import PersonEditForm
from awda.registry.models import IdentityDocument

from .. import selectors, services, workflow
from ..choices import Status, TaskStatus
from ..forms import (
    AttachmentForm,
    CaseEditForm,
    DeclarationForm,
    MemberAddForm,
    MemberEditForm,
    NoteForm,
    PersonDocumentForm,
    TaskForm,
    TransitionForm,
    VersionForm,
)
from ..policies import can, roles_on_case
from .detail import can_take, get_case
from .person_pick import attach_picked
from .register import person_error_resolver, place_errors
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


# ---- members and persons ----------------------------------------------------------------------


@login_required
@require_POST
def member_add(request, pk):
    case = get_case(request, pk)
    require(request.user, "case.members", case)
    form = MemberAddForm(request.POST, prefix="member", user=request.user)
    form.is_valid()
    attach_picked(request.user, [form])

    def add():
        data = form.member_data()
        return services.case_member_add(
            request.user,
            case=case,
            relationship=data["relationship"],
            person=data.get("person"),
            person_id=data.get("person_id"),
            documents=data.get("documents"),
            travels=data["travels"],
            expected_version=form.cleaned_data["version"],
        )

    def on_validation(exc):
        resolve = person_error_resolver(form, member_doc_fields=True)

        def field(name):
            if name == "person_id":  # an existing person already in the case
                return form, "existing_person"
            return resolve(name[len("person.") :] if name.startswith("person.") else name)

        place_errors(exc, field, form)

    return submit_on_tab(
        request,
        case,
        form,
        add,
        tab="members",
        bound_key="member_form",
        reload=True,
        on_validation=on_validation,
        success=lambda member: (
            _("%(name)s was added to the case.") % {"name": member.person.full_name}
        ),
    )


@login_required
@require_POST
def member_edit(request, pk, member_pk):
    """A member's relationship to the principal and whether they travel."""
    case = get_case(request, pk)
    require(request.user, "case.members", case)
    member = one_or_404(case.members.select_related("person").filter(pk=member_pk))
    form = MemberEditForm(request.POST, member=member, prefix=f"edit-{member.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.case_member_update(
            request.user, case=case, member=member, **form.update_kwargs()
        ),
        tab="members",
        bound_key=f"member_edit_{member.pk}",
        reload=True,
        success=_("%(name)s was updated.") % {"name": member.person.full_name},
    )


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "case.members", case)
    member = one_or_404(case.members.select_related("person").filter(pk=member_pk))
    form = VersionForm(request.POST)
    done, _status = submit(
        request,
        form,
        lambda: services.case_member_remove(
            request.user,
            case=case,
            member=member,
            expected_version=form.cleaned_data["version"],
        ),
        case=case,
        tab="members",
        success=_("%(name)s was removed from the case.") % {"name": member.person.full_name},
    )
    if done:
        return done
    flash_form_errors(request, form)
    return redirect(tab_url(case, "members"))


def _case_person(case, person_pk):
    return one_or_404(case.members.select_related("person").filter(person_id=person_pk))


@login_required
def person_edit(request, pk, person_pk):
    case = get_case(request, pk)
    require(request.user, "person.edit", case)
    member = _case_person(case, person_pk)
    person = member.person
    status = 200
    if request.method == "POST":
        form = PersonEditForm(request.POST)
        done, status = submit(
            request,
            form,
            lambda: services.case_person_update(
                request.user,
                case=case,
                person=person,
                expected_version=form.cleaned_data["version"],
                data=form.data_for_service(),
            ),
            case=case,
            tab="members",
            success=lambda updated: _("%(name)s was updated.") % {"name": updated.full_name},
        )
        if done:
            return done
    else:
        form = PersonEditForm(
            initial={**PersonEditForm.initial_for(person), "version": person.version}
        )
    services.case_viewed(request.user, case=case, part="person", person_id=person.pk)
    return render(
        request,
        "cases/person_edit.html",
        {"case": case, "member": member, "person": person, "form": form},
        status=status,
    )


@login_required
@require_POST
def document_add(request, pk, person_pk):
    case = get_case(request, pk)
    require(request.user, "person.edit", case)
    person = _case_person(case, person_pk).person
    prefix = f"doc-{person.pk}"
    form = PersonDocumentForm(request.POST, prefix=prefix)
    return submit_on_tab(
        request,
        case,
        form,
        lambda: registry_services.identity_document_add(
            request.user,
            person=person,
            data=form.data_for_service(),
            case_id=case.pk,
            expected_version=form.cleaned_data["version"],
        ),
        tab="members",
        bound_key=prefix,
        success=_("Identity document added for %(name)s.") % {"name": person.full_name},
    )


@login_required
@require_POST
def document_delete(request, pk, document_pk):
    case = get_case(request, pk)
    require(request.user, "person.edit", case)
    document = one_or_404(
        IdentityDocument.objects.select_related("person").filter(
            pk=document_pk, person__case_memberships__case=case
        )
    )
    form = VersionForm(request.POST)
    done, _status = submit(
        request,
        form,
        lambda: registry_services.identity_document_delete(
            request.user,
            document=document,
            case_id=case.pk,
            expected_version=form.cleaned_data["version"],
        ),
        case=case,
        tab="members",
        success=_("%(document)s deleted for %(name)s.")
        % {"document": str(document), "name": document.person.full_name},
    )
    if done:
        return done
    flash_form_errors(request, form)
    return redirect(tab_url(case, "members"))


# ---- notes, tasks, attachments ----------------------------------------------------------------


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
