"""The "Health" tab of the case page (registered by apps.HealthConfig.ready) and its forms.

Per member: the fitness-to-travel decision (everyone with fitness.view) with its form (medical
officers); the medical needs, referrals and documents only where the user may see that person's
medical records (policies.may_view_health), otherwise one line saying they are restricted. Same
flow as the case actions: policy first (403), form, one service call, redirect to the tab; errors
come back on the tab (400 / 409). Rendering the tab is an audited read (part "health")."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awda.cases.choices import Status
from awda.cases.views.detail import get_case
from awda.cases.views.submit import one_or_404, require, submit_on_tab
from awda.core.errors import NotFound
from awda.registry.models import Organisation

from . import policies, selectors, services
from .forms import (
    FitnessForm,
    MedicalDocumentForm,
    MedicalNeedForm,
    MedicalNeedUpdateForm,
    ReferralForm,
    ReferralUpdateForm,
)

TAB = "health"


def _group(rows) -> dict:
    out: dict = {}
    for r in rows:
        out.setdefault(r.person_id, []).append(r)
    return out


def tab_health(request, case, perms, bound):
    """A fixed number of queries whatever the number of members: members, fitness decisions,
    the consents (caseworkers only), needs, referrals and documents (when some are visible), the
    mission's validity and the providers (medical officers only)."""
    user = request.user
    may_record_fitness = policies.may_record_fitness(user, case) and case.status != Status.CLOSED
    may_record_health = policies.may_record_health(user, case) and case.status != Status.CLOSED
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    person_ids = [m.person_id for m in members]
    history = list(selectors.fitness_history(case))
    current = selectors.current_by_person(history)
    visible = policies.health_visible_persons(user, case, person_ids)
    needs = referrals = documents = {}
    if visible:
        needs = _group(selectors.medical_needs(case, visible))
        referrals = _group(selectors.medical_referrals(case, visible))
        documents = _group(selectors.medical_documents(case, visible))
    validity_days = selectors.fitness_validity_days(case.mission_id) if may_record_fitness else 0
    providers = []
    if may_record_health:
        providers = list(selectors.referral_providers().values_list("pk", "name"))
    rows = []
    for m in members:
        pid = m.person_id
        row = {
            "member": m,
            "fitness": current.get(pid),
            "fitness_history": [d for d in history if d.person_id == pid],
            "fitness_form": None,
            "medical_visible": pid in visible,
            "needs": [],
            "referrals": [],
            "documents": [],
            "open_fitness": f"fitness_form_{m.pk}" in bound,
            "open_need": f"need_form_{m.pk}" in bound,
            "open_referral": f"referral_form_{m.pk}" in bound,
            "open_document": f"document_form_{m.pk}" in bound,
        }
        if may_record_fitness:
            row["fitness_form"] = bound.get(f"fitness_form_{m.pk}") or FitnessForm(
                prefix=f"fit-{m.pk}", validity_days=validity_days
            )
        if pid in visible:
            row["needs"] = [
                (
                    n,
                    bound.get(f"need_edit_{n.pk}")
                    or MedicalNeedUpdateForm(
                        prefix=f"need-{n.pk}",
                        initial={
                            "status": n.status,
                            "severity": n.severity,
                            "treatment_needed": n.treatment_needed,
                            "version": n.version,
                        },
                    )
                    if may_record_health
                    else None,
                    f"need_edit_{n.pk}" in bound,
                )
                for n in needs.get(pid, [])
            ]
            row["referrals"] = [
                (
                    r,
                    bound.get(f"referral_edit_{r.pk}")
                    or ReferralUpdateForm(
                        prefix=f"ref-{r.pk}",
                        initial={"status": r.status, "outcome": r.outcome, "version": r.version},
                    )
                    if may_record_health
                    else None,
                    f"referral_edit_{r.pk}" in bound,
                )
                for r in referrals.get(pid, [])
            ]
            row["documents"] = documents.get(pid, [])
        if may_record_health:
            row["need_form"] = bound.get(f"need_form_{m.pk}") or MedicalNeedForm(
                prefix=f"nd-{m.pk}"
            )
            row["referral_form"] = bound.get(f"referral_form_{m.pk}") or ReferralForm(
                prefix=f"rf-{m.pk}", providers=providers
            )
            row["document_form"] = bound.get(f"document_form_{m.pk}") or MedicalDocumentForm(
                prefix=f"doc-{m.pk}"
            )
        rows.append(row)
    return {
        "health_rows": rows,
        "may_record_fitness": may_record_fitness,
        "may_record_health": may_record_health,
        "has_providers": bool(providers),
    }


def _member(case, member_pk):
    return one_or_404(case.members.select_related("person").filter(pk=member_pk))


@login_required
@require_POST
def fitness_record(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "fitness.record", case)
    member = _member(case, member_pk)
    form = FitnessForm(
        request.POST,
        prefix=f"fit-{member.pk}",
        validity_days=selectors.fitness_validity_days(case.mission_id),
    )
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.fitness_record(
            request.user, case=case, person=member.person, **form.cleaned_data
        ),
        tab=TAB,
        bound_key=f"fitness_form_{member.pk}",
        success=_("The fitness-to-travel decision for %(name)s is recorded.")
        % {"name": member.person.full_name},
    )


@login_required
@require_POST
def need_record(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "health.record", case)
    member = _member(case, member_pk)
    form = MedicalNeedForm(request.POST, prefix=f"nd-{member.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.medical_need_record(
            request.user, case=case, person=member.person, **form.cleaned_data
        ),
        tab=TAB,
        bound_key=f"need_form_{member.pk}",
        success=_("The medical need is recorded."),
    )


@login_required
@require_POST
def need_update(request, pk, need_pk):
    case = get_case(request, pk)
    require(request.user, "health.record", case)
    need = one_or_404(selectors.medical_needs(case).filter(pk=need_pk))
    need.case = case
    form = MedicalNeedUpdateForm(request.POST, prefix=f"need-{need.pk}")

    def save():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.medical_need_update(
            request.user, need=need, expected_version=version, **data
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key=f"need_edit_{need.pk}",
        reload=True,
        success=_("The medical need is updated."),
    )


@login_required
@require_POST
def referral_record(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "health.record", case)
    member = _member(case, member_pk)
    providers = list(selectors.referral_providers().values_list("pk", "name"))
    form = ReferralForm(request.POST, prefix=f"rf-{member.pk}", providers=providers)

    def save():
        data = dict(form.cleaned_data)
        provider = Organisation.objects.get(pk=data.pop("provider"))
        return services.medical_referral_record(
            request.user, case=case, person=member.person, provider=provider, **data
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key=f"referral_form_{member.pk}",
        reload=True,
        success=_("The referral is recorded, and the disclosure to the provider is logged."),
    )


@login_required
@require_POST
def referral_update(request, pk, referral_pk):
    case = get_case(request, pk)
    require(request.user, "health.record", case)
    referral = one_or_404(selectors.medical_referrals(case).filter(pk=referral_pk))
    referral.case = case
    form = ReferralUpdateForm(request.POST, prefix=f"ref-{referral.pk}")

    def save():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.medical_referral_update(
            request.user, referral=referral, expected_version=version, **data
        )

    return submit_on_tab(
        request,
        case,
        form,
        save,
        tab=TAB,
        bound_key=f"referral_edit_{referral.pk}",
        reload=True,
        success=_("The referral is updated."),
    )


@login_required
@require_POST
def document_add(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "health.record", case)
    member = _member(case, member_pk)
    form = MedicalDocumentForm(request.POST, request.FILES, prefix=f"doc-{member.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.medical_document_add(
            request.user, case=case, person=member.person, **form.cleaned_data
        ),
        tab=TAB,
        bound_key=f"document_form_{member.pk}",
        success=_("The medical document is stored."),
    )


@login_required
@require_GET
def document_download(request, pk, document_pk):
    """The file, for a user who may see the person's medical records (404 otherwise, like a
    missing one); every download is audited."""
    case = get_case(request, pk)
    if not policies.may_read_health_records(request.user, case):
        raise Http404()
    document = one_or_404(selectors.medical_documents(case).filter(pk=document_pk))
    try:
        services.medical_document_viewed(request.user, document=document, case=case)
    except NotFound:
        raise Http404() from None
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404() from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
