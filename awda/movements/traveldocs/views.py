"""The "Travel documents" tab of the case page (registered by apps.TravelDocumentsConfig.ready)
and its forms.

Per member: their travel documents and exit authorisations with status and dates, what the
readiness checklist says about them for the travel date, and (for those who record travel
documents) the forms: record a passport held (or use one from the person's identity documents),
request a laissez-passer from a consulate, record the consulate's answer, cancel a document,
request an exit authorisation and record the authorities' answer. Same flow as the case actions:
policy first (403), form, one service call, redirect to the tab; errors come back on the tab."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awda.cases.choices import Status
from awda.cases.readiness import travel_date
from awda.cases.views.detail import get_case
from awda.cases.views.submit import one_or_404, require, submit_on_tab, submit_or_flash
from awda.registry.models import IdentityDocument

from . import policies, selectors, services
from .choices import DocumentStatus, ExitStatus
from .forms import (
    CancelForm,
    DocumentAnswerForm,
    ExitAnswerForm,
    ExitRequestForm,
    IdentityDocumentForm,
    PassportForm,
    RequestForm,
)
from .readiness import document_check, exit_check
from .services import IDENTITY_KINDS

TAB = "travel_documents"


def _group(rows) -> dict:
    out: dict = {}
    for r in rows:
        out.setdefault(r.person_id, []).append(r)
    return out


def _identity_documents(person_ids):
    return IdentityDocument.objects.filter(
        person_id__in=list(person_ids), doc_type__in=list(IDENTITY_KINDS)
    ).order_by("-expiry_date", "-id")


def tab_travel_documents(request, case, perms, bound):
    """A fixed number of queries whatever the number of members: members, documents, exit
    authorisations, the travel date, and (for those who record) identity documents, consulates
    and authorities."""
    user = request.user
    may_record = policies.may_record(user, case) and case.status != Status.CLOSED
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    person_ids = [m.person_id for m in members]
    docs = _group(selectors.travel_documents(case))
    exits = _group(selectors.exit_authorisations(case))
    on_date = travel_date(case)
    identity = consulates = authorities = []
    if may_record:
        used = {d.identity_document_id for ds in docs.values() for d in ds}
        identity = _group(d for d in _identity_documents(person_ids) if d.pk not in used)
        consulates = list(selectors.consulates().values_list("pk", "name"))
        authorities = list(selectors.authorities().values_list("pk", "name"))
    rows = []
    for m in members:
        pid = m.person_id
        travels = m.travels or m.is_principal
        row = {
            "member": m,
            "travels": travels,
            "document_check": document_check(docs.get(pid, []), on_date) if travels else None,
            "exit_check": exit_check(exits.get(pid, []), on_date) if travels else None,
            "documents": [],
            "exits": [],
        }
        for d in docs.get(pid, []):
            answer = cancel = None
            if may_record and d.status == DocumentStatus.REQUESTED:
                answer = bound.get(f"doc_answer_{d.pk}") or DocumentAnswerForm(
                    prefix=f"da-{d.pk}", initial={"version": d.version}
                )
            if may_record and d.status != DocumentStatus.CANCELLED:
                cancel = CancelForm(prefix=f"dc-{d.pk}", initial={"version": d.version})
            row["documents"].append(
                {
                    "doc": d,
                    "answer": answer,
                    "cancel": cancel,
                    "open": f"doc_answer_{d.pk}" in bound,
                }
            )
        for a in exits.get(pid, []):
            answer = None
            if may_record and a.status == ExitStatus.REQUESTED:
                answer = bound.get(f"exit_answer_{a.pk}") or ExitAnswerForm(
                    prefix=f"ea-{a.pk}", initial={"version": a.version}
                )
            row["exits"].append(
                {"auth": a, "answer": answer, "open": f"exit_answer_{a.pk}" in bound}
            )
        if may_record:
            row["passport_form"] = bound.get(f"passport_form_{m.pk}") or PassportForm(
                prefix=f"pp-{m.pk}", initial={"issuing_country": m.person.nationality}
            )
            held = identity.get(pid, [])
            row["identity_form"] = (
                bound.get(f"identity_form_{m.pk}")
                or IdentityDocumentForm(prefix=f"id-{m.pk}", documents=held)
                if held
                else None
            )
            row["request_form"] = bound.get(f"request_form_{m.pk}") or RequestForm(
                prefix=f"rq-{m.pk}", consulates=consulates
            )
            row["exit_form"] = bound.get(f"exit_form_{m.pk}") or ExitRequestForm(
                prefix=f"ex-{m.pk}", authorities=authorities
            )
            row["open"] = {
                key: f"{key}_form_{m.pk}" in bound
                for key in ("passport", "identity", "request", "exit")
            }
        rows.append(row)
    return {
        "traveldoc_rows": rows,
        "traveldocs_may_record": may_record,
        "traveldocs_travel_date": on_date,
        "has_consulates": bool(consulates),
        "has_authorities": bool(authorities),
    }


def _member(case, member_pk):
    return one_or_404(case.members.select_related("person").filter(pk=member_pk))


def _org(queryset, pk):
    return queryset.filter(pk=pk).first() if pk else None


@login_required
@require_POST
def passport_record(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "traveldocs.record", case)
    member = _member(case, member_pk)
    form = PassportForm(request.POST, prefix=f"pp-{member.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.travel_document_record(
            request.user, case=case, person=member.person, **form.cleaned_data
        ),
        tab=TAB,
        bound_key=f"passport_form_{member.pk}",
        success=_("The travel document of %(name)s is recorded.")
        % {"name": member.person.full_name},
    )


@login_required
@require_POST
def identity_use(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "traveldocs.record", case)
    member = _member(case, member_pk)
    documents = list(_identity_documents([member.person_id]))
    form = IdentityDocumentForm(request.POST, prefix=f"id-{member.pk}", documents=documents)

    def save():
        chosen = next(d for d in documents if d.pk == form.cleaned_data["identity_document"])
        return services.travel_document_record(
            request.user, case=case, person=member.person, identity_document=chosen
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key=f"identity_form_{member.pk}",
        success=_("The travel document of %(name)s is recorded.")
        % {"name": member.person.full_name},
    )


@login_required
@require_POST
def document_request(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "traveldocs.record", case)
    member = _member(case, member_pk)
    consulates = selectors.consulates()
    form = RequestForm(
        request.POST, prefix=f"rq-{member.pk}", consulates=consulates.values_list("pk", "name")
    )

    def save():
        data = dict(form.cleaned_data)
        consulate = _org(consulates, data.pop("consulate"))
        return services.travel_document_record(
            request.user,
            case=case,
            person=member.person,
            status=DocumentStatus.REQUESTED,
            consulate=consulate,
            **data,
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key=f"request_form_{member.pk}",
        success=_("The request is recorded."),
    )


def _document(case, doc_pk):
    doc = one_or_404(selectors.travel_documents(case).filter(pk=doc_pk))
    doc.case = case
    return doc


@login_required
@require_POST
def document_answer(request, pk, doc_pk):
    case = get_case(request, pk)
    require(request.user, "traveldocs.record", case)
    doc = _document(case, doc_pk)
    form = DocumentAnswerForm(request.POST, prefix=f"da-{doc.pk}")

    def save():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.travel_document_answer(
            request.user, document=doc, expected_version=version, **data
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key=f"doc_answer_{doc.pk}",
        reload=True,
        success=_("The consulate's answer is recorded."),
    )


@login_required
@require_POST
def document_cancel(request, pk, doc_pk):
    case = get_case(request, pk)
    require(request.user, "traveldocs.record", case)
    doc = _document(case, doc_pk)
    form = CancelForm(request.POST, prefix=f"dc-{doc.pk}")
    return submit_or_flash(
        request,
        case,
        form,
        lambda: services.travel_document_update(
            request.user,
            document=doc,
            expected_version=form.cleaned_data["version"],
            status=DocumentStatus.CANCELLED,
        ),
        tab=TAB,
        success=_("The document is cancelled."),
    )


@login_required
@require_POST
def exit_request(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "traveldocs.record", case)
    member = _member(case, member_pk)
    authorities = selectors.authorities()
    form = ExitRequestForm(
        request.POST, prefix=f"ex-{member.pk}", authorities=authorities.values_list("pk", "name")
    )

    def save():
        data = dict(form.cleaned_data)
        authority = _org(authorities, data.pop("authority"))
        return services.exit_authorisation_request(
            request.user, case=case, person=member.person, authority=authority, **data
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key=f"exit_form_{member.pk}",
        success=_("The exit authorisation request is recorded."),
    )


@login_required
@require_POST
def exit_answer(request, pk, exit_pk):
    case = get_case(request, pk)
    require(request.user, "traveldocs.record", case)
    auth = one_or_404(selectors.exit_authorisations(case).filter(pk=exit_pk))
    auth.case = case
    form = ExitAnswerForm(request.POST, prefix=f"ea-{auth.pk}")

    def save():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.exit_authorisation_answer(
            request.user, authorisation=auth, expected_version=version, **data
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key=f"exit_answer_{auth.pk}",
        reload=True,
        success=_("The authorities' answer is recorded."),
    )
