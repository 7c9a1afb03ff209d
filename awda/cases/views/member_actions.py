"""Actions on a case's members and their person records: add, edit, remove members; edit persons;
add and delete identity documents."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awda.registry.forms import PersonEditForm
from awda.registry.models import IdentityDocument

from .. import services
from ..forms import (
    MemberAddForm,
    MemberEditForm,
    PersonDocumentForm,
    VersionForm,
)
from .detail import get_case
from .person_pick import attach_picked
from .register import person_error_resolver, place_errors
from .submit import (
    one_or_404,
    require,
    submit,
    submit_on_tab,
    submit_or_flash,
)


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
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.case_member_remove(
            request.user,
            case=case,
            member=member,
            expected_version=form.cleaned_data["version"],
        ),
        tab="members",
        success=_("%(name)s was removed from the case.") % {"name": member.person.full_name},
    )


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
        lambda: services.person_document_add(
            request.user,
            person=person,
            data=form.data_for_service(),
            case=case,
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
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.person_document_delete(
            request.user,
            document=document,
            case=case,
            expected_version=form.cleaned_data["version"],
        ),
        tab="members",
        success=_("%(document)s deleted for %(name)s.")
        % {"document": str(document), "name": document.person.full_name},
    )
