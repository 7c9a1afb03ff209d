"""The "Consent" tab of the case page (registered by apps.ConsentConfig.ready) and its forms:
record a consent or refusal, withdraw a consent, record a disclosure made outside Awda. Same flow
as the case actions: policy first (403), form, one service call, redirect to the tab; errors come
back on the tab (400)."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awda.cases.choices import Status
from awda.cases.policies import can
from awda.cases.views.detail import get_case
from awda.cases.views.submit import one_or_404, require, submit_on_tab

from . import selectors, services
from .choices import DataCategory, Purpose
from .forms import ConsentForm, TransferForm, WithdrawForm
from .models import Consent

TAB = "consent"
STATE_LABELS = {
    selectors.GIVEN: gettext_lazy("Given"),
    selectors.REFUSED: gettext_lazy("Refused"),
    selectors.WITHDRAWN: gettext_lazy("Withdrawn"),
    selectors.NONE: gettext_lazy("Not recorded"),
}
STATE_BADGES = {
    selectors.GIVEN: "text-bg-success",
    selectors.REFUSED: "text-bg-danger",
    selectors.WITHDRAWN: "text-bg-warning",
    selectors.NONE: "text-bg-light border",
}


def _members(case):
    return list(case.members.select_related("person").order_by("-is_principal", "id"))


def _is_minor(person, today) -> bool:
    age = person.age_on(today)
    return age is not None and age < 18


def tab_consent(request, case, perms, bound):
    """Per member, the state of each purpose with its history and the forms; then the transfer
    log. A fixed number of queries whatever the number of members, consents and transfers
    (members, consents with their users, the policy scope; transfers with persons and
    consents)."""
    user = request.user
    today = timezone.localdate()
    may_record = can(user, "consent.record", case)
    may_view_transfers = can(user, "transfer.view", case)
    may_transfer = can(user, "transfer.record", case)
    members = _members(case)
    by_key: dict[tuple[int, str], list[Consent]] = {}
    for c in selectors.mask_foreign(selectors.consents_for_case(case), user, case):
        by_key.setdefault((c.person_id, c.purpose), []).append(c)
    rows = []
    for m in members:
        purposes = []
        for purpose in Purpose:
            history = by_key.get((m.person_id, purpose.value), [])
            state = selectors.consent_state(history, today)
            entries = []
            for c in history:
                # A withdrawal refused (e.g. withdrawn meanwhile) shows its form with the error.
                withdrawable = (
                    may_record and c.given and c.withdrawn_on is None
                ) or f"withdraw_form_{c.pk}" in bound
                entries.append(
                    {
                        "consent": c,
                        "valid": c.is_valid_on(today),
                        "other_case": c.case_id != case.pk,
                        "withdraw_form": (
                            bound.get(f"withdraw_form_{c.pk}") or WithdrawForm(prefix=f"wd-{c.pk}")
                        )
                        if withdrawable
                        else None,
                        "open_withdraw": f"withdraw_form_{c.pk}" in bound,
                    }
                )
            purposes.append(
                {
                    "purpose": purpose,
                    "state": state,
                    "state_label": STATE_LABELS[state],
                    "badge": STATE_BADGES[state],
                    "history": entries,
                }
            )
        form = None
        if may_record and case.status != Status.CLOSED:
            form = bound.get(f"consent_form_{m.pk}") or ConsentForm(prefix=f"consent-{m.pk}")
        minor = _is_minor(m.person, today)
        rows.append(
            {
                "member": m,
                "minor": minor,
                "show_guardian": minor or bool(form is not None and form.is_bound and form.errors),
                "purposes": purposes,
                "given_count": sum(1 for p in purposes if p["state"] == selectors.GIVEN),
                "form": form,
                "open_form": f"consent_form_{m.pk}" in bound,
            }
        )
    ctx = {
        "consent_rows": rows,
        "may_record_consent": may_record,
        "may_view_transfers": may_view_transfers,
        "may_record_transfer": may_transfer,
        "transfers": [],
        "transfer_form": None,
    }
    if may_view_transfers:
        hidden = selectors.hidden_categories(request.user, case)
        ctx["transfers"] = [
            {
                "transfer": t,
                "purpose_label": Purpose(t.purpose).label,
                "category_labels": _category_labels(t.categories, hidden),
            }
            for t in selectors.transfers_for_case(case)
        ]
    if may_transfer:
        ctx["transfer_form"] = bound.get("transfer_form") or TransferForm(
            prefix="transfer",
            members=members,
            hidden_categories=selectors.hidden_categories(request.user, case),
        )
        ctx["open_transfer_form"] = "transfer_form" in bound
    return ctx


def _category_labels(codes, hidden=frozenset()) -> list[str]:
    labels = dict(DataCategory.choices)
    shown, restricted = selectors.visible_categories(codes, hidden)
    return [str(labels.get(c, c)) for c in shown] + (
        [_("restricted category")] if restricted else []
    )


@login_required
@require_POST
def consent_record(request, pk, member_pk):
    case = get_case(request, pk)
    require(request.user, "consent.record", case)
    member = one_or_404(case.members.select_related("person").filter(pk=member_pk))
    form = ConsentForm(request.POST, prefix=f"consent-{member.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.consent_record(
            request.user, case=case, person=member.person, **form.service_kwargs()
        ),
        tab=TAB,
        bound_key=f"consent_form_{member.pk}",
        success=lambda consent: (
            _("The consent of %(name)s is recorded.") % {"name": member.person.full_name}
            if consent.given
            else _("The refusal of %(name)s is recorded.") % {"name": member.person.full_name}
        ),
    )


@login_required
@require_POST
def consent_withdraw(request, pk, consent_pk):
    case = get_case(request, pk)
    require(request.user, "consent.record", case)
    # A consent of a member of this case (possibly taken in an earlier case of the person).
    consent = one_or_404(
        Consent.objects.filter(
            pk=consent_pk, person_id__in=case.members.values("person_id")
        ).select_related("person", "case")
    )
    form = WithdrawForm(request.POST, prefix=f"wd-{consent.pk}")
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.consent_withdraw(
            request.user,
            consent=consent,
            reason=form.cleaned_data["reason"],
            withdrawn_on=form.cleaned_data["withdrawn_on"],
            case=case,
        ),
        tab=TAB,
        bound_key=f"withdraw_form_{consent.pk}",
        success=_("The withdrawal of the consent of %(name)s is recorded.")
        % {"name": consent.person.full_name},
    )


@login_required
@require_POST
def transfer_record(request, pk):
    case = get_case(request, pk)
    require(request.user, "transfer.record", case)
    form = TransferForm(
        request.POST,
        prefix="transfer",
        members=_members(case),
        hidden_categories=selectors.hidden_categories(request.user, case),
    )
    return submit_on_tab(
        request,
        case,
        form,
        lambda: services.transfer_record(
            request.user,
            case=case,
            persons=form.cleaned_data["persons"],
            recipient=form.cleaned_data["recipient"],
            purpose=form.cleaned_data["purpose"],
            categories=form.cleaned_data["categories"],
            notes=form.cleaned_data["notes"],
            transferred_on=form.cleaned_data["transferred_on"],
        ),
        tab=TAB,
        bound_key="transfer_form",
        success=lambda transfer: (
            _("The disclosure to %(recipient)s is recorded.") % {"recipient": transfer.recipient}
        ),
    )
