"""Register a case in one flow: case facts, the principal applicant with identity documents, and any
number of other members. One call to services.case_register (atomic: nothing is written when
anything is invalid); its dotted field errors ("principal.given_name", "members.1.sex",
"members.0.documents.0.number") are put back on the right form fields.

The principal and each member is either a new person or one already in the registry, chosen with
the htmx search of views/person_pick.py (a returnee can come back years later); for an existing
person only the choice is validated and the new-person fields are set aside."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awda.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from awda.registry.forms import PersonForm

from .. import services
from ..forms import CaseRegisterForm, DocumentFormSet, MemberFormSet, PrincipalPickForm
from ..policies import offices_where
from .person_pick import attach_picked

# Field names of the service's document dicts -> the member form's document fields.
MEMBER_DOC_FIELDS = {
    "doc_type": "doc_type",
    "number": "doc_number",
    "issuing_country": "doc_issuing_country",
    "expiry_date": "doc_expiry_date",
}


def place_errors(exc: ApplicationError, resolve, fallback) -> None:
    """Put each dotted field error of `exc` on the form field `resolve(name)` returns
    ((form, field) or None); the rest, and the message, go to `fallback` as non-field errors."""
    placed_any = False
    for name, msgs in (exc.fields or {}).items():
        target = resolve(name)
        for m in msgs:
            if target and target[1] in target[0].fields:
                target[0].add_error(target[1], str(m))
            elif target:
                target[0].add_error(None, str(m))
            else:
                fallback.add_error(None, f"{name}: {m}")
            placed_any = True
    if not placed_any or exc.code != "validation_error":
        fallback.add_error(None, str(exc.message))


def person_error_resolver(person_form, *, doc_forms=None, member_doc_fields=False):
    """Resolve 'given_name' or 'documents.0.number' for one person's forms."""

    def resolve(rest: str):
        parts = rest.split(".")
        if parts[0] == "documents" and len(parts) >= 3:
            if member_doc_fields:
                return person_form, MEMBER_DOC_FIELDS.get(parts[2], parts[2])
            index = int(parts[1]) if parts[1].isdigit() else -1
            if doc_forms and 0 <= index < len(doc_forms):
                return doc_forms[index], parts[2]
            return person_form, None
        return person_form, parts[-1]

    return resolve


@login_required
def case_register(request):
    user = request.user
    if not offices_where(user, "case.register"):
        raise DjangoPermissionDenied()
    if request.method == "POST":
        form = CaseRegisterForm(request.POST, user=user, prefix="case")
        pick = PrincipalPickForm(request.POST, user=user, prefix="principal")
        principal = PersonForm(request.POST, prefix="principal")
        documents = DocumentFormSet(request.POST, prefix="principal-doc")
        members = MemberFormSet(request.POST, prefix="members", form_kwargs={"user": user})
        if pick.is_existing:
            principal.set_aside()
            for doc_form in documents.forms:
                doc_form.set_aside()
            valid = [f.is_valid() for f in (form, pick, members)]
        else:
            valid = [f.is_valid() for f in (form, principal, documents, members)]
        attach_picked(user, [pick, *members.forms])
        if all(valid):
            existing = pick.cleaned_data["existing_person"] if pick.is_existing else None
            doc_forms = [] if existing else [f for f in documents.forms if f.cleaned_data]
            member_forms = [
                f for f in members.forms if f.cleaned_data and f not in members.deleted_forms
            ]
            try:
                case = services.case_register(
                    user,
                    office=form.cleaned_data["office"],
                    principal=None if existing else principal.data_for_service(),
                    principal_person=existing,
                    principal_documents=[f.data_for_service() for f in doc_forms],
                    members=[f.member_data() for f in member_forms],
                    **form.case_data(),
                )
            except PermissionDenied as exc:
                form.add_error("office", str(exc.message))
            except NotFound:
                # A chosen person left the user's scope between the choice and the submit.
                form.add_error(
                    None, _("A chosen person is no longer in the part of the registry you can see.")
                )
            except ValidationFailed as exc:
                principal_resolve = person_error_resolver(principal, doc_forms=doc_forms)

                def resolve(name):
                    head, _sep, rest = name.partition(".")
                    if head == "principal" and rest:
                        return principal_resolve(rest)
                    if name == "members":  # the same person twice: a case-level error
                        return form, None
                    if head == "members" and rest:
                        index, _sep, field = rest.partition(".")
                        if index.isdigit() and int(index) < len(member_forms):
                            mform = member_forms[int(index)]
                            if field.startswith("person."):
                                field = field[len("person.") :]
                            return person_error_resolver(mform, member_doc_fields=True)(
                                field or "relationship"
                            )
                    if name in form.fields:
                        return form, name
                    return None

                place_errors(exc, resolve, form)
            else:
                messages.success(
                    request,
                    _("Case %(number)s registered for %(name)s.")
                    % {"number": case.number, "name": case.principal.full_name},
                )
                return redirect("cases:case_detail", pk=case.pk)
        status = 400
    else:
        form = CaseRegisterForm(user=user, prefix="case")
        pick = PrincipalPickForm(user=user, prefix="principal")
        principal = PersonForm(prefix="principal")
        documents = DocumentFormSet(prefix="principal-doc")
        members = MemberFormSet(prefix="members", form_kwargs={"user": user})
        status = 200
    return render(
        request,
        "cases/register.html",
        {
            "form": form,
            "principal": principal,
            "principal_pick": pick,
            "documents": documents,
            "members": members,
            "has_errors": status != 200,
        },
        status=status,
    )
